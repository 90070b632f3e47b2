"""Loss and accuracy: per epoch (train, validation), the smoothed per-step training loss, the best epoch,
exact values under the mouse, and an overlay of several runs on the same axes."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from workbench.core.history import RunHistory
from workbench.ui.plots import style
from workbench.ui.plots.decimation import BucketReducer, SmoothedMeans, peak_envelope
from workbench.ui.plots.ranges import X_HEADROOM, Y_HEADROOM, AxisFollower

STEP_LOSS_SMOOTHING = 0.9  # per-step EMA factor (a ~10-step window), TensorBoard's usual range
RAW_STEP_LOSS_ALPHA = 70  # the raw per-step loss stays in the background, the smoothed line on top
SYMBOL_EPOCH_LIMIT = 60  # mark each epoch with a dot while dots stay distinguishable
SYMBOL_SIZE = 6
EPOCH_SERIES = (("train_loss", "train loss"), ("val_loss", "val loss"),
                ("train_acc", "train acc"), ("val_acc", "val acc"))
LOSS_KEYS = ("train_loss", "val_loss")
STEP_LOSS_LABEL = "train loss per step (smoothed)"
BEST_EPOCH_LABEL = "best epoch {epoch} (lowest val loss)"
# Rebinding (each run start) keeps the curves and legend entries made for the same layout: removing
# and re-adding them cost ~10 ms of GUI thread on each bind.
SINGLE_RUN = ("single run",)
HOVER_HINT = "Move the mouse over a plot to read the exact values of an epoch."


class TrainingCurves(QWidget):
    """Two x-linked plots (loss above accuracy) in epochs, with a value readout below them."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.loss_plot = style.make_plot("Loss", "epoch", "loss")
        self.accuracy_plot = style.make_plot("Accuracy", "epoch", "accuracy")
        self.accuracy_plot.setXLink(self.loss_plot)
        self.accuracy_plot.setYRange(0, 1)
        self._x_axis = AxisFollower(self.loss_plot, "x", headroom=X_HEADROOM, floor=0.0, watch=(self.accuracy_plot,))
        self._loss_axis = AxisFollower(self.loss_plot, "y", headroom=Y_HEADROOM, floor=0.0)
        self._loss_legend = style.add_legend(self.loss_plot)
        self._accuracy_legend = style.add_legend(self.accuracy_plot, style.BOTTOM_RIGHT)  # accuracy rises
        self.readout = QLabel(HOVER_HINT)
        self.readout.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.readout.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.loss_plot, 3)
        layout.addWidget(self.accuracy_plot, 2)
        layout.addWidget(self.readout)

        raw_color = QColor(style.TRAIN_COLOR)
        raw_color.setAlpha(RAW_STEP_LOSS_ALPHA)
        self._step_raw = self.loss_plot.plot(pen=style.pen(raw_color, width=1))
        self._step_smooth = self.loss_plot.plot(pen=style.pen(style.TRAIN_COLOR, width=1.5))
        # per run, its curve for each epoch series: a single run is an overlay of one
        self._run_names: list[str] = []
        self._run_curves: list[dict[str, pg.PlotDataItem]] = []
        self._layout: tuple | None = None  # what the curves were made for: SINGLE_RUN or the overlay's names
        best_pen = style.pen(style.BEST_EPOCH_COLOR, width=1.5, dashed=True)
        self._best_lines = [pg.InfiniteLine(angle=90, pen=best_pen) for _ in range(2)]
        # named in the loss legend rather than beside the line, where it ran into the legend: a sample
        # that is not plotted, whose legend entry shows and hides the lines like any other entry
        self._best_sample = pg.PlotDataItem(pen=best_pen)
        self._best_shown: int | None = None
        self._loss_legend.sigSampleClicked.connect(self._best_sample_clicked)
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
        self._reset_steps()
        self._single = True

    # -- binding --------------------------------------------------------------------------------
    def show_runs(self, names: list[str]) -> None:
        """Prepare curves for these runs: one run shows train/val plus the per-step loss, several
        runs share the axes with one colour each (validation solid, training dashed)."""
        layout = SINGLE_RUN if len(names) == 1 else tuple(names)
        if layout == self._layout:  # the same curves and legend fit: emptying them is cheaper
            self._reset_view()
        else:
            self.clear()
            self._layout = layout
            self._add_curves(names)
        self._histories = [None] * len(names)
        self._epochs_shown = [0] * len(names)

    def _add_curves(self, names: list[str]) -> None:
        self._single = len(names) == 1
        for index, name in enumerate(names):
            color = style.palette_color(index)
            curves = {}
            for key, label in EPOCH_SERIES:
                if self._single:
                    series_pen = style.pen(style.TRAIN_COLOR if key.startswith("train") else style.VAL_COLOR)
                    curves[key] = self._plot_of(key).plot(pen=series_pen, name=label)
                else:
                    curves[key] = self._plot_of(key).plot(pen=style.pen(color, dashed=key.startswith("train")),
                                                          name=f"{name} · {label}")
            self._run_names.append(name)
            self._run_curves.append(curves)
        self._step_smooth.setVisible(self._single)
        self._step_raw.setVisible(self._single)
        if self._single:  # an overlay shows per-epoch curves only
            self._loss_legend.addItem(self._step_smooth, STEP_LOSS_LABEL)

    def clear(self) -> None:
        for curves in self._run_curves:
            for key, curve in curves.items():
                self._plot_of(key).removeItem(curve)  # also takes it out of the legend
        self._run_names, self._run_curves, self._layout = [], [], None
        self._loss_legend.removeItem(self._step_smooth)
        self._reset_view()

    def _reset_view(self) -> None:
        """Empty every curve, hide the best-epoch and hover marks, let the axes start over."""
        self._show_best(None)
        self._best_sample.setVisible(True)
        self._histories, self._epochs_shown = [], []
        self._reset_steps()
        run_curves = [curve for curves in self._run_curves for curve in curves.values()]
        for item in (self._step_raw, self._step_smooth, *run_curves):
            item.setData([], [])
        for line in self._crosshairs:
            line.setVisible(False)
        for axis in (self._x_axis, self._loss_axis):
            axis.restart()
        self.readout.setText(HOVER_HINT)

    # -- refreshing -----------------------------------------------------------------------------
    def refresh(self, histories: list[RunHistory | None], planned_epochs: int | None = None) -> None:
        """Pull what each run appended since the last call; unchanged series are not touched, and the
        axes move only when new values leave them. `planned_epochs`: what a live run's epoch axis spans."""
        for index, history in enumerate(histories[: len(self._histories)]):
            if history is not self._histories[index]:
                if self._histories[index] is not None:  # its values no longer bound the axes
                    self._restart_axes()
                self._histories[index], self._epochs_shown[index] = history, 0
                if self._single:
                    self._reset_steps()
            if history is None:
                continue
            if self._single:
                self._refresh_steps(history)
            if len(history.epochs) != self._epochs_shown[index]:
                self._refresh_epochs(index, history)
        live = any(history is not None and history.status == "running" for history in self._histories)
        self._x_axis.update(live=live, limit=planned_epochs)
        self._loss_axis.update(live=live)

    def _restart_axes(self) -> None:
        """Start the axes over from every run's full data (the next refresh pulls it all again)."""
        for axis in (self._x_axis, self._loss_axis):
            axis.restart()
        self._epochs_shown = [0] * len(self._epochs_shown)
        self._reset_steps()

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
        self._smoothed = SmoothedMeans(STEP_LOSS_SMOOTHING)

    def _refresh_epochs(self, index: int, history: RunHistory) -> None:
        epochs = history.epochs.view()
        count, first_new = len(epochs), self._epochs_shown[index]
        epoch_numbers = history.epoch_column("epoch")[:count]
        for key, curve in self._run_curves[index].items():
            values = history.epoch_column(key)[:count]
            curve.setData(epoch_numbers, values, connect="finite",
                          symbol="o" if count <= SYMBOL_EPOCH_LIMIT else None,
                          symbolSize=SYMBOL_SIZE, symbolPen=None, symbolBrush=curve.opts["pen"].color())
            if key in LOSS_KEYS:
                self._loss_axis.include(values[first_new:])
        self._x_axis.include(epoch_numbers[first_new:])
        self._epochs_shown[index] = count
        if self._single:
            self._show_best(history.best_epoch())

    def _show_best(self, epoch: int | None) -> None:
        """Move the best-epoch lines and their legend entry, only when the best epoch changed."""
        if epoch == self._best_shown:
            return
        if epoch is None:
            self._loss_legend.removeItem(self._best_sample)
        else:
            label = BEST_EPOCH_LABEL.format(epoch=epoch)
            if self._best_shown is None:
                self._loss_legend.addItem(self._best_sample, label)
            else:  # cheaper than a new entry: the legend keeps its layout
                self._loss_legend.getLabel(self._best_sample).setText(label)
            for line in self._best_lines:
                line.setValue(epoch)
        self._best_shown = epoch
        self._best_sample_clicked()

    def _best_sample_clicked(self, *_) -> None:
        for line in self._best_lines:
            line.setVisible(self._best_shown is not None and self._best_sample.isVisible())

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
        parts = [f"epoch {epoch:.0f}"]
        for run, key, curve in curves:
            at = np.flatnonzero(curve.xData == epoch)
            if len(at):
                label = dict(EPOCH_SERIES)[key]
                parts.append(f"{label} {curve.yData[at[0]]:.4g}" if self._single
                             else f"{run} {label} {curve.yData[at[0]]:.4g}")
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
