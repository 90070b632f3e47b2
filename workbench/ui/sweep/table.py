"""The sweep's trials as a sortable table: the swept values, the seed, how the trial ended, its validation
accuracy and loss, its best epoch and the diagnosis' first finding. A column sorts by its value (numbers
as numbers, a trial without one last), not by its text."""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from workbench.core.status import RunStatus
from workbench.core.sweeps.plan import SweepPlan, setting_text
from workbench.core.sweeps.results import PENDING, TrialResult
from workbench.ui import formatting

SORT_ROLE = Qt.ItemDataRole.UserRole
TRIAL_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's TrialResult
FIXED_COLUMNS = ("seed", "status", "val_acc", "val_loss", "best_epoch", "finding")
NUMERIC_COLUMNS = frozenset({"seed", "val_acc", "val_loss", "best_epoch"})


def _finite(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and math.isfinite(value) else None


class TrialsModel(QAbstractTableModel):
    """One row per trial of the plan, in the plan's order; set_result() replaces a row as trials end."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.keys: list[str] = []
        self.results: list[TrialResult] = []
        self._rows: dict[str, int] = {}

    def set_sweep(self, plan: SweepPlan, results: list[TrialResult]) -> None:
        self.beginResetModel()
        self.keys = list(plan.keys)
        self.results = list(results)
        self._rows = {result.trial.id: row for row, result in enumerate(self.results)}
        self.endResetModel()

    def set_result(self, result: TrialResult) -> None:
        row = self._rows.get(result.trial.id)
        if row is None:
            return
        self.results[row] = result
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    # -- Qt's model interface ---------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008 (Qt's names)
        return 0 if parent.isValid() else len(self.results)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.keys) + len(FIXED_COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if section < len(self.keys):
            return self.keys[section]
        return {"seed": self.tr("seed"), "status": self.tr("status"), "val_acc": self.tr("val acc"),
                "val_loss": self.tr("val loss"), "best_epoch": self.tr("best epoch"),
                "finding": self.tr("diagnosis")}[FIXED_COLUMNS[section - len(self.keys)]]

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        result = self.results[index.row()]
        if role == TRIAL_ROLE:
            return result
        column = index.column()
        if role == Qt.ItemDataRole.ToolTipRole:
            return result.error or None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            numeric = column >= len(self.keys) and FIXED_COLUMNS[column - len(self.keys)] in NUMERIC_COLUMNS
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter) if numeric else None
        if role not in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
            return None
        if column < len(self.keys):
            value = result.trial.settings[self.keys[column]]
            if role == SORT_ROLE:
                return value if isinstance(value, int | float) and not isinstance(value, bool) else setting_text(value)
            return setting_text(value)
        return self._fixed(FIXED_COLUMNS[column - len(self.keys)], result, role == SORT_ROLE)

    def _fixed(self, column: str, result: TrialResult, sorting: bool):
        if column == "seed":
            return result.trial.seed
        if column == "status":
            return self.tr("pending") if result.status == PENDING else formatting.status_label(result.status)
        if column in ("val_acc", "val_loss"):
            value = _finite(result.final.get(column))
            if sorting:  # trials without a number sort below every number, whichever way
                return -math.inf if value is None else value
            return formatting.percent(value) if column == "val_acc" else formatting.loss(value)
        if column == "best_epoch":
            epoch = result.best.get("epoch")
            return (epoch if isinstance(epoch, int) else -1) if sorting else (epoch if epoch is not None else "–")
        if result.first_finding:
            return result.first_finding
        if result.status in {status.value for status in RunStatus} and RunStatus(result.status).finished_well:
            return self.tr("healthy")  # the summary's HEALTHY, in the app's language
        return "" if sorting else "–"


class TrialsTable(QTableView):
    """The trials, sortable by any column, best validation accuracy first."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.trials = TrialsModel(self)
        self.sorted = QSortFilterProxyModel(self)
        self.sorted.setSourceModel(self.trials)
        self.sorted.setSortRole(SORT_ROLE)
        self.sorted.setDynamicSortFilter(True)
        self.setModel(self.sorted)
        self.setSortingEnabled(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.verticalHeader().setVisible(False)
        # sized once per sweep: measuring every cell at every trial's end (ResizeToContents) cost a live sweep
        # ~2,000 data() calls per trial
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.horizontalHeader().setStretchLastSection(True)

    def set_sweep(self, plan: SweepPlan, results: list[TrialResult]) -> None:
        self.trials.set_sweep(plan, results)
        self.sortByColumn(len(plan.keys) + FIXED_COLUMNS.index("val_acc"), Qt.SortOrder.DescendingOrder)
        self.fit_columns()

    def fit_columns(self) -> None:
        """Each column as wide as its widest cell (a live sweep's numbers arrive later: call it at its end)."""
        self.resizeColumnsToContents()

    def selected_results(self) -> list[TrialResult]:
        rows = sorted({index.row() for index in self.selectionModel().selectedRows()})
        return [self.sorted.index(row, 0).data(TRIAL_ROLE) for row in rows]
