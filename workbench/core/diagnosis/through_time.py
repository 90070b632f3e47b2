"""Gradients through time, for recurrent models (`model.kind = "rnn"`): the evidence, the why and the fix
of vanishing and exploding gradients when the depth they cross is the length of the sequence.

The evidence is history.time_step_grad: at each probe step, the norm of d loss / d input at every step of
the sequence (training/time_steps.py). The gradient that reaches a step is what that step can teach.
"""

from __future__ import annotations

import numpy as np

from workbench.core import i18n
from workbench.core.diagnosis import signals
from workbench.core.diagnosis.finding import Finding
from workbench.core.experiment.config import ExperimentConfig
from workbench.core.history import RunHistory
from workbench.core.i18n import _

# The step that gets the least gradient receives under this share of the step that gets the most: the
# same thousandfold bound as between layers (AUTOTRAINER ICSE'21, gradient_vanish). Measured here on
# sequence_memory (50 steps): a tanh RNN stuck at chance 1e-8 to 1e-7, an LSTM learning it 1e-5 early on.
THROUGH_TIME_RATIO = 1e-3
# ...so it is reported only while the model is far from fitting: its skill (0 = guessing, 1 = perfect) on
# validation at the last epoch below this. An LSTM that learns the task passes through small ratios too.
FAR_FROM_FIT_SKILL = 0.5
PERSIST_PROBES = 5  # as the layer-wise rule: single probes cross the bound now and then
MAJORITY = 0.5  # ...and in at least half of all the probes so far
# Exploding through time: the first steps get this many times the last step's gradient.
EXPLODING_THROUGH_TIME = 100.0
GRAD_CLIP_FIX = 1.0


def _profile(history: RunHistory) -> np.ndarray | None:
    """(probes, steps) gradient norms per time step, or None for a model that is not recurrent."""
    table = history.time_step_grad
    if table is None or not len(table):
        return None
    return table.view()[:, 1:]


def _reach(norms: np.ndarray, bidirectional: bool) -> np.ndarray:
    """Per probe: the first step's gradient over the last step's, where the loss enters; for a
    bidirectional network, which reads the first steps last in its backward direction, the least any
    step got over the most any step got."""
    with np.errstate(divide="ignore", invalid="ignore"):  # a probe with a non-finite norm gives NaN: not flagged
        if bidirectional:
            return norms.min(axis=1) / norms.max(axis=1)
        return norms[:, 0] / norms[:, -1]


def vanishing_through_time(history: RunHistory, config: ExperimentConfig) -> Finding | None:
    norms = _profile(history)
    if norms is None or not history.epochs_run:
        return None
    val_acc = float(history.epoch_column("val_acc")[-1])
    if not np.isfinite(val_acc) or signals.skill(history, val_acc) >= FAR_FROM_FIT_SKILL:
        return None
    ratio = _reach(norms, config.model.bidirectional)
    flags = np.isfinite(ratio) & (ratio < THROUGH_TIME_RATIO)
    start = signals.first_run(flags, PERSIST_PROBES)
    if start is None or flags.mean() < MAJORITY:
        return None
    typical = np.median(norms[flags], axis=0)
    weakest, strongest = (int(np.argmin(typical)), int(np.argmax(typical))) if config.model.bidirectional \
        else (0, len(typical) - 1)
    evidence = _("the gradient reaching time step {weak} is {ratio} of the gradient at step {strong} of {steps} "
                 "(norms {weak_norm} and {strong_norm}, median over {flagged} of {probes} probes), and validation "
                 "accuracy is {accuracy}").format(
        weak=weakest + 1, strong=strongest + 1, steps=norms.shape[1], ratio=i18n.number(float(np.median(ratio[flags]))),
        weak_norm=i18n.number(float(typical[weakest])), strong_norm=i18n.number(float(typical[strongest])),
        flagged=int(flags.sum()), probes=len(flags), accuracy=i18n.percent(val_acc))
    model = config.model
    if model.cell == "rnn":
        fix: dict = {"model.cell": "lstm"}
        why = _("Backpropagation through time multiplies the gradient by the recurrent weights and by the "
                "derivative of {activation} once for every step it goes back; over {steps} steps these factors "
                "shrink it geometrically, so the early steps receive almost nothing and the network cannot learn "
                "what they say. An LSTM (or a GRU) keeps its memory in a gated cell whose gradient is multiplied "
                "by the forget gate instead, which it learns to hold near 1, so the gradient reaches far back "
                "(Hochreiter and Schmidhuber 1997).").format(activation=model.activation, steps=norms.shape[1])
    else:
        fix = {} if model.bidirectional else {"model.bidirectional": True}
        why = _("Even a gated cell forgets a little at every step, and over {steps} steps the gradient from the "
                "end of the sequence fades before it reaches the beginning. Reading the sequence both ways "
                "(bidirectional) puts the early steps at the end of one of the readings; shorter sequences, or "
                "more epochs for the forget gates to open, help too.").format(steps=norms.shape[1])
    return Finding("vanishing_gradients", "error", _("Early time steps barely learn: gradients vanish through time"),
                   evidence, why, fix, signals.probe_epoch(history, start))


def exploding_through_time(history: RunHistory) -> str:
    """Evidence that the gradient grows on its way back through the sequence ("" when it does not)."""
    norms = _profile(history)
    if norms is None:
        return ""
    finite = np.isfinite(norms).all(axis=1) & (norms[:, -1] > 0)
    if not finite.any():
        return ""
    growth = norms[finite, 0] / norms[finite, -1]
    peak = int(np.argmax(growth))
    if growth[peak] < EXPLODING_THROUGH_TIME:
        return ""
    return _("the gradient at time step 1 was {growth}x the gradient at step {steps}").format(
        growth=i18n.number(float(growth[peak])), steps=norms.shape[1])


def recurrent_exploding_cure(config: ExperimentConfig) -> tuple[dict, str]:
    """The fix and the why of exploding gradients in a recurrent network: clip the gradient's norm."""
    if not 0 < config.train.grad_clip <= GRAD_CLIP_FIX:
        fix: dict = {"train.grad_clip": GRAD_CLIP_FIX}
    else:
        fix = {"train.lr": signals.calmer_lr(config)}
    why = _("Backpropagation through time multiplies the gradient by the recurrent weights once for every step "
            "it goes back; when they stretch the state (their largest singular value above 1) the product grows "
            "exponentially with the distance in time, and a single update can throw the weights off a cliff of "
            "the loss surface. Clipping the gradient's norm caps the step and keeps its direction: the standard "
            "cure for recurrent networks (Pascanu, Mikolov and Bengio 2013); a lower learning rate helps too.")
    return fix, why
