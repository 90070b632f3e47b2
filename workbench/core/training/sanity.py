"""The sanity check: can the configured network memorise one small batch?

Karpathy's recipe: before training for real, overfit a single batch of a few examples. Any network with
enough units drives the loss on 16 examples to nearly zero and their accuracy to 100% within a few hundred
steps; when it cannot, the problem is deep (the learning rate, the initialization, a network that cannot
bend, dead units), and no amount of training on the full data will fix it.

The check trains a fresh copy of the network (the run's seed, so the run's initial weights) with the
experiment's optimizer, learning rate and loss on one random batch of training examples, without
augmentation (the question is whether it can memorise these exact examples), and stops as soon as it
passes. A failure says what the loss curve did, with its numbers, and which finding that suggests.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import torch

from workbench.core.data.bundle import DatasetError
from workbench.core.experiment.config import ExperimentConfig
from workbench.core.i18n import _, ngettext
from workbench.core.training import probes
from workbench.core.training.models import activation_stats
from workbench.core.training.preflight import Preflight, order_generator, prepare, uniform_guess_loss
from workbench.core.training.runtime import RunControl
from workbench.core.training.sanity_verdict import CurveFacts, NetworkFacts, judge

SANITY_BATCH = 16  # examples in the batch (Karpathy: "as few as two"; 16 fits a few per class of ten)
SANITY_STEPS = 300  # at most; Adam at its usual rates fits 16 examples in well under 100 steps
CHECK_EVERY = 10  # steps between measurements of the batch in eval mode (the check stops once it passes)
# The loss counts as "near zero" within this share of the way from its lowest possible value (0, or more
# with label smoothing) up to the loss of a uniform guess: 0.069 for ten classes, 0.021 for two.
NEAR_ZERO_SHARE = 0.03


@dataclass
class SanityResult:
    passed: bool
    curve: str  # what the loss did: passed | diverged | rose | never_fell | still_falling | bouncing | stalled
    #   | stopped (by the user, before the check could decide)
    suggests: str  # the diagnosis id the failure points at ("" when it passed)
    reason: str  # what happened, with its numbers, and why it suggests that finding
    batch_size: int  # examples actually used
    steps: int  # steps trained
    first_loss: float
    final_loss: float  # on the batch in eval mode, after the last step
    final_accuracy: float
    target_loss: float  # "near zero": at or below this
    losses: np.ndarray = field(repr=False)  # the training loss of every step
    note: str = ""  # the training set was smaller than the batch asked for
    stopped: bool = False  # stopped by the user before it could decide


def sanity_check(config: ExperimentConfig, *, batch_size: int = SANITY_BATCH, steps: int = SANITY_STEPS,
                 control: RunControl | None = None) -> SanityResult:
    """Overfit one batch of `batch_size` training examples for at most `steps` steps. Raises ConfigError
    or DatasetError (one sentence) when the experiment cannot be built."""
    preflight = prepare(config)
    data = preflight.data
    available = len(data.train_y)
    used = min(batch_size, available)
    if used < preflight.min_batch:
        raise DatasetError(_("The training set has only one example, and batch normalization needs at least two "
                             "to train: add examples or set model.normalization to \"none\" or \"layer\"."))
    note = ""
    if used < batch_size:
        note = ngettext("The training set has only {count} example, fewer than the {batch} asked for: the check "
                        "used it alone.",
                        "The training set has only {count} examples, fewer than the {batch} asked for: the check "
                        "used all of them.", available).format(count=available, batch=batch_size)
    chosen = torch.randperm(available, generator=order_generator(config))[:used].to(data.train_y.device)
    inputs, targets = data.train_x[chosen], data.train_y[chosen]
    with preflight.cpu_threads(used):
        return _overfit(preflight, inputs, targets, steps, control or RunControl(), note)


def _overfit(preflight: Preflight, inputs, targets, steps: int, control: RunControl, note: str) -> SanityResult:
    config, model = preflight.config, preflight.model
    n_classes = preflight.data.n_classes
    chance, target_loss = _chance_and_target(targets, config, n_classes)
    alive_at_start = _network_facts(preflight, inputs)
    weights = probes.weight_tensors(model.weight_layers)
    weights_at_start = [weight.detach().clone() for weight in weights]
    step = preflight.stepper(preflight.new_optimizer(config.train.lr))
    losses = torch.full((steps,), math.nan)
    final_loss, final_accuracy, trained, passed = math.nan, 0.0, 0, False
    for index in range(steps):
        if control.stop_requested:
            break
        losses[index] = step(inputs, targets).float().cpu()
        trained = index + 1
        if trained % CHECK_EVERY == 0 or trained == steps or not math.isfinite(losses[index]):
            final_loss, final_accuracy, _recall, _probabilities = probes.evaluate(
                model, inputs, targets, config.train.loss, n_classes)
            passed = final_accuracy == 1.0 and final_loss <= target_loss
            if passed or not math.isfinite(losses[index]):
                break
    curve_losses = losses[:trained].numpy().astype(float)
    stopped = not passed and trained < steps and control.stop_requested
    facts = CurveFacts(curve_losses, chance, target_loss, final_loss, final_accuracy, len(targets))
    network = _network_facts(preflight, inputs)
    network.weight_changes = tuple(probes.update_ratios(weights_at_start, weights))
    if passed:
        curve, suggests = "passed", ""
        reason = _("The loss fell from {first:.3g} to {final:.3g} in {steps} steps and batch accuracy reached 100%: "
                   "the network can learn these {count} examples.").format(
            first=facts.first, final=final_loss, steps=trained, count=len(targets))
    elif stopped:
        curve, suggests = "stopped", ""
        reason = _("Stopped after {steps} steps, before the check could decide.").format(steps=trained)
    else:
        curve, suggests, reason = judge(facts, alive_at_start, network, config)
    first = float(curve_losses[0]) if len(curve_losses) else math.nan
    return SanityResult(passed, curve, suggests, reason, len(targets), trained, first, final_loss,
                        final_accuracy, target_loss, curve_losses, note, stopped)


def _chance_and_target(targets: torch.Tensor, config: ExperimentConfig, n_classes: int) -> tuple[float, float]:
    """The loss of a uniform guess, and the "near zero" the check asks for: NEAR_ZERO_SHARE of the way from
    the lowest loss the experiment's label smoothing allows up to that guess."""
    loss, smoothing = config.train.loss, config.train.label_smoothing
    ideal = torch.nn.functional.one_hot(targets.cpu(), n_classes).float() * (1 - smoothing) + smoothing / n_classes
    chance = uniform_guess_loss(targets, loss, n_classes)
    floor = float(probes.loss_value(ideal.log(), targets.cpu(), loss, n_classes))
    return chance, floor + NEAR_ZERO_SHARE * (chance - floor)


@torch.no_grad()
def _network_facts(preflight: Preflight, inputs: torch.Tensor) -> NetworkFacts:
    """Dead and saturated shares of each hidden layer on the batch, and the hidden layers whose units are
    all identical (a symmetric initialization they can never leave)."""
    model = preflight.model
    was_training = model.training
    model.eval()
    _logits, preactivations = model.forward_with_preactivations(inputs)
    model.train(was_training)
    stats = activation_stats(preactivations, preflight.hidden_activations)
    identical = []
    for number, layer in enumerate(model.weight_layers[:-1], start=1):
        rows = torch.cat([layer.weight.flatten(1), layer.bias[:, None]], dim=1)
        if len(rows) > 1 and bool((rows == rows[0]).all()):
            identical.append((number, len(rows)))
    return NetworkFacts(stats["dead_share"], stats["saturated_share"], identical, preflight.hidden_activations)
