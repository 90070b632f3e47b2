"""The run under way, followed into the window: when the controller starts it, it joins the runs session
and is selected (with the run it is compared with); while it trains, the plots and the status bar pull its
newest rows every REFRESH_INTERVAL_MS and the session hears of each epoch, pause and fix probe; when it
ends, the window says how, and a run that failed or cannot be saved is explained in a dialog.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer

from workbench.core.i18n import catalogue_text
from workbench.core.session import RunRecord, RunsSession
from workbench.ui import formatting
from workbench.ui.controller import PAUSED, RunController
from workbench.ui.dialogs import Dialogs
from workbench.ui.plots import PlotsArea
from workbench.ui.plots.turns import NextTurn
from workbench.ui.status_bar import RunStatusBar

REFRESH_INTERVAL_MS = 30  # plots pull the newest buffer rows this often while a run trains
STARTED_MESSAGE_MS = 4000


class LiveRun(QObject):
    def __init__(self, parent: QObject, controller: RunController, session: RunsSession, plots: PlotsArea,
                 status: RunStatusBar, dialogs: Dialogs):
        super().__init__(parent)
        self._controller, self._session, self._plots = controller, session, plots
        self._status, self._dialogs = status, dialogs
        self._testing_shown = None  # the probe of a fix the views last showed for the run under way
        self._next_turn = NextTurn(self)
        self._timer = QTimer(self, interval=REFRESH_INTERVAL_MS)
        self._timer.timeout.connect(self.refresh)
        controller.run_started.connect(self._started)
        controller.state_changed.connect(self._state_changed)
        controller.epoch_ended.connect(lambda run, _report: session.update(run))
        controller.run_ended.connect(self._ended)
        controller.save_failed.connect(self._save_failed)

    def stop(self) -> None:
        """No more live refreshes (the window closes)."""
        self._timer.stop()

    def refresh(self) -> None:
        """Bring the plots and the status bar up to the run's newest rows."""
        run = self._controller.active_run
        if run is None:
            return
        if self._plots.shows(run):
            self._plots.refresh()
        if run.testing != self._testing_shown:  # a probe of a fix started or ended: no epoch end says so
            self._testing_shown = run.testing
            # on a later turn, after this refresh's paint: the cards and the Runs list redrawn in the same turn
            # made one stall of 57-60 ms for a run that ends within its first second (README, issue 12)
            self._next_turn.call(lambda: self._session.update(run))
        self._show_progress(run)
        if run.device_name:
            self._status.set_device(run.device_name)

    def _show_progress(self, run) -> None:
        self._status.show_progress(run, self._controller.latest_step, paused=self._controller.state == PAUSED)

    def _started(self, run, compare_with: RunRecord | None) -> None:
        self._session.add(run)
        self._session.select([compare_with, run])
        self._status.show_progress(run, None)
        # replaces "starts as soon as PyTorch has loaded", which would stay up for the whole run
        self._status.showMessage(self.tr("Training {run}").format(run=catalogue_text(run.name)), STARTED_MESSAGE_MS)
        self._timer.start()

    def _state_changed(self, _state: str) -> None:
        run = self._controller.active_run
        if run is not None:  # paused or resumed: say so at once, not at the next refresh
            self._session.update(run)
            self._show_progress(run)

    def _ended(self, run, outcome) -> None:
        self._timer.stop()
        self._session.update(run)
        self._status.show_finished(run)
        if outcome.error:
            title = (self.tr("The dataset could not be loaded") if outcome.data_problem
                     else self.tr("{run} failed").format(run=catalogue_text(run.name)))
            self._dialogs.error(title, outcome.error)
        self._status.showMessage(self.tr("{run}: {status}").format(run=catalogue_text(run.name),
                                                                    status=formatting.status_label(run.status)))

    def _save_failed(self, run, problem: str) -> None:
        self._dialogs.error(self.tr("{run} is not being saved").format(run=catalogue_text(run.name)),
                            self.tr("{problem}.\n\nTraining goes on and keeps every record in memory. When the run "
                                    "has ended, select it and choose File → Save run to folder… to keep it."
                                    ).format(problem=problem[0].upper() + problem[1:]))
