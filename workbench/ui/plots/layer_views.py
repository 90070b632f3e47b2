"""Per-layer views: a metric over time with one curve per layer (bars of the latest value per layer: layer_bars.py).

A diverged run leaves little to draw on a log axis: a probe or two, then norms of exactly 0 (a network
whose units all died) or NaN. The views draw every finite probe with a dot, say where the run diverged
and that zeros cannot show on a log axis.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from workbench.core.history import GrowableArray, RunHistory
from workbench.core.i18n import join_sentences, layer_name
from workbench.ui import formatting
from workbench.ui.plots import style
from workbench.ui.plots.decimation import BucketReducer
from workbench.ui.plots.key import KeyEntry, PlotKey, wrapped_line_policy
from workbench.ui.plots.ranges import X_HEADROOM, X_MIN_SPAN, Y_HEADROOM, AxisFollower

GUIDE_LABEL_OPTIONS = {"position": 0.08, "color": style.CROSSHAIR_COLOR}
SYMBOL_PROBE_LIMIT = 60  # dot every probe while the dots stay apart: a lone finite probe stays visible
SYMBOL_SIZE = 5
HOVER_HINT = QT_TRANSLATE_NOOP("PerLayerViews", "Move the mouse over the plot to read each layer's value.")


def divergence_step(history: RunHistory) -> int | None:
    """The step whose loss was first NaN or infinite, once the run has diverged (the run's last step
    when the loss only turned non-finite in the evaluation at an epoch's end)."""
    if history.status != "diverged":
        return None
    rows = history.step_loss.view()
    bad = np.flatnonzero(~np.isfinite(rows[:, 1]))
    return int(rows[bad[0], 0]) if len(bad) else history.steps


def _secondary_label(text: str = "") -> QLabel:
    """A wrapped line under or above the plot, in the secondary text colour."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setSizePolicy(wrapped_line_policy())
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class PerLayerTrend:
    """One curve per layer of a (steps, n_probes × n_layers) pair of buffers, in epochs on x, with the
    layers' key above the plot and the values under the mouse below it.

    A layer's curve is created the first time it has a finite value, so a metric that does not apply
    to some layers (saturation of a ReLU layer, anything of the output layer) leaves them out of the
    plot and its key instead of listing empty entries.
    """

    def __init__(self, steps: Callable[[RunHistory], GrowableArray], values: Callable[[RunHistory], GrowableArray],
                 *, log_y: bool = False, y_range: tuple[float, float] | None = None,
                 title_color: QColor | str = style.FOREGROUND, hover_hint: bool = True):
        """`y_range`: a fixed value axis (shares: 0 to 1); without it the axis follows the values.
        `hover_hint`: a line under the plot says to hover it, until the mouse does (else no line until then).
        The title and labels come from set_texts()."""
        self.plot = style.make_plot(log_y=log_y, reduced_series=True)
        self.key = PlotKey()
        self.note = _secondary_label()
        self.note.setVisible(False)
        self.readout = _secondary_label()
        self.readout.setVisible(hover_hint)
        self.widget = QWidget()
        layout = QVBoxLayout(self.widget)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        for widget, stretch in ((self.key, 0), (self.note, 0), (self.plot, 1), (self.readout, 0)):
            layout.addWidget(widget, stretch)
        self.title, self._title_color, self._not_applicable = "", title_color, ""
        self._hover_hint, self._hovered = hover_hint, False
        self._steps, self._values, self._log_y = steps, values, log_y
        self._history: RunHistory | None = None
        self._planned_epochs: int | None = None
        self._curves: dict[int, pg.PlotDataItem] = {}
        # curves of an earlier history, emptied and hidden: a run start reuses them rather than making new
        # ones (making and adding them cost the first refresh 4.4 ms on a 4-layer run, against 1.6 ms reusing them)
        self._spare_curves: list[pg.PlotDataItem] = []
        self._colors: list[QColor] = []
        self._reducer: BucketReducer | None = None
        self._guides: list[float] = []
        self._x_axis = AxisFollower(self.plot, "x", headroom=X_HEADROOM, floor=0.0, min_span=X_MIN_SPAN)
        self._y_axis = None if y_range else AxisFollower(self.plot, "y", headroom=Y_HEADROOM, log=log_y)
        if y_range:
            self.plot.setYRange(*y_range)
        self._crosshair = pg.InfiniteLine(angle=90, pen=style.pen(style.CROSSHAIR_COLOR, width=1))
        self._crosshair.setVisible(False)
        self.plot.addItem(self._crosshair, ignoreBounds=True)
        self.plot.scene().sigMouseMoved.connect(self._hover)

    def restyle(self) -> None:
        """In a new theme, whose layer colours differ: draw the history again in them."""
        if self._history is not None:
            self.bind(self._history, self._planned_epochs)
            self.refresh()

    def set_texts(self, title: str, y_label: str, not_applicable: str = "") -> None:
        """The title, the value axis's label and what the title adds when no layer has a value (the metric
        does not apply to any), in the current language."""
        self.title, self._not_applicable = title, not_applicable
        style.label_plot(self.plot, title, QCoreApplication.translate("PerLayerViews", "epoch"), y_label)
        self._show_title()
        if not self._hovered:
            self.readout.setText(self._hint())
        if self._history is not None:
            self.refresh_note()

    @property
    def curve_count(self) -> int:
        return len(self._curves)

    def add_guide(self, value: float) -> pg.InfiniteLine:
        """A dashed horizontal line at a reference value, always kept in view; its label is the caller's to
        set (`line.label.setFormat(text)`), again at each change of language."""
        y = np.log10(value) if self._log_y else value
        line = self.plot.getPlotItem().addLine(y=y, pen=style.pen(style.CROSSHAIR_COLOR, width=1, dashed=True),
                                               label="", labelOpts=GUIDE_LABEL_OPTIONS)
        self._guides.append(value)
        self._restart_axes()
        return line

    def _restart_axes(self) -> None:
        self._x_axis.restart()
        if self._y_axis is not None:
            self._y_axis.restart()
            self._y_axis.include(self._guides)

    def bind(self, history: RunHistory | None, planned_epochs: int | None = None) -> None:
        """Follow this history from now on; `planned_epochs`: where a live run's epoch axis ends."""
        for curve in self._curves.values():
            curve.setData([], [])
            curve.setVisible(False)
        self._spare_curves += self._curves.values()
        self._curves = {}
        self._history, self._planned_epochs = history, planned_epochs
        self._restart_axes()
        self.key.set_entries([])
        self._show_title()
        self._crosshair.setVisible(False)
        self._hovered = False
        self.readout.setText(self._hint())
        self.readout.setVisible(self._hover_hint)
        self._show_note("")
        if history is None:
            self._reducer = None
            return
        count = len(history.layers)
        self._colors = style.layer_colors(count)
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
        self._x_axis.update(live=live, end=self._planned_epochs)
        if self._y_axis is not None:
            self._y_axis.update(live=live)
        self.refresh_note()

    def refresh_note(self) -> None:
        """What the plot cannot show of a diverged run, above it."""
        history = self._history
        steps, values = self._steps(history).view(), self._values(history).view()
        available = min(len(steps), len(values))
        self._show_note(self._diverged_note(history, steps[:available, 0], values[:available]))

    def _add_rows(self, history: RunHistory, reducer: BucketReducer, steps: np.ndarray,
                  values: np.ndarray) -> None:
        first_changed = reducer.rows  # the bucket of this row and all after it get new means
        reducer.consume(steps, values)
        first_changed //= reducer.rows_per_bucket
        steps_per_epoch = max(1, history.steps_per_epoch)
        epochs = reducer.x / steps_per_epoch
        means = reducer.mean
        dotted = len(epochs) <= SYMBOL_PROBE_LIMIT
        self._x_axis.include(steps[-1] / steps_per_epoch)
        for layer in range(len(history.layers)):
            column = means[:, layer]
            curve = self._curves.get(layer)
            if curve is None:
                if not np.isfinite(column).any():
                    continue
                curve = self._spare_curves.pop() if self._spare_curves else self.plot.plot()
                curve.setPen(style.pen(self._colors[layer]))
                curve.setVisible(True)
                self._curves[layer] = curve
            shown = style.positive_or_nan(column) if self._log_y else column
            dots = dotted and bool(np.isfinite(shown).any())  # pyqtgraph warns on dots that are all NaN
            curve.setData(epochs, shown, connect="finite",
                          symbol="o" if dots else None, symbolSize=SYMBOL_SIZE, symbolPen=None,
                          symbolBrush=self._colors[layer])
            if self._y_axis is not None:  # merged buckets' means lie between means already included
                self._y_axis.include(column[first_changed:])
        self.key.set_entries([KeyEntry(self._colors[layer], layer_name(history.layers[layer].name))
                              for layer in sorted(self._curves)])
        self._show_title()

    def _diverged_note(self, history: RunHistory, steps: np.ndarray, values: np.ndarray) -> str:
        """What the plot cannot show of a diverged run: where it diverged, and norms of 0 on a log axis."""
        diverged_at = divergence_step(history)
        if diverged_at is None:
            return ""
        parts = [QCoreApplication.translate("PerLayerViews", "Diverged at step {step}.").format(
            step=f"{diverged_at:,}")]
        if not len(steps):
            parts.append(QCoreApplication.translate("PerLayerViews",
                                                    "No probe was taken before that (one every few steps)."))
        elif not np.isfinite(values).any():
            parts.append(QCoreApplication.translate("PerLayerViews", "No probe recorded a finite value."))
        zero_rows = np.flatnonzero((values == 0).any(axis=1)) if self._log_y else []
        if len(zero_rows):
            parts.append(QCoreApplication.translate(
                "PerLayerViews", "From step {step} some norms are exactly 0, which a log axis cannot show: those "
                "layers no longer learn.").format(step=f"{int(steps[zero_rows[0]]):,}"))
        return join_sentences(*parts)  # no space between Chinese sentences

    def _show_note(self, text: str) -> None:
        if text != self.note.text():
            self.note.setText(text)
        self.note.setVisible(bool(text))

    def _hint(self) -> str:
        return QCoreApplication.translate("PerLayerViews", HOVER_HINT) if self._hover_hint else ""

    def _show_title(self) -> None:
        """The title; while no layer has a value, with why (the metric applies to none of them)."""
        not_applicable = self._history is not None and not self._curves and self._not_applicable
        title = QCoreApplication.translate("PerLayerViews", "{title}: {reason}").format(
            title=self.title, reason=self._not_applicable) if not_applicable else self.title
        style.title_plot(self.plot, title, self._title_color)

    # -- hover ----------------------------------------------------------------------------------
    def _hover(self, scene_position) -> None:
        view = self.plot.getPlotItem().getViewBox()
        if view.sceneBoundingRect().contains(scene_position):
            self.show_values_at(view.mapSceneToView(scene_position).x())

    def show_values_at(self, epoch: float) -> None:
        """Snap to the nearest plotted probe and write each layer's value there."""
        drawn = [(layer, curve) for layer, curve in sorted(self._curves.items())
                 if curve.xData is not None and len(curve.xData)]
        if not drawn or self._history is None or self._reducer is None:
            return
        x = drawn[0][1].xData  # every layer's curve has the same probes
        nearest = int(np.argmin(np.abs(x - epoch)))
        at = float(x[nearest])
        means = self._reducer.mean[nearest]  # as measured: a 0 the log axis leaves out reads as 0
        parts = [QCoreApplication.translate("PerLayerViews", "epoch {epoch}").format(
            epoch=formatting.number(at, 3))]
        parts += [f"{layer_name(self._history.layers[layer].name)} {formatting.number(means[layer], 3)}" for layer, _ in drawn]
        self._hovered = True
        self.readout.setText(" · ".join(parts))
        self.readout.setVisible(True)
        self._crosshair.setValue(at)
        self._crosshair.setVisible(True)
