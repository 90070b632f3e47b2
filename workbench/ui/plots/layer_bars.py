"""Bars of the latest value per layer, on a log axis, each labelled with its value.

A diverged run leaves little to draw on a log axis: zeros (units that all died) or NaN. The bars then show
the newest probe that had finite values, and the title names its step.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication

from workbench.core.history import GrowableArray, RunHistory
from workbench.core.i18n import layer_name
from workbench.ui import formatting
from workbench.ui.plots import style

BAR_WIDTH = 0.6
BAR_FLOOR_MARGIN = 1.0  # decades below the smallest bar where bars start on the log axis
BAR_LABEL_HEADROOM = 0.6  # decades above the tallest bar, room for its value label
BAR_MIN_HEIGHT = 0.5  # decades: a bar shorter than this on the current axis makes the axis move
BAR_RANGE_SLACK = 1.0  # decades of extra room the bar axis may keep before it closes in on the bars
EMPTY_BAR_RANGE = (-1.0, 1.0)  # decades, while no layer has a positive value to show


class LatestPerLayerBars:
    """Bars of the newest row of a per-layer buffer on a log axis, coloured like the layer curves,
    each labelled with its exact value. When the newest rows hold no positive finite value (a diverged
    run: zeros and NaN), the bars show the newest row that does, and the title names its step."""

    def __init__(self, steps: Callable[[RunHistory], GrowableArray],
                 values: Callable[[RunHistory], GrowableArray]):
        self.widget = style.make_plot(log_y=True)
        self._title, self._steps, self._values = "", steps, values
        self._bars = pg.BarGraphItem(x=[], y0=[], y1=[], width=BAR_WIDTH)
        self.widget.addItem(self._bars)
        self.widget.getPlotItem().setMouseEnabled(x=False, y=False)  # the ranges follow the bars
        self.widget.getPlotItem().showGrid(x=False, y=True, alpha=style.GRID_ALPHA)  # no lines through bars
        self._labels: list[pg.TextItem] = []
        self._history: RunHistory | None = None
        self._drawn: tuple[int, bool] = (0, False)  # the rows drawn, and whether the run was live then
        self._drawn_step: int | None = None  # the step of an older probe drawn instead of the newest, if so
        self._brushes: list = []
        self._y_range: tuple[float, float] | None = None
        self.shown_title = ""

    def restyle(self) -> None:
        """In a new theme: draw the bars and their value labels again in its colours."""
        if self._history is not None:
            self.bind(self._history)
            self.refresh()

    def set_texts(self, title: str, y_label: str) -> None:
        self._title = title
        style.label_plot(self.widget, self.shown_title, QCoreApplication.translate("PerLayerViews", "layer"),
                         y_label)
        self._show_title()

    def bind(self, history: RunHistory | None) -> None:
        for label in self._labels:
            self.widget.removeItem(label)
        self._labels, self._history, self._drawn, self._y_range = [], history, (0, False), None
        self._bars.setOpts(x=[], y0=[], y1=[], brushes=None)
        self._drawn_step = None
        self._show_title()
        names = [layer_name(name) for name in history.layer_names] if history is not None else []
        self.widget.getPlotItem().getAxis("bottom").setTicks([list(enumerate(names, start=1))])
        self.widget.setXRange(0.4, len(names) + 0.6, padding=0)
        self._brushes = [pg.mkBrush(color) for color in style.layer_colors(len(names))]
        for _ in names:
            label = pg.TextItem(color=style.resolve(style.FOREGROUND), anchor=(0.5, 1.0))
            self.widget.addItem(label)
            self._labels.append(label)

    def refresh(self) -> None:
        history = self._history
        if history is None:
            return
        rows, live = self._values(history).view(), history.status == "running"
        if (len(rows), live) == self._drawn or not len(rows):  # an ended run's axis closes in on its bars
            return
        self._drawn = len(rows), live
        drawable, steps = newest_drawable_row(rows), self._steps(history).view()
        if 0 <= drawable < min(len(rows) - 1, len(steps)):  # the newer probes have nothing to draw
            self._drawn_step = int(steps[drawable, 0])
        else:
            self._drawn_step, drawable = None, -1
        self._draw(rows[drawable], live=live)
        self._show_title()

    def _draw(self, values: np.ndarray, *, live: bool) -> None:
        logs = np.log10(style.positive_or_nan(values))
        finite = np.isfinite(logs)
        if finite.any():
            y_range = bar_range(self._y_range, float(logs[finite].min()), float(logs[finite].max()), live=live)
        else:
            y_range = self._y_range or EMPTY_BAR_RANGE
        if y_range != self._y_range:
            self._y_range = y_range
            self.widget.setYRange(*y_range, padding=0)
        floor = y_range[0]
        tops = np.where(finite, logs, floor)
        positions = np.arange(1, len(values) + 1)
        self._bars.setOpts(x=positions, y0=np.full(len(values), floor), y1=tops, brushes=self._brushes)
        for position, label, value, top in zip(positions, self._labels, values, tops, strict=True):
            text = formatting.number(value, 2)
            if text != label.toPlainText():  # two digits: most probes leave the text as it was
                label.setText(text)
            label.setPos(position, top)

    def _show_title(self) -> None:
        if self._drawn_step is None:
            title = QCoreApplication.translate("PerLayerViews", "{title} (latest probe)").format(title=self._title)
        else:
            title = QCoreApplication.translate(
                "PerLayerViews", "{title} at step {step} (the newest probe above 0)").format(
                title=self._title, step=f"{self._drawn_step:,}")
        if title != self.shown_title:  # a title set again relayouts the plot
            self.shown_title = title
            style.title_plot(self.widget, title)


def newest_drawable_row(rows: np.ndarray) -> int:
    """The index of the newest row with a positive finite value (what a log axis can draw), -1 if none.
    The newest row is checked alone first: while a run trains that is all it costs."""
    def drawable(values):
        return np.isfinite(values) & (values > 0)

    if drawable(rows[-1]).any():
        return len(rows) - 1
    usable = np.flatnonzero(drawable(rows).any(axis=1))
    return int(usable[-1]) if len(usable) else -1


def bar_range(shown: tuple[float, float] | None, low: float, high: float, *,
              live: bool = False) -> tuple[float, float]:
    """The log axis (in decades) for bars whose tops lie between `low` and `high`: the one shown while
    every bar stays visible with room for its label and not much space is wasted (so a new probe rarely
    moves the axis), else whole decades around the bars. While the run is `live` the axis only grows:
    at batch size 1 the gradient norms jump by decades from one probe to the next, and closing in after
    each jump moved the axis, repainting the plot, several times a second."""
    fitted = math.floor(low) - BAR_FLOOR_MARGIN, math.ceil(high + BAR_LABEL_HEADROOM)
    if shown is None:
        return fitted
    bottom, top = shown
    bars_fit = low - bottom >= BAR_MIN_HEIGHT and top - high >= BAR_LABEL_HEADROOM
    if live:
        return shown if bars_fit else (min(bottom, fitted[0]), max(top, fitted[1]))
    # a fresh axis leaves up to a decade more than the margins (they are rounded to whole decades)
    snug = (low - bottom <= BAR_FLOOR_MARGIN + 1 + BAR_RANGE_SLACK
            and top - high <= BAR_LABEL_HEADROOM + 1 + BAR_RANGE_SLACK)
    return shown if bars_fit and snug else fitted
