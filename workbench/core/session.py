"""The runs a user works with, Qt-free: their order, the selection, the run shown, and how many keep
their history in memory. The app's views render it and listen to its events; the sweep view and the
CLI's sweep summary use it too.

A run is anything that satisfies RunRecord: a run training now (engine.Run) and a run read back from
its directory (rundir.reader.LoadedRun) both do, so nothing here asks which kind it has.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Protocol

from workbench.core.diagnosis.finding import Finding
from workbench.core.experiment.config import ExperimentConfig
from workbench.core.history import RunHistory
from workbench.core.hooks import FixTest
from workbench.core.i18n import _
from workbench.core.rundir.summary import FixFor
from workbench.core.status import RunStatus

# Finished runs whose history stays in memory, newest first (besides the selected ones); an older one
# is read back from its run directory when shown. A spiral run at batch size 1 keeps ~1 MB of per-step
# losses, so without a bound a day of runs would grow the app by hundreds of MB.
RESIDENT_HISTORIES = 8


class RunRecord(Protocol):
    """What the views ask of a run, live or read from disk."""

    config: ExperimentConfig | None
    findings: list[Finding]
    testing: FixTest | None  # the probe of a fix training after the run itself ended; None on disk
    fix_for: FixFor | None  # a one-click fix's run: the run it cures (summary.json's `fix_for`)

    @property
    def name(self) -> str: ...

    @property
    def directory(self) -> Path | None: ...

    @property
    def status(self) -> RunStatus: ...

    @property
    def problem(self) -> str: ...  # why its files are incomplete or unwritten; "" when all is well

    @property
    def started_at(self) -> float | None: ...

    @property
    def best(self) -> dict: ...  # summary.json's `best`: epoch, val_loss, val_acc

    @property
    def history(self) -> RunHistory | None: ...

    @property
    def history_resident(self) -> bool: ...

    def evict_history(self) -> bool: ...


def best_val_acc(run: RunRecord) -> float | None:
    """Validation accuracy at the epoch of lowest validation loss, or None."""
    value = run.best.get("val_acc")
    return float(value) if value is not None and math.isfinite(value) else None


def diagnosis_text(run: RunRecord) -> str:
    """The ids of the run's findings; "healthy" (in the current language) for a run that finished well without
    one."""
    ids = ", ".join(finding.id for finding in run.findings)
    return ids or (_("healthy") if run.status.finished_well else "–")


class Event:
    """A list of listeners called in order with the event's arguments (the session's signals)."""

    def __init__(self):
        self._listeners: list[Callable] = []

    def connect(self, listener: Callable) -> None:
        self._listeners.append(listener)

    def disconnect(self, listener: Callable) -> None:
        self._listeners.remove(listener)

    def emit(self, *args) -> None:
        for listener in list(self._listeners):
            listener(*args)


class RunsSession:
    """The ordered runs (newest first), the selection and the eviction policy, with events for views.

    Events: added(run, index), updated(run), removed(run), selection_changed(selected runs).
    """

    def __init__(self, resident_histories: int = RESIDENT_HISTORIES):
        self.resident_histories = resident_histories
        self._runs: list[RunRecord] = []
        self._selected: list[RunRecord] = []
        self.added, self.updated, self.removed, self.selection_changed = Event(), Event(), Event(), Event()

    # -- the runs -------------------------------------------------------------------------------
    @property
    def runs(self) -> list[RunRecord]:
        return list(self._runs)

    def __len__(self) -> int:
        return len(self._runs)

    def __contains__(self, run: RunRecord) -> bool:
        return any(entry is run for entry in self._runs)

    def add(self, run: RunRecord) -> None:
        """A new run of this session, at the top."""
        self._runs.insert(0, run)
        self.added.emit(run, 0)
        self.evict_old_histories()

    def add_from_disk(self, runs: Iterable[RunRecord]) -> None:
        """Runs found on disk, below the ones listed; a directory listed already is skipped."""
        listed = {run.directory for run in self._runs if run.directory is not None}
        for run in runs:
            if run.directory not in listed:
                listed.add(run.directory)
                self._runs.append(run)
                self.added.emit(run, len(self._runs) - 1)

    def update(self, run: RunRecord) -> None:
        """The run's status, findings or metrics changed (while training, or when it ended)."""
        if run in self:
            self.updated.emit(run)
            if run.status != RunStatus.RUNNING:
                self.evict_old_histories()

    def remove(self, run: RunRecord) -> None:
        if run not in self:
            return
        self._runs = [entry for entry in self._runs if entry is not run]
        if any(entry is run for entry in self._selected):
            self._selected = [entry for entry in self._selected if entry is not run]
            self.selection_changed.emit(self.selected)
        self.removed.emit(run)

    # -- selection ------------------------------------------------------------------------------
    @property
    def selected(self) -> list[RunRecord]:
        """The selected runs, in the list's order (newest first)."""
        return list(self._selected)

    def select(self, runs: Iterable[RunRecord]) -> None:
        wanted = [run for run in runs if run is not None]
        ordered = [run for run in self._runs if any(run is entry for entry in wanted)]
        if [id(run) for run in ordered] == [id(run) for run in self._selected]:
            return
        self._selected = ordered
        self.selection_changed.emit(self.selected)
        self.evict_old_histories()

    @property
    def shown(self) -> RunRecord | None:
        """The run the plots and the diagnosis panel show: the newest selected one."""
        return self._selected[0] if self._selected else None

    # -- fixes --------------------------------------------------------------------------------------
    def fix_of(self, run: RunRecord) -> tuple[RunRecord, str] | None:
        """(the listed run it was meant to cure, the finding id) for the run of a one-click fix, trained now or
        read from disk; None for any other run, or where that run is no longer listed."""
        if run.fix_for is None:
            return None
        original = next((entry for entry in self._runs if entry.directory == run.fix_for.original), None)
        return (original, run.fix_for.finding) if original is not None else None

    # -- memory ---------------------------------------------------------------------------------
    def evict_old_histories(self) -> None:
        """Keep the histories of the newest `resident_histories` runs and of the selected runs in memory;
        older finished runs (of this session or read from disk) drop theirs until shown again."""
        resident = 0
        for run in self._runs:
            if any(run is entry for entry in self._selected) or not run.history_resident:
                continue
            resident += 1
            if resident > self.resident_histories:
                run.evict_history()
