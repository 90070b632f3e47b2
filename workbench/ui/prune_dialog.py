"""Runs → Prune old runs…: the oldest finished runs whose deletion brings the runs folder under its cap,
each with its name, start time and size, all checked; the user unchecks what to keep. Accepting it only
says which runs were chosen: the caller asks once more before deleting anything (rundir.manage)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core.i18n import catalogue_text
from workbench.core.rundir.disk_usage import format_size
from workbench.core.session import RunRecord
from workbench.ui import formatting

NAME, STARTED, SIZE = range(3)


class PruneDialog(QDialog):
    """Offers `candidates` (run, bytes), oldest first; `checked_runs()` after it is accepted."""

    def __init__(self, candidates: list[tuple[RunRecord, int]], total: int, cap: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Prune old runs"))
        self.total, self.cap = total, cap
        self.candidates = candidates
        self.summary = QLabel(wordWrap=True)
        self.list = QTreeWidget()
        self.list.setRootIsDecorated(False)
        self.list.setHeaderLabels([self.tr("Run"), self.tr("Started"), self.tr("Size")])
        for run, size in candidates:
            item = QTreeWidgetItem([catalogue_text(run.name), formatting.start_time(run.started_at),
                                    format_size(size)])
            item.setCheckState(NAME, Qt.CheckState.Checked)
            item.setToolTip(NAME, str(run.directory))
            item.setTextAlignment(SIZE, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.list.addTopLevelItem(item)
        for column in (NAME, STARTED, SIZE):
            self.list.resizeColumnToContents(column)
        header = self.list.header()  # the name takes the room left; the size stays by it
        header.setStretchLastSection(False)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        self.list.itemChanged.connect(lambda _item, _column: self._show_summary())
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.delete_button = self.buttons.addButton(self.tr("Delete checked runs…"),
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.list)
        layout.addWidget(self.buttons)
        self.resize(560, 380)
        self._show_summary()

    def checked_runs(self) -> list[RunRecord]:
        return [run for row, (run, _size) in enumerate(self.candidates)
                if self.list.topLevelItem(row).checkState(NAME) == Qt.CheckState.Checked]

    def _show_summary(self) -> None:
        freed = sum(size for row, (_run, size) in enumerate(self.candidates)
                    if self.list.topLevelItem(row).checkState(NAME) == Qt.CheckState.Checked)
        self.summary.setText(self.tr(
            "The runs folder takes {total}; its cap is {cap}. Deleting the checked runs frees {freed}, leaving "
            "{left}. Selected runs, runs training, runs forked from and sweeps' trials are not offered.").format(
                total=format_size(self.total), cap=format_size(self.cap), freed=format_size(freed),
                left=format_size(max(0, self.total - freed))))
        self.delete_button.setEnabled(freed > 0)
