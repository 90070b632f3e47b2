"""The shared look of the plots: background and text in the app's light or dark theme, readable axes, colours
for series, runs, layers and classes.

The plots follow the application's palette, which Qt keeps in step with the desktop's light or dark scheme
(QStyleHints.colorScheme, Qt >= 6.5): the main window calls follow_palette() when its palette changes, and
every plot made here is restyled at once, and the views that asked with on_theme_change() redraw what they
coloured themselves (curves, keys, bars).
Colours that depend on the theme are written as the roles FOREGROUND and TRAINING_SHADE_OF_FOREGROUND and
resolved when drawn.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
import shiboken6
from pyqtgraph.graphicsItems.ViewBox.ViewBoxMenu import ViewBoxMenu
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPalette, QPen, QTextCursor
from PySide6.QtWidgets import QGraphicsItem


@dataclass(frozen=True)
class Theme:
    background: str
    foreground: str  # titles, axes, labels, and the run colour that would be black on white
    layer_colormap_span: tuple[float, float]  # the part of viridis that stands out on the background


# viridis ends in a pale yellow that vanishes on white, and starts in a dark purple that vanishes on black
LIGHT = Theme(background="#ffffff", foreground="#303030", layer_colormap_span=(0.0, 0.85))
DARK = Theme(background="#1e1e1e", foreground="#dcdcdc", layer_colormap_span=(0.2, 1.0))
DARK_WINDOW_LIGHTNESS = 128  # a palette whose window colour is darker than this (of 255) is a dark one
FOREGROUND = "role:foreground"  # a colour role: the theme's foreground when drawn
TRAINING_SHADE_OF_FOREGROUND = "role:training-shade-of-foreground"  # the key's sample for "training" in overlays
GRID_ALPHA = 0.15
TITLE_SIZE = "10pt"
# Okabe & Ito's palette ("Color Universal Design", 2008): its colours stay apart for people with red-green
# and blue-yellow colour blindness (tests/ui/test_accessibility.py simulates them). matplotlib's tab10,
# used before, put its green and orange, red and brown almost on top of each other for them. Their black
# is the theme's foreground (black vanishes on a dark background); yellow last: it is the palest on white.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", FOREGROUND, "#F0E442")
TRAIN_COLOR, VAL_COLOR = PALETTE[0], PALETTE[1]
BEST_EPOCH_COLOR = PALETTE[2]
CROSSHAIR_COLOR = "#909090"  # mid grey: as visible on white as on black
LAYER_COLORMAP = "viridis"
CURVE_WIDTH = 2
LOG_AXIS_WIDTH = 72  # px: fits "0.0001" beside the axis title; auto-sizing lets them overlap on log axes
BEHIND_DATA = -200  # z of the axes: below pyqtgraph's view box (-100), which holds curves and legends

_theme = LIGHT
_plots: weakref.WeakSet = weakref.WeakSet()  # every plot widget made here: restyled with the theme
_title_colors: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # a plot's title colour, or a role
_titles_shown: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # a plot's title and colour as drawn
_followers: list[tuple[weakref.WeakMethod, weakref.ref]] = []  # views that redraw what they coloured themselves, and the Qt object that bounds each one's life


def theme() -> Theme:
    return _theme


def follow_palette(palette: QPalette) -> None:
    """Take the light or dark theme of this palette (the window's); when it changes, restyle every plot."""
    global _theme
    dark = palette.color(QPalette.ColorRole.Window).lightness() < DARK_WINDOW_LIGHTNESS
    chosen = DARK if dark else LIGHT
    if chosen is _theme:
        return
    _theme = chosen
    for widget in list(_plots):
        if shiboken6.isValid(widget):  # Qt may have deleted a plot that Python still holds
            _apply_theme(widget)
    for method in _live_followers():
        method()


def on_theme_change(method: Callable[[], None], owner: QObject | None = None) -> None:
    """Call this bound method after the theme changed, for as long as `owner` lives (by default the
    method's own object, which must then be a Qt object). A plain Python object's method must name the
    widget that holds what it draws: once Qt deleted that widget, the items left in Python are dangling,
    and restyling them crashed the app (a point probe of a closed window, at the next palette change)."""
    owner = method.__self__ if owner is None else owner
    if not isinstance(owner, QObject):
        raise TypeError(f"{method.__qualname__}: a theme follower needs a Qt object that bounds its life")
    _followers[:] = [(follower, held) for follower, held in _followers if follower() is not None]
    _followers.append((weakref.WeakMethod(method), weakref.ref(owner)))


def _live_followers() -> list[Callable[[], None]]:
    live = []
    for follower, held in _followers:
        method, owner = follower(), held()
        if method is not None and owner is not None and shiboken6.isValid(owner):
            live.append(method)
    return live


def resolve(color) -> QColor:
    """A colour, or a role (FOREGROUND, TRAINING_SHADE_OF_FOREGROUND) in the current theme."""
    if isinstance(color, str) and color == FOREGROUND:
        return QColor(_theme.foreground)
    if isinstance(color, str) and color == TRAINING_SHADE_OF_FOREGROUND:
        return blended_with_background(_theme.foreground, TRAINING_SHADE)
    return QColor(color)


# On a log axis spanning under three powers of ten, the values between them that are labelled: the first of
# these sets whose labels keep LOG_LABEL_GAP text heights apart (pyqtgraph labels all of 1-9 x each power: on
# a gradient plot spanning 0.04-0.6, "0.09" was drawn over "0.08" and "0.07"; in Compare's small plots, all of
# them over each other).
LOG_LABEL_MANTISSAS = ((1, 2, 3, 4, 5, 6, 7, 8, 9), (1, 2, 5), (1, 3), (1,))
LOG_LABEL_GAP = 1.2


class OpaqueGridAxis(pg.AxisItem):
    """An axis whose translucent tick and grid lines are drawn in the opaque colour they have on the
    plot's background: the raster engine blends a translucent line ~20x slower than it draws an opaque
    one (a plot's horizontal grid cost ~2.7 ms per repaint). The same look, with the grid behind the data.
    In log mode, the ticks between powers of ten are as many as their labels have room for."""

    def logTickValues(self, minVal, maxVal, size, stdTicks):  # noqa: N802, N803 (pyqtgraph's names)
        ticks = [(spacing, values) for spacing, values in stdTicks if spacing >= 1.0]
        if len(ticks) >= 3 or maxVal <= minVal:
            return ticks
        room = LOG_LABEL_GAP * self._label_extent()
        pixels_per_decade = size / (maxVal - minVal)
        for mantissas in LOG_LABEL_MANTISSAS:
            between = [power + float(np.log10(mantissa)) for power in range(int(np.floor(minVal)), int(np.ceil(maxVal)))
                       for mantissa in mantissas]
            between = [value for value in between if minVal < value < maxVal]
            if len(between) < 2 or np.diff(between).min() * pixels_per_decade >= room:
                break
        return [*ticks, (None, between)]

    def _label_extent(self) -> float:
        """A tick label's size along the axis: its height on a vertical axis, a wide label's width on a
        horizontal one."""
        metrics = QFontMetricsF(self.style["tickFont"] or self.font())
        return metrics.height() if self.orientation in ("left", "right") else metrics.horizontalAdvance("0.08")

    def generateDrawSpecs(self, p):
        specs = super().generateDrawSpecs(p)
        if specs is None:
            return None
        axis_spec, tick_specs, text_specs = specs
        return axis_spec, [(_on_background(pen), start, end) for pen, start, end in tick_specs], text_specs


class LazyMenuViewBox(pg.ViewBox):
    """A view whose context menu is built at its first right-click, not with the plot: pyqtgraph builds it
    for every plot (~2.6 ms of a plot's ~9), and the per-layer strips and rows are made while a run starts
    or a tab is first shown (soak_gui.py), when the GUI thread has least time to spare."""

    def __init__(self, **kwargs) -> None:
        super().__init__(enableMenu=False, **kwargs)
        self.state["enableMenu"] = True

    def _applyMenuEnabled(self) -> None:  # noqa: N802 (pyqtgraph's name): drops a menu, never builds one
        if not self.menuEnabled():
            super()._applyMenuEnabled()

    def getMenu(self, ev):  # noqa: N802 (pyqtgraph's name)
        if self.menu is None and self.menuEnabled():
            self.menu = ViewBoxMenu(self)
            self.updateViewLists()
        return self.menu

    def getContextMenus(self, event):  # noqa: N802 (pyqtgraph's name)
        return self.getMenu(event).actions() if self.menuEnabled() else []


class ShrinkableTitle(pg.LabelItem):
    """A plot title that never makes its plot wider than its view: pyqtgraph's sets its text's width as the
    plot's minimum, so a plot narrower than its title overflowed its view (the per-class accuracy's last
    classes and the end of its title cut off), and an axis cached as a pixmap (make_plot) that overflows
    its view by a fifth is redrawn by Qt only in part: tick labels painted at an earlier size stayed (a
    second "0.1", or the labels of a shorter axis, under xcb).

    A title wider than its plot is elided in the middle, the whole of it in a tooltip: cut at both ends (it is
    centred), a compared run's name lost its start and the end that tells it from its twin ("OR, PReLU, normal
    init of std 1 + fix for bad_"); a fix's run is named after its original, so the ends are what differ."""

    def setText(self, text, **args):  # noqa: N802 (pyqtgraph's name)
        self._whole = None  # the item's text as set, read back at the layout that setText does
        super().setText(text, **args)

    def resizeEvent(self, ev):  # noqa: N802 (pyqtgraph's name)
        whole = getattr(self, "_whole", None)
        if whole is None:
            self._whole = self.item.toHtml()
        else:
            self.item.setHtml(whole)
        self._elide(self.width())
        super().resizeEvent(ev)

    def updateMin(self):  # noqa: N802 (pyqtgraph's name)
        super().updateMin()
        self.setMinimumWidth(0)

    def _elide(self, width: float) -> None:
        document = self.item.document()
        text = document.toPlainText()
        room = width - 2 * document.documentMargin()
        elided = text
        if text and room > 0 and self.item.boundingRect().width() > width:
            cursor = QTextCursor(document)
            cursor.movePosition(QTextCursor.MoveOperation.NextCharacter)  # to read the first character's format
            style = cursor.charFormat()
            elided = QFontMetricsF(style.font()).elidedText(text, Qt.TextElideMode.ElideMiddle, room)
            cursor.select(QTextCursor.SelectionType.Document)
            cursor.insertText(elided, style)
        self.setToolTip(text if elided != text else "")


def _shrinkable_title(plot: pg.PlotItem) -> None:
    """Put a ShrinkableTitle where pyqtgraph put its title, hidden as pyqtgraph leaves a plot without one."""
    made = plot.titleLabel
    plot.layout.removeItem(made)
    if made.scene() is not None:
        made.scene().removeItem(made)
    plot.titleLabel = ShrinkableTitle("", size="11pt", parent=plot)
    plot.layout.addItem(plot.titleLabel, 0, 1)
    plot.setTitle(None)


def _on_background(pen: QPen) -> QPen:
    color = pen.color()
    if color.alpha() == 255:
        return pen
    # an axis draws some 60 tick and grid lines at each change of its range: one opaque pen per shade
    key = (color.rgba(), pen.widthF(), pen.style(), _theme.background)
    opaque = _opaque_pens.get(key)
    if opaque is None:
        opaque = _opaque_pens[key] = QPen(pen)
        opaque.setColor(blended_with_background(color, color.alphaF()))
    return opaque


_opaque_pens: dict[tuple, QPen] = {}  # a translucent tick pen's opaque look, per theme


def blended_with_background(color, share: float) -> QColor:
    """The opaque colour that `share` of `color` over the plot background looks like: as pale as a
    translucent one, at the cost of an opaque line."""
    color, background = resolve(color), QColor(_theme.background)
    return QColor.fromRgbF(*(share * channel + (1 - share) * under for channel, under in zip(
        color.getRgbF()[:3], background.getRgbF()[:3], strict=True)))


def make_plot(*, log_y: bool = False, reduced_series: bool = False) -> pg.PlotWidget:
    """A plot widget in the app's style, with peak downsampling and clipping for long series. Its title and
    axis labels come from label_plot(), again at each change of language.

    `reduced_series`: the series drawn are already reduced to about a point per pixel (decimation.py), so
    pyqtgraph's own downsampling and clip-to-view are off: they made every curve of the plot compute its
    display data again (and rebuild its dots) at each change of the axis range, doubling the GUI thread's
    cost of a live refresh that moves an axis. A user can still turn them on in the plot's menu."""
    widget = pg.PlotWidget(viewBox=LazyMenuViewBox(),
                           axisItems={side: OpaqueGridAxis(side) for side in ("left", "bottom")})
    plot = widget.getPlotItem()
    _shrinkable_title(plot)
    for side in ("top", "right"):  # hidden, but they follow the range: each change rewrote their labels
        plot.getAxis(side).enableAutoSIPrefix(False)
    for side in ("left", "bottom"):
        axis = plot.getAxis(side)
        axis.enableAutoSIPrefix(False)  # "ratio (x0.001)" misleads next to log ticks; values are shown as is
        # an axis draws its grid across the whole plot, so every curve update repaints it. Cached as a
        # pixmap, it is redrawn only when the axis itself changes (range, size).
        axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        axis.setZValue(BEHIND_DATA)  # pyqtgraph puts axes, hence the grid, above the data
        # the space for tick labels only grows: shrinking it whenever the labels got shorter (an emptied plot
        # at a run start has none, its first epoch brings them back) made each plot lay itself out and
        # repaint again, two to four times in a row at every run start (soak_gui.py)
        axis.setStyle(autoReduceTextSpace=False)
    plot.showGrid(x=True, y=True, alpha=GRID_ALPHA)
    plot.setDownsampling(mode="peak", auto=not reduced_series)
    plot.setClipToView(not reduced_series)
    if log_y:
        plot.setLogMode(y=True)
        plot.getAxis("left").setWidth(LOG_AXIS_WIDTH)
    widget.setMinimumSize(200, 150)
    follow_theme(widget)
    return widget


def reduce_in_view(curve: pg.PlotDataItem, on: bool) -> None:
    """Whether pyqtgraph clips this curve to the view and downsamples it (on a plot of reduced series,
    for a series that may still be long)."""
    if curve.opts["autoDownsample"] != on:
        curve.setDownsampling(auto=on)
        curve.setClipToView(on)


def follow_theme(widget: pg.PlotWidget) -> None:
    """Draw this plot in the current theme, and again in each theme to come."""
    _plots.add(widget)
    _apply_theme(widget)


def _apply_theme(widget: pg.PlotWidget) -> None:
    widget.setBackground(_theme.background)
    plot = widget.getPlotItem()
    foreground = resolve(FOREGROUND)
    for side in ("left", "bottom"):
        axis = plot.getAxis(side)
        axis.setPen(foreground)
        axis.setTextPen(foreground)
        if axis.labelText:
            axis.setLabel(axis.labelText, color=foreground.name())
    if plot.titleLabel.text:
        title_plot(widget, plot.titleLabel.text, _title_colors.get(widget, FOREGROUND))


def title_plot(widget: pg.PlotWidget, title: str, color=FOREGROUND) -> None:
    """The plot's title, in the theme's foreground unless a colour is given (a run's, in Compare). The same
    title again costs nothing: pyqtgraph would lay the whole plot out again (live views set theirs on
    every refresh)."""
    _title_colors[widget] = color
    shown = (title, resolve(color).name())
    if _titles_shown.get(widget) != shown:
        _titles_shown[widget] = shown
        widget.getPlotItem().setTitle(title, color=shown[1], size=TITLE_SIZE)


def label_plot(widget: pg.PlotWidget, title: str, x_label: str, y_label: str) -> None:
    """A plot's title and axis labels, in the app's style."""
    title_plot(widget, title)
    for side, label in (("bottom", x_label), ("left", y_label)):
        widget.getPlotItem().getAxis(side).setLabel(label, color=resolve(FOREGROUND).name())


def pen(color, *, width: float = CURVE_WIDTH, dashed: bool = False):
    return pg.mkPen(resolve(color), width=width, style=Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine)


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
    start, end = _theme.layer_colormap_span
    positions = np.linspace(start, end, count) if count > 1 else np.full(1, start)
    return list(pg.colormap.get(LAYER_COLORMAP).map(positions, mode="qcolor"))


def palette_color(index: int) -> QColor:
    return resolve(PALETTE[index % len(PALETTE)])


def positive_or_nan(values: np.ndarray) -> np.ndarray:
    """Values a log axis can show; zero or negative ones become gaps instead of warnings."""
    return np.where(values > 0, values, np.nan)
