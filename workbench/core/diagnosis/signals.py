"""Measurements the rules share: reference losses, fit quality, persistence, epochs of steps, fixes.

Everything here is numpy over the small history buffers, so the live rules stay well under a millisecond.
"""

from __future__ import annotations

import math

import numpy as np

from workbench.core import i18n
from workbench.core.data.attainable import attainable_accuracy
from workbench.core.experiment import registry
from workbench.core.experiment.config import ExperimentConfig
from workbench.core.history import RunHistory

# Loss-history rules wait for this share of the planned epochs before judging a trend
# (AUTOTRAINER ICSE'21 monitor.py starts its loss checks after 30% of the epochs).
HISTORY_WAIT_SHARE = 0.3
# ...and never judge a trend on fewer epochs than this (tuned here: two points make no trend).
MIN_HISTORY_EPOCHS = 3

# A rate this many times the typical one counts as high when composing a fix...
HIGH_LR_FACTOR = 3.0
# ...and this many times is evidence by itself when the run also went wrong (benchmark: the healthy bases
# draw rates up to 7.8x the typical one, the harmful high rates 20-5000x; Adam at 0.02, 20x, trains the
# tiny test networks well, so 30x).
FAR_TOO_HIGH_LR_FACTOR = 30.0
# ...and a rate this many times below the typical one is evidence by itself when the run stopped short of a
# fit (the mirror of the bound above: the benchmark's healthy bases draw rates down to a fifth of the typical
# one; diagnosis benchmark, seed 49: Adagrad at 1e-4, a hundredth of its usual 0.01, left circles at guessing
# after 25 epochs with steps of 1.4e-4 of the weights and a loss wandering 0.67-0.69, and had no finding).
FAR_TOO_LOW_LR_FACTOR = 30.0
# A run that ends with training and validation skill both at least this fits its data: findings about
# how it got there may still be worth a note, but none of them is a fault (tuned on the benchmark's tune
# split: healthy bases end at skill 0.93-1.0; harmful faults that still pass this are 3 of 372).
FITS_WELL_SKILL = 0.9
FIT_WINDOW = 3
FIT_NOISE = 0.1
# Learning has stalled when the last STALL_EPOCHS epochs improved the best training loss by less than
# this share (tuned here: healthy runs still gain 3-30% per few epochs until they fit).
STALL_IMPROVEMENT = 0.02
STALL_EPOCHS = 3
# A network this small cannot fit curved boundaries: a linear one, or a hidden layer this narrow.
NARROW_WIDTH = 4


# -- reference losses and fit quality ---------------------------------------------------------------

def class_priors(history: RunHistory) -> np.ndarray:
    """The class shares the model is trained toward: the training label counts' (uniform when unknown,
    or when the loss or the sampler balances the classes)."""
    if history.balanced_training:
        return np.full(history.n_classes, 1.0 / history.n_classes)
    counts = np.asarray(history.input_stats.label_counts if history.input_stats else [], dtype=float)
    if len(counts) != history.n_classes or counts.sum() <= 0:
        return np.full(history.n_classes, 1.0 / history.n_classes)
    return counts / counts.sum()


def expected_initial_loss(n_classes: int, loss: str) -> float:
    """The loss of uniform predictions, what a sane initialization gives at step 0 (Karpathy's recipe).

    Cross entropy: ln(C). MSE between softmax probabilities and one-hot targets, averaged over the C
    outputs: one output is off by 1 - 1/C, the other C - 1 by 1/C, so the mean is (1 - 1/C) / C.
    """
    if loss == "mse":
        return (1.0 - 1.0 / n_classes) / n_classes
    return math.log(n_classes)


def prior_loss(history: RunHistory, loss: str) -> float:
    """The loss of a model that learned only the class shares: anything worse learned nothing."""
    priors = class_priors(history)
    if loss == "mse":
        return float((1.0 - np.sum(priors**2)) / history.n_classes)
    nonzero = priors[priors > 0]
    return float(-np.sum(nonzero * np.log(nonzero)))


def training_examples(history: RunHistory, config: ExperimentConfig) -> int:
    """How many examples the model trains on (from the label counts; else steps per epoch x batch size)."""
    counts = history.input_stats.label_counts if history.input_stats else []
    return int(sum(counts)) or history.steps_per_epoch * config.train.batch_size


def step_zero_row(buffer) -> np.ndarray | None:
    """The hidden layers' values of a per-layer activation statistic at step 0 (the output column left out)."""
    rows = buffer.view()
    return rows[0, :-1] if len(rows) and rows.shape[1] > 1 else None


def accuracy_noise(history: RunHistory, accuracy: float) -> float:
    """Twice the standard error of a validation accuracy on this many examples: a change smaller than this
    may be chance alone (0 where the count was not recorded, as in runs made before it was)."""
    count = history.val_count
    return 2.0 * math.sqrt(accuracy * (1.0 - accuracy) / count) if count > 0 else 0.0


def difference_noise(history: RunHistory, first: float, second: float) -> float:
    """The sampling noise (twice the standard error) of the difference of two validation accuracies: each
    one's noise, added in quadrature. Near 1 an accuracy is far surer than one a few points lower, so the
    noise of a fall from 0.996 to 0.975 on 240 examples is 0.022, where twice the peak's alone gives 0.008."""
    return math.hypot(accuracy_noise(history, first), accuracy_noise(history, second))


def train_val_gap_noise(history: RunHistory, config: ExperimentConfig, train_acc: np.ndarray,
                        val_acc: np.ndarray) -> np.ndarray:
    """The sampling noise (twice the standard error) of training less validation accuracy, per epoch: each
    one's noise on its own count of examples, added in quadrature. On a few dozen training examples it is
    larger than any gap a fit rule asks for: 0.63 on 60 examples may be 0.50 on the next 60."""
    if not history.val_count:  # not recorded (runs made before it was)
        return np.zeros_like(train_acc)
    train_count = max(1, training_examples(history, config))
    return 2.0 * np.hypot(np.sqrt(train_acc * (1.0 - train_acc) / train_count),
                          np.sqrt(val_acc * (1.0 - val_acc) / history.val_count))


def chance_accuracy(history: RunHistory) -> float:
    """Accuracy of always answering the most common class."""
    return float(class_priors(history).max())


def skill(history: RunHistory, accuracy: float) -> float:
    """Accuracy rescaled so that guessing the most common class is 0 and perfection is 1, to 6 decimals:
    accuracies are recorded as float32, where 228/240 = 0.95 reads back as 0.9499999881 and its skill on
    two classes as 0.8999999762, just short of a 0.9 bound it meets (ten-seed silence benchmark: two runs
    at exactly 0.95 drew a dead-ReLU note)."""
    chance = chance_accuracy(history)
    return round((accuracy - chance) / max(1e-9, 1.0 - chance), 6)


def fit_skill(history: RunHistory, config: ExperimentConfig, accuracy: float) -> float:
    """skill, with the best accuracy the data allow as 1 rather than perfection (data.attainable: XOR whose
    jitter carries 6% of its points across a quadrant border allows 0.939). Whether a run fitted its data is
    judged on this scale: diagnosis benchmark, seeds 58-61, 7 of 88 healthy runs on XOR at noise 0.08 drew a
    warning (a batch of 1 "stopped short of a fit at 0.92", noisy labels that cost nothing at 0.91-0.93, a large
    init at 0.92-0.94), 8%, against 2 of the 720 healthy runs on circles, blobs and CSV."""
    chance = chance_accuracy(history)
    ceiling = attainable_accuracy(config.data.dataset, config.data.noise)
    if ceiling <= chance:
        return skill(history, accuracy)
    return round((accuracy - chance) / (ceiling - chance), 6)


# -- run state --------------------------------------------------------------------------------------

def fits_well(history: RunHistory, config: ExperimentConfig, needed: float = FITS_WELL_SKILL) -> bool:
    """Training and validation accuracy were both far from guessing (a fit_skill of `needed`) in one of the
    last FIT_WINDOW epochs and the last one is within FIT_NOISE of that: one noisy last epoch (0.97 -> 0.94 on
    the spiral) does not undo a fit, a collapse in it (0.998 -> 0.72) does."""
    if not history.epochs_run or not finite_epoch_rows(history):
        return False
    train, val = (history.epoch_column(name)[-FIT_WINDOW:] for name in ("train_acc", "val_acc"))
    skills = [min(fit_skill(history, config, float(t)), fit_skill(history, config, float(v)))
              for t, v in zip(train, val, strict=True)]
    return max(skills) >= needed and skills[-1] >= needed - FIT_NOISE


def validation_fits(history: RunHistory, config: ExperimentConfig) -> bool:
    """Validation accuracy ended far from guessing (a fit_skill of FITS_WELL_SKILL), whatever training accuracy
    did."""
    if not history.epochs_run or not finite_epoch_rows(history):
        return False
    return fit_skill(history, config, float(history.epoch_column("val_acc")[-1])) >= FITS_WELL_SKILL


def validation_held_its_best(history: RunHistory) -> bool:
    """The last validation accuracy is within the sampling noise of a difference of two accuracies
    (difference_noise) of the best one."""
    val = history.epoch_column("val_acc")
    if not len(val) or not np.isfinite(val).all():
        return False
    best, last = float(val.max()), float(val[-1])
    return best - last <= difference_noise(history, best, last)


def learning_stalled(history: RunHistory) -> bool:
    """The last STALL_EPOCHS epochs barely lowered the best training loss (or raised it)."""
    losses = history.epoch_column("train_loss")
    if len(losses) <= STALL_EPOCHS or not np.isfinite(losses).all():
        return False
    before = float(np.min(losses[:-STALL_EPOCHS]))
    return float(np.min(losses[-STALL_EPOCHS:])) > (1.0 - STALL_IMPROVEMENT) * before


def low_capacity(config: ExperimentConfig) -> bool:
    """A network that cannot bend its decision boundary much: linear, or a hidden layer NARROW_WIDTH wide."""
    widths = [*config.model.hidden, *(config.model.channels if config.model.kind == "cnn" else [])]
    return config.model.activation == "linear" or not widths or min(widths) <= NARROW_WIDTH


def normalization_fix(config: ExperimentConfig) -> str:
    """The normalization a fix adds: batch normalization, or layer normalization where batches hold one
    example, which batch normalization cannot normalize over (the experiment refuses that pair)."""
    return "batch" if config.train.batch_size >= 2 else "layer"


def diverged(history: RunHistory) -> bool:
    if history.status == "diverged":
        return True
    losses = history.step_loss.view()[:, 1]
    return bool(len(losses)) and not np.isfinite(losses).all()


def first_nonfinite_step(history: RunHistory) -> tuple[int, float] | None:
    """(step, loss) of the first training step whose loss was not finite, or None."""
    losses = history.step_loss.view()
    bad = ~np.isfinite(losses[:, 1]) if len(losses) else np.zeros(0, dtype=bool)
    if not bad.any():
        return None
    row = int(np.argmax(bad))
    return int(losses[row, 0]), float(losses[row, 1])


def history_ready(history: RunHistory, config: ExperimentConfig) -> bool:
    """Enough epochs for loss-history rules: 30% of the plan, or a run that early stopping ended."""
    planned = config.train.epochs
    run = history.epochs_run
    needed = min(planned, max(MIN_HISTORY_EPOCHS, math.ceil(HISTORY_WAIT_SHARE * planned)))
    return run >= needed or (history.status == "early_stopped" and run >= MIN_HISTORY_EPOCHS)


def wait_epoch(config: ExperimentConfig) -> int:
    """The epoch from which loss-history evidence counts (reported as when a stall was established)."""
    planned = config.train.epochs
    return min(planned, max(MIN_HISTORY_EPOCHS, math.ceil(HISTORY_WAIT_SHARE * planned)))


def finite_epoch_rows(history: RunHistory) -> bool:
    """True when every recorded epoch has finite losses (diverged runs are judged by divergence)."""
    rows = history.epochs.view()
    return bool(len(rows)) and bool(np.isfinite(rows[:, 2:6]).all())


def epoch_of_step(history: RunHistory, step: float) -> int:
    """1-based epoch a step belongs to; step 0 (before training) is epoch 0."""
    if step <= 0:
        return 0
    return int(math.ceil(step / max(1, history.steps_per_epoch)))


def activation_epoch(history: RunHistory, row: int) -> int:
    """Epoch of an activation-statistics row (row 0 is step 0, then one row per epoch end)."""
    return epoch_of_step(history, float(history.activation_steps.view()[row, 0]))


def probe_epoch(history: RunHistory, row: int) -> int:
    return epoch_of_step(history, float(history.probe_steps.view()[row, 0]))


# -- persistence ------------------------------------------------------------------------------------

def first_run(flags: np.ndarray, length: int) -> int | None:
    """Index where the first stretch of `length` consecutive True values starts, or None."""
    flags = np.asarray(flags, dtype=bool)
    if length <= 0 or len(flags) < length:
        return None
    counts = np.convolve(flags.astype(np.int32), np.ones(length, dtype=np.int32), mode="valid")
    hits = np.flatnonzero(counts == length)
    return int(hits[0]) if len(hits) else None


def trailing_run_start(flags: np.ndarray) -> int | None:
    """Index where the stretch of True values that reaches the last element starts, or None."""
    flags = np.asarray(flags, dtype=bool)
    if not len(flags) or not flags[-1]:
        return None
    false = np.flatnonzero(~flags)
    return int(false[-1]) + 1 if len(false) else 0


# -- layers -----------------------------------------------------------------------------------------

def layer_label(history: RunHistory, index: int) -> str:
    return i18n.layer_name(history.layers[index].name)


# -- fixes ------------------------------------------------------------------------------------------

def nice(value: float) -> float:
    """A number rounded to two significant digits, as a person would type it into a file."""
    return float(f"{value:.2g}")


def scaled_lr(config: ExperimentConfig, factor: float) -> float:
    """The current learning rate times `factor`, rounded, within the file's allowed range (0, 1000]."""
    return min(1000.0, max(1e-8, nice(config.train.lr * factor)))


def calmer_lr(config: ExperimentConfig) -> float:
    """The rate a fix for steps too large offers: a tenth of the current one, but never above HIGH_LR_FACTOR
    times the optimizer's typical rate (fix benchmark: RMSprop at 3, 3000x its usual 0.001, did worse at a
    tenth, 0.3, than where it was; a rate far above the usual one goes most of the way back to it)."""
    typical = registry.OPTIMIZER_TABLE[config.train.optimizer].typical_lr
    return min(scaled_lr(config, 0.1), nice(HIGH_LR_FACTOR * typical))


def lr_is_high(config: ExperimentConfig, factor: float = HIGH_LR_FACTOR) -> bool:
    """The rate is `factor` times the optimizer's typical one or more."""
    typical = registry.OPTIMIZER_TABLE[config.train.optimizer].typical_lr
    return config.train.lr >= factor * typical


def lr_is_far_too_low(config: ExperimentConfig) -> bool:
    """The rate is FAR_TOO_LOW_LR_FACTOR times below the optimizer's typical one or more."""
    typical = registry.OPTIMIZER_TABLE[config.train.optimizer].typical_lr
    return config.train.lr * FAR_TOO_LOW_LR_FACTOR <= typical

