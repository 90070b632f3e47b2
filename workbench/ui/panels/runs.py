"""The runs list: one row per run of the runs session, newest first, with its status, best validation
accuracy and diagnosis ids. It renders the session and follows its events; selecting rows selects those
runs in the session (which the plots, Compare, the diagnosis panel and the actions follow).

A run that could not be read completely, or whose run directory could not be written, is listed with a
warning sign and the reason in its tooltip.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtWidgets import QAbstractItemView, QTreeView, QVBoxLayout, QWidget

from workbench.core.session import RunRecord, RunsSession, best_val_acc, diagnosis_text
from workbench.core.status import RunStatus
from workbench.ui import formatting

COLUMNS = ("Run", "Status", "Best val acc", "Diagnosis")
NAME, STATUS, BEST, DIAGNOSIS = range(len(COLUMNS))
WARNING_SIGN = "⚠ "
PAUSED = "paused"
NAME_COLUMN_WIDTH = 220


@dataclass(frozen=True)
class Row:
    """What a run's row shows, computed when the run is added or updated: the view repaints often."""

    texts: tuple[str, ...]
    tooltips: tuple[str, ...]


class RunsModel(QAbstractTableModel):
    """The session's runs as table rows, in the session's order, kept current by its events."""

    def __init__(self, session: RunsSession, is_paused: Callable[[RunRecord], bool], parent: QObject | None = None):
        super().__init__(parent)
        self._is_paused = is_paused
        self._runs: list[RunRecord] = session.runs
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

    def status_text(self, run: RunRecord) -> str:
        """The run's status, and "paused" for a run the user paused: its record still says running."""
        return PAUSED if run.status == RunStatus.RUNNING and self._is_paused(run) else str(run.status)

    def _row(self, run: RunRecord) -> Row:
        status = self.status_text(run)
        return Row(texts=(run.name, (WARNING_SIGN if run.problem else "") + status,
                          formatting.percent(best_val_acc(run)), diagnosis_text(run)),
                   tooltips=(str(run.directory or ""), run.problem or status, "", ""))

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
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.tooltips[column] or None
        if role == Qt.ItemDataRole.TextAlignmentRole and column == BEST:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None


class RunsList(QWidget):
    """The session's runs in a list; the rows selected are the session's selection, both ways."""

    def __init__(self, session: RunsSession, is_paused: Callable[[RunRecord], bool] = lambda _run: False,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.model = RunsModel(session, is_paused, self)
        self.rows = QSortFilterProxyModel(self)  # what the view shows of the model
        self.rows.setSourceModel(self.model)
        self.view = QTreeView()
        self.view.setModel(self.rows)
        self.view.setRootIsDecorated(False)
        self.view.setUniformRowHeights(True)  # rows are measured once, not each repaint
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setColumnWidth(NAME, NAME_COLUMN_WIDTH)
        self.view.selectionModel().selectionChanged.connect(self._rows_selected)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self._showing_selection = False  # the session's selection is being shown: not a user's choice
        session.selection_changed.connect(self._show_selection)

    def row_texts(self, run: RunRecord) -> list[str]:
        """The texts of the run's row, column by column."""
        return self.model.texts(run)

    def _rows_selected(self) -> None:
        if self._showing_selection:
            return
        rows = {self.rows.mapToSource(index).row() for index in self.view.selectionModel().selectedRows()}
        self.session.select(self.model.run_at(row) for row in rows)  # the session orders them

    def _show_selection(self, runs: list[RunRecord]) -> None:
        selection = QItemSelection()
        for run in runs:
            row = self.model.row_of(run)
            if row is not None:
                selection.select(self.model.index(row, 0), self.model.index(row, len(COLUMNS) - 1))
        shown = self.rows.mapSelectionFromSource(selection)
        selection_model = self.view.selectionModel()
        self._showing_selection = True
        try:
            selection_model.select(shown, QItemSelectionModel.SelectionFlag.ClearAndSelect
                                   | QItemSelectionModel.SelectionFlag.Rows)
            if not shown.isEmpty():  # keyboard navigation goes on from the newest selected run
                selection_model.setCurrentIndex(shown.indexes()[0], QItemSelectionModel.SelectionFlag.NoUpdate)
        finally:
            self._showing_selection = False
