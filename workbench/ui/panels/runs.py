"""The runs list: every run since the app opened (live `Run`s) and those found on disk (`LoadedRun`s).

One row per run with its status, best validation accuracy and diagnosis ids. A run that could not be
read completely is listed with a warning sign and the reason in its tooltip.
"""

from __future__ import annotations

import math
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from workbench.ui import formatting

COLUMNS = ("Run", "Status", "Best val acc", "Diagnosis")
NAME, STATUS, BEST, DIAGNOSIS = range(len(COLUMNS))
ENTRY_ROLE = Qt.ItemDataRole.UserRole
WARNING_SIGN = "⚠ "
PAUSED = "paused"
NAME_COLUMN_WIDTH = 220
# Finished runs whose history stays in memory, newest first (besides the selected ones); an older one,
# of this session or listed from disk, is read back from its run directory when shown. A spiral run at batch size 1 keeps ~1 MB of
# per-step losses, so without a bound a day of runs would grow the app by hundreds of MB.
RESIDENT_HISTORIES = 8


def run_name(entry) -> str:
    return entry.config.name if hasattr(entry, "control") else entry.name


def shown_status(entry) -> str:
    """The run's status, and "paused" for a live run the user paused: its record still says running."""
    control = getattr(entry, "control", None)
    return PAUSED if entry.status == "running" and control is not None and control.paused else entry.status


def run_directory(entry) -> Path | None:
    """Where the run's files are: a live Run's `run_dir`, a LoadedRun's `directory`."""
    directory = getattr(entry, "run_dir", None) or getattr(entry, "directory", None)
    return Path(directory) if directory else None


def best_val_acc(entry) -> float | None:
    """Validation accuracy at the epoch of lowest validation loss (summary.json's `best`); a history
    not in memory is not read for it."""
    history = entry.history if entry.history_resident else None
    if history is not None:
        epoch = history.best_epoch()
        return float(history.epoch_column("val_acc")[epoch - 1]) if epoch else None
    value = (getattr(entry, "summary", None) or {}).get("best", {}).get("val_acc")
    return float(value) if value is not None and math.isfinite(value) else None


# A finished run with no finding says so, as the Compare view and the diagnosis panel do.
FINISHED_STATUSES = ("completed", "early_stopped")


def diagnosis_text(entry) -> str:
    ids = ", ".join(finding.id for finding in entry.findings)
    return ids or ("healthy" if entry.status in FINISHED_STATUSES else "–")


class RunsList(QWidget):
    selection_changed = Signal(list)  # the selected runs (Run or LoadedRun), newest first

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setHeaderLabels(COLUMNS)
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setColumnWidth(NAME, NAME_COLUMN_WIDTH)
        self.tree.itemSelectionChanged.connect(self._selection_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tree)
        self._items: dict[int, QTreeWidgetItem] = {}  # id(entry) -> its row
        self._selected: list = []  # kept current: the refresh timer asks for it every 30 ms

    # -- rows -----------------------------------------------------------------------------------
    def add_run(self, entry, *, on_top: bool = True) -> None:
        item = QTreeWidgetItem()
        item.setData(NAME, ENTRY_ROLE, entry)
        self._items[id(entry)] = item
        if on_top:
            self.tree.insertTopLevelItem(0, item)
        else:
            self.tree.addTopLevelItem(item)
        self.update_run(entry)

    def add_loaded(self, entries) -> None:
        """Runs found on disk, below the ones of this session; a directory listed already is skipped."""
        shown = {run_directory(self.entry(i)) for i in range(self.tree.topLevelItemCount())}
        for entry in entries:
            if Path(entry.directory) not in shown:
                self.add_run(entry, on_top=False)

    def update_run(self, entry) -> None:
        item = self._items.get(id(entry))
        if item is None:
            return
        # a run read back damaged, or one of this session whose run directory could not be written
        warning = entry.problem
        status = shown_status(entry)
        best = best_val_acc(entry)
        item.setText(NAME, run_name(entry))
        item.setText(STATUS, (WARNING_SIGN if warning else "") + status)
        item.setText(BEST, formatting.percent(best))
        item.setText(DIAGNOSIS, diagnosis_text(entry))
        item.setToolTip(NAME, str(run_directory(entry) or ""))
        item.setToolTip(STATUS, warning or status)
        item.setTextAlignment(BEST, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def evict_old_histories(self) -> None:
        """Keep the histories of the newest RESIDENT_HISTORIES runs and of the selected runs in memory;
        older finished runs (of this session or read from disk) drop theirs until shown again."""
        selected = {id(entry) for entry in self._selected}
        resident = 0
        for entry in self.entries():
            if id(entry) in selected or not entry.history_resident:
                continue
            resident += 1
            if resident > RESIDENT_HISTORIES:
                entry.evict_history()

    # -- selection ------------------------------------------------------------------------------
    def entry(self, row: int):
        return self.tree.topLevelItem(row).data(NAME, ENTRY_ROLE)

    def entries(self) -> list:
        return [self.entry(row) for row in range(self.tree.topLevelItemCount())]

    def row_texts(self, entry) -> list[str]:
        item = self._items[id(entry)]
        return [item.text(column) for column in range(len(COLUMNS))]

    def selected(self) -> list:
        """The selected runs, newest first (the list's order)."""
        return list(self._selected)

    def _selection_changed(self) -> None:
        self._selected = [self.entry(row) for row in range(self.tree.topLevelItemCount())
                          if self.tree.topLevelItem(row).isSelected()]
        self.selection_changed.emit(self.selected())

    def select(self, entries) -> None:
        wanted = {id(entry) for entry in entries if entry is not None}
        self.tree.blockSignals(True)
        try:
            self.tree.clearSelection()
            for key in wanted:
                if key in self._items:
                    self._items[key].setSelected(True)
        finally:
            self.tree.blockSignals(False)
        self._selection_changed()
