"""The gradient through time of a recurrent run (history.time_step_grad): the norm of d loss / d input at
each step of the sequence, at the first probe and at the newest, on a log axis. A plain RNN's curve falls
by orders of magnitude from the last step back to the first; a gated cell's stays up. Shown under the
Gradients tab's plots, for recurrent runs only."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QCoreApplication

from workbench.core.history import RunHistory
from workbench.ui import formatting
from workbench.ui.plots import style

FIRST_PROBE_SHADE = 0.45  # share of the colour in the first probe's paler curve
EVERY_STEP_TICKS = 20  # sequences up to this long get a tick at every step (no half steps)


class GradientThroughTime:
    """Two curves over the time steps: the first probe's (pale) and the newest probe's gradient norms."""

    def __init__(self):
        self.widget = style.make_plot(log_y=True)
        self._key = self.widget.getPlotItem().addLegend()
        self._first = self.widget.plot([], [])
        self._newest = self.widget.plot([], [])
        self._history: RunHistory | None = None
        self._visible = True  # whether the plot is shown: the bound run records a gradient per time step
        self._rows_shown = 0
        self._title = ""
        self.shown_title = ""
        self.restyle()

    @property
    def applies(self) -> bool:
        """The bound run is recurrent: it records a gradient per time step."""
        return self._history is not None and self._history.time_step_grad is not None

    def restyle(self) -> None:
        color = style.palette_color(0)
        self._first.setPen(style.pen(style.blended_with_background(color, FIRST_PROBE_SHADE), dashed=True))
        self._newest.setPen(style.pen(color, width=style.VALIDATION_WIDTH))
        self._rows_shown = 0  # the key's entries are written again with the curves
        self.refresh()

    def set_texts(self, title: str) -> None:
        self._title = title
        self._rows_shown = 0
        self.refresh()
        self._show_texts()

    def bind(self, history: RunHistory | None) -> None:
        self._history, self._rows_shown = history, 0
        self._first.setData([], [])
        self._newest.setData([], [])
        self._key.clear()
        self._show_if_it_applies()
        self._show_texts()

    def _show_if_it_applies(self) -> None:
        """A run's recorder creates its table once training starts, after the plots bound its history."""
        if self.applies != self._visible:
            self._visible = self.applies
            self.widget.setVisible(self._visible)

    def refresh(self) -> None:
        self._show_if_it_applies()
        if not self.applies:
            return
        rows = self._history.time_step_grad.view()
        if len(rows) == self._rows_shown or not len(rows):
            return
        self._rows_shown = len(rows)
        steps = np.arange(1, rows.shape[1])
        axis = self.widget.getPlotItem().getAxis("bottom")
        axis.setTickSpacing(1, 1) if len(steps) <= EVERY_STEP_TICKS else axis.setTickSpacing()
        self._key.clear()
        for curve, row in ((self._first, rows[0]), (self._newest, rows[-1])):
            curve.setData(steps, style.positive_or_nan(row[1:]), connect="finite")
        # the key in a bottom corner, on the side where the newest curve is high: the other is its low end
        right = not rows[-1, 1] > rows[-1, -1]
        self._key.anchor(itemPos=(int(right), 1), parentPos=(int(right), 1), offset=(-10 if right else 10, -10))
        translate = QCoreApplication.translate
        self._key.addItem(self._first, translate("GradientThroughTime", "step {step} (first probe)").format(
            step=int(rows[0, 0])))
        self._key.addItem(self._newest, translate("GradientThroughTime", "step {step} (newest probe)").format(
            step=int(rows[-1, 0])))
        self._show_texts()

    def _show_texts(self) -> None:
        """The title, with the newest probe's first-to-last ratio: how much of the gradient reaches step 1."""
        title = self._title
        if self.applies and len(self._history.time_step_grad):
            newest = self._history.time_step_grad.view()[-1, 1:]
            if np.isfinite(newest).all() and newest[-1] > 0:
                title = QCoreApplication.translate("GradientThroughTime", "{title}: step 1 gets {ratio} of step "
                                                   "{last}'s").format(title=self._title, last=len(newest),
                                                                      ratio=formatting.number(float(newest[0] / newest[-1]), 2))
        self.shown_title = title
        translate = QCoreApplication.translate
        style.label_plot(self.widget, title, translate("GradientThroughTime", "time step"),
                         translate("GradientThroughTime", "‖∂loss/∂input‖"))
