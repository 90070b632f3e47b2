"""A sweep running in the background: the core's Sweep (runner.py) on a background thread, driving its backend
(the local process pool), so that the GUI thread never waits on a trial. Each recorded trial reaches the
GUI thread as a queued signal. Stopping keeps every finished trial, as Ctrl-C does in `workbench sweep`."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from workbench.core.sweeps.plan import SweepPlan
from workbench.ui.worker import call_in_background


class SweepJob(QObject):
    result_recorded = Signal(object)  # a TrialResult, as the sweep's tables record it
    ended = Signal(str)  # "" when the sweep ran to its end or stopped; else why it could not run

    def __init__(self, plan: SweepPlan, directory: Path, backend, parent: QObject | None = None):
        super().__init__(parent)
        from workbench.core.sweeps.runner import Sweep

        self.plan = plan
        self.directory = Path(directory)
        self.backend = backend
        self.sweep = Sweep(plan, self.directory)
        self.running = False

    @property
    def stopping(self) -> bool:
        return self.sweep.stopping

    def start(self) -> None:
        self.running = True
        call_in_background(self._drive, self, lambda _none: self._end(""), lambda error: self._end(str(error)))

    def _drive(self) -> None:
        """On the background thread: claim the directory, run the trials, release it (kept) whatever happens."""
        from workbench.core.rundir.claim import claim_sweep_dir

        claim = claim_sweep_dir(self.directory)
        try:
            self.sweep.run(self.backend, self.result_recorded.emit)
        finally:
            claim.release(keep=True)

    def _end(self, error: str) -> None:
        self.running = False
        self.ended.emit(error)

    def stop(self) -> None:
        """Running trials stop at their next step with their files written; no new trial starts."""
        self.sweep.request_stop()
