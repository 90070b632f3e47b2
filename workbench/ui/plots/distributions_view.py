"""The Distributions tab: per layer, one heat strip of how its values are spread at step 0 and at each
epoch end (epoch across, value up, as TensorBoard's distributions), for its weights, gradients,
pre-activations or activations; a layer picker; the values under the mouse.

Each column is one snapshot, its shading the share of the layer's values at that height, scaled to the
column's most common value (square-rooted, so thin tails stay visible next to a spike: a dead ReLU layer's
zeros). The snapshots have ranges of their own (core/distributions.py); a strip puts them on one axis.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QRectF, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from workbench.core import distributions
from workbench.core.distributions import KINDS, Histograms
from workbench.core.history import RunHistory
from workbench.core.i18n import layer_name
from workbench.core.status import RunStatus
from workbench.ui import formatting
from workbench.ui.language import Translated
from workbench.ui.plots import style
from workbench.ui.plots.key import wrapped_line_policy
from workbench.ui.plots.ranges import X_HEADROOM, X_MIN_SPAN, Y_HEADROOM, AxisFollower
from workbench.ui.plots.turns import NextTurn

VALUE_CELLS = 96  # rows of a strip's image: finer than a strip's height in pixels rarely shows
STRIP_MIN_HEIGHT = 90  # px per layer when all layers are shown (the list scrolls past that)
LEFT_AXIS_WIDTH = 64
COLOR_STOPS = (0.0, 0.55, 1.0)  # background, then Okabe-Ito blue, then the foreground at the peak
KIND_NAMES = {
    "weights": QT_TRANSLATE_NOOP("DistributionsView", "Weights"),
    "gradients": QT_TRANSLATE_NOOP("DistributionsView", "Gradients"),
    "preactivations": QT_TRANSLATE_NOOP("DistributionsView", "Pre-activations"),
    "activations": QT_TRANSLATE_NOOP("DistributionsView", "Activations"),
}
ALL_LAYERS = -1


class ValueAxis(pg.AxisItem):
    """Tick values as the readouts write them (2e-10, 0.5, 200): gradients of 1e-10 need no "(x1e-10)"
    beside the layer's name."""

    def __init__(self, orientation: str):
        super().__init__(orientation)
        self.enableAutoSIPrefix(False)

    def tickStrings(self, values, scale, spacing):  # noqa: N802 (pyqtgraph's name)
        return [formatting.number(0.0 if abs(value) < spacing * 1e-6 else value, 3) for value in values]


def shading(shares: np.ndarray) -> np.ndarray:
    """Per column (snapshot), the shares scaled to that column's peak, square-rooted: 0 to 1."""
    peaks = shares.max(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.sqrt(np.where(peaks > 0, shares / peaks, 0.0))


def color_lookup() -> np.ndarray:
    """(256, 4) RGBA from the plot background through blue to the foreground, in the current theme."""
    colors = [QColor(style.theme().background), style.palette_color(0), style.resolve(style.FOREGROUND)]
    return pg.ColorMap(COLOR_STOPS, colors).getLookupTable(nPts=256, alpha=True)


class DistributionsView(Translated, QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._next_turn = NextTurn(self)
        self.kind_label, self.layer_label = QLabel(), QLabel()
        self.kind_picker, self.layer_picker = QComboBox(), QComboBox()
        for kind in KINDS:
            self.kind_picker.addItem("", kind)
        self.kind_picker.currentIndexChanged.connect(self._redraw)
        self.layer_picker.currentIndexChanged.connect(self._rebuild)
        controls = QHBoxLayout()
        for widget in (self.kind_label, self.kind_picker, self.layer_label, self.layer_picker):
            controls.addWidget(widget)
        controls.addStretch(1)
        self.note = _wrapped_label()
        self.readout = _wrapped_label()
        self.strips = pg.GraphicsLayoutWidget()
        self.strips.scene().sigMouseMoved.connect(self._hover)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.strips)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(controls)
        layout.addWidget(self.note)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.readout)
        self._history: RunHistory | None = None
        self._planned_epochs: int | None = None
        self._snapshots: Histograms | None = None
        self._rows_drawn = -1
        self._drawn_live = False
        self._stale = False  # bound to a history the strips were not made for yet
        self._plots: list[tuple[int, pg.PlotItem, pg.ImageItem]] = []  # (layer, plot, image) shown
        self._made: list[tuple[pg.PlotItem, pg.ImageItem]] = []  # every strip made, the first ones shown
        # The axes follow the snapshots as a live plot's do (ranges.py): moved only when a snapshot leaves
        # them. Set to fit at every epoch end, each strip's axes made their ticks again and the window
        # repainted them all (two thirds of the tab's GUI-thread time while a run trained).
        self._epoch_axis: AxisFollower | None = None  # on the first strip; the others are linked to it
        self._epochs_of: int | None = None  # the id of the history whose epochs it follows
        self._value_axes: dict[pg.PlotItem, tuple[AxisFollower, tuple]] = {}  # per strip, and what it showed
        self._missing: list[int] = []  # layers picked whose strips are still to make
        self._strip_labels: dict[pg.PlotItem, tuple[str, str, str]] = {}  # each strip's texts and colour
        self._marks: list[tuple[pg.PlotItem, pg.InfiniteLine]] = []  # the marked epoch's line in each strip
        self._marked_epoch: int | None = None
        self.restyle()
        self.retranslate()

    # -- texts and theme ------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.kind_label.setText(self.tr("Show:"))
        self.layer_label.setText(self.tr("Layer:"))
        for index, kind in enumerate(KINDS):
            self.kind_picker.setItemText(index, self.tr(KIND_NAMES[kind]))
        if self.layer_picker.count():
            self.layer_picker.setItemText(0, self.tr("All layers"))
        self._show_note()
        if self._marked_epoch is None:
            self.readout.setText(self.tr("Move the mouse over a strip to read the values there."))

    def restyle(self) -> None:
        self.strips.setBackground(style.theme().background)
        self._lookup = color_lookup()
        self._rebuild()

    # -- binding and refreshing -----------------------------------------------------------------
    def bind(self, history: RunHistory | None, planned_epochs: int | None = None) -> None:
        """Follow this history; `planned_epochs`: where a live run's epoch axis ends. Its strips are made at
        the next refresh(): the plots area refreshes only the tab in view, and making a strip per layer (a
        pyqtgraph plot each) in a hidden tab cost 50-90 ms of the GUI thread at every run start."""
        self._history, self._snapshots, self._rows_drawn, self._marked_epoch = history, None, -1, None
        self._planned_epochs = planned_epochs
        self.layer_picker.blockSignals(True)
        self.layer_picker.clear()
        if history is not None:
            self.layer_picker.addItem(self.tr("All layers"), ALL_LAYERS)
            for index, name in enumerate(history.layer_names):
                self.layer_picker.addItem(layer_name(name), index)
        self.layer_picker.blockSignals(False)
        self.retranslate()
        self._stale = True

    def refresh(self) -> None:
        """Make the strips of a newly bound history, or draw the snapshots that arrived since the last call
        (one per epoch end), or fit the axes snugly to a run that has just ended."""
        if self._stale:
            self._rebuild()
        elif self._history is not None and (len(self._history.histograms) != self._rows_drawn
                                            or self._live() != self._drawn_live):
            self._redraw()

    def show_evidence(self, kind: str, layer: str, epoch: int) -> None:
        """One layer's `kind` (a KINDS name), with the snapshot at the end of `epoch` marked and read out."""
        self.kind_picker.setCurrentIndex(KINDS.index(kind))
        if self._history is not None and layer in self._history.layer_names:
            self.layer_picker.setCurrentIndex(self._history.layer_names.index(layer) + 1)
        self._marked_epoch = epoch
        self._redraw()

    @property
    def shown_layers(self) -> list[str]:
        return [self._history.layer_names[layer] for layer, _, _ in self._plots] if self._history else []

    @property
    def kind(self) -> str:
        return KINDS[self.kind_picker.currentIndex()]

    def _rebuild(self) -> None:
        """Strips for the layers picked. Strips once made are kept and reused (a pyqtgraph plot costs the GUI
        thread ~12 ms to make); in a view on screen, those still missing are put back or made one per turn of
        the event loop, so that showing a deep network's strips does not freeze the window (putting seven kept
        strips back into the layout at once, each resizing the others, stalled it for 100-200 ms)."""
        self._stale = False
        history = self._history
        picked = self.layer_picker.currentData()
        layers = [] if history is None else (list(range(len(history.layers))) if picked in (None, ALL_LAYERS)
                                             else [picked])
        shown = len(self._plots)
        for plot, _ in self._made[len(layers):shown]:  # kept for later, out of the layout
            self.strips.removeItem(plot)
        self._plots = [(layer, plot, image) for layer, (plot, image) in zip(layers, self._made[:shown], strict=False)]
        self.strips.setMinimumHeight(STRIP_MIN_HEIGHT * len(layers) if len(layers) > 1 else 0)
        self._missing = layers[len(self._plots):]
        while self._missing and not (self._plots and self.isVisible()):
            self._add_strip()
        if self._missing:
            self._next_turn.call(self._add_missing_strip)
        self._rows_drawn = -1
        self._redraw()

    def _add_missing_strip(self) -> None:
        if self._missing:
            self._add_strip()
            self._redraw()
            if self._missing:
                self._next_turn.call(self._add_missing_strip)

    def _add_strip(self) -> None:
        """The next missing layer's strip: a kept one put back into the layout, or a new one."""
        layer, row = self._missing.pop(0), len(self._plots)
        if row < len(self._made):
            plot, image = self._made[row]
            self.strips.addItem(plot, row=row, col=0)
            self._plots.append((layer, plot, image))
            return
        plot = self.strips.addPlot(row=row, col=0, viewBox=style.LazyMenuViewBox(), axisItems={"left": ValueAxis("left")})
        plot.getAxis("left").setWidth(LEFT_AXIS_WIDTH)
        plot.setMouseEnabled(x=False, y=False)
        plot.hideButtons()
        plot.enableAutoRange(x=False, y=False)
        image = pg.ImageItem()
        plot.addItem(image)
        if self._made:
            plot.setXLink(self._made[0][0])
        else:
            self._epoch_axis = AxisFollower(plot, "x", headroom=X_HEADROOM, floor=-0.5, min_span=X_MIN_SPAN)
        self._value_axes[plot] = (AxisFollower(plot, "y", headroom=Y_HEADROOM), ())
        self._made.append((plot, image))
        self._plots.append((layer, plot, image))

    def _redraw(self) -> None:
        if self._stale:  # a picker changed before the strips of the bound history were made
            self._rebuild()
            return
        history = self._history
        rows = history.histograms.view() if history is not None else np.empty((0, 0))
        self._rows_drawn, self._drawn_live = len(rows), self._live()
        self._snapshots = distributions.decode_histograms(rows, len(history.layers)) if len(rows) else None
        self._show_note()
        for plot, mark in self._marks:
            plot.removeItem(mark)
        self._marks = []
        for position, (layer, plot, image) in enumerate(self._plots):
            self._label_strip(plot, layer_name(history.layer_names[layer]), position == len(self._plots) - 1)
            self._draw_strip(layer, plot, image)
        self._follow_epochs()
        if self._marked_epoch is not None:
            self._read_out(self._plots[0][0] if self._plots else 0, self._marked_epoch, None)

    def _label_strip(self, plot: pg.PlotItem, name: str, last: bool) -> None:
        """The layer's name, and the epochs under the last strip, in the theme's colour: set again only when
        they change (each setting makes the axis draw itself again, and every epoch end redraws the strips)."""
        foreground = style.resolve(style.FOREGROUND)
        labels = (name, self.tr("epoch") if last else "", foreground.name())
        if self._strip_labels.get(plot) == labels:
            return
        self._strip_labels[plot] = labels
        plot.setLabel("left", name, color=foreground.name())
        plot.setLabel("bottom", labels[1], color=foreground.name())
        plot.getAxis("bottom").setStyle(showValues=last)
        for side in ("left", "bottom"):
            plot.getAxis(side).setPen(foreground)
            plot.getAxis(side).setTextPen(foreground)

    def _draw_strip(self, layer: int, plot: pg.PlotItem, image: pg.ImageItem) -> None:
        snapshots = self._snapshots
        found = distributions.strip(snapshots, layer, self.kind_picker.currentIndex(), VALUE_CELLS) \
            if snapshots is not None else None
        if found is None:
            image.clear()
            return
        edges, shares = found
        epochs = snapshots.epochs
        image.setImage(shading(shares), levels=(0, 1), lut=self._lookup, autoLevels=False)
        image.setRect(QRectF(epochs[0] - 0.5, edges[0], max(1, epochs[-1] - epochs[0] + 1), edges[-1] - edges[0]))
        value_axis, shown = self._value_axes[plot]
        strip_of = (id(self._history), layer, self.kind_picker.currentIndex())
        if strip_of != shown:  # another run's, layer's or kind's values: fit them afresh
            value_axis.restart()
            self._value_axes[plot] = (value_axis, strip_of)
        value_axis.include(edges[[0, -1]])
        value_axis.update(live=self._drawn_live)
        if self._marked_epoch is not None:
            mark = pg.InfiniteLine(self._marked_epoch, angle=90, pen=style.pen(style.PALETTE[3], width=1, dashed=True))
            plot.addItem(mark, ignoreBounds=True)
            self._marks.append((plot, mark))

    def _follow_epochs(self) -> None:
        """The epoch axis around every snapshot's column; up to the planned end while the run is live."""
        snapshots = self._snapshots
        if self._epoch_axis is None or snapshots is None:
            return
        if self._epochs_of != id(self._history):  # another run's snapshots: fit them afresh
            self._epoch_axis.restart()
            self._epochs_of = id(self._history)
        self._epoch_axis.include([snapshots.epochs[0] - 0.5, snapshots.epochs[-1] + 0.5])
        end = None if self._planned_epochs is None else self._planned_epochs + 0.5
        self._epoch_axis.update(live=self._drawn_live, end=end)

    def _live(self) -> bool:
        return self._history is not None and self._history.status == RunStatus.RUNNING

    def _show_note(self) -> None:
        """Only a finished run without histograms says so: a live run takes its first before training, and a
        note shown for that moment moved the strips down and back up (two repaints of them all)."""
        history = self._history
        if history is not None and self._snapshots is None and history.status != RunStatus.RUNNING:
            text = self.tr("No histograms yet: they are taken before training and at each epoch end (a run made "
                           "before Workbench recorded them has none).")
        else:
            text = ""
        self.note.setText(text)
        self.note.setVisible(bool(text))

    # -- reading values -------------------------------------------------------------------------
    def _hover(self, scene_position) -> None:
        for layer, plot, _ in self._plots:
            view = plot.getViewBox()
            if view.sceneBoundingRect().contains(scene_position):
                point = view.mapSceneToView(scene_position)
                self._read_out(layer, round(point.x()), point.y())
                return

    def _read_out(self, layer: int, epoch: int, value: float | None) -> None:
        """The values of `layer` at the end of `epoch`: near `value`, or (None) their range and peak."""
        snapshots = self._snapshots
        if snapshots is None or epoch not in snapshots.epochs:
            return
        index, kind = int(np.flatnonzero(snapshots.epochs == epoch)[0]), self.kind_picker.currentIndex()
        counts = snapshots.counts[index, layer, kind]
        low, high = snapshots.low[index, layer, kind], snapshots.high[index, layer, kind]
        total, nonfinite = counts.sum(), int(snapshots.nonfinite[index, layer, kind])
        name = layer_name(self._history.layer_names[layer])
        parts = [self.tr("{layer} at epoch {epoch}").format(layer=name, epoch=epoch)]
        if total > 0:
            width = (high - low) / len(counts)
            if value is None or not low <= value <= high:
                peak = int(np.argmax(counts))
                parts.append(self.tr("values from {low} to {high}; the most common, {start} to {end}, are {share} of "
                                     "them").format(low=_value(snapshots.minimum[index, layer, kind]),
                                                    high=_value(snapshots.maximum[index, layer, kind]),
                                                    start=_value(low + peak * width),
                                                    end=_value(low + (peak + 1) * width),
                                                    share=formatting.percent(counts[peak] / total)))
            else:
                bin_index = min(len(counts) - 1, int((value - low) / width)) if width > 0 else 0
                parts.append(self.tr("{share} of the values are between {start} and {end}").format(
                    share=formatting.percent(counts[bin_index] / total), start=_value(low + bin_index * width),
                    end=_value(low + (bin_index + 1) * width)))
        if nonfinite:
            parts.append(self.tr("{count} values are NaN or infinite").format(count=f"{nonfinite:,}"))
        self.readout.setText(" · ".join(parts))


def _value(number: float) -> str:
    return formatting.number(float(number), 3)


def _wrapped_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setSizePolicy(wrapped_line_policy())
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label
