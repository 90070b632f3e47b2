"""Why a network could not overfit one batch: what its loss curve did, and which finding that suggests.

Pure functions over the check's numbers (the loss of every step, the network's dead, saturated and
identical units before and after, how far its weights moved). The rules are tried root cause first: a
loss that blew up, units that cannot differ or died, a network that cannot bend, then the pace of the
curve itself. Each verdict is two sentences: what the curve did, then why, with the numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from workbench.core.diagnosis.regularization import regularized
from workbench.core.i18n import _, join_sentences

# A first loss this many times that of a uniform guess means weights far too large (an std-1 init on a
# wide layer gives thousands).
HUGE_FIRST_LOSS = 10.0
ROSE = 1.5  # the loss ended this many times above its first value: it went up, not down
NEVER_FELL = 0.9  # the lowest loss stayed above this share of the first: it never really fell
DEAD = 0.9  # a hidden layer with this share of its units dead for every example is a dead network
SATURATED = 0.5  # this share of a sigmoid/tanh layer's inputs beyond ±5 (models.SATURATION_THRESHOLD)
STILL_FALLING = 0.8  # the last tenth's loss under this share of the loss at three quarters: still falling
# The loss's spread over the last quarter, relative to its mean, above which it bounces rather than settles.
BOUNCING = 0.3
# Weights that moved by less than this share of their size over the whole check hardly moved at all:
# about 300 steps at the per-step update ratio of the lr-too-low preset (under 2e-4).
BARELY_MOVED = 0.05
# The first weight layer moved by less than this share of what the output layer moved: the gradient
# vanished on its way back (deep sigmoid: 0 against 0.08).
VANISHED = 1e-3


@dataclass
class CurveFacts:
    losses: np.ndarray  # the training loss of every step taken
    chance: float  # the loss of a uniform guess
    target: float  # "near zero"
    final_loss: float  # on the batch in eval mode, at the end
    final_accuracy: float
    count: int  # examples in the batch

    @property
    def first(self) -> float:
        return float(self.losses[0]) if len(self.losses) else math.nan

    @property
    def first_nonfinite_step(self) -> int | None:
        bad = np.flatnonzero(~np.isfinite(self.losses))
        return int(bad[0]) + 1 if len(bad) else None


@dataclass
class NetworkFacts:
    dead_share: np.ndarray  # per hidden layer (NaN where the activation cannot die)
    saturated_share: np.ndarray  # per hidden layer (NaN where it cannot saturate)
    identical: list[tuple[int, int]]  # (hidden layer number, units) of layers whose units are all the same
    activations: list[str]  # per hidden layer
    weight_changes: tuple[float, ...] = ()  # per weight layer, ||W_end - W_start|| / ||W_start||

    @property
    def weight_change(self) -> float:
        return float(np.median(self.weight_changes)) if self.weight_changes else math.nan


def judge(facts: CurveFacts, at_start: NetworkFacts, at_end: NetworkFacts, config) -> tuple[str, str, str]:
    """(what the curve did, the diagnosis id it suggests, the reason in two sentences)."""
    train, model = config.train, config.model
    too_high = _("The learning rate ({lr:g}) is too high for {optimizer}: try a tenth of it, or let the "
                 "learning-rate finder suggest one.").format(lr=train.lr, optimizer=train.optimizer)
    huge_start = facts.first > HUGE_FIRST_LOSS * facts.chance
    init_too_large = _("The first loss is {times:.0f} times that of a uniform guess ({chance:.3g}): the initial "
                       "weights ({init}) are far too large.").format(
        times=facts.first / facts.chance if math.isfinite(facts.first) else math.inf, chance=facts.chance,
        init=model.init)
    nonfinite = facts.first_nonfinite_step
    if nonfinite is not None:
        curve = _("The loss diverged: {first:.3g} at the first step, not a number at step {step}.").format(
            first=facts.first, step=nonfinite)
        if huge_start or nonfinite == 1:
            return "diverged", "bad_initialization", join_sentences(curve, init_too_large)
        return "diverged", "lr_too_high", join_sentences(curve, too_high)
    finite_losses = facts.losses
    last = float(np.mean(finite_losses[-max(1, len(finite_losses) // 10):]))
    if last > ROSE * facts.first:
        curve = _("The loss rose from {first:.3g} to {last:.3g} in {steps} steps.").format(
            first=facts.first, last=last, steps=len(finite_losses))
        return "rose", "bad_initialization" if huge_start else "lr_too_high", \
            join_sentences(curve, init_too_large if huge_start else too_high)
    shape, curve = _curve_shape(facts)
    suggests, cause = _cause(facts, shape, at_start, at_end, config, too_high)
    return shape, suggests, join_sentences(curve, cause)


def _curve_shape(facts: CurveFacts) -> tuple[str, str]:
    """never_fell | still_falling | bouncing | stalled, and the sentence that says so with its numbers."""
    losses, steps = facts.losses, len(facts.losses)
    best_index = int(np.argmin(losses))
    best = float(losses[best_index])
    tenth = max(1, steps // 10)
    at_three_quarters = float(np.mean(losses[max(0, 3 * steps // 4 - tenth):3 * steps // 4 + 1]))
    late = float(np.mean(losses[-tenth:]))
    last_quarter = losses[-max(2, steps // 4):]
    spread = float(np.std(last_quarter) / max(np.mean(last_quarter), 1e-12))
    accuracy = facts.final_accuracy
    if best >= NEVER_FELL * facts.first:
        return "never_fell", _("The loss never fell: {first:.3g} at the first step, {final:.3g} after {steps} steps "
                               "(batch accuracy {accuracy:.0%}).").format(
            first=facts.first, final=facts.final_loss, steps=steps, accuracy=accuracy)
    if late < STILL_FALLING * at_three_quarters:
        return "still_falling", _("The loss was still falling after {steps} steps: from {first:.3g} to {final:.3g}, "
                                  "{drop:.0%} lower over the last quarter (batch accuracy {accuracy:.0%}).").format(
            steps=steps, first=facts.first, final=facts.final_loss, drop=1 - late / at_three_quarters,
            accuracy=accuracy)
    if spread > BOUNCING:
        return "bouncing", _("The loss fell from {first:.3g} to {best:.3g} at step {best_step}, then bounced: over the "
                             "last quarter it varied by {spread:.0%} of its mean (batch accuracy {accuracy:.0%}).").format(
            first=facts.first, best=best, best_step=best_index + 1, spread=spread, accuracy=accuracy)
    return "stalled", _("The loss fell from {first:.3g} to {best:.3g} by step {best_step}, then stalled at {final:.3g} "
                        "(batch accuracy {accuracy:.0%}).").format(
        first=facts.first, best=best, best_step=best_index + 1, final=facts.final_loss, accuracy=accuracy)


def _cause(facts: CurveFacts, shape: str, at_start: NetworkFacts, at_end: NetworkFacts, config,
           too_high: str) -> tuple[str, str]:
    """The finding a curve that neither blew up nor reached zero suggests, root causes first."""
    train, model = config.train, config.model
    if at_end.identical:
        layer, units = at_end.identical[0]
        return "bad_initialization", _(
            "All {units} units of hidden layer {layer} have identical weights: they compute the same value and "
            "receive the same gradient, so they can never differ; the initialization ({init}) must break the "
            "symmetry.").format(units=units, layer=layer, init=model.init)
    dead = _first_layer_over(at_end.dead_share, DEAD)
    if dead is not None:
        share, before = at_end.dead_share[dead], at_start.dead_share[dead]
        if before < DEAD:
            return "lr_too_high", _(
                "{share:.0%} of the units of hidden layer {layer} output zero for every example at the end, "
                "against {before:.0%} at the start: large steps pushed their inputs below zero for good, so the "
                "learning rate ({lr:g}) is likely too high.").format(share=share, layer=dead + 1, before=before,
                                                                    lr=train.lr)
        return "dead_relu", _(
            "{share:.0%} of the units of hidden layer {layer} output zero for every example from the start: a dead "
            "ReLU unit gets no gradient, so the network cannot learn; change the initialization or use "
            "leaky_relu.").format(share=share, layer=dead + 1)
    if all(name == "linear" for name in at_end.activations):
        return "underfitting", _(
            "Without a nonlinearity the network computes a linear function of its input, and no linear function "
            "separates these {count} examples: choose an activation such as relu.").format(count=facts.count)
    saturated = _first_layer_over(at_end.saturated_share, SATURATED)
    if saturated is not None:
        return "saturated_activations", _(
            "{share:.0%} of the inputs of hidden layer {layer}'s {activation} units lie beyond ±5, where its slope "
            "is almost zero: the gradients vanish there.").format(
            share=at_end.saturated_share[saturated], layer=saturated + 1, activation=at_end.activations[saturated])
    changes = at_end.weight_changes
    if len(changes) > 2 and changes[0] < VANISHED * changes[-1]:
        return "vanishing_gradients", _(
            "The first layer's weights moved by {first:.1e} of their size, the output layer's by {last:.1e}: the "
            "gradient vanishes on its way back through {layers} {activation} layers.").format(
            first=changes[0], last=changes[-1], layers=len(changes) - 1, activation=model.activation)
    if shape == "bouncing":
        return "lr_too_high", too_high
    if regularized(config):
        return "over_regularized", _(
            "The regularization holds the network back (weight decay {decay:g}, L1 {l1:g}, dropout {dropout:g}): "
            "a network that cannot memorise {count} examples with it will underfit the whole set.").format(
            decay=train.weight_decay, l1=train.l1, dropout=model.dropout, count=facts.count)
    if shape == "still_falling":
        return "lr_too_low", _(
            "It learns, but slowly: the learning rate ({lr:g}) may be too low for {optimizer}, or these examples "
            "need more than {steps} steps.").format(lr=train.lr, optimizer=train.optimizer, steps=len(facts.losses))
    if at_end.weight_change < BARELY_MOVED:
        return "lr_too_low", _(
            "The weights moved by {change:.2%} of their size in {steps} steps: the learning rate ({lr:g}) is likely "
            "too low for {optimizer}.").format(change=at_end.weight_change, steps=len(facts.losses), lr=train.lr,
                                               optimizer=train.optimizer)
    return "loss_plateau", _(
        "A network that cannot memorise {count} examples has a problem more data will not fix: check its size "
        "(hidden {hidden}), its activation ({activation}) and its loss ({loss}).").format(
        count=facts.count, hidden=list(model.hidden), activation=model.activation, loss=train.loss)


def _first_layer_over(shares: np.ndarray, threshold: float) -> int | None:
    over = np.flatnonzero(np.nan_to_num(shares, nan=0.0) >= threshold)
    return int(over[0]) if len(over) else None
