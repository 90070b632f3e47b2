"""A sweep in its directory: which trials are left to run (all of them, or with --resume the ones whose
run directory holds no result of their configuration), the backend that runs them, and the tables
rewritten after each trial."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from workbench.core.experiment.config import ExperimentConfig
from workbench.core.rundir.layout import SUMMARY
from workbench.core.status import RunStatus
from workbench.core.sweeps.plan import SweepPlan, Trial
from workbench.core.sweeps.results import PENDING, TrialResult, finished_result, write_sweep_files
from workbench.core.sweeps.trial import TrialOutcome


class Backend(Protocol):
    """Where trials run (local.LocalBackend, ray_tune.RayBackend)."""

    def run(self, base: ExperimentConfig, trials: list[Trial], directory: Path,
            on_outcome: Callable[[TrialOutcome], None]) -> None:
        """Train each trial into `directory / trial.id`, calling on_outcome (in this thread) as each ends."""

    def request_stop(self) -> None:
        """Running trials stop at their next step and keep their files; no new trial starts."""

    def request_abort(self) -> None:
        """Stop now; callable from a signal handler."""


class Sweep:
    """The trials of a plan, their results so far, and the run of the ones left."""

    def __init__(self, plan: SweepPlan, directory: Path, *, resume: bool = False):
        self.plan = plan
        self.directory = Path(directory)
        self._trials = {trial.id: trial for trial in plan.trials}
        self._results = {trial.id: (finished_result(plan, trial, self.directory) if resume else None)
                         or TrialResult(trial) for trial in plan.trials}
        self.stopping = False
        self._backend: Backend | None = None

    @property
    def results(self) -> list[TrialResult]:
        """Every trial's result, in the plan's order; PENDING for the trials not run (yet)."""
        return [self._results[trial.id] for trial in self.plan.trials]

    @property
    def to_run(self) -> list[Trial]:
        return [trial for trial in self.plan.trials if self._results[trial.id].status == PENDING]

    def run(self, backend: Backend, on_result: Callable[[TrialResult], None] = lambda result: None) -> None:
        """Run the trials left on `backend`; on_result gets each trial's result as it is recorded."""
        self._backend = backend
        self._save()
        try:
            if not self.stopping:
                backend.run(self.plan.base, self.to_run, self.directory,
                            lambda outcome: self._record(outcome, on_result))
        finally:
            self._save()

    def _save(self) -> None:
        write_sweep_files(self.plan, self.results, self.directory)

    def request_stop(self) -> None:
        self.stopping = True
        if self._backend is not None:
            self._backend.request_stop()

    def request_abort(self) -> None:
        self.stopping = True
        if self._backend is not None:
            self._backend.request_abort()

    def _record(self, outcome: TrialOutcome, on_result: Callable[[TrialResult], None]) -> None:
        trial = self._trials[outcome.trial_id]
        if outcome.status != PENDING and (self.directory / trial.id / SUMMARY).is_file():
            result = TrialResult.from_run_dir(trial, self.directory)
            if result.status in (RunStatus.RUNNING, RunStatus.INTERRUPTED):  # its worker died or was ended
                result.status = outcome.status
            result.error = result.error or outcome.error
        else:  # nothing trained: refused by its data, or not started before the sweep stopped
            result = TrialResult(trial, outcome.status, error=outcome.error)
        self._results[trial.id] = result
        self._save()
        on_result(result)
