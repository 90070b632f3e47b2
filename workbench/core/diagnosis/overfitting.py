"""Overfitting: validation lagging ever further behind training or getting worse, and the exact replay of early
stopping that tells whether stopping would have helped (label_noise.py offers it on the same evidence)."""

from __future__ import annotations

import math

import numpy as np

from workbench.core import i18n
from workbench.core.diagnosis import signals
from workbench.core.diagnosis.finding import VERIFIED_GAIN, Finding
from workbench.core.diagnosis.generalization import EARLY_STOPPING_FIX, UNDERFIT_SKILL, judgeable
from workbench.core.diagnosis.regularization import SMALL_TRAINING_SET, regularized
from workbench.core.experiment.config import ExperimentConfig
from workbench.core.history import RunHistory
from workbench.core.i18n import _, ngettext

# Overfitting: validation loss this far above its minimum (over the last OVERFIT_CONFIRM_EPOCHS epochs)
# while the training loss kept falling (UMLAUT CHI'21: validation loss rising while training loss
# falls). Tuned here: validation-loss noise on a few hundred examples reaches ~5%.
OVERFIT_RISE_INFO = 0.10
OVERFIT_RISE_WARNING = 0.25
OVERFIT_CONFIRM_EPOCHS = 2  # epochs after the minimum before a rise counts
# Both losses are averaged over this many epochs first: one lucky validation epoch is no minimum
# (tuned here: overconfident models swing their validation loss by 10x from epoch to epoch).
OVERFIT_SMOOTH_EPOCHS = 3
OVERFIT_GAP_WARNING = 0.10  # train minus validation accuracy that makes it a warning
# A model this close on training and validation data, whose validation accuracy did not fall this much
# from its peak, is not overfitting in any way to act on, whatever its validation loss does (benchmark,
# tune split: 15 healthy runs at 96-100% validation accuracy were warned about their rising loss).
OVERFIT_MIN_GAP = 0.05
OVERFIT_MIN_DROP = 0.02
# Memorized: the training set is fitted (skill at least this) far better than new data, rising
# validation loss or not (tune split: small training sets on wide networks end at 1.0 vs 0.6-0.85).
OVERFIT_MEMORIZED_GAP = 0.15
OVERFIT_MEMORIZED_SKILL = 0.95
# A gap this size is enough (OVERFIT_MIN_GAP, not OVERFIT_GAP_WARNING) on a training set smaller than
# SMALL_TRAINING_SET with no regularizer: there, a wide network fits what it was shown and little else
# (benchmark, tune split: of 29 such runs, the unharmed ended 0-4 points apart, three harmed ones 8-11
# points apart with no other sign of overfitting).
# ...and the model must do better on training than on validation data: validation loss at least this
# much above training loss at the end (tuned here: noise alone, e.g. batch size 1, keeps them level).
OVERFIT_LOSS_GAP = 0.10
# ...and training loss must have fallen this share since validation's minimum: validation loss rising while
# training loss stands still is a bouncing run's noise, not memorization (ten-seed silence benchmark: the
# clipped RNN at lr 0.15 with momentum, validation loss +28% while training loss fell 0%).
OVERFIT_MIN_TRAIN_FALL = 0.10
# Early stopping is offered for overfitting only where this run, replayed, shows it would have helped: the
# same seeds and data order retrace the run up to where early stopping would have ended it, so the epoch
# whose weights it would have handed back, and their validation accuracy, are known exactly. It must add
# this much (fix benchmark, tune split: on 30-120 training examples the lowest validation loss often came
# before the best accuracy, and the early-stopping fix cost up to 21 points in 8 of 19 runs; weight decay
# or dropout instead helped 0-1 of them and harmed up to 8).
EARLY_STOPPING_MIN_GAIN = 0.01


def early_stopping_replay(history: RunHistory, patience: int) -> tuple[int, int]:
    """(the epoch row at which early stopping with `patience` would have stopped this run, the row whose
    weights it would have restored): as training.steps.BestWeights keeps them, lowest finite validation
    loss, stopping `patience` epochs after it. The run itself to that point is what the option would have
    trained, so this is an exact counterfactual, not an estimate."""
    best_loss, best, stop = math.inf, 0, history.epochs_run - 1
    for row, loss in enumerate(history.epoch_column("val_loss")):
        if math.isfinite(loss) and loss < best_loss:
            best_loss, best = float(loss), row
        elif row - best >= patience:
            stop = row
            break
    return stop, best


def _trailing_mean(values: np.ndarray, window: int) -> np.ndarray:
    """Mean of each value and the window - 1 before it (fewer at the start)."""
    sums = np.cumsum(np.insert(values, 0, 0.0))
    counts = np.minimum(np.arange(1, len(values) + 1), window)
    ends = np.arange(1, len(values) + 1)
    return (sums[ends] - sums[ends - counts]) / counts


def _starved(history: RunHistory, config: ExperimentConfig) -> bool:
    """Validation ended short of a fit of its data, behind training accuracy on average over the last epochs:
    on a training set this small (a few dozen examples) that is what a network that saw too little does,
    though the gap of any one epoch is within the noise of so few examples and flips sign from one to the next.
    Diagnosis benchmark, seeds 58-64: 10 failures of 30-60 examples under networks 256-512 wide, 4-22 points
    below the same run on its full training set, had no finding at all; their gaps over the last three epochs
    averaged 2-12 points."""
    train_acc = history.epoch_column("train_acc")[-OVERFIT_SMOOTH_EPOCHS:]
    gaps = train_acc - history.epoch_column("val_acc")[-OVERFIT_SMOOTH_EPOCHS:]
    learned = signals.fit_skill(history, config, float(np.mean(train_acc))) >= UNDERFIT_SKILL  # not a run at guessing
    return learned and float(np.mean(gaps)) > 0 and not signals.validation_fits(history, config)


def overfitting(history: RunHistory, config: ExperimentConfig) -> Finding | None:
    if config.train.early_stopping or not judgeable(history, config):
        return None  # early stopping restores the best-validation weights: the user gets the minimum
    epochs = history.epoch_column("epoch")
    train_acc, val_acc = history.epoch_column("train_acc"), history.epoch_column("val_acc")
    gap = float(train_acc[-1] - val_acc[-1])
    # how far validation fell from its peak, both over FIT_WINDOW epochs (one noisy epoch is no peak and no
    # fall); a fall within the sampling noise of a difference of two accuracies is none either
    smoothed = _trailing_mean(val_acc, signals.FIT_WINDOW)
    peak = float(np.max(smoothed))
    val_drop = peak - float(smoothed[-1])
    min_drop = max(OVERFIT_MIN_DROP, signals.difference_noise(history, peak, float(smoothed[-1])))
    examples = signals.training_examples(history, config)
    few = examples < SMALL_TRAINING_SET and not regularized(config)
    starved = few and _starved(history, config)
    if gap < OVERFIT_MIN_GAP and val_drop < min_drop and not starved:
        return None  # as good on new data as on its own, and not getting worse: nothing to act on
    val_loss = _trailing_mean(history.epoch_column("val_loss"), OVERFIT_SMOOTH_EPOCHS)
    train_loss = _trailing_mean(history.epoch_column("train_loss"), OVERFIT_SMOOTH_EPOCHS)
    best = int(np.argmin(val_loss))
    rise = float(val_loss[-1] / val_loss[best]) - 1.0 if val_loss[best] > 0 else 0.0
    train_fall = 1.0 - float(train_loss[-1] / train_loss[best]) if train_loss[best] > 0 else 0.0
    rising = (best <= len(val_loss) - 1 - OVERFIT_CONFIRM_EPOCHS and rise >= OVERFIT_RISE_INFO
              and train_fall >= OVERFIT_MIN_TRAIN_FALL
              and val_loss[-1] >= (1 + OVERFIT_LOSS_GAP) * train_loss[-1])
    memorized = gap >= OVERFIT_MEMORIZED_GAP and signals.skill(history, float(train_acc[-1])) >= OVERFIT_MEMORIZED_SKILL
    # the model fits its training examples clearly better than new ones, in accuracy and in loss, over
    # the last epochs (not one noisy epoch), though validation loss did not turn up: a note
    gapped = bool(np.min((train_acc - val_acc)[-OVERFIT_SMOOTH_EPOCHS:]) >= (OVERFIT_MIN_GAP if few else OVERFIT_GAP_WARNING)
                  and val_loss[-1] >= (1 + OVERFIT_LOSS_GAP) * train_loss[-1])
    if not (rising or memorized or gapped or starved):
        return None
    stop, kept = early_stopping_replay(history, EARLY_STOPPING_FIX)
    stopped_val = float(val_acc[kept])
    gain = stopped_val - float(val_acc[-1])
    # validation accuracy fell by more than the noise: from its smoothed peak, or from the epoch whose weights
    # early stopping would have kept (two single epochs)
    fell = val_drop >= min_drop or gain >= max(OVERFIT_MIN_DROP, signals.difference_noise(
        history, stopped_val, float(val_acc[-1])))
    serious = gap >= OVERFIT_GAP_WARNING or fell
    if regularized(config) and not (serious or memorized or gapped) and gain < EARLY_STOPPING_MIN_GAIN:
        # a strong regularizer is already at work; only the validation loss rose (growing confidence) while
        # its accuracy held, the gap stayed small and stopping at the loss minimum would have gained
        # nothing: nothing is left to act on (ten-seed silence benchmark: the L2 cure of the overfitting
        # preset, 60 examples, a 5.5-point gap at one seed)
        return None
    # memorizing costs nothing to act on where validation accuracy held its peak and the set is not small;
    # what stopping early would have kept, less the end, is a fall of validation accuracy like val_drop
    costly = few or fell
    severity = "warning" if (memorized and costly) or (rising and serious and rise >= OVERFIT_RISE_WARNING) else "info"
    if rising:
        first_rise = best + int(np.argmax(val_loss[best:] >= (1 + OVERFIT_RISE_INFO) * val_loss[best]))
        lowest = int(np.argmin(history.epoch_column("val_loss")[: best + 1]))
        evidence = _("validation loss ({window}-epoch mean) rose {rise} from its minimum at epoch {epoch} while "
                     "training loss fell {fall}; training accuracy {train_accuracy} vs validation {val_accuracy}"
                     ).format(window=OVERFIT_SMOOTH_EPOCHS, rise=i18n.percent(rise), epoch=int(epochs[lowest]),
                              fall=i18n.percent(train_fall), train_accuracy=i18n.number(float(train_acc[-1])),
                              val_accuracy=i18n.number(float(val_acc[-1])))
        epoch = int(epochs[first_rise])
    else:
        template = (_("training accuracy {train_accuracy} against validation {val_accuracy}: the model fits its "
                      "training examples far better than new ones") if memorized or gapped else
                    _("training accuracy {train_accuracy} against validation {val_accuracy}, ahead of it over the "
                      "last epochs while validation stays short of a fit of these data"))
        evidence = template.format(train_accuracy=i18n.number(float(train_acc[-1])),
                                   val_accuracy=i18n.number(float(val_acc[-1])))
        if few:
            evidence = i18n.join_clauses([evidence, ngettext(
                "it learns from only {count} training example, with nothing to hold it back",
                "it learns from only {count} training examples, with nothing to hold it back",
                examples).format(count=examples)])
        epoch = int(epochs[-1])
    why = _("The model keeps fitting details of the training examples (noise included) that do not hold "
            "for new data, so training gets better while validation lags behind and, trained on, gets worse. "
            "Stop at the best validation epoch (early stopping), penalize large weights (L2/L1), add dropout or "
            "augmentation, or use more data.")
    fix, confidence, tested = {}, "likely", None
    if gain >= EARLY_STOPPING_MIN_GAIN:
        fix = {"train.early_stopping": EARLY_STOPPING_FIX}
        if gain >= VERIFIED_GAIN:
            confidence = "verified"
            tested = {"fix": dict(fix), "epochs": int(epochs[stop]), "val_acc": round(stopped_val, 4),
                      "baseline_val_acc": round(float(val_acc[-1]), 4)}
    elif kept == len(epochs) - 1:  # the weights early stopping keeps are the run's own last ones
        evidence = i18n.join_clauses([evidence, _(
            "validation loss was lowest at the last epoch, so early stopping (patience {patience}) would not "
            "have stopped this run: more training data would help").format(patience=EARLY_STOPPING_FIX)])
    else:
        evidence = i18n.join_clauses([evidence, _(
            "early stopping (patience {patience}) would have kept the weights of epoch {epoch}, at validation "
            "accuracy {stopped} against {final} at the end, so it would not help: more training data would"
        ).format(patience=EARLY_STOPPING_FIX, epoch=int(epochs[kept]), stopped=i18n.number(stopped_val),
                 final=i18n.number(float(val_acc[-1])))])
    # the title says what the plots show: validation getting worse, or only lagging ever further behind training
    title = (_("Overfitting: validation worsens while training improves") if rising or fell else
             _("Overfitting: training fits far better than validation"))
    return Finding("overfitting", severity, title, evidence, why, fix, epoch, confidence=confidence, verified=tested)
