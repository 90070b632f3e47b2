"""The Speed tab: how fast the run trains and where each epoch's time goes (history.timings).

Top: samples per second, per epoch. Middle: each epoch's time split into its phases as stacked bars
(data, forward pass, backward pass, optimizer, probes, and the epoch's end: evaluation and records), so a
phase that takes over (probes every step, a slow augmentation) stands out. Bottom, on a GPU only: the
peak GPU memory per epoch and, where the driver reports it, the utilisation; on the CPU a line says there
is no GPU to show, and on a GPU whose utilisation cannot be read, that it is not reported.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QVBoxLayout, QWidget

from workbench.core.history import TIMING_COLUMNS, RunHistory
from workbench.ui import formatting
from workbench.ui.fixed_lines import FixedLinesLabel
from workbench.ui.language import Translated
from workbench.ui.plots import style
from workbench.ui.plots.key import KeyEntry, PlotKey
from workbench.ui.plots.ranges import X_HEADROOM, X_MIN_SPAN, Y_HEADROOM, AxisFollower

PHASES = ("data", "forward", "backward", "optimizer", "probes", "evaluation")
PHASE_LABELS = {
    "data": QT_TRANSLATE_NOOP("SpeedView", "data"),
    "forward": QT_TRANSLATE_NOOP("SpeedView", "forward pass"),
    "backward": QT_TRANSLATE_NOOP("SpeedView", "backward pass"),
    "optimizer": QT_TRANSLATE_NOOP("SpeedView", "optimizer"),
    "probes": QT_TRANSLATE_NOOP("SpeedView", "probes"),
    "evaluation": QT_TRANSLATE_NOOP("SpeedView", "epoch end (evaluation)"),
}
BAR_WIDTH = 0.7
NOTE_LINES = 2  # the summary's and the GPU note's height
DOT_SIZE = 6
LABELLED_EPOCHS = 20  # up to this many epochs every one gets its tick (no "epoch 1.5"); beyond, pyqtgraph's


def column(rows: np.ndarray, name: str) -> np.ndarray:
    return rows[:, TIMING_COLUMNS.index(name)]


def phase_shares(rows: np.ndarray) -> np.ndarray:
    """(epochs, phases) share of each epoch's time (its steps and its end) per phase in PHASES."""
    seconds = np.column_stack([column(rows, f"{phase}_s") for phase in PHASES])
    totals = seconds.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(totals > 0, seconds / totals, 0.0)


def samples_per_second(rows: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return column(rows, "samples") / column(rows, "steps_s")


def _rate(value: float) -> str:
    """Samples per second as people read them: "12,346"; a dash when not measured."""
    return f"{value:,.0f}" if np.isfinite(value) else formatting.MISSING


class SpeedView(Translated, QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.speed_plot = style.make_plot()
        self._speed_curve = self.speed_plot.plot([], [], symbol="o", symbolSize=DOT_SIZE)
        self.shares_plot = style.make_plot()
        self.shares_plot.setYRange(0, 1, padding=0.02)
        self.shares_plot.getPlotItem().setMouseEnabled(y=False)
        self._bars = [pg.BarGraphItem(x=[], height=[], width=BAR_WIDTH) for _ in PHASES]
        for bars in self._bars:
            self.shares_plot.addItem(bars)
        self.key = PlotKey()
        self.gpu_plot = style.make_plot()
        self._memory_curve = self.gpu_plot.plot([], [], symbol="o", symbolSize=DOT_SIZE)
        self.gpu_plot.setVisible(False)
        # two lines each, whatever they say: a note that grew or shrank with its text (no timings yet, the
        # first epoch's, the CPU's) resized and so repainted both plots at a run's start and first epoch
        self.summary = FixedLinesLabel(NOTE_LINES)
        self.gpu_note = FixedLinesLabel(NOTE_LINES)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.speed_plot, 2)
        layout.addWidget(self.key)
        layout.addWidget(self.shares_plot, 3)
        layout.addWidget(self.summary)
        layout.addWidget(self.gpu_plot, 2)
        layout.addWidget(self.gpu_note)
        # The axes follow a live run's epochs as the other live plots' do (ranges.py): auto-ranged, every
        # epoch end fitted the plots again, and made their ticks again, in a tab that repainted each time
        self._epoch_axes = [AxisFollower(plot, "x", headroom=X_HEADROOM, floor=0.0, min_span=X_MIN_SPAN)
                            for plot in (self.speed_plot, self.shares_plot, self.gpu_plot)]
        self._speed_axis = AxisFollower(self.speed_plot, "y", headroom=Y_HEADROOM)  # around the speeds, as auto-range
        self._memory_axis = AxisFollower(self.gpu_plot, "y", headroom=Y_HEADROOM, floor=0.0)
        self._epoch_ticks: list | None = None
        self._history: RunHistory | None = None
        self._planned_epochs: int | None = None
        self._drawn = -1  # timing rows drawn
        self._drawn_live = False
        style.on_theme_change(self.restyle)
        self.retranslate()

    def retranslate(self) -> None:
        style.label_plot(self.speed_plot, self.tr("Training speed"), self.tr("epoch"), self.tr("samples/s"))
        style.label_plot(self.shares_plot, self.tr("Where each epoch's time goes"), self.tr("epoch"),
                         self.tr("share of the epoch's time"))
        style.label_plot(self.gpu_plot, self.tr("GPU memory (peak per epoch)"), self.tr("epoch"), self.tr("MiB"))
        self._drawn = -1
        self.refresh()

    def restyle(self) -> None:
        """Draw again in the new theme's colours."""
        self._drawn = -1
        self.key.redraw()
        self.refresh()

    def bind(self, history: RunHistory | None, planned_epochs: int | None = None) -> None:
        """Show this history's epochs; `planned_epochs`: where a live run's epoch axis ends. A view drawn
        empty stays as it is for another history with no epochs yet: a run's start binds no history, then
        the run's own before its first epoch, and each redrew (so repainted) every plot."""
        self._history, self._planned_epochs = history, planned_epochs
        if self._drawn != 0:
            self._drawn = -1
        for axis in (*self._epoch_axes, self._speed_axis, self._memory_axis):
            axis.restart()
        self.refresh()

    def refresh(self) -> None:
        """Draw the epochs recorded since the last call (cheap when none), or fit the axes snugly to a run
        that has just ended."""
        history = self._history
        rows = history.timings.view() if history is not None else np.empty((0, len(TIMING_COLUMNS)))
        live = history is not None and history.status == "running"
        if len(rows) == self._drawn and live == self._drawn_live:
            return
        self._drawn, self._drawn_live = len(rows), live
        epochs = column(rows, "epoch")
        color = style.palette_color(0)
        speeds = samples_per_second(rows)
        self._speed_curve.setData(epochs, speeds, pen=style.pen(color), symbolBrush=color, symbolPen=color)
        self._speed_axis.include(speeds)
        shares = phase_shares(rows)
        bottom = np.zeros(len(rows))
        for index, bars in enumerate(self._bars):
            bars.setOpts(x=epochs, y0=bottom.copy(), height=shares[:, index], width=BAR_WIDTH,
                         brush=style.palette_color(index), pen=pg.mkPen(None))
            bottom += shares[:, index]
        end = None if self._planned_epochs is None else self._planned_epochs + 0.5
        for axis in self._epoch_axes:
            axis.include([epochs.min() - 0.5, epochs.max() + 0.5] if len(epochs) else [])
            axis.update(live=live, end=end)
        self._speed_axis.update(live=live)
        self._label_epochs()
        self.key.set_entries([KeyEntry(style.PALETTE[index], self._phase_label(phase))
                              for index, phase in enumerate(PHASES)])
        self._describe(rows, shares)

    def _label_epochs(self) -> None:
        """Every whole epoch on the axes gets its tick while they span at most LABELLED_EPOCHS (no "epoch
        1.5"); set again only when the axes have moved (each setting makes them draw their ticks again)."""
        left, right = self.speed_plot.getPlotItem().getViewBox().viewRange()[0]
        whole = range(max(1, math.ceil(left)), math.floor(right) + 1)
        ticks = [[(epoch, str(epoch)) for epoch in whole]] if len(whole) <= LABELLED_EPOCHS else None
        if ticks == self._epoch_ticks:
            return
        self._epoch_ticks = ticks
        for plot in (self.speed_plot, self.shares_plot, self.gpu_plot):
            plot.getPlotItem().getAxis("bottom").setTicks(ticks)

    def _phase_label(self, phase: str) -> str:
        return QCoreApplication.translate("SpeedView", PHASE_LABELS[phase])

    def _describe(self, rows: np.ndarray, shares: np.ndarray) -> None:
        if not len(rows):
            self.summary.set_plain(self.tr("No timings yet: each epoch's are recorded at its end (a run made "
                                         "before Workbench measured them has none)."))
            self.gpu_plot.setVisible(False)
            self.gpu_note.set_plain("")
            return
        last = shares[-1]
        largest = int(np.argmax(last))
        self.summary.set_plain(self.tr("Epoch {epoch}: {speed} samples/s (CPU threads: {threads}); the largest "
                                     "share of its time is {phase} ({share}).").format(
            epoch=int(column(rows, "epoch")[-1]), speed=_rate(samples_per_second(rows)[-1]),
            threads=int(column(rows, "threads")[-1]), phase=self._phase_label(PHASES[largest]),
            share=formatting.percent(last[largest])))
        self._show_gpu(rows)

    def _show_gpu(self, rows: np.ndarray) -> None:
        memory = column(rows, "gpu_memory_mb")
        on_gpu = bool(np.isfinite(memory).any())
        self.gpu_plot.setVisible(on_gpu)
        if not on_gpu:
            self.gpu_note.set_plain(self.tr("Trained on the CPU: there is no GPU memory or utilisation to show."))
            return
        color = style.palette_color(2)
        self._memory_curve.setData(column(rows, "epoch"), memory, pen=style.pen(color), symbolBrush=color,
                                   symbolPen=color)
        self._memory_axis.include(memory)
        self._memory_axis.update(live=self._drawn_live)
        utilization = column(rows, "gpu_utilization")
        if np.isfinite(utilization[-1]):
            self.gpu_note.set_plain(self.tr("GPU: peak memory {memory} MiB, utilisation {utilization} at the end "
                                          "of epoch {epoch}.").format(
                memory=formatting.number(memory[-1], 4), utilization=formatting.percent(utilization[-1]),
                epoch=int(column(rows, "epoch")[-1])))
        else:
            self.gpu_note.set_plain(self.tr("GPU: peak memory {memory} MiB; utilisation is not reported here (it "
                                          "needs NVIDIA's NVML, through the pynvml package).").format(
                memory=formatting.number(memory[-1], 4)))

    # -- what a user sees (for tests) -----------------------------------------------------------
    def shown_epochs(self) -> int:
        return self._drawn if self._drawn > 0 else 0
