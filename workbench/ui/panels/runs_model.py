"""The runs session as a Qt table model, and the proxy that sorts and filters it for the runs list.

One row per run, in the session's order (newest first), kept current by the session's events. What a row
shows is computed when its run is added or updated, not at each repaint: a list of a thousand runs
repaints as cheaply as one of ten.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QLibraryInfo,
    QModelIndex,
    QObject,
    QSortFilterProxyModel,
    Qt,
    QVersionNumber,
)

from workbench.core.i18n import catalogue_text
from workbench.core.rundir.disk_usage import format_size
from workbench.core.session import RunRecord, RunsSession, best_val_acc, diagnosis_text
from workbench.core.status import RunStatus
from workbench.ui import formatting

COLUMNS = (QT_TRANSLATE_NOOP("RunsModel", "Run"), QT_TRANSLATE_NOOP("RunsModel", "Started"),
           QT_TRANSLATE_NOOP("RunsModel", "Status"), QT_TRANSLATE_NOOP("RunsModel", "Best val acc"),
           QT_TRANSLATE_NOOP("RunsModel", "Size"), QT_TRANSLATE_NOOP("RunsModel", "Diagnosis"))
NAME, STARTED, STATUS, BEST, SIZE, DIAGNOSIS = range(len(COLUMNS))
RIGHT_ALIGNED = (BEST, SIZE)
FILTERED_COLUMNS = (NAME, STATUS, DIAGNOSIS)  # what the filter box matches: a name, a status, a diagnosis id
SORT_ROLE = Qt.ItemDataRole.UserRole  # the value a column sorts by: a time, an accuracy, a name in any case
# Qt 6.9 replaced invalidateRowsFilter() (deprecated since) with begin/endFilterChange(); 6.8 has only the former
FILTER_CHANGE_API = QLibraryInfo.version() >= QVersionNumber(6, 9)
WARNING_SIGN = "⚠ "


@dataclass(frozen=True)
class Row:
    texts: tuple[str, ...]
    tooltips: tuple[str, ...]
    sort_keys: tuple[str | float, ...]


class RunsModel(QAbstractTableModel):
    """The session's runs as table rows. The name is editable for a run that has ended: `rename` is
    called with the new name and says whether it was done."""

    def __init__(self, session: RunsSession, is_paused: Callable[[RunRecord], bool],
                 rename: Callable[[RunRecord, str], bool], parent: QObject | None = None):
        super().__init__(parent)
        self._is_paused, self._rename = is_paused, rename
        self._runs: list[RunRecord] = session.runs
        self._sizes: dict[Path, int] = {}  # bytes on disk by run directory, measured on a pool thread (RunSizes)
        self._rows: list[Row] = [self._row(run) for run in self._runs]
        session.added.connect(self._added)
        session.updated.connect(self._updated)
        session.removed.connect(self._removed)

    # -- the runs -------------------------------------------------------------------------------
    def run_at(self, row: int) -> RunRecord:
        return self._runs[row]

    def row_of(self, run: RunRecord) -> int | None:
        return next((row for row, entry in enumerate(self._runs) if entry is run), None)

    def texts(self, run: RunRecord) -> list[str]:
        return list(self._rows[self.row_of(run)].texts)

    def filter_text(self, row: int) -> str:
        """What the filter box matches in a row, in one case."""
        texts = self._rows[row].texts
        return " ".join(texts[column] for column in FILTERED_COLUMNS).casefold()

    def status_text(self, run: RunRecord) -> str:
        """The run's status, "paused" for a run the user paused (its record still says running) and "testing
        fixes" while short runs test its findings' fixes (its record already says how training ended)."""
        if run.testing is not None:
            return formatting.status_label(formatting.TESTING)
        paused = run.status == RunStatus.RUNNING and self._is_paused(run)
        return formatting.status_label(formatting.PAUSED if paused else run.status)

    def size_of(self, run: RunRecord) -> int | None:
        """The run directory's bytes on disk, once measured."""
        return self._sizes.get(run.directory) if run.directory is not None else None

    def set_sizes(self, sizes: dict[Path, int]) -> None:
        """Sizes measured for these run directories: their rows show them."""
        self._sizes.update(sizes)
        for row, run in enumerate(self._runs):
            if run.directory in sizes:
                self._rows[row] = self._row(run)
                self.dataChanged.emit(self.index(row, SIZE), self.index(row, SIZE))

    def retranslate(self) -> None:
        """Headers and statuses in the language now chosen (names and diagnosis ids stay as they are)."""
        self._rows = [self._row(run) for run in self._runs]
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self._runs:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._runs) - 1, len(COLUMNS) - 1))

    def _row(self, run: RunRecord) -> Row:
        status, best = self.status_text(run), best_val_acc(run)
        diagnosis, size = diagnosis_text(run), self.size_of(run)
        return Row(
            # a preset's run shows the preset's name in the app's language; EditRole keeps the name as written
            texts=(catalogue_text(run.name), formatting.start_time(run.started_at),
                   (WARNING_SIGN if run.problem else "") + status,
                   formatting.percent(best), "" if size is None else format_size(size), diagnosis),
            # the name's tooltip: the whole name (a long one is cut off in its column) and where its files are
            tooltips=("\n".join(filter(None, (run.name, str(run.directory or "")))),
                      formatting.start_time(run.started_at, seconds=True),
                      run.problem or status, self._best_tooltip(run), "", ""),
            sort_keys=(run.name.casefold(), run.started_at or 0.0, status, -1.0 if best is None else best,
                       -1 if size is None else size, diagnosis))

    def _best_tooltip(self, run: RunRecord) -> str:
        epoch = run.best.get("epoch")
        return self.tr("Epoch {epoch}: the lowest validation loss").format(epoch=epoch) if epoch else ""

    def _added(self, run: RunRecord, index: int) -> None:
        self.beginInsertRows(QModelIndex(), index, index)
        self._runs.insert(index, run)
        self._rows.insert(index, self._row(run))
        self.endInsertRows()

    def _updated(self, run: RunRecord) -> None:
        row = self.row_of(run)
        if row is not None:
            self._rows[row] = self._row(run)
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def _removed(self, run: RunRecord) -> None:
        row = self.row_of(run)
        if row is not None:
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._runs[row], self._rows[row]
            self.endRemoveRows()

    # -- QAbstractTableModel --------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008 (Qt's names)
        return 0 if parent.isValid() else len(self._runs)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        row, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return row.texts[column]
        if role == Qt.ItemDataRole.EditRole:
            return self._runs[index.row()].name
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.tooltips[column] or None
        if role == SORT_ROLE:
            return row.sort_keys[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column in RIGHT_ALIGNED:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.column() == NAME and self.renamable(self._runs[index.row()]):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    @staticmethod
    def renamable(run: RunRecord) -> bool:
        return run.status != RunStatus.RUNNING and run.directory is not None

    def setData(self, index: QModelIndex, value, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        run = self._runs[index.row()]
        if role != Qt.ItemDataRole.EditRole or index.column() != NAME or str(value).strip() == run.name:
            return False
        return self._rename(run, str(value))  # the session's update then refreshes the row

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(COLUMNS[section])
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole and section == BEST:
            return self.tr("Validation accuracy at the best epoch: the lowest validation loss, marked on the plots.\n"
                           "Not always the highest accuracy the run reached, nor its last.")
        return None


class RunsFilter(QSortFilterProxyModel):
    """Sorts by each column's own values (times as times, accuracies as numbers) and keeps the rows that
    hold every word typed into the filter box in their name, status or diagnosis ids."""

    def __init__(self, model: RunsModel, parent: QObject | None = None):
        super().__init__(parent)
        self.setSourceModel(model)
        self.setSortRole(SORT_ROLE)
        self._words: list[str] = []

    def set_filter_words(self, text: str) -> None:
        if FILTER_CHANGE_API:
            self.beginFilterChange()
            self._words = text.casefold().split()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._words = text.casefold().split()
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex) -> bool:  # noqa: N802
        haystack = self.sourceModel().filter_text(source_row)
        return all(word in haystack for word in self._words)
