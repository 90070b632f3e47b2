"""Verified diagnosis: test the leading causes as an engineer would, by running their fixes.

For each leading finding with a fix, a short counterfactual run of the same experiment (same seeds and
data order, the fix applied, a fraction of the epochs) is compared with the run's own validation accuracy
at the same epoch. A fix that measurably helps makes its finding `verified` and the findings are ranked
by the measured effect; a fix that made validation worse is never offered; one that changed nothing
leaves the finding `likely`. Faults that only show late (overfitting, late collapse, label noise) cannot
be confirmed by a short run and stay as the evidence says. The probes run through the run's own control,
so Stop cancels them.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable

from workbench.core.diagnosis import signals
from workbench.core.diagnosis.finding import VERIFIED_GAIN, Finding
from workbench.core.experiment.config import ConfigError, ExperimentConfig, apply_overrides

CANDIDATES = 2  # leading findings whose fix is tested
# Each probe trains this share of the planned epochs (at least MIN_PROBE_EPOCHS): two probes cost at most
# half of the run itself.
PROBE_SHARE = 0.25
MIN_PROBE_EPOCHS = 2
# Validation accuracy a fix must lose to count as harmful (a verified one adds finding.VERIFIED_GAIN): at
# least this, and more than the sampling noise of an accuracy on the run's validation examples
# (signals.accuracy_noise: fix benchmark, seed 3's tune split: probes 1-2 points below a run's lucky epoch
# on 160 examples refuted a learning rate, a dropout and a shuffle that then gained 7-37 points in full).
MAX_LOSS = 0.01
# What a short run cannot show: these appear only late in training.
LATE_FAULTS = ("overfitting", "late_collapse", "label_noise")
# What validation accuracy cannot judge: a fix that saves wall-clock time trains the same model.
NOT_ABOUT_ACCURACY = ("slow_training",)
# Faults that validation accuracy cannot see, so a short run cannot judge their fixes by it: a test set unlike
# what training covered (validation is drawn from the training pool), training labels unlike validation's
# (validation is already fine; the fix shows in the training loss).
VALIDATION_BLIND = ("distribution_shift", "train_val_mismatch")
# Fixes judged by balanced accuracy (mean recall over classes): weighting rare classes trades a little
# plain accuracy on the common ones for the rare ones, which plain accuracy would call harm.
JUDGED_BALANCED = ("class_imbalance",)


def probe_epochs(config: ExperimentConfig) -> int:
    return min(config.train.epochs, max(MIN_PROBE_EPOCHS, math.ceil(PROBE_SHARE * config.train.epochs)))


def _val_acc_at(history, epoch: int, balanced: bool = False) -> float:
    """Validation accuracy at the end of `epoch` (the last one reached, if the run ended sooner), or the
    balanced accuracy (mean recall over classes) for a fix of rare classes; NaN for a run that never
    finished an epoch or whose value is not finite (it diverged)."""
    if history is None or not history.epochs_run:
        return math.nan
    row = min(epoch, history.epochs_run) - 1
    value = (float(history.class_recall.view()[row].mean()) if balanced
             else float(history.epoch_column("val_acc")[row]))
    return value if math.isfinite(value) else math.nan


def probe_plan(run) -> list[tuple[Finding, dict]]:
    """The findings whose fix is tested, each with the overrides that make its probe: the fix, the probe's
    epochs, and nothing that would stop it early or test fixes of its own."""
    # notes (info) too: their fix is offered like any other, so it is tested like any other (fix benchmark,
    # a fresh draw: a class-weight fix offered by a note, untested, cost 3 points of validation accuracy)
    tested = [finding for finding in run.findings if finding.fix and not finding.caused_by
              and finding.id not in (*LATE_FAULTS, *NOT_ABOUT_ACCURACY, *VALIDATION_BLIND)][:CANDIDATES]
    epochs = probe_epochs(run.config)
    return [(finding, {**finding.fix, "train.epochs": epochs, "train.verify_fixes": False,
                       "train.early_stopping": 0}) for finding in tested]


def verify_findings(run, make_probe: Callable[[ExperimentConfig], object]) -> list[Finding]:
    """The run's findings with their fixes tested; `make_probe(config)` builds an unstarted run sharing
    the run's control (so that stopping the run stops its probes)."""
    probed = {}
    for finding, overrides in probe_plan(run):
        if run.control.stop_requested:
            break
        try:
            config = apply_overrides(run.config, overrides)
        except ConfigError:
            continue  # a fix this run cannot take (it never happens for the rules' own fixes)
        probe = make_probe(config)
        probe.fit()
        if probe.status == "stopped":
            break
        probed[finding.id] = probe.history
    return judged_by_probes(run, probed)


def judged_by_probes(run, probed: dict) -> list[Finding]:
    """The run's findings judged by the histories of their fixes' probes (by finding id)."""
    if not probed:
        return run.findings
    epochs = probe_epochs(run.config)
    effects = {}
    for finding_id, history in probed.items():
        balanced = finding_id in JUDGED_BALANCED
        # a run that diverged by the probe's epoch learned nothing
        baseline = _zero_if_nan(_val_acc_at(run.history, epochs, balanced))
        effects[finding_id] = Effect(
            probe=_zero_if_nan(_val_acc_at(history, epochs, balanced)), baseline=baseline, tolerance=max(MAX_LOSS, signals.accuracy_noise(run.history, baseline)))
    return _ranked_by_effect(run.findings, effects, epochs)


@dataclasses.dataclass(frozen=True)
class Effect:
    """What a probe measured: validation accuracy with the fix after the probe's epochs, the run's own at the
    same epoch, and the loss within which a difference may be chance."""

    probe: float
    baseline: float
    tolerance: float = MAX_LOSS

    @property
    def gain(self) -> float:
        return self.probe - self.baseline


def _zero_if_nan(value: float) -> float:
    return 0.0 if math.isnan(value) else value


def _ranked_by_effect(findings: list[Finding], effects: dict[str, Effect], epochs: int) -> list[Finding]:
    """The findings with each tested fix judged: verified from VERIFIED_GAIN, refuted (never offered) when
    it lost more than its tolerance, else left as it was."""
    judged = []
    for finding in findings:
        effect = effects.get(finding.id)
        if effect is None:
            judged.append(finding)
        elif effect.gain >= VERIFIED_GAIN:
            judged.append(dataclasses.replace(finding, confidence="verified", verified={
                "fix": dict(finding.fix), "epochs": epochs, "val_acc": round(effect.probe, 4),
                "baseline_val_acc": round(effect.baseline, 4)}))
        elif effect.gain <= -effect.tolerance:  # the fix made things worse: never offered
            others = tuple(f.id for f in findings if f.id != finding.id and not f.caused_by)
            judged.append(dataclasses.replace(finding, fix={}, confidence="possible", candidates=others))
        else:
            judged.append(finding)
    # the measured effect of every verified fix: a probe's, or a rule's exact replay (overfitting's early stopping)
    gains = {finding.id: finding.verified["val_acc"] - finding.verified["baseline_val_acc"] for finding in judged
             if finding.confidence == "verified" and finding.verified}
    tolerances = {finding_id: effect.tolerance for finding_id, effect in effects.items()}
    verified = _by_measured_gain([f for f in judged if f.id in gains], gains, tolerances)
    return verified + [finding for finding in judged if finding.id not in gains]


def _by_measured_gain(verified: list[Finding], gains: dict[str, float],
                      tolerances: dict[str, float]) -> list[Finding]:
    """Verified findings, taken in the rules' order, each moved ahead of those whose gain its own exceeds by
    more than the noise of either: gains within the noise keep the rules' order, which puts causes before
    their consequences (diagnosis benchmark, tune split: a dropout fix and a class weighting lost first place
    to fixes 1.1-1.2 points better on 160 and 287 validation examples, where the noise is 5-8 points)."""
    ordered: list[Finding] = []
    for finding in verified:
        position = len(ordered)
        while position and gains[finding.id] > gains[ordered[position - 1].id] + max(
                tolerances.get(finding.id, MAX_LOSS), tolerances.get(ordered[position - 1].id, MAX_LOSS)):
            position -= 1
        ordered.insert(position, finding)
    return ordered
