"""What the app does with the runs selected in the runs session: compare them, export them, clone one.

Only finished runs with a run directory are compared and exported. A run still training has written
only the epochs so far, so it is left out (named above the comparison) and joins it when it ends.
The Compare view and the export code import torch: they load on first use, and the runs are read
on a pool thread, so the window never waits on either.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from workbench.core.experiment import derived
from workbench.core.experiment.config import ExperimentConfig
from workbench.core.session import RunRecord, RunsSession
from workbench.core.status import RunStatus
from workbench.ui.actions import describe, new_action
from workbench.ui.language import Translated
from workbench.ui.worker import call_in_background

MIN_COMPARED = 2


def is_finished(run: RunRecord) -> bool:
    return run.status != RunStatus.RUNNING


def comparable(runs: list[RunRecord]) -> list[RunRecord]:
    """The runs that can be compared and exported: finished, with a complete run directory."""
    return [run for run in runs if is_finished(run) and run.directory is not None and not unsaved(run)]


def unsaved(run: RunRecord) -> bool:
    """A run of this session whose run directory could not be written: it lives in memory only."""
    return bool(run.problem)


def _load_runs(directories: list[Path]) -> list:
    # imported here, on the pool thread: the export code loads torch, and the Compare view's import
    # on the GUI thread then finds it loaded
    import workbench.core.reports.script  # noqa: F401
    from workbench.core.rundir.reader import load_run

    return [load_run(directory) for directory in directories]


class CompareTab(Translated, QWidget):
    """The central Compare tab: a CompareView of the selected finished runs, oldest first.

    The runs are read when the tab is shown: a selection made while it is hidden costs nothing.
    """

    clone_requested = Signal(object)  # an ExperimentConfig: the CompareView's "Clone run" button

    def __init__(self, dialogs, parent: QWidget | None = None):
        super().__init__(parent)
        self.dialogs = dialogs
        self.view = None  # the CompareView, built when there is first something to compare
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.addWidget(self.note)
        self._layout.addStretch(1)
        self._request = 0  # answers of older look-ups (the selection moved on) are dropped
        self._training: list[str] = []  # names of the selected runs left out because they still train
        self._directories: list[Path] = []  # of the finished ones, oldest first
        self._compared: list[tuple[Path, str]] = []  # their directories and names, when last asked
        self._stale = False  # the selection changed since the runs were last read
        self._failure = ""  # why the runs could not be read, when they could not
        self.retranslate()

    def retranslate(self) -> None:
        self._show_note()

    def follow(self, session: RunsSession) -> None:
        """Compare the session's selected runs; a selected run that ends (or is saved) joins them."""
        session.selection_changed.connect(self.show_runs)
        session.updated.connect(lambda run: self.show_runs(session.selected)
                                if any(run is selected for selected in session.selected) else None)

    def show_runs(self, runs: list[RunRecord]) -> None:
        """Compare the finished runs among `runs` (the session's order: newest first). Asked again with
        the same runs (a selected run's epoch ended), it reads nothing again."""
        training = [run.name for run in runs if not is_finished(run)]
        finished = comparable(runs)[::-1]
        compared = [(run.directory, run.name) for run in finished]  # a renamed run is read again
        if (training, compared) == (self._training, self._compared):
            return
        self._training, self._compared = training, compared
        self._directories = [run.directory for run in finished]
        self._failure = ""
        self._show_note()
        self._stale = True
        if self.isVisible():
            self._read_runs()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        if self._stale:
            self._read_runs()

    def _read_runs(self) -> None:
        self._stale = False
        self._request += 1
        request, directories = self._request, self._directories
        if len(directories) < MIN_COMPARED:
            self._loaded(request, [])
            return
        call_in_background(lambda: _load_runs(directories), self, lambda runs: self._loaded(request, runs),
                           lambda error: self._failed(request, error))

    def _show_note(self) -> None:
        if self._failure:
            text = self.tr("The runs could not be read: {error}").format(error=self._failure)
        elif self._training:
            text = self.tr("Still training, compared once it ends: {runs}").format(runs=", ".join(self._training))
        elif self.view is None:  # once built, the view says when it is empty
            text = self.tr("Select two or more finished runs in the runs list to compare them.")
        else:
            text = ""
        self.note.setText(text)
        self.note.setVisible(bool(text))

    def _loaded(self, request: int, runs: list) -> None:
        if request != self._request or (not runs and self.view is None):
            return
        self._failure = ""
        self._compare_view().set_runs(runs)
        self._show_note()

    def _failed(self, request: int, error: Exception) -> None:
        if request == self._request:
            self._failure = f"{type(error).__name__}: {error}"
            self._show_note()

    def _compare_view(self):
        if self.view is None:
            from workbench.ui.panels.compare import CompareView

            view = self.view = CompareView()
            # the window's dialogs, looked up when used: tests replace them on the window
            view.ask_path = lambda *args: self.dialogs.export_file(*args)
            view.report_error = lambda *args: self.dialogs.export_failed(*args)
            view.clone_requested.connect(self.clone_requested)
            self._layout.takeAt(self._layout.count() - 1)  # the stretch that kept the hint at the top
            self._layout.addWidget(view, 1)
        return self.view


class SelectedRunActions(QObject):
    """Menu and toolbar actions on the session's selection, each enabled only where it can act.

    Exports of one run act on the newest selected run: the one the diagnosis panel shows.
    """

    compare_requested = Signal()
    clone_requested = Signal(object)  # the twin's ExperimentConfig, to load into the experiment panel
    message = Signal(str)  # one line for the status bar
    run_saved = Signal(object)  # a run trained in memory, now written to a folder the user chose

    def __init__(self, parent: QWidget, dialogs):
        super().__init__(parent)
        self.parent_widget, self.dialogs = parent, dialogs
        self.runs: list[RunRecord] = []
        self.compare = new_action(self, self.compare_requested.emit, ["Ctrl+Shift+C"])
        self.export_comparison = new_action(self, self._export_comparison, ["Ctrl+Shift+E"])
        self.export_script = new_action(self, self._export_script)
        self.export_tensorboard = new_action(self, self._export_tensorboard)
        self.save_run = new_action(self, self._save_run)
        self.clone = new_action(self, self._clone, ["Ctrl+Shift+L"])
        self.retranslate()
        self.set_selection([])

    def retranslate(self) -> None:
        describe(self.compare, self.tr("&Compare selected runs"),
                 self.tr("Overlay the selected finished runs in the Compare tab"))
        describe(self.export_comparison, self.tr("Export &comparison…"),
                 self.tr("Write the selected finished runs as an HTML report, CSV, JSON, PNG or SVG"))
        describe(self.export_script, self.tr("Export run as PyTorch sc&ript…"),
                 self.tr("Write the selected run as a standalone PyTorch script"))
        describe(self.export_tensorboard, self.tr("Export run to &TensorBoard…"),
                 self.tr("Write the selected run's curves as TensorBoard event files"))
        describe(self.save_run, self.tr("Sa&ve run to folder…"),
                 self.tr("Write the selected run, which could not be saved where it trained, to a folder of your "
                         "choice"))
        describe(self.clone, self.tr("C&lone run and change one setting"),
                 self.tr("Load the selected run's experiment, same seeds, to change one setting and run it as a twin"))

    def follow(self, session: RunsSession) -> None:
        """Act on the session's selected runs; a selected run that ends (or is saved) enables more."""
        session.selection_changed.connect(self.set_selection)
        session.updated.connect(lambda run: self.set_selection(session.selected)
                                if any(run is selected for selected in session.selected) else None)

    def set_selection(self, runs: list[RunRecord]) -> None:
        """The selected runs, newest first."""
        self.runs = list(runs)
        ready = comparable(self.runs)
        newest = self.runs[0] if self.runs else None
        newest_ready = newest is not None and bool(ready) and ready[0] is newest
        self.compare.setEnabled(len(ready) >= MIN_COMPARED)
        self.export_comparison.setEnabled(bool(ready))
        self.export_script.setEnabled(newest_ready)
        self.export_tensorboard.setEnabled(newest_ready)
        self.clone.setEnabled(newest is not None and newest.config is not None)
        self.save_run.setEnabled(newest is not None and is_finished(newest) and unsaved(newest)
                                 and newest.history is not None)

    def clone_run(self, config: ExperimentConfig) -> None:
        self.clone_requested.emit(derived.twin(config))
        self.message.emit(self.tr("Loaded a twin of {experiment} with the same seeds: change one setting, then "
                                  "press Run").format(experiment=config.name))

    def _clone(self) -> None:
        if self.runs and self.runs[0].config is not None:
            self.clone_run(self.runs[0].config)

    def _written(self, path: Path | None) -> None:
        if path is not None:
            self.message.emit(self.tr("Wrote {path}").format(path=path))

    def _export_comparison(self) -> None:
        from workbench.ui import export_actions

        directories = [run.directory for run in comparable(self.runs)[::-1]]
        self._written(export_actions.export_runs(self.parent_widget, directories,
                                                 ask_path=self.dialogs.export_file,
                                                 report_error=self.dialogs.export_failed))

    def _export_script(self) -> None:
        from workbench.ui import export_actions

        self._written(export_actions.export_run_script(self.parent_widget, self.runs[0].directory,
                                                       ask_path=self.dialogs.export_file,
                                                       report_error=self.dialogs.export_failed))

    def _save_run(self) -> None:
        from workbench.ui import export_actions

        run = self.runs[0]
        saved = export_actions.save_run_elsewhere(self.parent_widget, run,
                                                  ask_directory=self.dialogs.export_folder,
                                                  report_error=self.dialogs.export_failed)
        if saved is not None:
            self.message.emit(self.tr("Saved {run} in {folder}").format(run=run.name, folder=saved))
            self.run_saved.emit(run)  # the session is told: this action and Compare follow its update

    def _export_tensorboard(self) -> None:
        from workbench.ui import export_actions

        self._written(export_actions.export_run_tensorboard(
            self.parent_widget, self.runs[0].directory, ask_directory=self.dialogs.export_folder,
            report_error=self.dialogs.export_failed))
