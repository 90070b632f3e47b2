"""The learning-rate finder: fastai's range test (Smith, "Cyclical learning rates", 2017; fastai's lr_find).

A fresh copy of the configured network (the run's seed: the run's initial weights; nothing the app or a
run holds is touched) trains with the experiment's optimizer and loss for ~100 steps while the learning
rate grows exponentially from 1e-7 to 10, one rate per step. The loss is smoothed (an exponential moving
average with bias correction, fastai's beta 0.98) and the test stops once it diverges: the smoothed
loss above 4x its lowest value, or a loss that is not a number.

The suggestion follows fastai's rules on the curve without its first tenth and last five points (the
warm-up of the average and the start of the blow-up): `valley`, fastai's default since 2.5, the rate
two thirds of the way down the longest run of falling loss; `steepest`, where the smoothed loss falls
fastest against log lr on its way to its lowest value, when there is no clear valley (a curve that fell by under CLEAR_FALL). The result names the rule it used.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import torch

from workbench.core.experiment.config import ExperimentConfig
from workbench.core.i18n import _, join_sentences
from workbench.core.training.preflight import order_generator, prepare, uniform_guess_loss
from workbench.core.training.runtime import RunControl
from workbench.core.training.sanity_verdict import HUGE_FIRST_LOSS

START_LR, END_LR, STEPS = 1e-7, 10.0, 100  # fastai's lr_find defaults
SMOOTHING = 0.98  # fastai's beta for the moving average of the loss
DIVERGED = 4.0  # fastai's stop_div: the smoothed loss above this many times its lowest value
SKIP_START_SHARE, SKIP_END = 0.1, 5  # fastai drops the first tenth and the last five points before suggesting
MIN_POINTS = 3  # points a rule needs; fewer and the test says it found nothing to suggest
ALL_DIVERGED_STEPS = 2
# The valley rule needs a curve that clearly falls: when the smoothed loss fell by less than this share of
# its level before diverging (the spiral in 100 steps: 2%), its longest falling stretch is mostly noise, and
# the steepest fall is used instead.
CLEAR_FALL = 0.1  # a test that diverged within this many steps diverged at every rate it tried


@dataclass
class LrFinderResult:
    lrs: np.ndarray  # the rate of every step taken
    losses: np.ndarray  # the training loss at each
    smoothed: np.ndarray
    suggestion: float | None  # the rate to use, or None when none could be suggested
    rule: str  # "valley" | "steepest" | "" (none)
    valley: float | None = None
    steepest: float | None = None
    diverged_at: float | None = None  # the rate at which the test stopped on divergence
    stopped: bool = False  # stopped by the user
    message: str = ""  # one or two sentences for the user: the suggestion and its rule, or why there is none
    marked: tuple[float, float] | None = field(default=None)  # (lr, smoothed loss) of the suggestion, for plots
    uniform_guess_loss: float = math.nan  # the loss of a uniform guess over the classes, to judge the first loss

    @property
    def all_diverged(self) -> bool:
        return self.suggestion is None and self.diverged_at is not None and len(self.lrs) <= ALL_DIVERGED_STEPS


def rate_schedule(start: float = START_LR, end: float = END_LR, steps: int = STEPS) -> np.ndarray:
    """`steps` rates growing exponentially from `start` to `end`, both included."""
    return start * (end / start) ** (np.arange(steps) / max(1, steps - 1))


def find_learning_rate(config: ExperimentConfig, *, start: float = START_LR, end: float = END_LR,
                       steps: int = STEPS, control: RunControl | None = None, on_step=None) -> LrFinderResult:
    """Run the range test on `config`; `on_step(step, steps)` reports progress. Raises ConfigError or
    DatasetError (one sentence) when the experiment cannot be built."""
    control = control or RunControl()
    preflight = prepare(config)
    data, train = preflight.data, config.train
    rates = rate_schedule(start, end, steps)
    optimizer = preflight.new_optimizer(float(rates[0]))
    step = preflight.stepper(optimizer)
    generator = order_generator(config)
    augment_generator = torch.Generator(device=preflight.device).manual_seed(train.seed + 1)
    losses, smoothed = [], []
    average, best, diverged_at, epoch, batches = 0.0, math.inf, None, 0, []
    with preflight.cpu_threads(train.batch_size):
        for index, rate in enumerate(rates):
            if control.stop_requested:
                break
            if not batches:  # the next epoch's batches, in the order the run would draw them
                epoch += 1
                batches = data.batch_indices(epoch, train.batch_size, generator, preflight.min_batch)
            batch = batches.pop(0)
            for group in optimizer.param_groups:
                group["lr"] = float(rate)
            inputs = data.augment(data.train_x[batch], augment_generator)
            loss = float(step(inputs, data.train_y[batch]))
            average = SMOOTHING * average + (1 - SMOOTHING) * loss
            smooth = average / (1 - SMOOTHING ** (index + 1))
            losses.append(loss)
            smoothed.append(smooth)
            if on_step is not None:
                on_step(index + 1, steps)
            if not math.isfinite(smooth) or smooth > DIVERGED * best:
                diverged_at = float(rate)
                break
            best = min(best, smooth)
    taken = len(losses)
    result = LrFinderResult(rates[:taken].copy(), np.array(losses, dtype=float), np.array(smoothed, dtype=float),
                            None, "", diverged_at=diverged_at, stopped=control.stop_requested,
                            uniform_guess_loss=uniform_guess_loss(data.train_y, train.loss, data.n_classes))
    _suggest(result, steps)
    first = result.losses[0] if taken else math.nan
    if result.suggestion is not None and first > HUGE_FIRST_LOSS * result.uniform_guess_loss:
        result.message = join_sentences(result.message, _(
            "But the first loss, {loss:.3g}, is {times:.0f} times that of a uniform guess: the initial weights are far "
            "too large, and no learning rate makes up for that.").format(
            loss=first, times=first / result.uniform_guess_loss))
    return result


def _suggest(result: LrFinderResult, planned_steps: int) -> None:
    """Fill in the suggestion, its rule and the message."""
    if result.stopped:
        result.message = _("Stopped after {steps} steps, before the test could suggest a rate.").format(
            steps=len(result.lrs))
        return
    if result.diverged_at is not None and len(result.lrs) <= ALL_DIVERGED_STEPS:
        first = result.losses[0] if len(result.losses) else math.nan
        result.message = _(
            "Every rate tried diverged: the loss was {loss:.3g} at the first step, at a learning rate of {lr:.0e}. No "
            "learning rate will train this network as it is: look at its initialization and inputs first."
        ).format(loss=first, lr=result.lrs[0])
        return
    usable = _usable_range(len(result.lrs), planned_steps)
    lrs, smoothed = result.lrs[usable], result.smoothed[usable]
    finite = np.isfinite(smoothed)
    lrs, smoothed = lrs[finite], smoothed[finite]
    if len(lrs) < MIN_POINTS:
        result.message = _("The loss diverged at a learning rate of {lr:.1e}, after only {steps} steps: too few to "
                           "suggest a rate.").format(lr=result.diverged_at or result.lrs[-1], steps=len(result.lrs))
        return
    to_lowest = int(np.argmin(smoothed)) + 1  # a fall after the lowest loss is the recovery from a spike
    result.steepest = steepest_rate(lrs[:max(to_lowest, 2)], smoothed[:max(to_lowest, 2)])
    result.valley = valley_rate(lrs, smoothed)
    fell = 1 - float(np.min(smoothed)) / float(smoothed[0]) if smoothed[0] > 0 else 1.0
    if result.valley is not None and fell >= CLEAR_FALL:
        result.suggestion, result.rule = result.valley, "valley"
        rule = _("valley: two thirds of the way down the longest stretch where the loss keeps falling (fastai's "
                 "default)")
    else:
        result.suggestion, result.rule = result.steepest, "steepest"
        rule = _("steepest fall: where the smoothed loss falls fastest as the rate grows")
    position = int(np.argmin(np.abs(np.log(result.lrs) - math.log(result.suggestion))))
    result.marked = (result.suggestion, float(result.smoothed[position]))
    result.message = _("Suggested learning rate: {lr:.2e} (rule: {rule}).").format(lr=result.suggestion, rule=rule)


def _usable_range(taken: int, planned_steps: int) -> slice:
    """fastai's trim: without the first tenth of the planned steps and the last SKIP_END points taken; less
    when the test stopped so early that nothing would be left."""
    start, stop = int(planned_steps * SKIP_START_SHARE), taken - SKIP_END
    if stop - start < MIN_POINTS:
        start, stop = 0, taken
    return slice(start, stop)


def steepest_rate(lrs: np.ndarray, smoothed: np.ndarray) -> float:
    """The rate where the smoothed loss falls fastest against log lr (fastai's `steep`)."""
    slopes = np.diff(smoothed) / np.diff(np.log(lrs))
    return float(lrs[int(np.argmin(slopes))])


def valley_rate(lrs: np.ndarray, smoothed: np.ndarray) -> float | None:
    """fastai's `valley`: the longest run of points each lower than some earlier one in the run (longest
    decreasing subsequence), and the rate two thirds of the way along it; None when the loss never falls."""
    count = len(smoothed)
    longest = [1] * count
    run_start = run_end = 0
    for i in range(1, count):
        for j in range(i):
            if smoothed[i] < smoothed[j] and longest[i] < longest[j] + 1:
                longest[i] = longest[j] + 1
        if longest[run_end] < longest[i]:
            run_end = i
            run_start = run_end - longest[run_end]
    if longest[run_end] < MIN_POINTS:
        return None
    third = (run_end - run_start) / 3
    return float(lrs[run_start + int(third) + int(third / 2)])
