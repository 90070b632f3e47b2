"""Axis ranges that follow a live run's data without pyqtgraph's auto-range.

Auto-range re-fits an axis on every data change: each refresh then recomputes the data bounds, regenerates
the ticks, labels and grid, and repaints the whole plot (3-8 ms of GUI-thread time, 30 times a second while
a run trains). Here an axis moves only when new data leaves its range, and then with room to grow, so most
refreshes repaint the curves alone. The data bounds are kept incrementally, from the new values only.

A live axis grows to round numbers (see `round_up`), at least `min_span` wide: an epoch axis shows 0 to 1
while the first epoch trains, then 1.5, 3, 5, 8, ... instead of stepping 1.5x from a hundredth of an epoch
(a dozen full repaints in the first seconds of a run), and its end carries a tick label.

A diverged run logs losses of 1e18 and more: an axis stretched to hold them draws every other curve as a
flat line at 0. A loss axis therefore has a ceiling set by the runs' sane scale (`loss_ceiling`): values
above it are left off the axis, and the plot says that it is clipped.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication

from workbench.ui import formatting

X_HEADROOM = 0.5  # a live epoch axis grows to a round number above 1.5x the epochs done: the data fills 1/2-2/3
X_MIN_SPAN = 1.0  # epochs: a live epoch axis spans at least the first epoch
Y_HEADROOM = 0.1  # share of the data's span added above and below when a value axis has to grow
FIT_PADDING = 0.02  # margin around the range, as pyqtgraph's own auto-range leaves: end labels show
# The loss of an untrained network (step 0) sets the scale of a run: training lowers it, overfitting raised
# the validation loss to 1.2x of it (overfitting preset), and single-example steps at batch size 1 spike
# above 10x of it in 0.4% of the steps (batch-size-one preset, up to 1,100x). Ten times it is where
# a curve is clipped: the few clipped spikes cost less than a flat plot.
LOSS_CEILING_FACTOR = 10.0
# Where a live linear axis may end, per decade: each step at most 1.5x the one before, so that the
# headroom (1.5x the data) is never more than doubled by the rounding.
ROUND_MANTISSAS = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)


def round_up(value: float) -> float:
    """The smallest number of the form m * 10^k (m in ROUND_MANTISSAS) at or above `value`; for a
    negative value, its mirror (outward from 0 on both sides)."""
    if value <= 0 or not math.isfinite(value):
        return -round_down(-value) if value < 0 else value
    return next(number for number in _round_numbers(value) if number >= value * (1 - 1e-12))


def round_down(value: float) -> float:
    """The largest m * 10^k (m in ROUND_MANTISSAS) at or below a positive `value`; mirrored below 0."""
    if value <= 0 or not math.isfinite(value):
        return -round_up(-value) if value < 0 else value
    return max(number for number in _round_numbers(value) if number <= value * (1 + 1e-12))


def _round_numbers(value: float) -> list[float]:
    """The round numbers of `value`'s decade, written as decimals write them (0.6, not 0.6000000000000001)."""
    exponent = math.floor(math.log10(value))
    if exponent >= 0:
        return [mantissa * 10.0**exponent for mantissa in ROUND_MANTISSAS]
    return [mantissa / 10.0**-exponent for mantissa in ROUND_MANTISSAS]


def loss_ceiling(initial_losses) -> float | None:
    """The highest loss a linear loss axis shows: LOSS_CEILING_FACTOR times the median step-0 loss of
    the runs shown (the median: one run with a wild initialization does not set the scale for all).
    None when no run knows its step-0 loss: only non-finite values are left out then."""
    finite = [value for value in initial_losses if math.isfinite(value) and value > 0]
    return LOSS_CEILING_FACTOR * float(np.median(finite)) if finite else None


class AxisFollower:
    """Keeps one axis of a plot around all the data shown on it.

    While a run is live the range only grows, with headroom and to round numbers (a linear axis), at
    least `min_span` wide, when a value falls outside it, never past the run's planned end (an epoch
    axis); once the run has finished the range fits the data snugly. An
    axis with a `floor` (epochs, losses: 0) starts there; values above a `ceiling` are left out (their
    curve leaves the plot at the top), and `clipped_peak` holds the highest of them. A user who pans
    or zooms takes the axis over; the plot's auto-range button ("A") hands it back.
    """

    def __init__(self, plot: pg.PlotWidget | pg.PlotItem, axis: str, *, headroom: float, floor: float | None = None,
                 min_span: float = 0.0, log: bool = False, watch: tuple[pg.PlotWidget | pg.PlotItem, ...] = ()):
        self._view = plot.getViewBox()
        # with the plots whose axis is linked to this one: the user may zoom or click "A" in any of them
        self._views = [each.getViewBox() for each in (plot, *watch)]
        self._axis = 0 if axis == "x" else 1
        self._headroom, self._floor, self._min_span, self._log = headroom, floor, min_span, log
        for view in self._views:
            view.enableAutoRange(axis=axis, enable=False)
            view.sigRangeChangedManually.connect(self._moved_by_user)
        self.restart()

    def restart(self, *, log: bool | None = None, ceiling: float | None = None) -> None:
        """Forget the data: the next update fits whatever is included from now on. `log`: whether the
        axis is logarithmic from now on (unchanged when None); `ceiling`: the highest value to show."""
        if log is not None:
            self._log = log
        self.ceiling = ceiling
        self.low, self.high = math.inf, -math.inf
        self.clipped_peak: float | None = None
        self.following = True
        self._shown: tuple[float, float] | None = None

    def include(self, values) -> None:
        """Fold in newly plotted values (on a log axis, the positive ones, as pyqtgraph draws them)."""
        values = np.asarray(values, dtype=float).reshape(-1)
        finite = values[np.isfinite(values)]
        if self.ceiling is not None and finite.size:
            above = finite > self.ceiling
            if above.any():
                self.clipped_peak = max(self.clipped_peak or -math.inf, float(finite[above].max()))
                finite = finite[~above]
        if self._log:
            with np.errstate(divide="ignore", invalid="ignore"):
                finite = np.log10(finite)
            finite = finite[np.isfinite(finite)]
        if finite.size:
            self.low = min(self.low, float(finite.min()))
            self.high = max(self.high, float(finite.max()))

    def update(self, *, live: bool, end: float | None = None) -> None:
        """Move the axis if the data needs it: cheap when it does not, so call it on every refresh.
        `end`: the planned end of the run, beyond which a live range leaves no headroom."""
        if any(view.autoRangeEnabled()[self._axis] is not False for view in self._views):
            for view in self._views:  # the user clicked "A": follow the data again, without re-fitting
                view.enableAutoRange(axis=self._axis, enable=False)
            self.following, self._shown = True, None
        if not self.following or self.low > self.high:
            return
        shown = self._shown
        if live and shown is not None and shown[0] <= self.low and self.high <= shown[1]:
            return
        target = self._target(live, end)
        if target != shown:
            self._shown = target
            if self._axis == 0:
                self._view.setXRange(*target, padding=0)
            else:
                self._view.setYRange(*target, padding=0)
            for view in self._views:
                # pyqtgraph maps the new range onto the curves only when the plot paints; moved during the
                # paint, every curve asked for a second repaint of the whole plot in the same event-loop turn
                view.updateMatrix()

    def _target(self, live: bool, end: float | None) -> tuple[float, float]:
        low, high = self.low, self.high
        floored = self._floor is not None and not self._log and self.low >= self._floor
        if live:
            span = high - low if high > low else max(abs(high), 1.0)
            low, high = low - self._headroom * span, high + self._headroom * span
            if floored:
                low = self._floor
            if not self._log:
                low, high = round_down(low), round_up(max(high, low + self._min_span))
            if end is not None and self.high <= end:
                high = min(high, end)  # no room for epochs the run will never reach
        if floored:
            low = self._floor  # epochs and losses from 0: the bottom never has to move
        span = high - low if high > low else max(abs(high), 1.0)
        return low - FIT_PADDING * span, high + FIT_PADDING * span  # room for the end ticks' labels

    def _moved_by_user(self, mask) -> None:
        if mask[self._axis]:
            self.following = False


def clipped_note(axis: AxisFollower) -> str:
    """What a plot's title says of a clipped axis: where it is cut, and how high the data went."""
    if axis.clipped_peak is None or axis.ceiling is None:
        return ""
    return QCoreApplication.translate("AxisFollower", "clipped at {ceiling}; peak {peak}").format(
        ceiling=formatting.number(axis.ceiling, 2), peak=formatting.number(axis.clipped_peak, 2))
