"""The runs list's sizes on disk, measured on a pool thread: each run directory listed (once it is not
training) and the runs folder's total, again when a run ends or is deleted. Measuring stats files and
reads none (rundir.disk_usage), so a thousand runs cost milliseconds, off the GUI thread all the same."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from workbench.core.session import RunRecord, RunsSession
from workbench.core.status import RunStatus
from workbench.ui.panels.runs_model import RunsModel
from workbench.ui.worker import call_in_background

BATCH_DELAY_MS = 50  # the runs read from disk arrive one by one: they are measured in one go


def measure(directories: list[Path], root: Path | None) -> tuple[dict[Path, int], int]:
    """On a pool thread: each directory's bytes and the runs folder's."""
    from workbench.core.rundir.disk_usage import directory_size, runs_folder_size

    return {directory: directory_size(directory) for directory in directories}, runs_folder_size(root)


class RunSizes(QObject):
    """Keeps the model's Size column and the folder's total current; `total_changed(bytes)` after each
    measurement. `root` None: the runs folder as the app finds it (WORKBENCH_RUNS_DIR or the default)."""

    total_changed = Signal(int)

    def __init__(self, session: RunsSession, model: RunsModel, root: Path | None = None,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.model, self.root = model, root
        self.total: int | None = None  # None until first measured
        self._pending: set[Path] = set()
        self._timer = QTimer(self, singleShot=True, interval=BATCH_DELAY_MS)
        self._timer.timeout.connect(self._measure_pending)
        session.added.connect(lambda run, _index: self.remeasure(run))
        session.removed.connect(lambda _run: self.remeasure())
        for run in session.runs:
            self.remeasure(run)

    def remeasure(self, run: RunRecord | None = None) -> None:
        """Measure the run's directory (unless it is still training) and the folder's total, soon."""
        if run is not None and run.directory is not None and run.status != RunStatus.RUNNING:
            self._pending.add(run.directory)
        self._timer.start()

    def _measure_pending(self) -> None:
        directories, self._pending = sorted(self._pending), set()
        call_in_background(lambda: measure(directories, self.root), self, self._measured, lambda _error: None)

    def _measured(self, result: tuple[dict[Path, int], int]) -> None:
        sizes, total = result
        self.model.set_sizes(sizes)
        self.total = total
        self.total_changed.emit(total)
