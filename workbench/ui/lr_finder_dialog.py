"""The learning-rate finder's result: the loss against the learning rate on a log axis, the smoothed loss
over it, the suggested rate marked and its rule named, and "Use this rate", which puts the rate into the
experiment's train.lr with one click."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from workbench.core.diagnosis.signals import nice
from workbench.ui.plots import style

RAW_SHADE = 0.35  # the per-step loss, pale behind the smoothed one
MARK_SIZE = 12
DIALOG_SIZE = (720, 520)


class LrFinderDialog(QDialog):
    """Shows one LrFinderResult; `rate_chosen` carries the suggestion (rounded) when the user takes it."""

    rate_chosen = Signal(float)

    def __init__(self, result, experiment_name: str, current_lr: float, parent: QWidget | None = None):
        super().__init__(parent)
        self.result = result
        self.rate = nice(result.suggestion) if result.suggestion is not None else None
        self.setWindowTitle(self.tr("Learning-rate finder — {experiment}").format(experiment=experiment_name))
        self.resize(*DIALOG_SIZE)
        self.plot = style.make_plot()
        self.plot.getPlotItem().setLogMode(x=True)
        style.label_plot(self.plot, self.tr("Loss against learning rate"), self.tr("learning rate"),
                         self.tr("training loss"))
        self._draw(result)
        self.summary = QLabel(self._summary_text(result, current_lr))
        self.summary.setObjectName("lr_finder_summary")
        self.summary.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.use_button = buttons.addButton(self.tr("Use this rate"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.use_button.setEnabled(self.rate is not None)
        if self.rate is not None:
            self.use_button.setToolTip(self.tr("Set the experiment's learning rate (train.lr) to {lr:g}").format(
                lr=self.rate))
            self.use_button.setDefault(True)
        self.use_button.clicked.connect(self._use_rate)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.summary)
        layout.addWidget(buttons)

    def _draw(self, result) -> None:
        plot = self.plot.getPlotItem()
        # lower left: the loss is flat at its start there, and the blow-up fills the right
        plot.addLegend(offset=(10, -10), labelTextColor=style.resolve(style.FOREGROUND),
                       brush=style.blended_with_background(style.FOREGROUND, 0.05))
        finite = np.isfinite(result.losses) & (result.lrs > 0)
        raw_color = style.blended_with_background(style.PALETTE[0], RAW_SHADE)
        plot.plot(result.lrs[finite], result.losses[finite], pen=pg.mkPen(raw_color, width=1), name=self.tr("loss"))
        smooth = np.isfinite(result.smoothed)
        plot.plot(result.lrs[smooth], result.smoothed[smooth], pen=style.pen(style.PALETTE[0]),
                  name=self.tr("smoothed loss"))
        if result.marked is not None:
            lr, loss = result.marked
            mark_color = style.resolve(style.PALETTE[3])
            plot.addItem(pg.InfiniteLine(math.log10(lr), angle=90, pen=style.pen(mark_color, width=1, dashed=True)))
            plot.plot([lr], [loss], pen=None, symbol="o", symbolSize=MARK_SIZE, symbolBrush=mark_color,
                      symbolPen=mark_color, name=self.tr("suggested {lr:.2e} ({rule})").format(lr=lr, rule=result.rule))
        shown = np.concatenate([result.losses[finite], result.smoothed[smooth]])
        if len(shown):  # from the lowest loss to a little above the first: the blow-up would flatten the rest
            low, high = float(shown.min()), float(max(result.smoothed[0], result.losses[0]))
            margin = 0.1 * (high - low) + 1e-9
            plot.setYRange(low - margin, high + 2 * margin, padding=0)

    def _summary_text(self, result, current_lr: float) -> str:
        lines = [result.message]  # the core's sentence: the suggestion and its rule, or why there is none
        if result.diverged_at is not None and result.suggestion is not None:
            lines.append(self.tr("The loss diverged at {lr:.2e}, where the test stopped.").format(lr=result.diverged_at))
        other = result.steepest if result.rule == "valley" else result.valley
        if result.suggestion is not None and other is not None:
            lines.append(self.tr("The other rule ({rule}) gives {lr:.2e}.").format(
                rule="steepest" if result.rule == "valley" else "valley", lr=other))
        lines.append(self.tr("The experiment's learning rate now: {lr:g}.").format(lr=current_lr))
        return "\n".join(lines)

    def _use_rate(self) -> None:
        if self.rate is not None:
            self.rate_chosen.emit(self.rate)
        self.accept()
