"""The run controller: starts, pauses and stops training jobs and tells the views what happened.

It holds no widget. Views call its methods and listen to its signals, so it can be tested against a
mock view. One run trains at a time: starting another while one runs stops the current one first,
and a start requested before torch has loaded waits for the warm-up (`warm_up()`).
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, Signal

from workbench.core.experiment import derived
from workbench.core.experiment.config import ExperimentConfig
from workbench.ui.worker import Outcome, TrainingJob, call_in_background, wait_for_background, warm_up_torch

IDLE, LOADING, RUNNING, PAUSED, STOPPING = "idle", "loading", "running", "paused", "stopping"
UNAVAILABLE = "unavailable"  # torch could not be loaded: nothing can train
# The app tests the leading fixes of every run that trained within this long (issue 14: verified diagnosis
# on by default for runs under a minute; the probes cost at most half the run again, Stop cancels them).
VERIFY_UNDER_S = 60.0


class RunController(QObject):
    ready = Signal(str)  # torch loaded; the device `auto` picks
    warm_up_failed = Signal(str)
    run_started = Signal(object, object)  # the Run, and the run it should be compared with (or None)
    epoch_ended = Signal(object, object)  # the Run, its EpochReport
    run_ended = Signal(object, object)  # the Run, its Outcome
    save_failed = Signal(object, str)  # the Run, why its run directory cannot be written: once per run
    state_changed = Signal(str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.job: TrainingJob | None = None
        self.device = ""
        self._ready = False
        # config, compare_with, start state, the id of the finding whose fix it is (or None)
        self._pending: tuple[ExperimentConfig, object, object, str | None] | None = None
        self.epoch_states = None  # forking.EpochStatesByRun, made with the warm-up (it needs torch)
        self._state = LOADING
        self._warming_up = False

    def warm_up(self) -> None:
        """Load torch on a background thread (call it once the window has painted: it takes seconds)."""
        if not self._warming_up:
            self._warming_up = True
            call_in_background(warm_up_torch, self, self._on_ready, self._on_warm_up_error)

    # -- state ----------------------------------------------------------------------------------
    @property
    def state(self) -> str:
        return self._state

    @property
    def is_ready(self) -> bool:
        return self._ready

    @property
    def active_run(self):
        return self.job.run if self.job else None

    def is_paused(self, run) -> bool:
        """Whether `run` is the run training now, paused by the user."""
        return self.job is not None and self.job.run is run and self._state == PAUSED

    @property
    def latest_step(self):
        return self.job.latest_step if self.job else None

    def _set_state(self, state: str) -> None:
        if state != self._state:
            self._state = state
            self.state_changed.emit(state)

    def _on_ready(self, device: str) -> None:
        from workbench.core.training.forking import EpochStatesByRun

        self._ready, self.device = True, device
        self.epoch_states = EpochStatesByRun()
        self.ready.emit(device)
        self._set_state(IDLE)
        self._start_pending()

    def _on_warm_up_error(self, error: Exception) -> None:
        self._pending = None
        self._set_state(UNAVAILABLE)
        self.warm_up_failed.emit(self.tr("PyTorch could not be loaded: {error}").format(
            error=f"{type(error).__name__}: {error}"))

    # -- commands -------------------------------------------------------------------------------
    def start(self, config: ExperimentConfig, compare_with=None, start_state=None, fix_for: str | None = None) -> None:
        """Train `config` (from a kept epoch's `start_state`: a fork; the fix of `compare_with`'s finding `fix_for`);
        a run under way is stopped first, and a start before the warm-up waits for it."""
        self._pending = (config, compare_with, start_state, fix_for)
        if self.job is not None:
            self.stop()
        else:
            self._start_pending()

    def start_fix(self, base_config: ExperimentConfig, finding, compare_with=None) -> ExperimentConfig:
        """The one-click cure: the same experiment (same seeds) with the finding's overrides applied, named
        and described as that fix, never as the failure it cures."""
        fixed = derived.with_fix(base_config, finding.id, finding.fix)
        self.start(fixed, compare_with, fix_for=finding.id if compare_with is not None else None)
        return fixed

    def steer(self, key: str, value: float) -> bool:
        """Ask the training run to change a setting before its next step (steering.check_change'd first);
        False when no run trains."""
        if self.job is None or self._state == STOPPING or self.job.run.status != "running":
            return False  # none trains, or its training is over (the fix probes may still run)
        self.job.run.control.request_change(key, value)
        return True

    def toggle_pause(self) -> None:
        if self.job is None or self._state == STOPPING:
            return
        control = self.job.run.control
        if control.paused:
            control.resume()
            self._set_state(RUNNING)
        else:
            control.pause()
            self._set_state(PAUSED)

    def stop(self) -> None:
        if self.job is not None:
            self.job.run.control.request_stop()  # also releases a pause
            self._set_state(STOPPING)

    def shutdown(self, timeout_s: float) -> bool:
        """Stop whatever trains and wait (at most timeout_s) for its run directory to be complete."""
        self._pending = None
        deadline = time.monotonic() + timeout_s
        finished = True
        if self.job is not None:
            self.job.run.control.request_stop()
            finished = self.job.wait(timeout_s)
        return wait_for_background(max(0.0, deadline - time.monotonic())) and finished

    # -- the job --------------------------------------------------------------------------------
    def _start_pending(self) -> None:
        if self._pending is None or not self._ready or self.job is not None:
            return
        from workbench.core.rundir.layout import new_run_dir
        from workbench.core.rundir.summary import FixFor
        from workbench.core.training.engine import Run
        from workbench.core.training.runtime import RunControl  # loaded by the warm-up: no wait here

        config, compare_with, start_state, fix_for = self._pending
        self._pending = None
        keeper = self.epoch_states.new_keeper()  # every epoch's state, to fork from (within a budget)
        # a fork's fix probes would train from step 0 and be judged against its parent's epochs: none
        verify_under_s = VERIFY_UNDER_S if start_state is None else None
        cures = FixFor(compare_with.directory, fix_for) if fix_for is not None and compare_with.directory else None
        run = Run(config, run_dir=new_run_dir(config.name), control=RunControl(), verify_under_s=verify_under_s,
                  callbacks=[keeper], start=start_state, fix_for=cures)
        self.epoch_states.add(run, keeper)
        job = self.job = TrainingJob(run)
        self._set_state(RUNNING)
        self.run_started.emit(run, compare_with)
        job.start(self, lambda report: self._on_epoch_ended(job, report), lambda: self._on_job_finished(job))

    def _on_epoch_ended(self, job: TrainingJob, report) -> None:
        self._report_save_problem(job)
        self.epoch_ended.emit(job.run, report)

    def _report_save_problem(self, job: TrainingJob) -> None:
        if job.run.problem and not job.save_problem_reported:
            job.save_problem_reported = True
            self.save_failed.emit(job.run, job.run.problem)

    def _on_job_finished(self, job: TrainingJob) -> None:
        if job is not self.job:
            return
        self.job = None
        self._report_save_problem(job)
        self._set_state(IDLE)
        self.run_ended.emit(job.run, job.outcome or Outcome())
        self._start_pending()
