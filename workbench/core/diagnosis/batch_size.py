"""Batch size rules: batches too small, whose gradient noise dominates the updates (small_batch_noise), and
batches too large, so few updates per epoch that the epochs run out before the loss gets low (large_batch)."""

from __future__ import annotations

import math

import numpy as np

from workbench.core import i18n
from workbench.core.diagnosis import signals
from workbench.core.diagnosis.finding import Finding
from workbench.core.diagnosis.generalization import UNDERFIT_GAP
from workbench.core.diagnosis.learning_rate import STEADY_FALL_SHARE, UPDATE_RATIO_HEALTHY
from workbench.core.experiment.config import ExperimentConfig
from workbench.core.history import RunHistory
from workbench.core.i18n import _, ngettext

# "Few updates per epoch": a batch of a quarter of the training set or more. Each update moves the weights
# about as far whatever the batch (the gradient's mean does not grow with the batch), so a smaller batch
# makes the same progress per update and many more updates per epoch: what limits such a run is the count.
FEW_STEPS_PER_EPOCH = 4
# The batch the fix proposes gives an epoch at least this many updates, and is a power of two no larger
# than the usual 64 (at least 1).
FIX_STEPS_PER_EPOCH = 16
FIX_MAX_BATCH = 64

# Small batches: batch sizes up to this are "small" (issue 7 brief).
SMALL_BATCH = 4
# Step-loss noise: std of (loss - moving mean) / mean of the moving mean over the second half of the
# steps (tuned here: batch 64 gives 0.1-0.3; batch 1-2 gives 0.45-2).
STEP_NOISE = 0.4
NOISE_WINDOW_STEPS = 25
# Noisy validation: accuracy swinging >= 0.03 in >= 20% of the epochs of the second half (AUTOTRAINER
# ICSE'21 oscillation; the first half is left out so that learning progress is no swing).
VAL_SWING = 0.03
VAL_SWING_SHARE = 0.2
# ...or noise that stopped learning altogether: a model that does not fit and stopped improving, or never
# got halfway from guessing to perfect (skill), has nothing left to swing (tune split: batches of 1-2 at
# rates that train batches of 16-64, or under batch norm, stayed at chance, read as a plateau, vanishing
# gradients or underfitting).
STUCK_SKILL = 0.5
# ...and under batch normalization, any run short of a fit: each step normalizes every unit by the mean and spread
# of its 2-4 examples (with 2, every unit becomes -1 or +1), while evaluation uses running averages, so the network
# that is trained is not the one that is evaluated (Wu and He, Group Normalization, 2018: batch normalization's
# error grows fast as the batch shrinks). Diagnosis benchmark, seeds 17, 58 and 59: of 13 runs at batches of 2 under
# batch normalization, the one that fit was healthy; the 12 short of a fit hold 8 failures that lost 17-53 points, all
# found but one (its training accuracy at a skill of 0.56, just over STUCK_SKILL), one harm in doubt (3 points) and
# three with no sensible base.
BATCH_SIZE_FIX = 16  # 4x less gradient noise than batch 1, still many steps per epoch


def _largest_update_ratio(history: RunHistory) -> float:
    ratios = history.update_ratio.view()
    ratios = ratios[np.isfinite(ratios).all(axis=1)] if len(ratios) else ratios
    return float(np.median(ratios.max(axis=1))) if len(ratios) else math.nan


def _fix_batch(examples: int) -> int:
    wanted = max(1, min(FIX_MAX_BATCH, examples // FIX_STEPS_PER_EPOCH))
    return 2 ** int(math.log2(wanted))


def large_batch(history: RunHistory, config: ExperimentConfig) -> Finding | None:
    per_epoch = history.steps_per_epoch
    if per_epoch > FEW_STEPS_PER_EPOCH or history.status != "completed":
        return None  # many updates, or a run that ended early: the number of updates did not limit it
    if not (signals.history_ready(history, config) and signals.finite_epoch_rows(history)):
        return None
    train_acc, val_acc = (float(history.epoch_column(name)[-1]) for name in ("train_acc", "val_acc"))
    if signals.fit_skill(history, config, train_acc) >= signals.FITS_WELL_SKILL or signals.low_capacity(config):
        return None  # it fits its training data, or cannot: more updates would not change that
    if train_acc - val_acc >= UNDERFIT_GAP:
        return None  # validation lags what it fitted: more data, not more updates, is what it lacks
    train_loss = history.epoch_column("train_loss")
    last_half = np.diff(train_loss[len(train_loss) // 2 :])
    if not len(last_half) or (last_half < 0).mean() < STEADY_FALL_SHARE:
        return None  # not falling steadily to the end: something else than the update count stops it
    start = history.initial_loss if math.isfinite(history.initial_loss) else float(train_loss[0])
    examples = signals.training_examples(history, config)
    batch = _fix_batch(examples)
    if batch >= config.train.batch_size:
        return None
    clauses = [ngettext("batches of {batch_size} of the {examples} training examples make {steps} update per "
                        "epoch, {total} in all",
                        "batches of {batch_size} of the {examples} training examples make {steps} updates per "
                        "epoch, {total} in all", per_epoch).format(
        batch_size=config.train.batch_size, examples=examples, steps=per_epoch, total=history.steps),
               _("the training loss fell {fall} per epoch on average, from {start} to {loss}, and is still "
                 "falling").format(fall=i18n.number((start - float(train_loss[-1])) / history.epochs_run),
                                   start=i18n.number(start), loss=i18n.number(float(train_loss[-1])))]
    ratio = _largest_update_ratio(history)
    if math.isfinite(ratio):
        clauses.append(_("each update changed the weights by {ratio} of their size (healthy: about {healthy})").format(
            ratio=i18n.number(ratio), healthy=i18n.number(UPDATE_RATIO_HEALTHY)))
    clauses.append(_("batches of {batch} would make {steps} updates per epoch").format(
        batch=batch, steps=math.ceil(examples / batch)))
    why = _("The gradient of a large batch is an average: a bigger batch makes it less noisy but not larger, "
            "so each update moves the weights about as far as a smaller batch's would, and an epoch makes "
            "only a few of them. Early on, when every update helps, the loss falls far slower per epoch than "
            "it would at a smaller batch. Use a smaller batch, or scale the learning rate up with the batch "
            "(and warm it up).")
    return Finding("large_batch", "warning", _("Batches too large: too few updates per epoch"),
                   i18n.join_clauses(clauses), why, {"train.batch_size": batch}, signals.wait_epoch(config))


def _step_noise(history: RunHistory) -> float:
    losses = history.step_loss.view()[:, 1]
    recent = losses[len(losses) // 2 :]
    window = min(NOISE_WINDOW_STEPS, len(recent))
    if window < 5 or not np.isfinite(recent).all():
        return math.nan
    moving = np.convolve(recent, np.ones(window) / window, mode="valid")
    aligned = recent[window // 2 : window // 2 + len(moving)]
    scale = float(np.mean(moving))
    return float(np.std(aligned - moving)) / scale if scale > 0 else math.nan


def small_batch_noise(history: RunHistory, config: ExperimentConfig) -> Finding | None:
    if config.train.batch_size > SMALL_BATCH:
        return None
    if not (signals.history_ready(history, config) and signals.finite_epoch_rows(history)):
        return None
    noise = _step_noise(history)
    val_acc = history.epoch_column("val_acc")
    half = len(val_acc) // 2
    swings = np.abs(np.diff(val_acc[half:])) >= VAL_SWING
    if not noise >= STEP_NOISE or not len(swings) or swings.mean() < VAL_SWING_SHARE:
        return _noise_stopped_learning(history, config) or _noisy_short_of_a_fit(history, config, noise)
    evidence = ngettext("batch size {batch_size}: the step loss scatters by {noise} of its running mean, and "
                        "validation accuracy swung by {swing} or more in {swings} of the last {epochs} epoch",
                        "batch size {batch_size}: the step loss scatters by {noise} of its running mean, and "
                        "validation accuracy swung by {swing} or more in {swings} of the last {epochs} epochs",
                        len(swings)).format(
        batch_size=config.train.batch_size, noise=i18n.percent(noise), swing=i18n.number(VAL_SWING),
        swings=int(swings.sum()), epochs=len(swings))
    return Finding("small_batch_noise", "warning", _("Batches too small: gradient noise dominates"), evidence,
                   _small_batch_why(config), {"train.batch_size": BATCH_SIZE_FIX}, half + int(np.argmax(swings)) + 2)


def _small_batch_why(config: ExperimentConfig) -> str:
    why = _("The gradient of a tiny batch is a noisy estimate of the true gradient: steps point in "
            "random directions as much as downhill, so the loss and the validation accuracy jitter "
            "and the model never settles. Larger batches average the noise away (a lower learning rate "
            "also damps it).")
    if config.model.normalization != "batch":
        return why
    return _("{why} Under batch normalization a tiny batch does more harm: while training, every layer is "
             "normalized by the mean and spread of the few examples in its batch, and when evaluated by running "
             "averages, so the network trained is not the one evaluated. Batches of 16 or more, or layer "
             "normalization, avoid it.").format(why=why)


def _noisy_short_of_a_fit(history: RunHistory, config: ExperimentConfig, noise: float) -> Finding | None:
    """A note: noisy steps in a run that ended short of a fit, still learning, its validation accuracy
    steady. The evidence cannot tell whether the noise held it back, so it is left to the fix's probe, which
    makes the note a warning where a larger batch ends better (diagnosis benchmark, seed 12's tune split:
    batches of 2 on the digits stopped at 0.84 where batches of 32 reach 0.96, with no finding)."""
    if not noise >= STEP_NOISE or signals.fits_well(history, config):
        return None
    evidence = _("batch size {batch_size}: the step loss scatters by {noise} of its running mean, and the run ended "
                 "short of a fit at training accuracy {accuracy}").format(
        batch_size=config.train.batch_size, noise=i18n.percent(noise),
        accuracy=i18n.number(float(history.epoch_column("train_acc")[-1])))
    return Finding("small_batch_noise", "info", _("Batches too small: gradient noise dominates"), evidence,
                   _small_batch_why(config), {"train.batch_size": BATCH_SIZE_FIX}, history.epochs_run)


def _noise_stopped_learning(history: RunHistory, config: ExperimentConfig) -> Finding | None:
    """A model stuck far from a fit at batch size 1-4 (its per-example losses then hardly scatter: a model
    that learned nothing is equally unsure of every example, so the step noise is no signal any more)."""
    train_acc = float(history.epoch_column("train_acc")[-1])
    batch_normalized = config.model.normalization == "batch"
    stuck = signals.learning_stalled(history) or signals.skill(history, train_acc) < STUCK_SKILL or batch_normalized
    if signals.fits_well(history, config) or not stuck:
        return None
    evidence = _("batch size {batch_size}: the model stopped short of a fit at training accuracy {accuracy}"
                 ).format(batch_size=config.train.batch_size, accuracy=i18n.number(train_acc))
    if batch_normalized:
        evidence = i18n.join_clauses([evidence, ngettext(
            "batch normalization estimated each unit's mean and spread from {batch_size} example per step",
            "batch normalization estimated each unit's mean and spread from {batch_size} examples per step",
            config.train.batch_size).format(batch_size=config.train.batch_size)])
    return Finding("small_batch_noise", "warning", _("Batches too small: gradient noise dominates"), evidence,
                   _small_batch_why(config), {"train.batch_size": BATCH_SIZE_FIX}, history.epochs_run)
