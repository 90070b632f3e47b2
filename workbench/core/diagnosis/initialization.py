"""Initialization rule: weights of the wrong scale, or symmetric, judged from step 0 and what the experiment draws
(the weights' size at the first probe, where the init itself set it)."""

from __future__ import annotations

import math

import numpy as np

from workbench.core import i18n
from workbench.core.diagnosis import signals
from workbench.core.diagnosis.finding import Finding
from workbench.core.experiment import registry
from workbench.core.experiment.config import ExperimentConfig
from workbench.core.history import RunHistory
from workbench.core.i18n import _

# Karpathy, "A Recipe for Training Neural Networks": the step-0 loss should be about ln(C). With
# PyTorch's init it is within ~0.1 of it here; we flag cross entropy above 2x that AND 1 nat above it.
CE_LOSS_FACTOR = 2.0
CE_LOSS_EXCESS = 1.0
# MSE on softmax probabilities is bounded: confident random predictions give exactly 2x the uniform
# loss (derived: each wrong confident answer costs 2/C, right ones 0), so 1.5x is already far off.
MSE_LOSS_FACTOR = 1.5
# Far enough off to be an error rather than a warning (tuned here: std-1 normal init on a 64-wide MLP
# starts at 10-100x ln(C)).
SEVERE_LOSS_FACTOR = 5.0
# A hidden layer whose outputs have (almost) no spread over the validation inputs: every unit computes
# the same constant, the signature of zero/constant (symmetric) weights. Tuned here: healthy step-0
# layers have a spread of 0.1-1.
SYMMETRIC_ACT_STD = 1e-12  # constant weights give exactly equal outputs; tiny ones still spread (FADED_ACT_STD)
# Activations growing this much from the first to the last hidden layer at step 0: weights too wide
# (tuned here: PyTorch's default init shrinks activations through depth; std-1 normal grows them ~5x
# per 64-wide ReLU layer).
ACTIVATION_GROWTH = 100.0
# A hidden layer whose outputs spread less than this at step 0 on standardized inputs: weights far too
# small, so the signal fades to nothing and the gradients with it (benchmark, tune split: normal init
# with std 1e-3 / 1e-5 gives 1e-5..1e-12 by the second layer; PyTorch's default stays above 1e-3 through
# ten layers; this was 0 of 28 found before).
FADED_ACT_STD = 1e-4
# Weights of a dense layer fed by another dense layer, at the first probe, this small next to PyTorch's
# default init (whose weights have a norm of sqrt(width / 3): uniform with std 1/sqrt(3 fan_in)). Their
# spread hides in the biases' spread, so the activations' overall std does not show it (benchmark, tune
# split: normal init with std 1e-3 measures 0.02 here; default 1.0, Xavier/Kaiming 1.6-2.5; Adam grows
# even std-1e-5 weights past 0.15 within the first probe, and recovers). Read only under an init that draws
# with a fixed spread: a scaled init (registry.SCALED_INITS) draws 1.0-2.5 of the default's, so weights this small
# by the first probe were shrunk by the steps before it, a regularizer's (diagnosis benchmark, seeds 52 and 55:
# weight decay 0.1 and 0.5 under Adagrad took default-init layers to 2% within the first probe, and the init was
# named for it, first in one run, whose decay over_regularized names as well).
SMALL_WEIGHT_SHARE = 0.05


def _loss_too_high(history: RunHistory, config: ExperimentConfig) -> float | None:
    """The step-0 loss as a multiple of the expected one, when it is far too high (or not finite)."""
    initial = history.initial_loss
    if math.isnan(initial) and history.input_stats is None:
        return None  # step 0 not recorded yet
    expected = signals.expected_initial_loss(history.n_classes, config.train.loss)
    if not math.isfinite(initial):
        return math.inf
    if config.train.loss == "mse":
        too_high = initial > MSE_LOSS_FACTOR * expected
    else:
        too_high = initial > CE_LOSS_FACTOR * expected and initial > expected + CE_LOSS_EXCESS
    return initial / expected if too_high else None


def _weights_far_too_small(history: RunHistory) -> tuple[int, float] | None:
    """(layer, share of the default init's weight norm) of the smallest dense layer after the first, when
    it is under SMALL_WEIGHT_SHARE at the first probe."""
    norms = history.weight_norm.view()
    if not len(norms):
        return None
    layers = history.layers
    shares = {index: float(norms[0, index]) / math.sqrt(layers[index].width / 3)
              for index in range(1, len(layers))
              if layers[index].kind == "linear" and layers[index - 1].kind == "linear"}
    finite = {index: share for index, share in shares.items() if math.isfinite(share)}
    if not finite:
        return None
    layer = min(finite, key=finite.get)
    return (layer, finite[layer]) if finite[layer] < SMALL_WEIGHT_SHARE else None


def _drawn_share(config: ExperimentConfig, fan_in: int) -> float:
    """The spread a fixed-spread init (normal or uniform, each with standard deviation init_std) draws a dense
    layer's weights with, as a share of PyTorch's default 1 / sqrt(3 fan_in)."""
    return config.model.init_std * math.sqrt(3 * fan_in)


def drawn_far_too_small(config: ExperimentConfig) -> bool:
    """Whether the experiment draws some hidden layer's weights (fed by the hidden layer before, as wide as its
    hidden size) under SMALL_WEIGHT_SHARE of the default init's spread: read from the experiment alone."""
    return (config.model.init in ("normal", "uniform")
            and any(_drawn_share(config, width) < SMALL_WEIGHT_SHARE for width in config.model.hidden))


def _drawn_far_too_small(history: RunHistory, config: ExperimentConfig) -> tuple[int, float] | None:
    """(layer, share of the default init's weight spread) of the dense layer fed by another dense layer
    whose weights the experiment draws smallest, when under SMALL_WEIGHT_SHARE (_drawn_share)."""
    if config.model.init not in ("normal", "uniform"):
        return None
    layers = history.layers
    shares = {index: _drawn_share(config, layers[index - 1].width)
              for index in range(1, len(layers))
              if layers[index].kind == "linear" and layers[index - 1].kind == "linear"}
    if not shares:
        return None
    layer = min(shares, key=shares.get)
    return (layer, shares[layer]) if shares[layer] < SMALL_WEIGHT_SHARE else None


def bad_initialization(history: RunHistory, config: ExperimentConfig) -> Finding | None:
    expected = signals.expected_initial_loss(history.n_classes, config.train.loss)
    loss_factor = _loss_too_high(history, config)
    act_std = signals.step_zero_row(history.act_std)
    evidence, severity = [], "warning"
    if loss_factor is not None:
        formula = f"ln {history.n_classes}" if config.train.loss != "mse" else "(1-1/C)/C"
        evidence.append(_("the loss at step 0 is {loss}, {factor}x the {expected} of uniform guesses ({formula})"
                          ).format(loss=i18n.number(history.initial_loss), factor=i18n.number(loss_factor),
                                   expected=i18n.number(expected), formula=formula))
        if loss_factor >= SEVERE_LOSS_FACTOR:
            severity = "error"
    if act_std is not None and np.isfinite(act_std).any():
        symmetric = np.flatnonzero(np.nan_to_num(act_std, nan=1.0) < SYMMETRIC_ACT_STD)
        if len(symmetric):
            layer = int(symmetric[0])
            evidence.append(_("{layer} outputs the same value for every input at step 0 (spread {spread}): its "
                              "units are identical").format(layer=signals.layer_label(history, layer),
                                                            spread=i18n.number(float(act_std[layer]))))
            severity = "error"
        faded = np.flatnonzero((act_std < FADED_ACT_STD) & (act_std >= SYMMETRIC_ACT_STD))
        if len(faded) and not len(symmetric):
            layer = int(faded[0])
            evidence.append(_("{layer}'s outputs spread only {spread} at step 0: the initial weights are so small "
                              "that the signal fades").format(layer=signals.layer_label(history, layer),
                                                               spread=i18n.number(float(act_std[layer]))))
        small = _weights_far_too_small(history) if config.model.init not in registry.SCALED_INITS else None
        drawn = _drawn_far_too_small(history, config)
        if small is not None and not len(faded) and not len(symmetric):
            layer, share = small
            evidence.append(_("{layer}'s weights are {share} of the size of a scaled initialization at the first "
                              "probe: too small to carry the signal").format(
                layer=signals.layer_label(history, layer), share=i18n.percent(share)))
        elif drawn is not None and not len(faded) and not len(symmetric) and not signals.fits_well(history, config):
            # an adaptive optimizer (or normalization) grows or rescales tiny weights before the first
            # probe, so only the experiment's own init shows them; they count where the run fell short
            layer, share = drawn
            evidence.append(_("{layer}'s weights are drawn with standard deviation {std}, {share} of a scaled "
                              "initialization's, and the model ends short of a good fit").format(
                layer=signals.layer_label(history, layer), std=i18n.number(config.model.init_std),
                share=i18n.percent(share)))
        spread = act_std[np.isfinite(act_std)]
        if len(spread) >= 2 and spread[0] > 0 and spread[-1] / spread[0] >= ACTIVATION_GROWTH:
            evidence.append(_("activations grow {factor}x from the first to the last hidden layer at step 0").format(
                factor=i18n.number(spread[-1] / spread[0])))
    if not evidence:
        return None
    if len(evidence) == 1 and loss_factor is not None and severity == "warning" and _excess_shed(history, expected):
        # a loss only moderately high at step 0 that training brought below uniform guessing within its
        # first epoch cost a few steps, and cannot be what holds the run back later: a note
        evidence.append(_("the first epoch's mean training loss was already {loss}").format(
            loss=i18n.number(float(history.epoch_column("train_loss")[0]))))
        severity = "info"
    return Finding("bad_initialization", severity, _("The initial weights are of the wrong scale"),
                   i18n.join_clauses(evidence), _why(config), _fix(config), 0)


def _excess_shed(history: RunHistory, expected: float) -> bool:
    """Whether the first epoch's mean training loss was already at or below `expected` (uniform guessing)."""
    losses = history.epoch_column("train_loss")
    return bool(len(losses) and np.isfinite(losses[0]) and losses[0] <= expected)


def _fix(config: ExperimentConfig) -> dict:
    if config.model.init != "default":
        return {"model.init": "default"}
    # PyTorch's own init is already in use: pick the scaled init made for this activation.
    rectifier = config.model.activation not in registry.SATURATING and config.model.activation != "linear"
    return {"model.init": "kaiming_normal" if rectifier else "xavier_normal"}


def _why(config: ExperimentConfig) -> str:
    init = config.model.init
    if init == "zeros":
        cause = _("With all weights equal (zeros), every unit of a layer computes the same thing and "
                  "receives the same gradient, so they stay identical forever: the layer acts like one unit.")
    elif init in ("normal", "uniform"):
        cause = _("Weights drawn with a fixed standard deviation ({std}) ignore the layer width: too wide and "
                  "activations and logits explode through the layers (huge first loss, saturated or dead "
                  "units), too narrow and the signal fades.").format(std=config.model.init_std)
    else:
        cause = _("At step 0 the network should be unsure: about the loss of uniform guesses. Far more "
                  "means the weights (or the inputs) make the outputs huge and confidently wrong.")
    return _("{cause} Scaled initializations (PyTorch's default, Xavier/Glorot, He/Kaiming) pick the spread "
             "from the layer width so activations and gradients keep their size through depth.").format(cause=cause)
