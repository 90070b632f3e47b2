"""Batches too large: so few updates per epoch that the epochs run out before the loss gets low."""

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
    if signals.skill(history, train_acc) >= signals.FITS_WELL_SKILL or signals.low_capacity(config):
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
