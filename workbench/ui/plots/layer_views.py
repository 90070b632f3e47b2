"""Per-layer views: a metric over time with one curve per layer, and bars of the latest value per layer."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor

from workbench.core.history import GrowableArray, RunHistory
from workbench.ui.plots import style
from workbench.ui.plots.decimation import BucketReducer
from workbench.ui.plots.ranges import X_HEADROOM, Y_HEADROOM, AxisFollower

LEGEND_COLUMNS_FROM = 7  # a legend of more layers than this gets two columns so it covers less of the plot
BAR_WIDTH = 0.6
BAR_FLOOR_MARGIN = 1.0  # decades below the smallest bar where bars start on the log axis
BAR_LABEL_HEADROOM = 0.6  # decades above the tallest bar, room for its value label
BAR_MIN_HEIGHT = 0.5  # decades: a bar shorter than this on the current axis makes the axis move
BAR_RANGE_SLACK = 1.0  # decades of extra room the bar axis may keep before it closes in on the bars
EMPTY_BAR_RANGE = (-1.0, 1.0)  # decades, while no layer has a positive value to show
GUIDE_LABEL_OPTIONS = {"position": 0.08, "color": "#606060"}


class PerLayerTrend:
    """One curve per layer of a (steps, n_probes × n_layers) pair of buffers, in epochs on x.

    A layer's curve is created the first time it has a finite value, so a metric that does not apply
    to some layers (saturation of a ReLU layer, anything of the output layer) leaves them out of the
    plot and its legend instead of listing empty entries.
    """

    def __init__(self, title: str, y_label: str, steps: Callable[[RunHistory], GrowableArray],
                 values: Callable[[RunHistory], GrowableArray], *, log_y: bool = False,
                 y_range: tuple[float, float] | None = None, not_applicable: str = ""):
        """`y_range`: a fixed value axis (shares: 0 to 1); without it the axis follows the values."""
        self.widget = style.make_plot(title, "epoch", y_label, log_y=log_y)
        self._title, self._not_applicable = title, not_applicable
        self._steps, self._values, self._log_y = steps, values, log_y
        self._legend = style.add_legend(self.widget)
        self._history: RunHistory | None = None
        self._planned_epochs: int | None = None
        self._curves: dict[int, pg.PlotDataItem] = {}
        self._colors: list[QColor] = []
        self._reducer: BucketReducer | None = None
        self._guides: list[float] = []
        self._x_axis = AxisFollower(self.widget, "x", headroom=X_HEADROOM, floor=0.0)
        self._y_axis = None if y_range else AxisFollower(self.widget, "y", headroom=Y_HEADROOM, log=log_y)
        if y_range:
            self.widget.setYRange(*y_range)

    @property
    def curve_count(self) -> int:
        return len(self._curves)

    def add_guide(self, value: float, label: str) -> None:
        """A dashed horizontal line at a reference value, always kept in view."""
        y = np.log10(value) if self._log_y else value
        self.widget.getPlotItem().addLine(y=y, pen=style.pen(style.CROSSHAIR_COLOR, width=1, dashed=True),
                                          label=label, labelOpts=GUIDE_LABEL_OPTIONS)
        self._guides.append(value)
        self._restart_axes()

    def _restart_axes(self) -> None:
        self._x_axis.restart()
        if self._y_axis is not None:
            self._y_axis.restart()
            self._y_axis.include(self._guides)

    def bind(self, history: RunHistory | None, planned_epochs: int | None = None) -> None:
        """Follow this history from now on; `planned_epochs`: what a live run's epoch axis spans."""
        for curve in self._curves.values():
            self.widget.removeItem(curve)  # also takes it out of the legend
        self._curves = {}
        self._history, self._planned_epochs = history, planned_epochs
        self._restart_axes()
        self._set_title(self._title)
        if history is None:
            self._reducer = None
            return
        count = len(history.layers)
        self._colors = style.layer_colors(count)
        self._legend.setColumnCount(2 if count > LEGEND_COLUMNS_FROM else 1)
        self._reducer = BucketReducer(count)

    def refresh(self) -> None:
        history, reducer = self._history, self._reducer
        if history is None or reducer is None:
            return
        steps, values = self._steps(history).view(), self._values(history).view()
        available = min(len(steps), len(values))  # the two buffers are appended one after the other
        if available < reducer.rows:  # the history was cut back: start over
            self.bind(history, self._planned_epochs)
            reducer = self._reducer
        if available > reducer.rows:
            self._add_rows(history, reducer, steps[reducer.rows:available, 0], values[reducer.rows:available])
        live = history.status == "running"
        self._x_axis.update(live=live, limit=self._planned_epochs)
        if self._y_axis is not None:
            self._y_axis.update(live=live)

    def _add_rows(self, history: RunHistory, reducer: BucketReducer, steps: np.ndarray,
                  values: np.ndarray) -> None:
        first_changed = reducer.rows  # the bucket of this row and all after it get new means
        reducer.consume(steps, values)
        first_changed //= reducer.rows_per_bucket
        steps_per_epoch = max(1, history.steps_per_epoch)
        epochs = reducer.x / steps_per_epoch
        means = reducer.mean
        self._x_axis.include(steps[-1] / steps_per_epoch)
        for layer, info in enumerate(history.layers):
            column = means[:, layer]
            curve = self._curves.get(layer)
            if curve is None:
                if not np.isfinite(column).any():
                    continue
                curve = self.widget.plot(pen=style.pen(self._colors[layer]), name=info.name)
                self._curves[layer] = curve
            curve.setData(epochs, style.positive_or_nan(column) if self._log_y else column, connect="finite")
            if self._y_axis is not None:  # merged buckets' means lie between means already included
                self._y_axis.include(column[first_changed:])
        if not self._curves and self._not_applicable:
            self._set_title(f"{self._title}: {self._not_applicable}")

    def _set_title(self, title: str) -> None:
        self.widget.getPlotItem().setTitle(title, color=style.FOREGROUND, size=style.TITLE_SIZE)


class LatestPerLayerBars:
    """Bars of the newest row of a per-layer buffer on a log axis, coloured like the layer curves,
    each labelled with its exact value."""

    def __init__(self, title: str, y_label: str, values: Callable[[RunHistory], GrowableArray]):
        self.widget = style.make_plot(title, "layer", y_label, log_y=True)
        self._values = values
        self._bars = pg.BarGraphItem(x=[], y0=[], y1=[], width=BAR_WIDTH)
        self.widget.addItem(self._bars)
        self.widget.getPlotItem().setMouseEnabled(x=False, y=False)  # the ranges follow the bars
        self.widget.getPlotItem().showGrid(x=False, y=True, alpha=style.GRID_ALPHA)  # no lines through bars
        self._labels: list[pg.TextItem] = []
        self._history: RunHistory | None = None
        self._rows_shown = 0
        self._brushes: list = []
        self._y_range: tuple[float, float] | None = None

    def bind(self, history: RunHistory | None) -> None:
        for label in self._labels:
            self.widget.removeItem(label)
        self._labels, self._history, self._rows_shown, self._y_range = [], history, 0, None
        self._bars.setOpts(x=[], y0=[], y1=[], brushes=None)
        names = history.layer_names if history is not None else []
        self.widget.getPlotItem().getAxis("bottom").setTicks([list(enumerate(names, start=1))])
        self.widget.setXRange(0.4, len(names) + 0.6, padding=0)
        self._brushes = [pg.mkBrush(color) for color in style.layer_colors(len(names))]
        for _ in names:
            label = pg.TextItem(color=style.FOREGROUND, anchor=(0.5, 1.0))
            self.widget.addItem(label)
            self._labels.append(label)

    def refresh(self) -> None:
        history = self._history
        if history is None:
            return
        rows = self._values(history).view()
        if len(rows) == self._rows_shown or not len(rows):
            return
        self._rows_shown = len(rows)
        latest = rows[-1]
        logs = np.log10(style.positive_or_nan(latest))
        finite = np.isfinite(logs)
        if finite.any():
            y_range = bar_range(self._y_range, float(logs[finite].min()), float(logs[finite].max()))
        else:
            y_range = self._y_range or EMPTY_BAR_RANGE
        if y_range != self._y_range:
            self._y_range = y_range
            self.widget.setYRange(*y_range, padding=0)
        floor = y_range[0]
        tops = np.where(finite, logs, floor)
        positions = np.arange(1, len(latest) + 1)
        self._bars.setOpts(x=positions, y0=np.full(len(latest), floor), y1=tops, brushes=self._brushes)
        for position, label, value, top in zip(positions, self._labels, latest, tops, strict=True):
            text = f"{value:.2g}"
            if text != label.toPlainText():  # two digits: most probes leave the text as it was
                label.setText(text)
            label.setPos(position, top)


def bar_range(shown: tuple[float, float] | None, low: float, high: float) -> tuple[float, float]:
    """The log axis (in decades) for bars whose tops lie between `low` and `high`: the one shown while
    every bar stays visible with room for its label and not much space is wasted (so a new probe rarely
    moves the axis), else whole decades around the bars."""
    if shown is not None:
        bottom, top = shown
        bars_fit = low - bottom >= BAR_MIN_HEIGHT and top - high >= BAR_LABEL_HEADROOM
        # a fresh axis leaves up to a decade more than the margins (they are rounded to whole decades)
        snug = (low - bottom <= BAR_FLOOR_MARGIN + 1 + BAR_RANGE_SLACK
                and top - high <= BAR_LABEL_HEADROOM + 1 + BAR_RANGE_SLACK)
        if bars_fit and snug:
            return shown
    return math.floor(low) - BAR_FLOOR_MARGIN, math.ceil(high + BAR_LABEL_HEADROOM)
