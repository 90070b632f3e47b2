"""Sweeps in the main window: Run → Sweep… (the dialog, then the sweep in the background with its window
live), File → Open sweep… (a sweep directory read on a background thread; a damaged one is one sentence), and a
trial opened from a Sweep window joining the window's runs session like any run, so that compare, export
and the diagnosis panel work on it. One sweep runs at a time; any number of finished ones can be open."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Signal

from workbench.core.experiment import derived
from workbench.core.sweeps.plan import SweepPlan
from workbench.ui.actions import describe, new_action
from workbench.ui.sweep.dialog import SweepDialog
from workbench.ui.sweep.job import SweepJob
from workbench.ui.sweep.view import SweepView
from workbench.ui.worker import TRAINING_NICENESS, call_in_background

SETTINGS_SWEEP_FOLDER = "files/sweep_folder"


def load_runs(directories: list[Path]) -> list:
    """On a background thread: the run directories read back (their histories when first shown)."""
    from workbench.core.rundir.reader import load_run

    return [load_run(directory, with_history=False) for directory in directories]


class SweepActions(QObject):
    """The window's sweep commands and the Sweep windows they open; `started` when a sweep starts."""

    started = Signal()

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.sweep_action = new_action(window, self.new_sweep, ["Ctrl+Shift+R"])
        self.open_action = new_action(window, self.choose_sweep_folder, ["Ctrl+Shift+O"])
        self.job: SweepJob | None = None
        self.views: list[SweepView] = []
        self.dialog: SweepDialog | None = None

    def retranslate(self) -> None:
        describe(self.sweep_action, self.tr("S&weep…"),
                 self.tr("Train the experiment over several settings and seeds, side by side"))
        describe(self.open_action, self.tr("Open s&weep…"), self.tr("Show a sweep's folder again"))

    @property
    def running(self) -> bool:
        return self.job is not None and self.job.running

    # -- a new sweep ----------------------------------------------------------------------------
    def new_sweep(self) -> None:
        window = self.window
        if self.running:
            self._view_for(self.job.directory).show()
            window.status.showMessage(self.tr("A sweep is running: stop it before starting another."))
            return
        config, loaded = window.experiment.config, window.experiment.loaded_config
        if config is None:
            window.dialogs.error(self.tr("Cannot sweep"), self.tr("Fix the problems shown in the experiment panel "
                                                                   "first."))
            return
        base = derived.edited(config, loaded) if loaded is not None else config
        if loaded is not None and loaded.sweep is not None:  # a sweep file or preset: its [sweep] fills the dialog
            base = base.model_copy(update={"sweep": loaded.sweep})
        self.dialog = SweepDialog(base, window)
        self.dialog.accepted.connect(lambda: self.start(self.dialog.plan))
        self.dialog.open()

    def start(self, plan: SweepPlan, backend=None) -> SweepView:
        """Run `plan` into a new sweep directory on `backend` (the local process pool by default)."""
        from workbench.core.rundir.layout import new_run_dir

        if backend is None:
            from workbench.core.sweeps.local import LocalBackend

            backend = LocalBackend(plan.base.sweep.parallel, niceness=TRAINING_NICENESS)  # the window keeps the CPU it needs
        directory = new_run_dir(f"sweep-{plan.name}")
        job = self.job = SweepJob(plan, directory, backend, self)
        view = self._view_for(directory)
        view.show_sweep(plan, job.sweep.results, directory, live=True)
        job.result_recorded.connect(view.record)
        job.ended.connect(lambda error: view.finish(error, stopped=job.stopping))
        job.ended.connect(lambda error: self._ended(job, error))
        view.stop_requested.connect(job.stop)
        job.start()
        self.started.emit()
        self._present(view)
        self.window.status.showMessage(self.tr("Sweep of {count} trials started in {path}").format(
            count=len(plan.trials), path=directory))
        return view

    def _ended(self, job: SweepJob, error: str) -> None:
        if error:
            self.window.dialogs.error(self.tr("The sweep could not run"), error)
        else:
            self.window.status.showMessage(self.tr("Sweep {name} ended: {path}").format(
                name=job.plan.name, path=job.directory))

    def shutdown(self) -> None:
        """The window closes: running trials stop after their current step, finished ones are kept."""
        if self.running:
            self.job.stop()

    # -- a sweep from its folder ----------------------------------------------------------------
    def choose_sweep_folder(self) -> None:
        from workbench.core.rundir.layout import runs_root

        start = str(QSettings().value(SETTINGS_SWEEP_FOLDER, str(runs_root())))
        path = self.window.dialogs.open_folder(self.tr("Open sweep"), start)
        if path:
            QSettings().setValue(SETTINGS_SWEEP_FOLDER, str(Path(path).parent))
            self.open_sweep(Path(path))

    def open_sweep(self, directory: Path) -> None:
        """Show the sweep in `directory` (read on a background thread); a folder without one is one sentence."""
        from workbench.core.sweeps.reader import load_sweep

        if self.running and Path(directory).resolve() == self.job.directory.resolve():
            self._present(self._view_for(self.job.directory))
            return
        call_in_background(lambda: load_sweep(directory), self, self._show_loaded, lambda error: self.window.dialogs.error(
            self.tr("Cannot open the sweep"), str(error)))

    def _show_loaded(self, loaded) -> None:
        view = self._view_for(loaded.directory)
        view.show_sweep(loaded.plan, loaded.results, loaded.directory, live=False)
        self._present(view)

    def _view_for(self, directory: Path) -> SweepView:
        """The window showing the sweep in `directory`, or a new one."""
        for view in self.views:
            if view.directory is not None and view.directory.resolve() == Path(directory).resolve():
                return view
        view = SweepView(self.window)
        view.open_requested.connect(self.open_trials)
        self.views.append(view)
        return view

    @staticmethod
    def _present(view: SweepView) -> None:
        view.show()
        view.raise_()
        view.activateWindow()

    # -- trials as runs -------------------------------------------------------------------------
    def open_trials(self, directories: list[Path]) -> None:
        """The trials' run directories join the session (once: a trial opened before is selected again) and
        are selected in the main window: one is shown, several are compared."""
        session = self.window.session
        known = {run.directory.resolve(): run for run in session.runs if run.directory is not None}
        missing = [directory for directory in directories if Path(directory).resolve() not in known]
        chosen = [known[Path(directory).resolve()] for directory in directories if Path(directory).resolve() in known]
        if not missing:
            self._select(chosen)
            return
        call_in_background(lambda: load_runs(missing), self, lambda runs: self._add_runs(runs, chosen),
                           lambda error: self.window.dialogs.error(self.tr("Cannot open the trial"), str(error)))

    def _add_runs(self, runs: list, chosen: list) -> None:
        for run in runs:
            self.window.session.add(run)
        self._select([*chosen, *runs])

    def _select(self, runs: list) -> None:
        self.window.session.select(runs)
        self._present(self.window)
