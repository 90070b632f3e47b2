"""The sweep's two overview plots, both coloured by validation accuracy on one scale (AccuracyScale):
parallel coordinates (one vertical axis per swept setting and one for validation accuracy, one line per
trial) and, for a grid over two settings, a heatmap of each configuration's mean validation accuracy."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QVBoxLayout, QWidget

from workbench.core.sweeps.plan import SweepPlan, setting_text
from workbench.core.sweeps.results import PENDING, TrialResult
from workbench.core.sweeps.summary import Configuration
from workbench.ui.language import Translated
from workbench.ui.plots import style

COLOR_LEVELS = 32  # trials are drawn in this many shades: one curve item per shade, not one per trial
LOG_SPAN = 10  # a positive numeric setting whose values span this factor or more gets a log axis
RANGE_TICKS = 3  # a random range's axis is labelled at its ends and middle
FAILED_COLOR = "#909090"
DARK_CELL_LUMA = 0.5  # a heatmap cell of less perceived brightness (0..1) gets white text, else black
AXIS_MARGIN = 0.08


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


class AccuracyScale:
    """Validation accuracy from the sweep's lowest to its highest, as a colour of the theme's part of viridis."""

    def __init__(self, accuracies: Sequence[float]):
        finite = [value for value in accuracies if _is_number(value)]
        self.low, self.high = (min(finite), max(finite)) if finite else (0.0, 1.0)
        if self.high - self.low < 1e-3:
            self.low, self.high = self.low - 0.005, self.high + 0.005

    def share(self, accuracy: float) -> float:
        return min(1.0, max(0.0, (accuracy - self.low) / (self.high - self.low)))

    def color(self, accuracy: float | None) -> QColor:
        return shade(self.share(accuracy)) if _is_number(accuracy) else QColor(FAILED_COLOR)

    def lookup_table(self) -> np.ndarray:
        start, end = style.theme().layer_colormap_span
        return pg.colormap.get(style.LAYER_COLORMAP).map(np.linspace(start, end, 256), mode="byte")


def shade(share: float) -> QColor:
    """The colour of a share of the way from the sweep's lowest accuracy (0) to its highest (1)."""
    start, end = style.theme().layer_colormap_span
    return pg.colormap.get(style.LAYER_COLORMAP).map(start + share * (end - start), mode="qcolor")


def setting_axis(plan: SweepPlan, key: str) -> tuple[Any, list[tuple[float, str]]]:
    """Where each value of a swept key sits on its axis (a function of the value, 0..1) and the axis's labels.
    Numbers keep their scale (a log one when they span LOG_SPAN or more); other values are evenly spaced."""
    sweep = plan.base.sweep
    if key in sweep.random:
        bounds = sweep.random[key]
        return _numeric_axis(bounds.low, bounds.high, bounds.log, None)
    listed = sweep.grid[key]
    if len(listed) > 1 and all(_is_number(value) for value in listed):
        low, high = min(listed), max(listed)
        return _numeric_axis(low, high, low > 0 and high / low >= LOG_SPAN, listed)
    texts = [setting_text(value) for value in listed]
    spacing = max(1, len(texts) - 1)
    positions = {text: (index / spacing if len(texts) > 1 else 0.5) for index, text in enumerate(texts)}
    return (lambda value: positions[setting_text(value)]), [(positions[text], text) for text in texts]


def _numeric_axis(low: float, high: float, log: bool, listed: list | None):
    scale = math.log if log else (lambda value: value)

    def position(value) -> float:
        return (scale(value) - scale(low)) / (scale(high) - scale(low)) if high > low else 0.5

    if listed is None:
        shares = np.linspace(0, 1, RANGE_TICKS)
        listed = [math.exp(math.log(low) + share * (math.log(high) - math.log(low))) if log else
                  low + share * (high - low) for share in shares]
        return position, [(position(value), f"{value:.3g}") for value in listed]
    return position, [(position(value), setting_text(value)) for value in listed]


def _fixed_view(widget: pg.PlotWidget) -> None:
    plot = widget.getPlotItem()
    plot.setMouseEnabled(x=False, y=False)
    plot.hideButtons()
    plot.setMenuEnabled(False)


def _text(label: str, anchor: tuple[float, float], color: QColor | None = None, *, on_background: bool = False
          ) -> pg.TextItem:
    """A label in the plot; on_background: over a patch of the plot's background, readable above lines."""
    fill = QColor(style.theme().background) if on_background else None
    return pg.TextItem(label, color=color or style.resolve(style.FOREGROUND), anchor=anchor, fill=fill)


def _luma(color: QColor) -> float:
    return 0.299 * color.redF() + 0.587 * color.greenF() + 0.114 * color.blueF()


class ParallelCoordinates(Translated, QWidget):
    """A line per trial across one axis per swept setting and a last one for validation accuracy. The axes
    and their labels are drawn again only when the accuracy scale, the theme or the language changes; the
    trials' lines are one item per shade, given new points as trials end (a live sweep redraws often)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.plot = style.make_plot()
        _fixed_view(self.plot)
        self.plot.getPlotItem().hideAxis("left")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)
        self._shown: tuple | None = None
        self._frame: tuple | None = None  # what the axes were drawn for
        self._shade_items: dict[int, pg.PlotDataItem] = {}
        self._highlight_item: pg.PlotDataItem | None = None
        self._accuracy_labels: list[pg.TextItem] = []
        self.highlighted: set[str] = set()
        self.line_count = 0  # trials drawn (tests and the screenshot check read it)
        style.on_theme_change(self.redraw)
        self.retranslate()

    def retranslate(self) -> None:
        style.title_plot(self.plot, self.tr("Trials across the settings, coloured by validation accuracy"))
        self.redraw()

    def show_trials(self, plan: SweepPlan, results: list[TrialResult], scale: AccuracyScale) -> None:
        self._shown = (plan, results, scale)
        self.redraw()

    def set_highlight(self, trial_ids: set[str]) -> None:
        self.highlighted = trial_ids
        self.redraw()

    def redraw(self) -> None:
        if self._shown is None:
            return
        plan, results, scale = self._shown
        axes = [setting_axis(plan, key) for key in plan.keys]
        frame = (plan, style.theme(), self.tr("val acc"))
        if frame != self._frame:
            self._draw_frame(plan, axes)
            self._frame = frame
        for label, value in zip(self._accuracy_labels, np.linspace(scale.low, scale.high, RANGE_TICKS), strict=True):
            label.setText(f"{value:.1%}")
        shades = self._shades(plan, results, scale, axes)
        self.line_count = sum(len(lines) for lines in shades.values())
        for level in sorted(set(self._shade_items) | set(shades)):
            if level not in self._shade_items:
                color = QColor(FAILED_COLOR) if level < 0 else shade(level / (COLOR_LEVELS - 1))
                self._shade_items[level] = self._line_item(style.pen(color, width=1.6, dashed=level < 0), z=-10)
            self._shade_items[level].setData(*_polylines([ys for ys, _trial in shades.get(level, [])]))
        chosen = [ys for lines in shades.values() for ys, trial in lines if trial in self.highlighted]
        self._highlight_item.setData(*_polylines(chosen))

    def _draw_frame(self, plan: SweepPlan, axes: list) -> None:
        """The axes with their labels (the accuracy axis's are set by redraw()); the line items start again."""
        plot = self.plot.getPlotItem()
        plot.clear()
        self._shade_items = {}
        self._highlight_item = self._line_item(style.pen(style.FOREGROUND, width=3.5), z=-5)
        foreground = style.resolve(style.FOREGROUND)
        for x, (_position, ticks) in enumerate(axes):
            self._axis_line(x, ticks, foreground, (1.05, 0.5))
        accuracy_axis = len(axes)
        self._accuracy_labels = self._axis_line(accuracy_axis, [(share, "") for share in np.linspace(0, 1, RANGE_TICKS)],
                                                foreground, (-0.05, 0.5))
        plot.getAxis("bottom").setTicks([[(x, key) for x, key in enumerate(plan.keys)] + [
            (accuracy_axis, self.tr("val acc"))]])
        plot.setXRange(-0.55, accuracy_axis + 0.45, padding=0)
        plot.setYRange(-AXIS_MARGIN, 1 + AXIS_MARGIN, padding=0)

    @staticmethod
    def _shades(plan: SweepPlan, results: list[TrialResult], scale: AccuracyScale, axes: list
                ) -> dict[int, list[tuple]]:
        """The line of each trial that ran (its points, its trial id), by shade: -1 for those without a
        result, drawn grey and dashed as far as their settings go."""
        shades: dict[int, list[tuple]] = {}
        for result in results:
            if result.status == PENDING:
                continue
            ys = [position(result.trial.settings[key]) for (position, _ticks), key in zip(axes, plan.keys, strict=True)]
            accuracy = result.val_acc if result.has_result else None
            level = -1 if accuracy is None else round(scale.share(accuracy) * (COLOR_LEVELS - 1))
            shades.setdefault(level, []).append((ys + ([scale.share(accuracy)] if accuracy is not None else []),
                                                 result.trial.id))
        return shades

    def _line_item(self, pen, *, z: float) -> pg.PlotDataItem:
        item = pg.PlotDataItem([], [], pen=pen, connect="finite")
        item.setZValue(z)  # under the axes' labels, which sit on patches of background
        self.plot.getPlotItem().addItem(item)
        return item

    def _axis_line(self, x: float, ticks: list[tuple[float, str]], color: QColor, anchor: tuple[float, float]
                   ) -> list[pg.TextItem]:
        plot = self.plot.getPlotItem()
        plot.addItem(pg.PlotDataItem([x, x], [0, 1], pen=style.pen(color, width=1)))
        labels = []
        for y, label in ticks:
            item = _text(label, anchor, on_background=True)
            item.setPos(x, y)
            plot.addItem(item)
            labels.append(item)
        return labels


def _polylines(lines: list[list[float]]) -> tuple[list[float], list[float]]:
    """Lines through x = 0, 1, 2... as one series, each ended by a gap."""
    xs, ys = [], []
    for values in lines:
        xs += [*range(len(values)), math.nan]
        ys += [*values, math.nan]
    return xs, ys


def heatmap_keys(plan: SweepPlan) -> tuple[str, str] | None:
    """(x key, y key) of a grid over exactly two settings, the one with more values across; else None."""
    if len(plan.keys) != 2 or plan.ranged_keys:
        return None
    first, second = plan.keys
    grid = plan.base.sweep.grid
    return (first, second) if len(grid[first]) > len(grid[second]) else (second, first)


class GridHeatmap(Translated, QWidget):
    """Each configuration's mean validation accuracy in a cell of the two settings' grid, with the
    primary finding of a flagged one written under its number."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.plot = style.make_plot()
        _fixed_view(self.plot)
        self.plot.getPlotItem().showGrid(x=False, y=False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)
        self._shown: tuple | None = None
        self.title = ""
        self._frame: tuple | None = None  # what the grid was drawn for
        self._image: pg.ImageItem | None = None
        self._labels: dict[tuple[int, int], pg.TextItem] = {}
        self.cells: dict[tuple[str, str], str] = {}  # (x value, y value) -> the cell's text
        style.on_theme_change(self.redraw)
        self.retranslate()

    def retranslate(self) -> None:
        self.title = self.tr("Mean validation accuracy of each configuration")
        self.plot.setToolTip(self.tr("Grey: no trial of this configuration ended with a result."))
        self.redraw()

    def show_grid(self, plan: SweepPlan, configurations: list[Configuration], scale: AccuracyScale) -> None:
        self._shown = (plan, configurations, scale)
        self.redraw()

    def redraw(self) -> None:
        keys = heatmap_keys(self._shown[0]) if self._shown else None
        if keys is None:
            self.plot.getPlotItem().clear()
            self.cells, self._frame = {}, None
            return
        plan, configurations, scale = self._shown
        x_key, y_key = keys
        x_values = [setting_text(value) for value in plan.base.sweep.grid[x_key]]
        y_values = [setting_text(value) for value in plan.base.sweep.grid[y_key]]
        means = np.full((len(x_values), len(y_values)), np.nan)
        notes = {}
        for configuration in configurations:
            cell = (x_values.index(setting_text(configuration.settings[x_key])),
                    y_values.index(setting_text(configuration.settings[y_key])))
            if configuration.mean_accuracy is not None:
                means[cell] = configuration.mean_accuracy
            if configuration.alarms:
                notes[cell] = configuration.alarms.most_common(1)[0][0]
        frame = (plan, style.theme(), self.title)
        if frame != self._frame:  # the grid, its axes and a label per cell; then only the cells change
            self._frame = frame
            self._draw_frame(keys, x_values, y_values)
        self._image.setImage(means, levels=(scale.low, scale.high), lut=scale.lookup_table())
        self.cells = {}
        for (column, row), accuracy in np.ndenumerate(means):
            label = "–" if math.isnan(accuracy) else f"{accuracy:.1%}"
            if (column, row) in notes:
                label += "\n" + notes[(column, row)]
            self.cells[(x_values[column], y_values[row])] = label
            dark = _luma(scale.color(None if math.isnan(accuracy) else accuracy)) < DARK_CELL_LUMA
            self._labels[(column, row)].setText(label, QColor("white") if dark else QColor("black"))

    def _draw_frame(self, keys: tuple[str, str], x_values: list[str], y_values: list[str]) -> None:
        plot = self.plot.getPlotItem()
        plot.clear()
        x_key, y_key = keys
        self._image = pg.ImageItem()
        plot.addItem(self._image)
        self._labels = {}
        for column in range(len(x_values)):
            for row in range(len(y_values)):
                label = self._labels[(column, row)] = _text("", (0.5, 0.5))
                label.setPos(column + 0.5, row + 0.5)
                plot.addItem(label)
        plot.getAxis("bottom").setTicks([[(index + 0.5, value) for index, value in enumerate(x_values)]])
        plot.getAxis("left").setTicks([[(index + 0.5, value) for index, value in enumerate(y_values)]])
        style.label_plot(self.plot, self.title, x_key, y_key)
        plot.setXRange(0, len(x_values), padding=0)
        plot.setYRange(0, len(y_values), padding=0)
        plot.getViewBox().setBackgroundColor(QColor(FAILED_COLOR))  # shows through a cell without a mean
