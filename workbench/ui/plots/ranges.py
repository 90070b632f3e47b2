"""Axis ranges that follow a live run's data without pyqtgraph's auto-range.

Auto-range re-fits an axis on every data change: each refresh then recomputes the data bounds, regenerates
the ticks, labels and grid, and repaints the whole plot (3-8 ms of GUI-thread time, 30 times a second while
a run trains). Here an axis moves only when new data leaves its range, and then with room to grow, so most
refreshes repaint the curves alone. The data bounds are kept incrementally, from the new values only.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg

X_HEADROOM = 0.5  # a live epoch axis of unknown planned length grows to 1.5x the epochs done: few jumps
Y_HEADROOM = 0.1  # share of the data's span added above and below when a value axis has to grow
FIT_PADDING = 0.02  # margin around the range, as pyqtgraph's own auto-range leaves: end labels show


class AxisFollower:
    """Keeps one axis of a plot around all the data shown on it.

    While a run is live the range only grows, with headroom, when a value falls outside it, and an epoch
    axis spans the planned epochs from the start; once the run has finished the range fits the data
    snugly (the epochs early stopping left out disappear). An axis with a `floor` (epochs, losses: 0)
    starts there. A user who pans or zooms takes the axis over; the plot's auto-range button ("A") hands
    it back.
    """

    def __init__(self, plot: pg.PlotWidget, axis: str, *, headroom: float, floor: float | None = None,
                 log: bool = False, watch: tuple[pg.PlotWidget, ...] = ()):
        self._view = plot.getPlotItem().getViewBox()
        # with the plots whose axis is linked to this one: the user may zoom or click "A" in any of them
        self._views = [widget.getPlotItem().getViewBox() for widget in (plot, *watch)]
        self._axis = 0 if axis == "x" else 1
        self._headroom, self._floor, self._log = headroom, floor, log
        for view in self._views:
            view.enableAutoRange(axis=axis, enable=False)
            view.sigRangeChangedManually.connect(self._moved_by_user)
        self.restart()

    def restart(self) -> None:
        """Forget the data: the next update fits whatever is included from now on."""
        self.low, self.high = math.inf, -math.inf
        self.following = True
        self._shown: tuple[float, float] | None = None

    def include(self, values) -> None:
        """Fold in newly plotted values (on a log axis, the positive ones, as pyqtgraph draws them)."""
        values = np.asarray(values, dtype=float).reshape(-1)
        if self._log:
            with np.errstate(divide="ignore", invalid="ignore"):
                values = np.log10(values)
        finite = values[np.isfinite(values)]
        if finite.size:
            self.low = min(self.low, float(finite.min()))
            self.high = max(self.high, float(finite.max()))

    def update(self, *, live: bool, limit: float | None = None) -> None:
        """Move the axis if the data needs it: cheap when it does not, so call it on every refresh.
        `limit`: the planned end of the run, which a live range spans from the start."""
        if any(view.autoRangeEnabled()[self._axis] is not False for view in self._views):
            for view in self._views:  # the user clicked "A": follow the data again, without re-fitting
                view.enableAutoRange(axis=self._axis, enable=False)
            self.following, self._shown = True, None
        if not self.following or self.low > self.high:
            return
        shown = self._shown
        if live and shown is not None and shown[0] <= self.low and self.high <= shown[1]:
            return
        target = self._target(live, limit)
        if target != shown:
            self._shown = target
            if self._axis == 0:
                self._view.setXRange(*target, padding=0)
            else:
                self._view.setYRange(*target, padding=0)

    def _target(self, live: bool, limit: float | None) -> tuple[float, float]:
        low, high = self.low, self.high
        if live:
            span = high - low if high > low else max(abs(high), 1.0)
            low, high = low - self._headroom * span, high + self._headroom * span
            if limit is not None and self.high <= limit:
                high = limit  # the run's planned length: the axis stays put while it trains
        if self._floor is not None and self.low >= self._floor:
            low = self._floor  # epochs and losses from 0: the bottom never has to move
        span = high - low if high > low else max(abs(high), 1.0)
        return low - FIT_PADDING * span, high + FIT_PADDING * span  # room for the end ticks' labels

    def _moved_by_user(self, mask) -> None:
        if mask[self._axis]:
            self.following = False
