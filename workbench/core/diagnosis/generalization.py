"""Fit rules over the per-epoch metrics: underfitting and late collapse, and what the other fit rules share
(overfitting: overfitting.py; too much regularization: regularization.py; noisy labels: label_noise.py)."""

from __future__ import annotations

import numpy as np

from workbench.core import i18n
from workbench.core.diagnosis import gradients, signals
from workbench.core.diagnosis.finding import Finding
from workbench.core.experiment.config import ExperimentConfig
from workbench.core.history import RunHistory
from workbench.core.i18n import _, ngettext

EARLY_STOPPING_FIX = 5  # the patience the fixes that stop early offer (overfitting, late collapse, noisy labels)

# Underfitting: final training and validation accuracy both less than halfway from always answering
# the majority class (skill 0) to perfect (skill 1); tuned here on healthy toy/digit runs (skill > 0.8).
UNDERFIT_SKILL = 0.5
UNDERFIT_GAP = 0.10  # a bigger train-validation gap means the model fits; that is not underfitting

# Late collapse: accuracy fell this much below its peak and stayed down (issue 7: ~0.2 absolute)...
COLLAPSE_DROP = 0.2
COLLAPSE_EPOCHS = 2  # ...for the last epochs of the run
COLLAPSE_PEAK_SKILL = 0.3  # the peak was real learning (tuned here)


def judgeable(history: RunHistory, config: ExperimentConfig) -> bool:
    return signals.history_ready(history, config) and signals.finite_epoch_rows(history)


def skills(history: RunHistory, config: ExperimentConfig) -> tuple[np.ndarray, np.ndarray]:
    """Training and validation skill per epoch, on the scale of what the data allow (signals.fit_skill), as the
    rules that ask whether a run fitted judge it. Diagnosis benchmark, seeds 58-63 from the cache: L1 on XOR at
    noise 0.08 (allowing 0.939) was "too much regularization" at training accuracy 0.90 while validation reached
    0.93 (a healthy run warned); 40% wrong labels on the same XOR, validation at 0.64, were a plateau rather than
    noisy labels. First finding right 1,527 -> 1,528 of 1,587, alarms 15 -> 14 of 1,389; seed 17 unchanged."""
    train = np.array([signals.fit_skill(history, config, acc) for acc in history.epoch_column("train_acc")])
    val = np.array([signals.fit_skill(history, config, acc) for acc in history.epoch_column("val_acc")])
    return train, val


def underfitting(history: RunHistory, config: ExperimentConfig) -> Finding | None:
    if not judgeable(history, config):
        return None
    train_skill, val_skill = skills(history, config)
    # a gap between training and validation accuracy says the model fits what it was shown, except in a
    # network too narrow to memorize anything: there it is the sampling noise of a boundary that fits
    # neither (diagnosis benchmark, seed 12's tune split: layers of 2 units on the spiral at 0.74 against
    # 0.63 and 0.68 against 0.57, 30-43 points under the same network 8+ units wide, had no finding)
    # neither does a gap within the sampling noise of the two accuracies: on a few dozen training examples
    # it may be chance (diagnosis benchmark, seed 34: 60 examples of circles at 0.633 for 60 epochs against
    # 0.517 on validation, a gap of 0.116 where the noise is 0.14, had no finding at all)
    train_acc, val_acc = history.epoch_column("train_acc"), history.epoch_column("val_acc")
    gap = train_acc - val_acc
    fits_apart = ((gap >= UNDERFIT_GAP) & (gap > signals.train_val_gap_noise(history, config, train_acc, val_acc))
                  & (not signals.low_capacity(config)))
    poor = (train_skill < UNDERFIT_SKILL) & (val_skill < UNDERFIT_SKILL) & ~fits_apart
    short = (train_skill < signals.FITS_WELL_SKILL) & ~fits_apart
    severity = "warning"
    if signals.low_capacity(config) and signals.learning_stalled(history):
        # a network too small for the data stops short of a good fit: it is poor where a wider one fits
        poor |= short
    start = signals.trailing_run_start(poor)
    if start is None and signals.low_capacity(config) and not signals.fits_well(history, config):
        # ...and one still creeping up is a note (tune split: a single layer of 4 units on the moons ended
        # at 0.90-0.94 where 16 or more reach 0.97-1.0, still rising by a hair each epoch)
        start, severity = signals.trailing_run_start(short), "info"
    if start is None:
        return None
    chance = signals.chance_accuracy(history)
    evidence = ngettext("after {epochs} epoch training accuracy is {train_accuracy} and validation {val_accuracy}; "
                        "always answering the most common class scores {chance}",
                        "after {epochs} epochs training accuracy is {train_accuracy} and validation "
                        "{val_accuracy}; always answering the most common class scores {chance}",
                        history.epochs_run).format(
        epochs=history.epochs_run, train_accuracy=i18n.number(float(history.epoch_column("train_acc")[-1])),
        val_accuracy=i18n.number(float(history.epoch_column("val_acc")[-1])), chance=i18n.number(chance))
    if gradients.deep_saturating(config) and not signals.low_capacity(config):
        # the stack is deep and wide enough; what holds it back is the saturating activation, which more
        # width only deepens (fix benchmark, seed 3: ten tanh layers widened fell from 0.27 to 0.18)
        fix = gradients.saturating_stack_cure(config)
        share = gradients.first_layer_share(history)
        if share is not None:
            evidence = _("{evidence}; the first layer's gradient norm is {share} times the output layer's (median "
                         "over the probes)").format(evidence=evidence, share=i18n.number(share))
        if share is not None and share >= gradients.DEEP_SATURATING_RATIO:
            # the gradient reached the first layers: the stack learns slowly, nothing vanished (diagnosis
            # benchmark: ten tanh layers on MNIST-1D, the first layer's gradient 0.9-1.5 of the output layer's
            # and the loss still falling, where the card said the first layers barely learn)
            why = _("Training and validation are both poor, though the network has width and depth to spare: "
                    "{layers} layers of {activation} with nothing to carry the signal learn slowly. The gradient "
                    "does reach the first layers here, so it is the depth of saturating layers, not a vanished "
                    "gradient, that holds it back. ReLU with He (Kaiming) initialization trains such a stack "
                    "faster; fewer layers, batch normalization or residual connections help too.").format(
                layers=len(config.model.hidden), activation=config.model.activation)
        else:
            why = _("Training and validation are both poor, though the network has width and depth to spare: "
                    "{layers} layers of {activation} with nothing to carry the gradient squash it on its way "
                    "back, so the first layers barely learn, and more width would not change that. ReLU with He "
                    "(Kaiming) initialization trains such a stack; batch normalization or residual connections "
                    "help too.").format(layers=len(config.model.hidden), activation=config.model.activation)
    else:
        hidden = list(config.model.hidden)
        wider = [min(16384, max(64, 2 * width)) for width in hidden] or [64]
        if len(wider) < 2:
            wider.append(wider[-1])
        fix = {"model.hidden": wider, "train.epochs": min(100_000, 2 * config.train.epochs)}
        if config.model.activation == "linear":
            fix["model.activation"] = "relu"
        why = _("Training and validation are both poor, so the model cannot even fit the data it sees: too "
                "little capacity (too few or too narrow layers, a linear activation), an optimizer or "
                "learning rate that makes little progress, or too few epochs. Give it more capacity and "
                "time; check the findings above for a cause that stops learning.")
    return Finding("underfitting", severity, _("Underfitting: training and validation both poor"), evidence,
                   why, fix, int(history.epoch_column("epoch")[start]))


def late_collapse(history: RunHistory, config: ExperimentConfig) -> Finding | None:
    if config.train.early_stopping or not judgeable(history, config):
        return None  # early stopping hands back the peak weights
    worst = None
    for name in ("val_acc", "train_acc"):
        accuracy = history.epoch_column(name)
        peak = int(np.argmax(accuracy))
        if signals.skill(history, float(accuracy[peak])) < COLLAPSE_PEAK_SKILL:
            continue
        down = accuracy <= accuracy[peak] - COLLAPSE_DROP
        start = signals.trailing_run_start(down)
        if start is None or start <= peak or len(accuracy) - start < COLLAPSE_EPOCHS:
            continue
        drop = float(accuracy[peak] - accuracy[-1])
        if worst is None or drop > worst[0]:
            worst = (drop, name, peak, start)
    if worst is None:
        return None
    drop, name, peak, start = worst
    epochs = history.epoch_column("epoch")
    accuracy = history.epoch_column(name)
    if name == "val_acc":
        template = _("validation accuracy peaked at {peak} in epoch {peak_epoch}, then fell to {final} from epoch "
                     "{fall_epoch} on")
    else:
        template = _("training accuracy peaked at {peak} in epoch {peak_epoch}, then fell to {final} from epoch "
                     "{fall_epoch} on")
    evidence = template.format(peak=i18n.number(float(accuracy[peak])), peak_epoch=int(epochs[peak]),
                               final=i18n.number(float(accuracy[-1])), fall_epoch=int(epochs[start]))
    why = _("The model had learned, then lost it: a step too large threw the weights out of a good region "
            "(often a learning rate that is fine early but too high once the loss is low), units died, "
            "or numbers became unstable. A lower (or decaying) learning rate keeps the good region; "
            "early stopping keeps the best weights.")
    # Early stopping keeps the peak whatever caused the fall; the rate is lowered only when it is high,
    # since a tenth of a typical rate trades the collapse for a crawl.
    fix: dict = {"train.early_stopping": EARLY_STOPPING_FIX}
    if signals.lr_is_high(config):
        fix["train.lr"] = signals.calmer_lr(config)
    return Finding("late_collapse", "warning", _("Accuracy collapsed late in training"), evidence, why, fix,
                   int(epochs[start]))
