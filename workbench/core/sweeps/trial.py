"""One trial trained into its run directory: what every backend runs in its worker processes."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from workbench.core.experiment.config import ExperimentConfig
from workbench.core.hooks import Callback
from workbench.core.rundir.claim import RunDirError, claim_run_dir
from workbench.core.status import RunStatus
from workbench.core.sweeps.plan import Trial
from workbench.core.sweeps.results import PENDING
from workbench.core.training.runtime import RunControl
from workbench.core.training.variants import variant


@dataclass(frozen=True)
class TrialOutcome:
    """How a trial ended, small enough to travel back from a worker; its numbers are in its run directory."""

    trial_id: str
    status: str  # a RunStatus value, or PENDING: it never started (the sweep was stopping)
    error: str = ""


def run_trial(base: ExperimentConfig, trial: Trial, directory: Path, *, control: RunControl | None = None,
              callbacks: Iterable[Callback] = ()) -> TrialOutcome:
    """Train `trial` (a variant of `base`: same seeds and data order, the trial's overrides) into
    `directory`. Never raises for the trial's own failure: a crash, or a setting only the data refuses
    (a CNN on 2-D points), is a failed outcome and the sweep goes on. A KeyboardInterrupt (the sweep
    stopping at once) ends the run "stopped" with its files written, as in `workbench run`."""
    try:
        claim = claim_run_dir(directory)
    except RunDirError as error:
        return TrialOutcome(trial.id, RunStatus.FAILED, str(error))
    run = variant(base, trial.overrides, run_dir=directory, control=control, callbacks=callbacks)
    with contextlib.suppress(Exception, KeyboardInterrupt):  # the run says how it ended: failed, or stopped
        run.fit()
    if run.history is None:  # it never trained: the data refused it, or the sweep stopped while it loaded
        claim.release(keep=False)
        if run.status == RunStatus.RUNNING:
            return TrialOutcome(trial.id, PENDING)
    return TrialOutcome(trial.id, str(run.status), run.error)
