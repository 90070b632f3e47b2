"""The main window: experiment panel, live plots and the Compare tab, diagnosis, runs list, run controls.

It owns the runs session and wires it: the controller's runs go into the session (live_run.py), and the
runs list, plots, Compare, diagnosis panel and selection actions render the session and follow its events. It
trains nothing and computes no training facts. torch is not imported here: the window paints first,
then the controller loads torch on a background thread.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMainWindow, QTabWidget, QVBoxLayout, QWidget

from workbench.core.experiment import derived, presets
from workbench.core.experiment.config import ConfigError, ExperimentConfig, save_experiment
from workbench.core.i18n import catalogue_text
from workbench.core.session import RunRecord, RunsSession
from workbench.ui import language
from workbench.ui.actions import describe, new_action
from workbench.ui.checks import PreTrainingChecks
from workbench.ui.controller import IDLE, LOADING, PAUSED, RUNNING, RunController
from workbench.ui.dialogs import Dialogs, bulleted
from workbench.ui.disk_cap import DiskCap
from workbench.ui.fonts import FontNotice
from workbench.ui.fork import ForkAction
from workbench.ui.help import HelpActions
from workbench.ui.live_run import LiveRun
from workbench.ui.model_actions import ModelActions
from workbench.ui.panels.diagnosis import DiagnosisPanel
from workbench.ui.panels.experiment import ExperimentPanel
from workbench.ui.panels.presets import PresetBanner, PresetsMenu
from workbench.ui.panels.runs import RunsList
from workbench.ui.panels.steer import SteerBox
from workbench.ui.plots import PlotsArea, style
from workbench.ui.selected_runs import CompareTab, SelectedRunActions, comparable
from workbench.ui.status_bar import RunStatusBar
from workbench.ui.sweep.wiring import SweepActions
from workbench.ui.window_layout import DockLayout
from workbench.ui.worker import call_in_background

CLOSE_TIMEOUT_S = 5.0  # closing mid-run: how long to wait for the run directory to be complete
SETTINGS_FOLDER = "files/folder"
APP_NAME = "Workbench"  # a name, the same in every language


class MainWindow(language.Translated, QMainWindow):
    first_painted = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        style.follow_palette(self.palette())  # the plots made below take the theme of the app's palette
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
        self.status.insertPermanentWidget(0, FontNotice(self.status))  # what to install when Chinese would be boxes
        self.source_path: Path | None = None  # the experiment file Save writes to by default
        self._experiment_name = ""  # the window title's
        self._painted = False
        self._cure_of = None  # the failure-preset run whose cure the banner offers

        center = QWidget()
        layout = QVBoxLayout(center)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.banner)
        # training curves of the shown runs, or the comparison of the selected finished ones
        self.views = QTabWidget()
        self.views.setDocumentMode(True)
        self.views.addTab(self.plots, "")
        self.views.addTab(self.compare_tab, "")
        layout.addWidget(self.views, 1)
        self.setCentralWidget(center)
        self.dock_layout = DockLayout(self, [("experiment", self.experiment, "left"),
                                             ("diagnosis", self.diagnosis, "right"), ("runs", self.runs, "bottom")])
        self._build_actions()
        self.dock_layout.reset()
        self._connect()
        self.dock_layout.restore()
        self.retranslate()

    # -- construction ---------------------------------------------------------------------------
    def _build_actions(self) -> None:
        self.run_action = new_action(self, self.start_run, ["F5", "Ctrl+R"])
        self.pause_action = new_action(self, self.controller.toggle_pause, ["F6", "Ctrl+P"])
        self.stop_action = new_action(self, self.controller.stop, ["Shift+F5", "Ctrl+."])
        self.open_action = new_action(self, self.open_experiment, [QKeySequence.StandardKey.Open])
        self.save_action = new_action(self, self.save_experiment, [QKeySequence.StandardKey.Save])
        self.quit_action = new_action(self, self.close, [QKeySequence.StandardKey.Quit])
        self.reset_layout_action = new_action(self, self.dock_layout.reset)
        self.checks = PreTrainingChecks(self, self.experiment, self.dialogs)  # sanity check, lr finder
        self.fork = ForkAction(self)
        self.runs.view.addAction(self.fork.action)  # the runs list's context menu
        self.sweeps = SweepActions(self)
        self.model_actions = ModelActions(self)  # try the shown run's model, export it as ONNX
        self.disk = DiskCap(self)  # sizes on disk, the runs folder's cap, pruning old runs
        self.toolbar = self.addToolBar("")
        self.toolbar.setObjectName("runToolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        selected, runs = self.selection_actions, self.runs
        self._add_actions(self.toolbar, self.run_action, self.pause_action, self.stop_action, None,
                          self.open_action, self.save_action, None, selected.compare, None)
        self.steer = SteerBox(self.controller)  # the live settings of a training run, beside Run, Pause and Stop
        self.steer.message.connect(self.status.showMessage)
        self.toolbar.addWidget(self.steer)
        menus = self.menuBar()
        self.file_menu = menus.addMenu("")
        self._add_actions(self.file_menu, self.open_action, self.sweeps.open_action, self.save_action, None,
                          selected.export_comparison,
                          selected.export_script, selected.export_tensorboard, self.model_actions.export_onnx_action,
                          selected.save_run, None,
                          self.quit_action)
        self.run_menu = menus.addMenu("")
        self._add_actions(self.run_menu, self.run_action, self.pause_action, self.stop_action, self.sweeps.sweep_action,
                          None, selected.compare, selected.clone, self.fork.action, None, runs.rename_action,
                          runs.delete_action, self.disk.prune_action, self.disk.cap_action)
        self._add_actions(self.run_menu, None, self.checks.sanity_action, self.checks.lr_find_action,
                          self.model_actions.try_action)
        self.presets_menu = PresetsMenu(self)
        menus.addMenu(self.presets_menu)
        self.view_menu = menus.addMenu("")
        for dock in self.dock_layout.docks:
            self.view_menu.addAction(dock.toggleViewAction())
        self.view_menu.addSeparator()
        self.view_menu.addAction(self.reset_layout_action)
        self.language_menu = self.view_menu.addMenu("")
        languages = QActionGroup(self)
        for code, name in language.LANGUAGE_NAMES.items():  # each named in itself: never translated
            action = QAction(name, languages, checkable=True, checked=code == language.wanted_language())
            action.triggered.connect(lambda _checked=False, code=code: language.choose_language(code))
            self.language_menu.addAction(action)
        self.help_menu = menus.addMenu("")
        self.help_actions = HelpActions(self, menus)
        self._add_actions(self.help_menu, self.help_actions.shortcuts, self.help_actions.about)

    @staticmethod
    def _add_actions(target, *actions: QAction | None) -> None:
        """Actions into a menu or toolbar; None draws a separator."""
        for action in actions:
            target.addSeparator() if action is None else target.addAction(action)

    def retranslate(self) -> None:
        self._show_title()
        self.views.setTabText(0, self.tr("Training"))
        self.views.setTabText(1, self.tr("Compare"))
        for dock, title, toggle in zip(self.dock_layout.docks, (self.tr("Experiment"), self.tr("Diagnosis"),
                                                                self.tr("Runs")),
                                       (self.tr("&Experiment"), self.tr("&Diagnosis"), self.tr("R&uns")), strict=True):
            dock.setWindowTitle(title)
            dock.toggleViewAction().setText(toggle)  # View menu: with a mnemonic (the title sets it without)
        self.toolbar.setWindowTitle(self.tr("Run controls"))
        describe(self.run_action, self.tr("&Run"), self.tr("Train the experiment"))
        describe(self.stop_action, self.tr("&Stop"), self.tr("Stop training"))
        describe(self.open_action, self.tr("&Open…"), self.tr("Open an experiment file"))
        describe(self.save_action, self.tr("&Save…"), self.tr("Save the experiment to a file"))
        describe(self.quit_action, self.tr("&Quit"), self.tr("Close the app"))
        describe(self.reset_layout_action, self.tr("&Reset layout"),
                 self.tr("Put the panels back where and how wide they were at first"))
        for menu, title in ((self.file_menu, self.tr("&File")), (self.run_menu, self.tr("&Run")),
                            (self.view_menu, self.tr("&View")), (self.language_menu, self.tr("&Language")),
                            (self.help_menu, self.tr("&Help"))):
            menu.setTitle(title)
        self.selection_actions.retranslate()
        self.checks.retranslate()
        self.fork.retranslate()
        self.sweeps.retranslate()
        self.model_actions.retranslate()
        self.disk.retranslate()
        self.help_actions.retranslate()
        self._update_actions()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        """The palette follows the desktop's light or dark scheme (Qt does that): the plots follow it."""
        if event.type() == QEvent.Type.PaletteChange:
            style.follow_palette(self.palette())
        super().changeEvent(event)

    def _show_title(self) -> None:
        self.setWindowTitle(self.tr("{experiment} — {app}").format(experiment=catalogue_text(self._experiment_name),
                                                                   app=APP_NAME)
                            if self._experiment_name else APP_NAME)

    def _connect(self) -> None:
        controller = self.controller
        controller.ready.connect(self.status.set_device)
        controller.warm_up_failed.connect(lambda text: self.dialogs.error(self.tr("Training is unavailable"), text))
        controller.state_changed.connect(lambda _state: self._update_actions())
        controller.run_ended.connect(self._offer_cure)
        self.live_run = LiveRun(self, controller, self.session, self.plots, self.status, self.dialogs)
        self.experiment.problems_changed.connect(lambda _problems: self._update_actions())
        self.checks.message.connect(self.status.showMessage)
        for view in (self.plots, self.compare_tab, self.selection_actions, self.diagnosis):
            view.follow(self.session)
        self.session.selection_changed.connect(self._on_selection_changed)
        self.diagnosis.fix_requested.connect(self.apply_fix)
        self.diagnosis.settings_requested.connect(self.set_experiment)
        self.diagnosis.evidence_requested.connect(
            lambda finding: (self.views.setCurrentWidget(self.plots), self.plots.show_evidence(finding)))
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
            self.dialogs.error(self.tr("A preset file is broken"), str(error))
        # histories are read when a run is shown: a folder of a thousand runs lists in summaries alone
        call_in_background(lambda: list_runs(with_history=False), self, self.session.add_from_disk,
                           lambda error: self.status.showMessage(
                               self.tr("Could not list the saved runs: {error}").format(error=error)))

    # -- experiments ----------------------------------------------------------------------------
    def set_experiment(self, config: ExperimentConfig, path: Path | None = None) -> None:
        self.source_path = path
        self.experiment.set_config(config)
        self.banner.show_experiment(config)
        self.diagnosis.set_expected(config.meta.expect)
        self._experiment_name = config.name
        self._show_title()

    def load_experiment_source(self, name_or_path: str) -> bool:
        """Load an experiment file or a preset by name; a bad one is reported and nothing changes."""
        try:
            path = presets.resolve_experiment_path(name_or_path)
            config = presets.load_named_experiment(str(path))
        except ConfigError as error:
            self.dialogs.error(self.tr("Cannot open {source}").format(source=name_or_path), bulleted(error.problems))
            return False
        in_presets = path.resolve().parent == presets.presets_dir().resolve()
        self.set_experiment(config, None if in_presets else path)  # Save never overwrites a preset
        self.status.showMessage(self.tr("Loaded {experiment}").format(experiment=catalogue_text(config.name)))
        return True

    def open_experiment(self) -> None:
        path = self.dialogs.open_path(str(QSettings().value(SETTINGS_FOLDER, str(Path.home()))))
        if path:
            QSettings().setValue(SETTINGS_FOLDER, str(Path(path).parent))
            self.load_experiment_source(path)

    def save_experiment(self) -> None:
        config = self.experiment.config
        if config is None:
            self.dialogs.error(self.tr("Cannot save"), self.tr("Fix the problems shown in the experiment panel first."))
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
            self.dialogs.error(self.tr("Cannot save"), f"{path}: {error.strerror or error}")
            return
        self.source_path = Path(path)
        QSettings().setValue(SETTINGS_FOLDER, str(Path(path).parent))
        self.status.showMessage(self.tr("Saved {path}").format(path=path))

    # -- runs -----------------------------------------------------------------------------------
    def start_run(self) -> None:
        """Train the experiment as edited; edited by hand, it is named for what changed (derived.edited),
        so that its run never passes for the preset or file it started from."""
        config = self.experiment.config
        if config is None:
            return
        config = derived.edited(config, self.experiment.loaded_config)
        if not self.controller.is_ready:
            self.status.showMessage(self.tr("Training starts as soon as PyTorch has loaded…"))
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
            self.dialogs.error(self.tr("This fix cannot be applied"), bulleted(error.problems))
            return
        self.set_experiment(fixed, None)

    def _offer_cure(self, run, _outcome) -> None:
        if self.banner.show_cure(run.config):
            self._cure_of = run

    def _on_selection_changed(self, runs: list[RunRecord]) -> None:
        """Finished runs only: compare them; a run training among them: watch it live."""
        everything_finished = len(comparable(runs)) == len(runs) >= 2
        self.views.setCurrentWidget(self.compare_tab if everything_finished else self.plots)
        shown = self.session.shown
        if shown is not None and shown.problem:
            self.status.showMessage(self.tr("{run}: {problem}").format(run=shown.name, problem=shown.problem))

    # -- actions and closing --------------------------------------------------------------------
    def _update_actions(self) -> None:
        state = self.controller.state
        valid = not self.experiment.problems
        self.checks.set_experiment_valid(valid)
        self.run_action.setEnabled(valid and state in (IDLE, LOADING))
        self.pause_action.setEnabled(state in (RUNNING, PAUSED))
        if state == PAUSED:
            describe(self.pause_action, self.tr("Res&ume"), self.tr("Resume training"))
        else:
            describe(self.pause_action, self.tr("&Pause"), self.tr("Pause training"))
        self.stop_action.setEnabled(state in (RUNNING, PAUSED))

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        self.dock_layout.save()
        self.live_run.stop()
        if self.controller.active_run is not None:
            self.status.showMessage(self.tr("Stopping the run…"))
        self.sweeps.shutdown()
        self.controller.shutdown(CLOSE_TIMEOUT_S)
        super().closeEvent(event)
