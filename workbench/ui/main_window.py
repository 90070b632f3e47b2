"""The main window: experiment panel, live plots and the Compare tab, diagnosis, runs list, run controls.

It owns the runs session and wires it: the controller's runs go into the session, and the runs list,
plots, Compare, diagnosis panel and selection actions render the session and follow its events. It
trains nothing and computes no training facts. torch is not imported here: the window paints first,
then the controller loads torch on a pool thread.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMainWindow, QTabWidget, QVBoxLayout, QWidget

from workbench.core.experiment import derived, presets
from workbench.core.experiment.config import ConfigError, ExperimentConfig, save_experiment
from workbench.core.session import RunRecord, RunsSession
from workbench.ui.controller import IDLE, LOADING, PAUSED, RUNNING, RunController
from workbench.ui.dialogs import Dialogs, bulleted
from workbench.ui.help import help_actions
from workbench.ui.panels.diagnosis import DiagnosisPanel
from workbench.ui.panels.experiment import ExperimentPanel
from workbench.ui.panels.presets import PresetBanner, PresetsMenu
from workbench.ui.panels.runs import RunsList
from workbench.ui.plots import PlotsArea
from workbench.ui.selected_runs import CompareTab, SelectedRunActions, comparable
from workbench.ui.status_bar import RunStatusBar
from workbench.ui.worker import call_in_background

REFRESH_INTERVAL_MS = 30  # plots pull the newest buffer rows this often while a run trains
CLOSE_TIMEOUT_S = 5.0  # closing mid-run: how long to wait for the run directory to be complete
DEFAULT_SIZE = (1400, 900)
SIDE_DOCK_WIDTHS = (440, 330)  # experiment panel, diagnosis panel: until the user moves them
RUNS_DOCK_HEIGHT = 150
# The dock layout's version in the saved window state: a state of another version is not restored.
# 2: layouts saved before the Compare tab stopped squeezing the side panels could hold a diagnosis
# panel of ~140 px, and came back at every launch.
LAYOUT_VERSION = 2
STARTED_MESSAGE_MS = 4000
SETTINGS_GEOMETRY, SETTINGS_STATE, SETTINGS_FOLDER = "window/geometry", "window/state", "files/folder"


class MainWindow(QMainWindow):
    first_painted = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Workbench")
        self.resize(*DEFAULT_SIZE)
        self.dialogs = Dialogs(self)
        self.session = RunsSession()  # every run of this window: the views below render it
        self.controller = RunController(self)
        self.experiment = ExperimentPanel()
        self.plots = PlotsArea()
        self.compare_tab = CompareTab(self.dialogs)
        self.selection_actions = SelectedRunActions(self, self.dialogs)
        self.diagnosis = DiagnosisPanel()
        self.runs = RunsList(self.session, self.dialogs, self.controller.is_paused)
        self.banner = PresetBanner()
        self.status = RunStatusBar()
        self.setStatusBar(self.status)
        self.source_path: Path | None = None  # the experiment file Save writes to by default
        self._painted = False
        self._cure_of = None  # the failure-preset run whose cure the banner offers

        center = QWidget()
        layout = QVBoxLayout(center)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.banner)
        # training curves of the shown runs, or the comparison of the selected finished ones
        self.views = QTabWidget()
        self.views.setDocumentMode(True)
        self.views.addTab(self.plots, "Training")
        self.views.addTab(self.compare_tab, "Compare")
        layout.addWidget(self.views, 1)
        self.setCentralWidget(center)
        self._dock_areas = (Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea,
                            Qt.DockWidgetArea.BottomDockWidgetArea)
        self._docks = [self._dock(title, widget, area) for title, widget, area in zip(
            ("Experiment", "Diagnosis", "Runs"), (self.experiment, self.diagnosis, self.runs), self._dock_areas,
            strict=True)]
        # the side panels run the full height; the runs list sits under the plots only
        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self._build_actions()
        self.reset_layout()
        self._refresh_timer = QTimer(self, interval=REFRESH_INTERVAL_MS)
        self._refresh_timer.timeout.connect(self._refresh_live)
        self._connect()
        self._restore_window_state()
        self._update_actions()

    # -- construction ---------------------------------------------------------------------------
    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"{title.lower()}Dock")  # saveState() needs names
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _action(self, text: str, shortcuts: list, slot, tip: str) -> QAction:
        action = QAction(text, self)
        action.setShortcuts([QKeySequence(shortcut) for shortcut in shortcuts])
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{tip} ({keys})" if keys else tip)
        action.setStatusTip(tip)
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        self.run_action = self._action("&Run", ["F5", "Ctrl+R"], self.start_run, "Train the experiment")
        self.pause_action = self._action("&Pause", ["F6", "Ctrl+P"], self.controller.toggle_pause,
                                         "Pause or resume training")
        self.stop_action = self._action("&Stop", ["Shift+F5", "Ctrl+."], self.controller.stop, "Stop training")
        self.open_action = self._action("&Open…", [QKeySequence.StandardKey.Open], self.open_experiment,
                                        "Open an experiment file")
        self.save_action = self._action("&Save…", [QKeySequence.StandardKey.Save], self.save_experiment,
                                        "Save the experiment to a file")
        quit_action = self._action("&Quit", [QKeySequence.StandardKey.Quit], self.close, "Close the app")
        toolbar = self.addToolBar("Run controls")
        toolbar.setObjectName("runToolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        selected = self.selection_actions
        self._add_actions(toolbar, self.run_action, self.pause_action, self.stop_action, None,
                          self.open_action, self.save_action, None, selected.compare)
        menus = self.menuBar()
        self._add_actions(menus.addMenu("&File"), self.open_action, self.save_action, None,
                          selected.export_comparison, selected.export_script, selected.export_tensorboard,
                          selected.save_run, None, quit_action)
        self._add_actions(menus.addMenu("&Run"), self.run_action, self.pause_action, self.stop_action, None,
                          selected.compare, selected.clone, None, self.runs.rename_action, self.runs.delete_action)
        self.presets_menu = PresetsMenu(self)
        menus.addMenu(self.presets_menu)
        view_menu = menus.addMenu("&View")
        for dock in self._docks:
            view_menu.addAction(dock.toggleViewAction())
        view_menu.addSeparator()
        self.reset_layout_action = self._action("&Reset layout", [], self.reset_layout,
                                                "Put the panels back where and how wide they were at first")
        view_menu.addAction(self.reset_layout_action)
        self._add_actions(menus.addMenu("&Help"), *help_actions(self, menus))

    @staticmethod
    def _add_actions(target, *actions: QAction | None) -> None:
        """Actions into a menu or toolbar; None draws a separator."""
        for action in actions:
            target.addSeparator() if action is None else target.addAction(action)

    def _connect(self) -> None:
        controller = self.controller
        controller.ready.connect(self.status.set_device)
        controller.warm_up_failed.connect(lambda text: self.dialogs.error("Training is unavailable", text))
        controller.state_changed.connect(self._on_state_changed)
        controller.run_started.connect(self._on_run_started)
        controller.epoch_ended.connect(lambda run, _report: self.session.update(run))
        controller.run_ended.connect(self._on_run_ended)
        controller.save_failed.connect(self._on_save_failed)
        self.experiment.problems_changed.connect(lambda _problems: self._update_actions())
        for view in (self.plots, self.compare_tab, self.selection_actions, self.diagnosis):
            view.follow(self.session)
        self.session.selection_changed.connect(self._on_selection_changed)
        self.diagnosis.fix_requested.connect(self.apply_fix)
        self.presets_menu.preset_chosen.connect(self.load_experiment_source)
        self.banner.load_cure.connect(self.run_cure)
        selected = self.selection_actions
        selected.compare_requested.connect(lambda: self.views.setCurrentWidget(self.compare_tab))
        selected.clone_requested.connect(self.set_experiment)
        selected.message.connect(self.status.showMessage)
        selected.run_saved.connect(self.session.update)
        self.compare_tab.clone_requested.connect(selected.clone_run)

    # -- first paint: only then the slow start-up work ------------------------------------------
    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() == QEvent.Type.Paint and not self._painted:
            self._painted = True
            self.first_painted.emit()
            QTimer.singleShot(0, self._after_first_paint)
        return handled

    def _after_first_paint(self) -> None:
        from workbench.core.rundir.reader import list_runs

        self.controller.warm_up()
        self.experiment.start_inspection()
        try:
            self.presets_menu.set_presets(presets.list_presets())
        except ConfigError as error:
            self.dialogs.error("A preset file is broken", str(error))
        # histories are read when a run is shown: a folder of a thousand runs lists in summaries alone
        call_in_background(lambda: list_runs(with_history=False), self, self.session.add_from_disk,
                           lambda error: self.status.showMessage(f"Could not list the saved runs: {error}"))

    # -- experiments ----------------------------------------------------------------------------
    def set_experiment(self, config: ExperimentConfig, path: Path | None = None) -> None:
        self.source_path = path
        self.experiment.set_config(config)
        self.banner.show_experiment(config)
        self.diagnosis.set_expected(config.meta.expect)
        self.setWindowTitle(f"{config.name} — Workbench")

    def load_experiment_source(self, name_or_path: str) -> bool:
        """Load an experiment file or a preset by name; a bad one is reported and nothing changes."""
        try:
            path = presets.resolve_experiment_path(name_or_path)
            config = presets.load_named_experiment(str(path))
        except ConfigError as error:
            self.dialogs.error(f"Cannot open {name_or_path}", bulleted(error.problems))
            return False
        in_presets = path.resolve().parent == presets.presets_dir().resolve()
        self.set_experiment(config, None if in_presets else path)  # Save never overwrites a preset
        self.status.showMessage(f"Loaded {config.name}")
        return True

    def open_experiment(self) -> None:
        path = self.dialogs.open_path(str(QSettings().value(SETTINGS_FOLDER, str(Path.home()))))
        if path:
            QSettings().setValue(SETTINGS_FOLDER, str(Path(path).parent))
            self.load_experiment_source(path)

    def save_experiment(self) -> None:
        config = self.experiment.config
        if config is None:
            self.dialogs.error("Cannot save", "Fix the problems shown in the experiment panel first.")
            return
        from workbench.core.rundir.layout import slug

        folder = Path(str(QSettings().value(SETTINGS_FOLDER, str(Path.home()))))
        suggested = self.source_path or folder / f"{slug(config.name)}.toml"
        path = self.dialogs.save_path(str(suggested))
        if not path:
            return
        try:
            save_experiment(config, path)
        except OSError as error:
            self.dialogs.error("Cannot save", f"{path}: {error.strerror or error}")
            return
        self.source_path = Path(path)
        QSettings().setValue(SETTINGS_FOLDER, str(Path(path).parent))
        self.status.showMessage(f"Saved {path}")

    # -- runs -----------------------------------------------------------------------------------
    def start_run(self) -> None:
        """Train the experiment as edited; edited by hand, it is named for what changed (derived.edited),
        so that its run never passes for the preset or file it started from."""
        config = self.experiment.config
        if config is None:
            return
        config = derived.edited(config, self.experiment.loaded_config)
        if not self.controller.is_ready:
            self.status.showMessage("Training starts as soon as PyTorch has loaded…")
        self.controller.start(config)

    def run_cure(self, preset_key: str) -> None:
        """Load a failure preset's cured twin and train it overlaid on the failure's run."""
        failure = self._cure_of
        if self.load_experiment_source(preset_key) and self.experiment.config is not None:
            self.controller.start(self.experiment.config, compare_with=failure)

    def apply_fix(self, finding) -> None:
        """Train the shown run's experiment again with the finding's fix, and overlay the two runs."""
        base = self.session.shown
        if base is None or base.config is None:
            return
        try:
            fixed = self.controller.start_fix(base.config, finding, compare_with=base)
        except ConfigError as error:
            self.dialogs.error("This fix cannot be applied", bulleted(error.problems))
            return
        self.set_experiment(fixed, None)

    def _on_run_started(self, run, compare_with: RunRecord | None) -> None:
        self.session.add(run)
        self.session.select([compare_with, run])
        self.status.show_progress(run, None)
        # replaces "starts as soon as PyTorch has loaded", which would stay up for the whole run
        self.status.showMessage(f"Training {run.name}", STARTED_MESSAGE_MS)
        self._refresh_timer.start()

    def _on_state_changed(self, _state: str) -> None:
        self._update_actions()
        run = self.controller.active_run
        if run is not None:  # paused or resumed: say so at once, not at the next refresh
            self.session.update(run)
            self.status.show_progress(run, self.controller.latest_step, paused=self.controller.state == PAUSED)

    def _on_run_ended(self, run, outcome) -> None:
        self._refresh_timer.stop()
        self.session.update(run)
        self.status.show_finished(run)
        if self.banner.show_cure(run.config):
            self._cure_of = run
        if outcome.error:
            title = "The dataset could not be loaded" if outcome.data_problem else f"{run.name} failed"
            self.dialogs.error(title, outcome.error)
        self.status.showMessage(f"{run.name}: {run.status}")

    def _on_save_failed(self, run, problem: str) -> None:
        self.dialogs.error(f"{run.name} is not being saved",
                           f"{problem[0].upper()}{problem[1:]}.\n\nTraining goes on and keeps every record in "
                           "memory. When the run has ended, select it and choose File → Save run to folder… "
                           "to keep it.")

    def _refresh_live(self) -> None:
        run = self.controller.active_run
        if run is None:
            return
        if self.session.shown is run:
            self.plots.refresh()
        self.status.show_progress(run, self.controller.latest_step, paused=self.controller.state == PAUSED)
        if run.device_name:
            self.status.set_device(run.device_name)

    def _on_selection_changed(self, runs: list[RunRecord]) -> None:
        """Finished runs only: compare them; a run training among them: watch it live."""
        everything_finished = len(comparable(runs)) == len(runs) >= 2
        self.views.setCurrentWidget(self.compare_tab if everything_finished else self.plots)
        shown = self.session.shown
        if shown is not None and shown.problem:
            self.status.showMessage(f"{shown.name}: {shown.problem}")

    # -- actions and window state ---------------------------------------------------------------
    def _update_actions(self) -> None:
        state = self.controller.state
        valid = not self.experiment.problems
        self.run_action.setEnabled(valid and state in (IDLE, LOADING))
        self.pause_action.setEnabled(state in (RUNNING, PAUSED))
        self.pause_action.setText("&Resume" if state == PAUSED else "&Pause")
        self.stop_action.setEnabled(state in (RUNNING, PAUSED))

    def reset_layout(self) -> None:
        """Every panel docked where it starts, shown, at its first width (View → Reset layout)."""
        for dock, area in zip(self._docks, self._dock_areas, strict=True):
            dock.setFloating(False)
            self.addDockWidget(area, dock)  # moves a dock the user dragged elsewhere back
            dock.show()
        self.resizeDocks(self._docks[:2], list(SIDE_DOCK_WIDTHS), Qt.Orientation.Horizontal)
        self.resizeDocks(self._docks[2:], [RUNS_DOCK_HEIGHT], Qt.Orientation.Vertical)

    def squeezed_docks(self) -> list[QDockWidget]:
        """Docked, shown panels smaller than their content's minimum (Qt gives way when the window is
        too small for all of them). Such a layout is not saved, so it never comes back at the next launch."""
        def squeezed(widget: QWidget) -> bool:
            minimum = widget.minimumSize().expandedTo(widget.minimumSizeHint())
            return widget.width() < minimum.width() or widget.height() < minimum.height()

        return [dock for dock in self._docks if dock.isVisible() and not dock.isFloating() and squeezed(dock.widget())]

    def _restore_window_state(self) -> None:
        settings = QSettings()
        geometry, state = settings.value(SETTINGS_GEOMETRY), settings.value(SETTINGS_STATE)
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        if isinstance(state, QByteArray):
            self.restoreState(state, LAYOUT_VERSION)  # another version's layout is ignored: the default stays

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        settings = QSettings()
        settings.setValue(SETTINGS_GEOMETRY, self.saveGeometry())
        if not self.squeezed_docks():
            settings.setValue(SETTINGS_STATE, self.saveState(LAYOUT_VERSION))
        self._refresh_timer.stop()
        if self.controller.active_run is not None:
            self.status.showMessage("Stopping the run…")
        self.controller.shutdown(CLOSE_TIMEOUT_S)
        super().closeEvent(event)
