"""Activation rules: ReLU units that died, sigmoid/tanh units stuck on their flat tails."""

from __future__ import annotations

import numpy as np

from workbench.core import i18n
from workbench.core.diagnosis import signals
from workbench.core.diagnosis.finding import Finding
from workbench.core.diagnosis.generalization import UNDERFIT_GAP
from workbench.core.experiment.config import ExperimentConfig
from workbench.core.history import RunHistory
from workbench.core.i18n import _

# Dead: share of a layer's ReLU units that output 0 for EVERY validation input. DeepDiagnosis (ICSE'22)
# flags 70% of outputs <= 0 and AUTOTRAINER 70% zero gradients, both per input; our per-unit definition
# is stricter (a unit silent on 30% of inputs is healthy and not counted), so half the layer is plenty.
DEAD_SHARE = 0.5
# Saturated: share of sigmoid/tanh pre-activations beyond +-5 (DeepDiagnosis ICSE'22: > 50%).
SATURATED_SHARE = 0.5
# Activation statistics are taken at step 0 and at each epoch end; the signal must hold in this many
# consecutive snapshots up to the latest one (tuned here: one bad snapshot after a big step can recover).
PERSIST_SNAPSHOTS = 2


def _stuck_layers(shares: np.ndarray, threshold: float) -> tuple[int, int] | None:
    """(first snapshot of the trailing stretch, worst layer) when some layer stays above `threshold`."""
    if len(shares) < PERSIST_SNAPSHOTS:
        return None
    with np.errstate(invalid="ignore"):
        above = np.nan_to_num(shares, nan=0.0) >= threshold
    start = signals.trailing_run_start(above.any(axis=1))
    if start is None or len(shares) - start < PERSIST_SNAPSHOTS:
        return None
    latest = np.nan_to_num(shares[-1], nan=-1.0)
    return start, int(np.argmax(latest))


def _severity(history: RunHistory, config: ExperimentConfig, spare_when_fits_apart: bool = False) -> str:
    if not history.epochs_run:
        return "warning"
    # a network that still fits its training data this well lost only spare capacity: a note (tuned here:
    # Adagrad at lr 0.05 on moons kills 53% of a layer and still reaches 0.999 accuracy)
    train_acc = float(history.epoch_column("train_acc")[-1])
    fits = signals.fit_skill(history, config, train_acc) >= signals.FITS_WELL_SKILL
    # Dead units only take capacity away, so they cost only spare capacity in a network that fits its
    # training data far better than new data: what it lacks is not capacity (diagnosis benchmark, seeds 8
    # and 11: drawn MNIST-1D bases at 0.82-0.90 on training and 0.53-0.63 on validation, whose dead units'
    # fix made validation worse). Saturated units also stop the gradient on its way to the layers below.
    fits_apart = spare_when_fits_apart and train_acc - float(history.epoch_column("val_acc")[-1]) >= UNDERFIT_GAP
    return "info" if fits or fits_apart else "warning"


def _hurting(history: RunHistory, config: ExperimentConfig) -> bool:
    """Dead or saturated units matter when learning stopped, or the run ended without fitting: a layer
    that lost half its units while the loss keeps falling (the default spiral) only lost spare ones."""
    if history.status == "running":
        return signals.learning_stalled(history)
    return signals.learning_stalled(history) or not signals.fits_well(history, config)


def dead_relu(history: RunHistory, config: ExperimentConfig) -> Finding | None:
    found = _stuck_layers(history.dead_share.view(), DEAD_SHARE)
    if found is None or not _hurting(history, config):
        return None
    start, layer = found
    share = float(history.dead_share.view()[-1, layer])
    evidence = _("{share} of {layer}'s ReLU units output 0 on every validation input").format(
        share=i18n.percent(share), layer=signals.layer_label(history, layer))
    fix: dict = {"model.activation": "leaky_relu"}
    if signals.lr_is_high(config):
        fix["train.lr"] = signals.calmer_lr(config)
    if config.model.init not in ("default", "kaiming_normal", "kaiming_uniform"):
        fix["model.init"] = "default"
    why = _("A ReLU unit whose input is negative for every example outputs 0 and gets zero gradient, so "
            "nothing can bring it back: it is dead. Large updates (a high learning rate) or a bad "
            "initialization push units there. Leaky ReLU keeps a small slope below zero so units can "
            "recover; a lower learning rate and a scaled initialization keep them from dying.")
    return Finding("dead_relu", _severity(history, config, spare_when_fits_apart=True), _("ReLU units died"), evidence, why, fix,
                   signals.activation_epoch(history, start), layer=signals.layer_label(history, layer))


def saturated_activations(history: RunHistory, config: ExperimentConfig) -> Finding | None:
    found = _stuck_layers(history.saturated_share.view(), SATURATED_SHARE)
    if found is None or not _hurting(history, config):
        return None
    start, layer = found
    share = float(history.saturated_share.view()[-1, layer])
    activation = history.layers[layer].activation
    evidence = _("{share} of {layer}'s {activation} pre-activations are beyond ±5 on validation inputs").format(
        share=i18n.percent(share), layer=signals.layer_label(history, layer), activation=activation)
    fix: dict = {"model.activation": "relu"}
    if config.model.init != "default":
        fix["model.init"] = "default"
    # big updates push pre-activations onto the flat tails, and updates as big kill ReLU units: at a rate far
    # above the usual one the fix calms it too (issue 14, case 4: ReLU at the same rate killed the network;
    # diagnosis benchmark, seed 62: AdamW at 3, 3000x its usual rate, on a sigmoid CSV network at 0.88: ReLU at
    # that rate lost 27.5 points on average over ten seeds, at all ten). Not at a rate merely high: on seeds 17,
    # 59-61, eleven saturated stacks at 3-30x their usual rate whose ReLU fix also took a tenth of the rate gained
    # 19.7 points on average at five seeds against 22.4 without it, the slower rate 16-18 points worse in two.
    if signals.lr_is_high(config, signals.FAR_TOO_HIGH_LR_FACTOR):
        fix["train.lr"] = signals.calmer_lr(config)
    why = _("Beyond ±5 {activation} is flat: its derivative is almost 0, so saturated units pass back "
            "almost no gradient and stop learning. Inputs on a large scale, large initial weights or big "
            "updates push pre-activations there. ReLU has no flat positive tail; normalized inputs, "
            "batch normalization and a scaled (Xavier) initialization keep pre-activations near 0."
            ).format(activation=activation)
    return Finding("saturated_activations", _severity(history, config), _("Sigmoid/tanh units are saturated"), evidence,
                   why, fix, signals.activation_epoch(history, start), layer=signals.layer_label(history, layer))
