"""Per-layer views: a metric over time with one curve per layer, and bars of the latest value per layer."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor

from workbench.core.history import GrowableArray, RunHistory
from workbench.ui.plots import style
from workbench.ui.plots.decimation import BucketReducer

LEGEND_COLUMNS_FROM = 7  # a legend of more layers than this gets two columns so it covers less of the plot
BAR_WIDTH = 0.6
BAR_FLOOR_MARGIN = 1.0  # decades below the smallest bar where bars start on the log axis
BAR_LABEL_HEADROOM = 0.6  # decades above the tallest bar, room for its value label


class PerLayerTrend:
    """One curve per layer of a (steps, n_probes × n_layers) pair of buffers, in epochs on x.

    A layer's curve is created the first time it has a finite value, so a metric that does not apply
    to some layers (saturation of a ReLU layer, anything of the output layer) leaves them out of the
    plot and its legend instead of listing empty entries.
    """

    def __init__(self, title: str, y_label: str, steps: Callable[[RunHistory], GrowableArray],
                 values: Callable[[RunHistory], GrowableArray], *, log_y: bool = False,
                 not_applicable: str = ""):
        self.widget = style.make_plot(title, "epoch", y_label, log_y=log_y)
        self._title, self._not_applicable = title, not_applicable
        self._steps, self._values, self._log_y = steps, values, log_y
        self._legend = style.add_legend(self.widget)
        self._history: RunHistory | None = None
        self._curves: dict[int, pg.PlotDataItem] = {}
        self._colors: list[QColor] = []
        self._reducer: BucketReducer | None = None

    @property
    def curve_count(self) -> int:
        return len(self._curves)

    def bind(self, history: RunHistory | None) -> None:
        for curve in self._curves.values():
            self.widget.removeItem(curve)  # also takes it out of the legend
        self._curves = {}
        self._history = history
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
            self.bind(history)
            reducer = self._reducer
        if available == reducer.rows:
            return
        reducer.consume(steps[reducer.rows:available, 0], values[reducer.rows:available])
        epochs = reducer.x / max(1, history.steps_per_epoch)
        means = reducer.mean
        for layer, info in enumerate(history.layers):
            column = means[:, layer]
            curve = self._curves.get(layer)
            if curve is None:
                if not np.isfinite(column).any():
                    continue
                curve = self.widget.plot(pen=style.pen(self._colors[layer]), name=info.name)
                self._curves[layer] = curve
            curve.setData(epochs, style.positive_or_nan(column) if self._log_y else column, connect="finite")
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

    def bind(self, history: RunHistory | None) -> None:
        for label in self._labels:
            self.widget.removeItem(label)
        self._labels, self._history, self._rows_shown = [], history, 0
        self._bars.setOpts(x=[], y0=[], y1=[], brushes=None)
        names = history.layer_names if history is not None else []
        self.widget.getPlotItem().getAxis("bottom").setTicks([list(enumerate(names, start=1))])
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
        floor = np.floor(np.min(logs[finite])) - BAR_FLOOR_MARGIN if finite.any() else 0.0
        tops = np.where(finite, logs, floor)
        positions = np.arange(1, len(latest) + 1)
        self._bars.setOpts(x=positions, y0=np.full(len(latest), floor), y1=tops, brushes=self._brushes)
        for position, label, value, top in zip(positions, self._labels, latest, tops, strict=True):
            label.setText(f"{value:.2g}")
            label.setPos(position, top)
        plot = self.widget.getPlotItem()
        plot.setXRange(0.4, len(latest) + 0.6, padding=0)
        plot.setYRange(floor, max(floor, float(tops.max())) + BAR_LABEL_HEADROOM, padding=0)
