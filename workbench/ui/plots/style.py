"""The shared look of the plots: light background, readable axes, colours for series, runs, layers, classes."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPen
from PySide6.QtWidgets import QGraphicsItem

BACKGROUND = "#ffffff"
FOREGROUND = "#303030"
GRID_ALPHA = 0.15
TITLE_SIZE = "10pt"
# Okabe & Ito's palette ("Color Universal Design", 2008): its colours stay apart for people with red-green
# and blue-yellow colour blindness (tests/ui/test_accessibility.py simulates them). matplotlib's tab10,
# used before, put its green and orange, red and brown almost on top of each other for them. Yellow last:
# it is the palest on white.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442")
TRAIN_COLOR, VAL_COLOR = PALETTE[0], PALETTE[1]
BEST_EPOCH_COLOR = PALETTE[2]
CROSSHAIR_COLOR = "#909090"
LAYER_COLORMAP = "viridis"
LAYER_COLORMAP_END = 0.85  # viridis ends in a pale yellow that vanishes on white: stop before it
CURVE_WIDTH = 2
LOG_AXIS_WIDTH = 72  # px: fits "0.0001" beside the axis title; auto-sizing lets them overlap on log axes
BEHIND_DATA = -200  # z of the axes: below pyqtgraph's view box (-100), which holds curves and legends


class OpaqueGridAxis(pg.AxisItem):
    """An axis whose translucent tick and grid lines are drawn in the opaque colour they have on the
    white background: the raster engine blends a translucent line ~20x slower than it draws an opaque
    one (a plot's horizontal grid cost ~2.7 ms per repaint). The same look, with the grid behind the data."""

    def generateDrawSpecs(self, p):
        specs = super().generateDrawSpecs(p)
        if specs is None:
            return None
        axis_spec, tick_specs, text_specs = specs
        return axis_spec, [(_on_background(pen), start, end) for pen, start, end in tick_specs], text_specs


def _on_background(pen: QPen) -> QPen:
    color = pen.color()
    if color.alpha() == 255:
        return pen
    opaque = QPen(pen)
    opaque.setColor(blended_with_background(color, color.alphaF()))
    return opaque


def blended_with_background(color, share: float) -> QColor:
    """The opaque colour that `share` of `color` over the plot background looks like: as pale as a
    translucent one, at the cost of an opaque line."""
    color, background = QColor(color), QColor(BACKGROUND)
    return QColor.fromRgbF(*(share * channel + (1 - share) * under for channel, under in zip(
        color.getRgbF()[:3], background.getRgbF()[:3], strict=True)))


def make_plot(*, log_y: bool = False) -> pg.PlotWidget:
    """A plot widget in the app's style, with peak downsampling and clipping for long series. Its title and
    axis labels come from label_plot(), again at each change of language."""
    widget = pg.PlotWidget(background=BACKGROUND, axisItems={
        side: OpaqueGridAxis(side) for side in ("left", "bottom")})
    plot = widget.getPlotItem()
    for side in ("left", "bottom"):
        axis = plot.getAxis(side)
        axis.setPen(FOREGROUND)
        axis.setTextPen(FOREGROUND)
        axis.enableAutoSIPrefix(False)  # "ratio (x0.001)" misleads next to log ticks; values are shown as is
    plot.showGrid(x=True, y=True, alpha=GRID_ALPHA)
    for side in ("left", "bottom"):
        axis = plot.getAxis(side)
        # an axis draws its grid across the whole plot, so every curve update repaints it. Cached as a
        # pixmap, it is redrawn only when the axis itself changes (range, size).
        axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        axis.setZValue(BEHIND_DATA)  # pyqtgraph puts axes, hence the grid, above the data
    plot.setDownsampling(mode="peak", auto=True)
    plot.setClipToView(True)
    if log_y:
        plot.setLogMode(y=True)
        plot.getAxis("left").setWidth(LOG_AXIS_WIDTH)
    widget.setMinimumSize(200, 150)
    return widget


def title_plot(widget: pg.PlotWidget, title: str, color=FOREGROUND) -> None:
    widget.getPlotItem().setTitle(title, color=color, size=TITLE_SIZE)


def label_plot(widget: pg.PlotWidget, title: str, x_label: str, y_label: str) -> None:
    """A plot's title and axis labels, in the app's style."""
    title_plot(widget, title)
    for side, label in (("bottom", x_label), ("left", y_label)):
        widget.getPlotItem().getAxis(side).setLabel(label, color=FOREGROUND)


def pen(color, *, width: float = CURVE_WIDTH, dashed: bool = False):
    return pg.mkPen(color, width=width, style=Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine)


# An overlay draws two curves per run in the run's colour: validation (what the comparison is about)
# bold and solid, training thin, dashed and paler, so that the two tell apart at a glance.
VALIDATION_WIDTH = 2.5
TRAINING_WIDTH = 1.2
TRAINING_SHADE = 0.6  # share of the run's colour in the training curve's paler one


def validation_pen(color):
    return pen(color, width=VALIDATION_WIDTH)


def training_pen(color):
    return pen(blended_with_background(color, TRAINING_SHADE), width=TRAINING_WIDTH, dashed=True)


def layer_colors(count: int) -> list[QColor]:
    """First layer to last along a perceptually ordered colormap, so depth reads as colour."""
    if count <= 0:
        return []
    positions = np.linspace(0.0, LAYER_COLORMAP_END, count) if count > 1 else np.zeros(1)
    return list(pg.colormap.get(LAYER_COLORMAP).map(positions, mode="qcolor"))


def palette_color(index: int) -> QColor:
    return QColor(PALETTE[index % len(PALETTE)])


def positive_or_nan(values: np.ndarray) -> np.ndarray:
    """Values a log axis can show; zero or negative ones become gaps instead of warnings."""
    return np.where(values > 0, values, np.nan)
