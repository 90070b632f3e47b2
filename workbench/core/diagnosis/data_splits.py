"""Rules that compare the splits with each other: a test set unlike what training covered, and training
data or labels unlike the validation data."""

from __future__ import annotations

import math

import numpy as np

from workbench.core import i18n
from workbench.core.diagnosis import signals
from workbench.core.diagnosis.finding import Finding
from workbench.core.experiment.config import ExperimentConfig
from workbench.core.experiment.values import format_value
from workbench.core.history import RunHistory
from workbench.core.i18n import _

# "Validation is fine": its skill (0 = guessing the most common class, 1 = perfect) at least this, the
# level from which the other rules count a model as having learned (label_noise.LABEL_NOISE_MIN_SKILL).
SPLIT_LEARNED_SKILL = 0.5
# "The test set is much worse": test accuracy at least this far below validation accuracy, measured on
# the same weights, and the test error at least this many times the validation error. Validation and
# test drawn from one distribution differ only by sampling noise: on the few hundred examples of the
# bundled sets that is a few points (healthy presets: within 0.03), so ten points and a doubled error
# rate are far outside it.
SHIFT_ACC_GAP = 0.10
SHIFT_ERROR_RATIO = 2.0
# ...and, where the run recorded the sizes of both sets, a gap this many standard errors wide: two sets of
# 40 and 50 points drawn from one distribution differ by 12 points one time in twenty (tiny toy runs), by
# three standard errors about one time in a thousand.
SHIFT_STANDARD_ERRORS = 3.0
# "The training loss is flat": its best epoch stayed within this share of where it started (the loss of
# guessing the class shares, or the step-0 loss if lower), while validation learned (SPLIT_LEARNED_SKILL).
# A training set that teaches what validation tests lowers its loss far more: healthy runs end below a
# third of the start; even 40% of the labels replaced at random on ten classes allows a fall of a third.
FLAT_TRAIN_FALL = 0.10
# ...and the validation loss, in the same units, fell at least this share of that start and at least
# VAL_FALL_CONTRAST times as much as the training loss: the model learned what validation tests (a huge loss
# from a few confidently wrong examples, as after a std-1 init, keeps both losses high). A calibrated model
# on two classes with 40% of the training labels flipped can lower its validation loss by 26% at most.
VAL_LOSS_FALL = 0.15
VAL_FALL_CONTRAST = 2.0
# ...and its accuracy on its own training labels never came within this of validation's best: a model that
# fits its training labels as well (accuracy on a few hundred examples varies by a few points) has a flat
# loss only because a few examples are confidently wrong (a learning rate of 10 on the moons).
TRAIN_ACC_LAG = 0.05


def _tested_row(history: RunHistory, config: ExperimentConfig) -> int:
    """The epoch row whose weights the final (test) evaluation used: early stopping puts the best
    validation epoch's weights back at the end of a run that finished well."""
    best = history.best_epoch()
    if config.train.early_stopping and best is not None and history.status in ("completed", "early_stopped"):
        return best - 1
    return history.epochs_run - 1


def _sampling_error(val_acc: float, val_count: int, test_acc: float, test_count: int) -> float:
    """The standard error of the difference of two accuracies measured on sets drawn from one distribution
    (the pooled two-proportion test), or 0 when the run did not record how large the sets are."""
    if val_count <= 0 or test_count <= 0:
        return 0.0
    pooled = (val_acc * val_count + test_acc * test_count) / (val_count + test_count)
    return math.sqrt(pooled * (1.0 - pooled) * (1.0 / val_count + 1.0 / test_count))


def distribution_shift(history: RunHistory, config: ExperimentConfig) -> Finding | None:
    if not math.isfinite(history.test_acc) or history.status not in ("completed", "early_stopped"):
        return None
    if not signals.finite_epoch_rows(history):
        return None
    row = _tested_row(history, config)
    val_acc, val_loss = (float(history.epoch_column(name)[row]) for name in ("val_acc", "val_loss"))
    test_acc = float(history.test_acc)
    if signals.skill(history, val_acc) < SPLIT_LEARNED_SKILL:
        return None  # validation is poor too: the other findings explain that first
    gap = val_acc - test_acc
    if gap < SHIFT_ACC_GAP or (1.0 - test_acc) < SHIFT_ERROR_RATIO * (1.0 - val_acc):
        return None
    if gap < SHIFT_STANDARD_ERRORS * _sampling_error(val_acc, history.val_count, test_acc, history.test_count):
        return None  # two small sets drawn alike can differ this much by chance
    evidence = _("validation accuracy {val_accuracy} (loss {val_loss}) but test accuracy {test_accuracy} (loss "
                 "{test_loss}) with the same weights: the test set has {ratio}x the validation error rate").format(
        val_accuracy=i18n.number(val_acc), val_loss=i18n.number(val_loss), test_accuracy=i18n.number(test_acc),
        test_loss=i18n.number(float(history.test_loss)), ratio=i18n.number((1.0 - test_acc) / max(1e-9, 1.0 - val_acc)))
    fix: dict = {}
    if config.data.test_shift:  # the toggle is named; the fix is the one that works on real data
        evidence = _("{evidence} (this experiment transforms the test set only: {names} at strength {strength})").format(
            evidence=evidence, names=", ".join(config.data.test_shift),
            strength=i18n.number(config.data.test_shift_strength))
        fix["data.augment"] = sorted(set(config.data.augment) | set(config.data.test_shift))
    why = _("Validation data is drawn from the same pool as the training data, so it only tests what training "
            "covered. The test data differs from it (another scene, noise, rotation, mirror image or distance), "
            "and the model never learned to handle that. Train with the same transformations as augmentation, "
            "or collect training data that looks like the test data.")
    return Finding("distribution_shift", "warning", _("The test data differs from what training covered"),
                   evidence, why, fix, history.epochs_run)


def train_val_mismatch(history: RunHistory, config: ExperimentConfig) -> Finding | None:
    if not (signals.history_ready(history, config) and signals.finite_epoch_rows(history)):
        return None
    reference = signals.prior_loss(history, config.train.loss)
    if math.isfinite(history.initial_loss):
        reference = min(reference, history.initial_loss)
    if reference <= 0:
        return None
    train_loss = history.epoch_column("train_loss")
    best_train = float(np.min(train_loss))
    fall = 1.0 - best_train / reference
    val_acc = history.epoch_column("val_acc")
    best_val = int(np.argmax(val_acc))
    if fall >= FLAT_TRAIN_FALL or signals.skill(history, float(val_acc[best_val])) < SPLIT_LEARNED_SKILL:
        return None
    if float(np.max(history.epoch_column("train_acc"))) > float(val_acc[best_val]) - TRAIN_ACC_LAG:
        return None  # it fits its own training labels as well: a few confidently wrong examples keep the loss up
    val_loss = history.epoch_column("val_loss")
    val_fall = 1.0 - float(np.min(val_loss)) / reference
    if val_fall < max(VAL_LOSS_FALL, VAL_FALL_CONTRAST * fall):
        return None
    evidence = _("the training loss fell {fall} (best {best}, from {reference}) while validation accuracy rose to "
                 "{val_accuracy} and the validation loss fell to {val_loss} (epoch {epoch})").format(
        fall=i18n.percent(max(0.0, fall)), best=i18n.number(best_train), reference=i18n.number(reference),
        val_accuracy=i18n.number(float(val_acc[best_val])), val_loss=i18n.number(float(np.min(val_loss))),
        epoch=int(history.epoch_column("epoch")[best_val]))
    injected = {}
    if config.data.label_noise > 0:
        injected["data.label_noise"] = 0.0
    if config.data.augment:
        injected["data.augment"] = []
    if injected:  # the toggles that make this experiment's training data differ from its validation data
        evidence = _("{evidence} (this experiment changes the training data only: {settings})").format(
            evidence=evidence, settings=", ".join(key + " = " + format_value(config.flat()[key]) for key in injected))
    why = _("The model learns something that holds on the validation data, yet the loss on its own training "
            "data does not fall: the training examples or their labels say something else than the validation "
            "data (wrong or shuffled labels, a different preprocessing, transformations applied to training "
            "only). Compare a few training and validation examples with their labels, and feed both through "
            "the same pipeline.")
    return Finding("train_val_mismatch", "warning", _("Validation improves while the training loss stays flat"),
                   evidence, why, injected, signals.wait_epoch(config))
