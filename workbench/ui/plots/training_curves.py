"""Loss and accuracy: per epoch (train, validation), the smoothed per-step training loss, the best epoch,
exact values under the mouse, and an overlay of several runs on the same axes.

The per-step loss is smoothed with an exponential moving average whose factor a slider sets, as in
TensorBoard; the loss axis can be logarithmic. A linear loss axis is clipped above ten times the
step-0 loss (see ranges.loss_ceiling), so a diverged run does not flatten the others."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QSlider, QVBoxLayout, QWidget

from workbench.core.history import RunHistory
from workbench.ui import formatting
from workbench.ui.language import Translated
from workbench.ui.plots import style
from workbench.ui.plots.decimation import MAX_BUCKETS, BucketReducer, SmoothedMeans, peak_envelope
from workbench.ui.plots.key import KeyEntry, PlotKey
from workbench.ui.plots.ranges import (
    X_HEADROOM,
    X_MIN_SPAN,
    Y_HEADROOM,
    AxisFollower,
    clipped_note,
    loss_ceiling,
)

STEP_LOSS_SMOOTHING = 0.9  # per-step EMA factor (a ~10-step window), TensorBoard's usual range
SMOOTHING_STEPS = 100  # the slider's positions: factors 0.00 to 0.99 (1.0 would freeze the curve)
RAW_STEP_SHADE = 0.27  # the raw per-step loss stays in the background, the smoothed line on top
# Both step-loss lines are 1 px wide and opaque: thousands of points drawn wider or translucent cost the
# raster engine 3-4x more per repaint (measured on the GUI thread while batch-1 spiral trains)
SYMBOL_EPOCH_LIMIT = 60  # mark each epoch with a dot while dots stay distinguishable
SYMBOL_SIZE = 6
EPOCH_SERIES = (("train_loss", QT_TRANSLATE_NOOP("TrainingCurves", "train loss")),
                ("val_loss", QT_TRANSLATE_NOOP("TrainingCurves", "val loss")),
                ("train_acc", QT_TRANSLATE_NOOP("TrainingCurves", "train acc")),
                ("val_acc", QT_TRANSLATE_NOOP("TrainingCurves", "val acc")))
LOSS_KEYS = ("train_loss", "val_loss")
# Rebinding (each run start) keeps the curves made for the same layout: removing and re-adding them
# cost ~10 ms of GUI thread on each bind. A single run's layout is this marker, an overlay's its run names.
SINGLE_RUN = object()
HOVER_HINT = QT_TRANSLATE_NOOP("TrainingCurves",
                               "Move the mouse over a plot to read the exact values of an epoch.")


class TrainingCurves(Translated, QWidget):
    """Two x-linked plots (loss above accuracy) in epochs, a key and the loss controls above them, and
    a value readout below them."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.loss_plot = style.make_plot(reduced_series=True)
        self.accuracy_plot = style.make_plot(reduced_series=True)
        self.accuracy_plot.setXLink(self.loss_plot)
        self.accuracy_plot.setYRange(0, 1)
        self._x_axis = AxisFollower(self.loss_plot, "x", headroom=X_HEADROOM, floor=0.0, min_span=X_MIN_SPAN,
                                    watch=(self.accuracy_plot,))
        self._loss_axis = AxisFollower(self.loss_plot, "y", headroom=Y_HEADROOM, floor=0.0)
        self._loss_title = ""
        self.key = PlotKey()
        self.smoothing = QSlider(Qt.Orientation.Horizontal)
        self.smoothing.setRange(0, SMOOTHING_STEPS - 1)
        self.smoothing.setValue(round(STEP_LOSS_SMOOTHING * SMOOTHING_STEPS))
        self.smoothing.setMaximumWidth(120)
        self.smoothing_value = QLabel()
        self.log_scale = QCheckBox()
        self.readout = QLabel()
        self.readout.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.readout.setWordWrap(True)
        self.smoothing_label = QLabel()
        self.smoothing_label.setBuddy(self.smoothing)
        controls = QHBoxLayout()
        controls.addWidget(self.key, 1)
        for widget in (self.smoothing_label, self.smoothing, self.smoothing_value, self.log_scale):
            controls.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(controls)
        layout.addWidget(self.loss_plot, 3)
        layout.addWidget(self.accuracy_plot, 2)
        layout.addWidget(self.readout)

        self._step_raw = self.loss_plot.plot(pen=_raw_step_pen())
        self._step_smooth = self.loss_plot.plot(pen=style.pen(style.TRAIN_COLOR, width=1))
        # per run, its curve for each epoch series: a single run is an overlay of one
        self._run_names: list[str] = []
        self._run_curves: list[dict[str, pg.PlotDataItem]] = []
        self._layout: tuple | None = None  # what the curves were made for: SINGLE_RUN or the overlay's names
        self._best_lines = [pg.InfiniteLine(angle=90, pen=style.pen(style.BEST_EPOCH_COLOR, width=1.5, dashed=True))
                            for _ in range(2)]
        self._best_shown: int | None = None
        self._crosshairs = [pg.InfiniteLine(angle=90, pen=style.pen(style.CROSSHAIR_COLOR, width=1))
                            for _ in range(2)]
        for plot, best, crosshair in zip((self.loss_plot, self.accuracy_plot), self._best_lines,
                                         self._crosshairs, strict=True):
            for line in (best, crosshair):
                line.setVisible(False)
                plot.addItem(line, ignoreBounds=True)
            plot.scene().sigMouseMoved.connect(lambda position, plot=plot: self._hover(plot, position))

        self._histories: list[RunHistory | None] = []
        self._epochs_shown: list[int] = []
        self._planned_epochs: int | None = None
        self._reset_steps()
        self._single = True
        self._hovered_epoch: float | None = None  # the readout's epoch, once the mouse has been over a plot
        self._show_smoothing()
        self.smoothing.valueChanged.connect(self._smoothing_changed)
        self.log_scale.toggled.connect(self._log_scale_toggled)
        self.retranslate()

    def retranslate(self) -> None:
        smoothing_tip = self.tr("Smoothing of the per-step training loss: an exponential moving average, as "
                                "TensorBoard's slider. 0 shows every step as it was; 0.99 averages over about a "
                                "hundred steps.")
        self.smoothing_label.setText(self.tr("&Smoothing"))
        for widget in (self.smoothing_label, self.smoothing, self.smoothing_value):
            widget.setToolTip(smoothing_tip)
        self.smoothing.setAccessibleName(self.tr("Smoothing"))
        self.log_scale.setText(self.tr("&Log scale"))
        self.log_scale.setToolTip(self.tr("Show the loss on a logarithmic axis: small late losses and huge diverged "
                                          "ones both stay readable"))
        style.label_plot(self.accuracy_plot, self.tr("Accuracy"), self.tr("epoch"), self.tr("accuracy"))
        self._loss_title = ""
        style.label_plot(self.loss_plot, "", self.tr("epoch"), self.tr("loss"))
        self._show_clipping()
        self._show_key()
        if self._hovered_epoch is None:
            self.readout.setText(self.tr(HOVER_HINT))
        else:
            self.show_values_at(self._hovered_epoch)

    # -- binding --------------------------------------------------------------------------------
    def show_runs(self, names: list[str]) -> None:
        """Prepare curves for these runs: one run shows train/val plus the per-step loss, several
        runs share the axes with one colour each (validation bold, training thin and dashed)."""
        layout = SINGLE_RUN if len(names) == 1 else tuple(names)
        if layout == self._layout:  # the same curves fit: emptying them is cheaper
            self._reset_view()
        else:
            self.clear()
            self._layout = layout
            self._add_curves(names)
        self._histories = [None] * len(names)
        self._epochs_shown = [0] * len(names)

    def restyle(self) -> None:
        """In a new theme: an overlay's training curves are paler by blending with the background, and the
        key's samples take the theme's colours."""
        self.key.redraw()
        self._step_raw.setPen(_raw_step_pen())
        if not self._single:
            for index, curves in enumerate(self._run_curves):
                for key, curve in curves.items():
                    if key.startswith("train"):
                        curve.setPen(style.training_pen(style.palette_color(index)))

    def _add_curves(self, names: list[str]) -> None:
        self._single = len(names) == 1
        for index, name in enumerate(names):
            color = style.palette_color(index)
            curves = {}
            for key, _label in EPOCH_SERIES:
                training = key.startswith("train")
                if self._single:
                    series_pen = style.pen(style.TRAIN_COLOR if training else style.VAL_COLOR)
                else:
                    series_pen = style.training_pen(color) if training else style.validation_pen(color)
                curves[key] = self._plot_of(key).plot(pen=series_pen)
            self._run_names.append(name)
            self._run_curves.append(curves)
        self._step_smooth.setVisible(self._single)
        self._step_raw.setVisible(self._single)
        self.smoothing.setEnabled(self._single)  # an overlay shows per-epoch curves only
        self._show_key()

    def clear(self) -> None:
        for curves in self._run_curves:
            for key, curve in curves.items():
                self._plot_of(key).removeItem(curve)
        self._run_names, self._run_curves, self._layout = [], [], None
        self._reset_view()
        self._show_key()

    def _reset_view(self) -> None:
        """Empty every curve, hide the best-epoch and hover marks, let the axes start over."""
        self._show_best(None)
        self._histories, self._epochs_shown = [], []
        self._reset_steps()
        run_curves = [curve for curves in self._run_curves for curve in curves.values()]
        for item in (self._step_raw, self._step_smooth, *run_curves):
            item.setData([], [])
        for line in self._crosshairs:
            line.setVisible(False)
        for axis in (self._x_axis, self._loss_axis):
            axis.restart(ceiling=axis.ceiling)
        self._show_clipping()
        self._hovered_epoch = None
        self.readout.setText(self.tr(HOVER_HINT))

    def _show_key(self) -> None:
        """Above the plots: what the colours and line styles mean (a key never covers a curve)."""
        room: list[KeyEntry] = []
        if not self._run_names:
            entries = []
        elif self._single:
            entries = [KeyEntry(style.TRAIN_COLOR, self.tr("training (per epoch)"), "dot"),
                       KeyEntry(style.VAL_COLOR, self.tr("validation (per epoch)"), "dot"),
                       KeyEntry(style.TRAIN_COLOR, self.tr("train loss per step (smoothed)"), "line")]
            # room for the best epoch from the start, at the widest number it may reach
            room = [*entries, self._best_entry(max(self._best_shown or 1, self._planned_epochs or 1))]
            if self._best_shown is not None:
                entries.append(self._best_entry(self._best_shown))
        else:
            entries = [KeyEntry(style.palette_color(index), name) for index, name in enumerate(self._run_names)]
            entries += [KeyEntry(style.FOREGROUND, self.tr("validation"), "line"),
                        KeyEntry(style.TRAINING_SHADE_OF_FOREGROUND, self.tr("training"), "dashed")]
        self.key.keep_room_for(room)
        self.key.set_entries(entries)

    def _best_entry(self, epoch: int) -> KeyEntry:
        return KeyEntry(style.BEST_EPOCH_COLOR, self.tr("best epoch {epoch} (lowest val loss)").format(epoch=epoch),
                        "dashed")

    # -- loss controls --------------------------------------------------------------------------
    @property
    def smoothing_factor(self) -> float:
        return self.smoothing.value() / SMOOTHING_STEPS

    def _show_smoothing(self) -> None:
        self.smoothing_value.setText(f"{self.smoothing_factor:.2f}")

    def _smoothing_changed(self) -> None:
        """Smooth the per-step loss already drawn again with the new factor (the reducer keeps its rows)."""
        self._show_smoothing()
        self._smoothed = SmoothedMeans(self.smoothing_factor)
        history = self._histories[0] if self._single and self._histories else None
        if history is not None and self._reducer.rows:
            self._step_smooth.setData(self._reducer.x / max(1, history.steps_per_epoch),
                                      self._smoothed.update(self._reducer), connect="finite")

    def _log_scale_toggled(self, log: bool) -> None:
        self.loss_plot.getPlotItem().setLogMode(y=log)
        self._loss_axis.restart(log=log)
        self._restart_axes()
        self.refresh(list(self._histories), self._planned_epochs)

    # -- refreshing -----------------------------------------------------------------------------
    def refresh(self, histories: list[RunHistory | None], planned_epochs: int | None = None) -> None:
        """Pull what each run appended since the last call; unchanged series are not touched, and the
        axes move only when new values leave them. `planned_epochs`: where a live run's epoch axis ends."""
        if planned_epochs != self._planned_epochs:
            self._planned_epochs = planned_epochs
            self._show_key()  # the key's room for the best epoch
        for index, history in enumerate(histories[: len(self._histories)]):
            if history is not self._histories[index]:
                if self._histories[index] is not None:  # its values no longer bound the axes
                    self._restart_axes()
                self._histories[index], self._epochs_shown[index] = history, 0
                if self._single:
                    self._reset_steps()
        self._follow_loss_ceiling()
        for index, history in enumerate(self._histories):
            if history is None:
                continue
            if self._single:
                self._refresh_steps(history)
            if len(history.epochs) != self._epochs_shown[index]:
                self._refresh_epochs(index, history)
        live = any(history is not None and history.status == "running" for history in self._histories)
        self._x_axis.update(live=live, end=planned_epochs)
        self._loss_axis.update(live=live)
        self._show_clipping()

    def _follow_loss_ceiling(self) -> None:
        """A linear loss axis is clipped at ten times the runs' step-0 loss (known once a run has
        started); a changed ceiling re-fits the axis from all the data."""
        ceiling = None if self.log_scale.isChecked() else loss_ceiling(
            [history.initial_loss for history in self._histories if history is not None])
        if ceiling != self._loss_axis.ceiling:
            self._loss_axis.restart(ceiling=ceiling)
            self._restart_axes()

    def _restart_axes(self) -> None:
        """Start the axes over from every run's full data (the next refresh pulls it all again)."""
        for axis in (self._x_axis, self._loss_axis):
            axis.restart(ceiling=axis.ceiling)
        self._epochs_shown = [0] * len(self._epochs_shown)
        self._reset_steps()

    def _show_clipping(self) -> None:
        note = clipped_note(self._loss_axis)
        title = self.tr("Loss ({note})").format(note=note) if note else self.tr("Loss")
        if title != self._loss_title:  # a title set again relayouts the plot
            self._loss_title = title
            style.title_plot(self.loss_plot, title)

    def _refresh_steps(self, history: RunHistory) -> None:
        rows = history.step_loss.view()
        if len(rows) < self._reducer.rows:  # the history was cut back: start over
            self._reset_steps()
        if len(rows) == self._reducer.rows:
            return
        new = rows[self._reducer.rows:]
        self._reducer.consume(new[:, 0], new[:, 1:2])
        steps_per_epoch = max(1, history.steps_per_epoch)
        self._x_axis.include(new[-1, 0] / steps_per_epoch)
        self._loss_axis.include(new[:, 1])
        epochs = self._reducer.x / steps_per_epoch
        self._step_smooth.setData(epochs, self._smoothed.update(self._reducer), connect="finite")
        x, y = peak_envelope(epochs, self._reducer.low[:, 0], self._reducer.high[:, 0])
        finite = np.isfinite(y)
        self._step_raw.setData(x[finite], y[finite])  # a zig-zag between each bucket's min and max

    def _reset_steps(self) -> None:
        self._reducer = BucketReducer(1)
        self._smoothed = SmoothedMeans(self.smoothing_factor)

    def _refresh_epochs(self, index: int, history: RunHistory) -> None:
        epochs = history.epochs.view()
        count, first_new = len(epochs), self._epochs_shown[index]
        epoch_numbers = history.epoch_column("epoch")[:count]
        for key, curve in self._run_curves[index].items():
            values = history.epoch_column(key)[:count]
            # every epoch gets a dot while they stay apart; in an overlay only validation's, so that the
            # training curves stay thin dashes (and none where every value is NaN: pyqtgraph warns)
            dotted = (count <= SYMBOL_EPOCH_LIMIT and (self._single or not key.startswith("train"))
                      and bool(np.isfinite(values).any()))
            curve.setData(epoch_numbers, values, connect="finite", symbol="o" if dotted else None,
                          symbolSize=SYMBOL_SIZE, symbolPen=None, symbolBrush=curve.opts["pen"].color())
            style.reduce_in_view(curve, count > MAX_BUCKETS)  # a point per epoch: few, but up to 100,000
            if key in LOSS_KEYS:
                self._loss_axis.include(values[first_new:])
        self._x_axis.include(epoch_numbers[first_new:])
        self._epochs_shown[index] = count
        if self._single:
            self._show_best(history.best_epoch())

    def _show_best(self, epoch: int | None) -> None:
        """Move the best-epoch lines and name the epoch in the key, only when the best epoch changed."""
        if epoch == self._best_shown:
            return
        self._best_shown = epoch
        for line in self._best_lines:
            if epoch is not None:
                line.setValue(epoch)
            line.setVisible(epoch is not None)
        self._show_key()

    def _plot_of(self, key: str) -> pg.PlotWidget:
        return self.loss_plot if key.endswith("loss") else self.accuracy_plot

    # -- hover ----------------------------------------------------------------------------------
    def _hover(self, plot: pg.PlotWidget, scene_position) -> None:
        view = plot.getPlotItem().getViewBox()
        if view.sceneBoundingRect().contains(scene_position):
            self.show_values_at(view.mapSceneToView(scene_position).x())

    def show_values_at(self, x: float) -> None:
        """Snap to the nearest logged epoch and write every curve's exact value there."""
        curves = [(run, key, curve) for run, run_curves in zip(self._run_names, self._run_curves, strict=True)
                  for key, curve in run_curves.items() if curve.xData is not None and len(curve.xData)]
        if not curves:
            return
        candidates = np.unique(np.concatenate([curve.xData for _, _, curve in curves]))
        epoch = float(candidates[np.argmin(np.abs(candidates - x))])
        parts = [self.tr("epoch {epoch}").format(epoch=f"{epoch:.0f}")]
        for run, key, curve in curves:
            at = np.flatnonzero(curve.xData == epoch)
            if len(at):
                label = self.tr(dict(EPOCH_SERIES)[key])
                # pyqtgraph keeps yData as given, also on a log axis
                value = formatting.number(curve.yData[at[0]])
                parts.append(f"{label} {value}" if self._single else f"{run} {label} {value}")
        self._hovered_epoch = epoch
        self.readout.setText(" · ".join(parts))
        for line in self._crosshairs:
            line.setValue(epoch)
            line.setVisible(True)

    # -- what a user sees -----------------------------------------------------------------------
    def point_counts(self) -> dict[str, int]:
        counts = {}
        for run, run_curves in zip(self._run_names, self._run_curves, strict=True):
            for key, curve in run_curves.items():
                counts[key if self._single else f"{run} / {key}"] = 0 if curve.xData is None else len(curve.xData)
        if self._single and self._run_curves:
            data = self._step_smooth.xData
            counts["step_loss"] = 0 if data is None else len(data)
        return counts


def _raw_step_pen():
    """The raw per-step loss: a pale, opaque shade of the training colour on this theme's background."""
    return style.pen(style.blended_with_background(style.TRAIN_COLOR, RAW_STEP_SHADE), width=1)
