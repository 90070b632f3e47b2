"""Diagnosis: pure rules over a run's history and config, each returning a Finding or None, then ranked.

`diagnose` runs every rule once a run is over; `live_findings` runs the few rules whose evidence can
appear mid-run (the engine calls it at every epoch end and every ~0.5 s of probes, so it must be cheap).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable

from workbench.core import i18n
from workbench.core.diagnosis import signals
from workbench.core.diagnosis.activations import dead_relu, saturated_activations
from workbench.core.diagnosis.batch_size import large_batch, small_batch_noise
from workbench.core.diagnosis.data_rules import class_imbalance, unnormalized_inputs, unshuffled_data
from workbench.core.diagnosis.data_splits import distribution_shift, train_val_mismatch
from workbench.core.diagnosis.finding import Finding
from workbench.core.diagnosis.generalization import UNDERFIT_SKILL, late_collapse, underfitting
from workbench.core.diagnosis.gradients import exploding_gradients, vanishing_gradients
from workbench.core.diagnosis.initialization import bad_initialization
from workbench.core.diagnosis.label_noise import label_noise
from workbench.core.diagnosis.learning_rate import divergence, loss_plateau, lr_too_high, lr_too_low
from workbench.core.diagnosis.loss_choice import with_loss_choice
from workbench.core.diagnosis.overfitting import overfitting
from workbench.core.diagnosis.ranking import rank
from workbench.core.diagnosis.regularization import over_regularized
from workbench.core.diagnosis.speed import slow_training
from workbench.core.diagnosis.user_changes import explain_user_changes, steered_config
from workbench.core.experiment.config import ExperimentConfig
from workbench.core.history import RunHistory
from workbench.core.i18n import _

Rule = Callable[[RunHistory, ExperimentConfig], Finding | None]

# id -> rule, one per CONTRACTS.md section 4 id.
RULES: dict[str, Rule] = {
    "divergence": divergence,
    "exploding_gradients": exploding_gradients,
    "vanishing_gradients": vanishing_gradients,
    "dead_relu": dead_relu,
    "saturated_activations": saturated_activations,
    "lr_too_high": lr_too_high,
    "lr_too_low": lr_too_low,
    "loss_plateau": loss_plateau,
    "underfitting": underfitting,
    "overfitting": overfitting,
    "late_collapse": late_collapse,
    "bad_initialization": bad_initialization,
    "unnormalized_inputs": unnormalized_inputs,
    "unshuffled_data": unshuffled_data,
    "over_regularized": over_regularized,
    "small_batch_noise": small_batch_noise,
    "label_noise": label_noise,
    "class_imbalance": class_imbalance,
    "slow_training": slow_training,
    "distribution_shift": distribution_shift,
    "train_val_mismatch": train_val_mismatch,
    "large_batch": large_batch,
}

# Rules whose evidence can be complete mid-run; the others judge trends over the whole loss history.
LIVE_RULE_IDS = (
    "divergence", "exploding_gradients", "vanishing_gradients", "dead_relu", "saturated_activations",
    "unshuffled_data", "unnormalized_inputs", "bad_initialization",
    "slow_training",  # each finished epoch's timings are complete evidence
)


# A finding never contradicts how the run ended. When it ended fitting its data well (signals.fits_well),
# units that died or saturated only cost spare capacity: no finding; and an unusual setting that did no
# visible harm (the init, raw inputs, the order, tiny batches, gradients that grew large) is a note, not a
# warning (exploding gradients joined in the twenty-sixth session; no alarm or first finding moved on the
# twelve judged draws, where gradients that exploded come with a fault that stopped the fit, or a warning
# besides).
# Validation far from guessing is fit enough for the first two where training accuracy is not: wrong training
# labels hold it down (the train-val-mismatch preset warned of 75% dead units in a layer at validation 0.985,
# second under the mismatch; on the diagnosis benchmark's seeds 17 and 58-61 no run's findings changed).
QUIET_WHEN_FIT = ("dead_relu", "saturated_activations")
NOTE_WHEN_FIT = ("bad_initialization", "unnormalized_inputs", "unshuffled_data", "small_batch_noise",
                 "exploding_gradients")
# A high rate in a run that fit and kept its best validation accuracy to the end cost nothing visible: a note
# (benchmark, tune split: high rates that did no harm ended fitting with validation at its best; the one
# harmful high rate that still fit had lost 6 points from its peak).
NOTE_WHEN_FIT_AND_STEADY = ("lr_too_high",)
# Noisy training labels are a fault of the data whatever the outcome, but while validation accuracy is far
# from guessing they have done it no harm: a note (tune split: 3 of 3 such runs were no worse than without
# the noise).
NOTE_WHEN_VALIDATION_FITS = ("label_noise",)
# Causes of logits far too large. Where validation accuracy is good anyway while its cross-entropy loss ended above
# uniform guessing's, the model is certain of its wrong answers, which no accuracy shows: these findings say so,
# whatever their severity (diagnosis benchmark, ten held-out draws: 42 of 2,341 runs healthy by accuracy, at
# 0.92-0.996, their validation loss at 0.8 to 1.2e7; 40 of them got a note that named the init or the rate and
# said no accuracy was lost, and nothing about the loss).
HUGE_LOGIT_CAUSES = ("bad_initialization", "lr_too_high", "exploding_gradients")


def _run(rule_ids, history: RunHistory, config: ExperimentConfig) -> list[Finding]:
    findings = [RULES[rule_id](history, config) for rule_id in rule_ids]
    return [finding for finding in findings if finding is not None]


def _as_the_outcome_shows(findings: list[Finding], history: RunHistory, config: ExperimentConfig) -> list[Finding]:
    if history.status not in ("completed", "early_stopped"):
        return findings
    findings = _certain_where_wrong(findings, history, config)
    notes = list(NOTE_WHEN_VALIDATION_FITS if signals.validation_fits(history, config) else ())
    if signals.fits_well(history, config) or signals.validation_fits(history, config):
        findings = [finding for finding in findings if finding.id not in QUIET_WHEN_FIT]
    if signals.fits_well(history, config):
        notes += NOTE_WHEN_FIT
        if signals.validation_held_its_best(history):
            notes += NOTE_WHEN_FIT_AND_STEADY
    return [dataclasses.replace(finding, severity="info") if finding.id in notes else finding
            for finding in findings]


def _certain_where_wrong(findings: list[Finding], history: RunHistory, config: ExperimentConfig) -> list[Finding]:
    """HUGE_LOGIT_CAUSES with a clause on the validation loss, where validation accuracy got at least halfway from
    guessing to perfect (UNDERFIT_SKILL) and that loss ended above uniform guessing's all the same."""
    if config.train.loss == "mse" or not signals.finite_epoch_rows(history):
        return findings  # MSE on probabilities is bounded: no answer can be that sure
    if signals.skill(history, float(history.epoch_column("val_acc")[-1])) < UNDERFIT_SKILL:
        return findings
    loss = float(history.epoch_column("val_loss")[-1])
    uniform = signals.expected_initial_loss(history.n_classes, config.train.loss)
    if not (math.isfinite(loss) and loss > uniform):
        return findings
    clause = _("the validation loss ended at {loss}, {factor}x the {uniform} of uniform guesses, at validation "
               "accuracy {accuracy}: where the model errs it is certain of the wrong answer").format(
        loss=i18n.number(loss), factor=i18n.number(loss / uniform), uniform=i18n.number(uniform),
        accuracy=i18n.number(float(history.epoch_column("val_acc")[-1])))
    return [dataclasses.replace(finding, evidence=i18n.join_clauses([finding.evidence, clause]))
            if finding.id in HUGE_LOGIT_CAUSES else finding for finding in findings]


def diagnose(history: RunHistory, config: ExperimentConfig) -> list[Finding]:
    """Every rule on a finished run, ranked root cause first; a healthy run gives []. A run steered while
    it trained is judged with the settings it ended with, and findings its user's changes explain say so."""
    steered = steered_config(config, history)
    findings = explain_user_changes(_run(RULES, history, steered), history, config, RULES.__getitem__)
    return rank(with_loss_choice(_as_the_outcome_shows(findings, history, steered), steered), steered)


def live_findings(history: RunHistory, config: ExperimentConfig) -> list[Finding]:
    """The rules that may fire mid-run, ranked the same way."""
    steered = steered_config(config, history)
    findings = explain_user_changes(_run(LIVE_RULE_IDS, history, steered), history, config, RULES.__getitem__)
    return rank(findings, steered)


__all__ = ["Finding", "LIVE_RULE_IDS", "RULES", "diagnose", "live_findings"]
