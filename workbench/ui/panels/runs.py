"""The runs list: every run of the runs session, newest first, with its start time, status, best validation
accuracy and diagnosis ids; sortable by any column, filtered by what is typed above it. Selecting rows
selects those runs in the session (which the plots, Compare, the diagnosis panel and the actions follow),
and the session's selection shows here.

F2 renames the selected run and Del deletes the selected runs' directories after a question; both go
through the core (rundir.manage), which keeps the name where a relaunch reads it and deletes nothing but
a Workbench run. A run that could not be read completely, or whose run directory could not be written, is
listed with a warning sign and the reason in its tooltip.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QLabel, QLineEdit, QTreeView, QVBoxLayout, QWidget

from workbench.core.rundir.disk_usage import format_size
from workbench.core.rundir.manage import RunChangeRefused, delete_run, rename_run
from workbench.core.session import RunRecord, RunsSession
from workbench.core.status import RunStatus
from workbench.ui.actions import describe, new_action
from workbench.ui.dialogs import Dialogs, bulleted
from workbench.ui.language import Translated
from workbench.ui.panels.runs_model import COLUMNS, NAME, SIZE, STARTED, RunsFilter, RunsModel

NAME_COLUMN_WIDTH = 220
LONGEST_START_TIME = "2088-08-28 08:48"  # formatting.start_time's widest digits
WIDEST_SIZE = 888_800_000  # bytes: the widest text disk_usage.format_size writes, "888.8 MB"
START_COLUMN_PADDING = 16  # px: the cell's margins and the gap to the next column


class RunsList(Translated, QWidget):
    """The session's runs in a sortable, filterable list; its selected rows are the session's selection."""

    def __init__(self, session: RunsSession, dialogs: Dialogs,
                 is_paused: Callable[[RunRecord], bool] = lambda _run: False, parent: QWidget | None = None):
        super().__init__(parent)
        self.session, self.dialogs = session, dialogs
        self.model = RunsModel(session, is_paused, self.rename, self)
        self.rows = RunsFilter(self.model, self)  # what the view shows of the model, in its order
        self.filter = QLineEdit()
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._filter_changed)
        self.view = QTreeView()
        self.view.setModel(self.rows)
        self.view.setRootIsDecorated(False)
        self.view.setUniformRowHeights(True)  # rows are measured once, not at each repaint
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed)
        self.view.setColumnWidth(NAME, NAME_COLUMN_WIDTH)
        # a start time is always as wide as this one: measured once, not for every row (ResizeToContents)
        self.view.setColumnWidth(STARTED, self.view.fontMetrics().horizontalAdvance(LONGEST_START_TIME)
                                 + START_COLUMN_PADDING)
        self.view.setColumnWidth(SIZE, self.view.fontMetrics().horizontalAdvance(format_size(WIDEST_SIZE)) + START_COLUMN_PADDING)
        # the session's order (newest first) until a column header is clicked
        self.view.header().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.view.setSortingEnabled(True)
        self.view.selectionModel().selectionChanged.connect(self._rows_selected)
        # on the keyboard while the list has the focus: Del in a text field elsewhere deletes text, not runs
        in_list = Qt.ShortcutContext.WidgetWithChildrenShortcut
        self.rename_action = new_action(self, self.start_rename, [QKeySequence(Qt.Key.Key_F2)], context=in_list)
        self.delete_action = new_action(self, self.delete_selected, [QKeySequence.StandardKey.Delete],
                                        context=in_list)
        self.view.addActions([self.rename_action, self.delete_action])  # their context menu, their shortcuts
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.filter)
        layout.addWidget(self.view)
        self.footer = QLabel()  # the runs folder's size and its cap (ui/disk_cap.py)
        layout.addWidget(self.footer)
        self._showing_selection = False  # the view's selection is being set from the session's
        session.selection_changed.connect(self._show_selection)
        session.selection_changed.connect(lambda _runs: self._update_actions())
        session.updated.connect(lambda _run: self._update_actions())
        self._update_actions()
        self.retranslate()

    def retranslate(self) -> None:
        hint = self.tr("Filter by name, status or diagnosis id")
        self.filter.setPlaceholderText(hint)
        self.filter.setAccessibleName(hint)
        describe(self.rename_action, self.tr("Re&name run"),
                 self.tr("Rename the selected run; the new name is kept in its run directory"))
        describe(self.delete_action, self.tr("&Delete runs…"),
                 self.tr("Delete the selected runs and their run directories, after a question"))
        self.model.retranslate()

    def row_texts(self, run: RunRecord) -> list[str]:
        """The texts of the run's row, column by column (COLUMNS)."""
        return self.model.texts(run)

    def shown_runs(self) -> list[RunRecord]:
        """The runs of the rows shown, top to bottom (sorted and filtered as the user asked)."""
        return [self.model.run_at(self.rows.mapToSource(self.rows.index(row, 0)).row())
                for row in range(self.rows.rowCount())]

    # -- selection ------------------------------------------------------------------------------
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
            newest = self.rows.mapFromSource(self.model.index(self.model.row_of(runs[0]), NAME)) if runs else None
            if newest is not None and newest.isValid():  # the keyboard goes on from the newest selected run
                selection_model.setCurrentIndex(newest, QItemSelectionModel.SelectionFlag.NoUpdate)
        finally:
            self._showing_selection = False

    def _filter_changed(self, text: str) -> None:
        """Rows the filter hides leave the view, not the selection: the plots do not change as one types."""
        self._showing_selection = True
        try:
            self.rows.set_filter_words(text)
        finally:
            self._showing_selection = False
        self._show_selection(self.session.selected)

    # -- rename and delete ----------------------------------------------------------------------
    def _update_actions(self) -> None:
        shown = self.session.shown
        self.rename_action.setEnabled(shown is not None and self.model.renamable(shown))
        self.delete_action.setEnabled(bool(self.session.selected))

    def start_rename(self) -> None:
        """Edit the name of the newest selected run in place (Enter keeps it, Esc cancels)."""
        shown = self.session.shown
        row = self.model.row_of(shown) if shown is not None else None
        if row is None:
            return
        index = self.rows.mapFromSource(self.model.index(row, NAME))
        if index.isValid():
            self.view.setCurrentIndex(index)
            self.view.edit(index)

    def rename(self, run: RunRecord, name: str) -> bool:
        """Rename the run in its files and in memory; a refusal is explained. Whether it was renamed."""
        try:
            rename_run(run, name)
        except (RunChangeRefused, OSError) as error:
            self.dialogs.error(self.tr("{run} was not renamed").format(run=run.name), str(error))
            return False
        self.session.update(run)
        return True

    def delete_selected(self) -> None:
        """Delete the selected runs' directories after a question; a run still training is not deleted,
        nor a folder holding anything but a Workbench run (said after)."""
        runs = self.session.selected
        deletable = [run for run in runs if run.status != RunStatus.RUNNING]
        problems = [self.tr("{run} is still training; stop it first.").format(run=run.name) for run in runs
                    if run.status == RunStatus.RUNNING]
        if deletable and self.dialogs.confirm(
                self.tr("Delete %n run(s)?", "", len(deletable)) if len(deletable) > 1
                else self.tr("Delete {run}?").format(run=deletable[0].name),
                self.tr("Their run directories are deleted from the disk:\n{runs}\n\nThis cannot be undone.").format(
                    runs=bulleted([f"{run.name} ({run.directory})" for run in deletable])),
                self.tr("Delete")):
            for run in deletable:
                try:
                    delete_run(run)
                except RunChangeRefused as refusal:
                    problems.append(str(refusal))
                    continue
                self.session.remove(run)
        if problems:
            self.dialogs.error(self.tr("Not every run was deleted"), bulleted(problems))
