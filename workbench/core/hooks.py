"""The hook protocol of the training engine: typed no-op methods a callback overrides, and what a callback
sees of the run. The engine's loop only trains and drives these hooks; recording, guarding, diagnosing and
writing the run directory are callbacks. Stopping is a `should_stop` flag with the status the run ends
with, never an exception.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from workbench.core.diagnosis.finding import Finding
from workbench.core.experiment.config import ExperimentConfig
from workbench.core.history import RunHistory
from workbench.core.status import RunStatus

if TYPE_CHECKING:  # the run directory's reader imports these hooks, and must not load torch for them
    import torch


@dataclass(frozen=True)
class FixTest:
    """Which probe is training: the finding whose fix it tests, its place among the probes, its epochs."""

    finding_id: str
    title: str
    index: int  # from 1
    total: int
    epochs: int
    # where the probe measures what a fault of the data cost rather than testing its fix: the settings that
    # take the injected fault out ("data.label_noise = 0"); empty for a fix's probe
    without: str = ""


class TrainingRun(Protocol):
    """What callbacks see of a run while it trains (the engine's Run)."""

    config: ExperimentConfig
    status: RunStatus
    step: int  # optimizer steps taken so far
    loop: object  # the optimizer, scheduler and random generators it trains with (engine.TrainingLoop)
    model: torch.nn.Module | None
    data: object  # the DataBundle
    evaluation: object  # the newest epoch end's steps.SplitEvaluation, None before the first
    findings: list[Finding]

    @property
    def history(self) -> RunHistory | None: ...


class Callback:
    should_stop: bool = False
    stop_status: RunStatus = RunStatus.STOPPED  # the status the run ends with when this one stops it

    def on_fit_start(self, run: TrainingRun) -> None:
        """Data and model are ready, nothing trained yet."""

    def on_epoch_start(self, run: TrainingRun, epoch: int, batches: list[torch.Tensor]) -> None:
        """The epoch's batches (index tensors) are drawn."""

    def on_probe_step_start(self, run: TrainingRun) -> None:
        """At probe steps, before the batch's forward pass."""

    def on_before_update(self, run: TrainingRun) -> None:
        """At probe steps: the gradients exist, clipping and the optimizer step have not run yet."""

    def on_probe(self, run: TrainingRun) -> None:
        """At probe steps (every few steps), after the update; the batch losses so far are recorded."""

    def on_train_epoch_end(self, run: TrainingRun, epoch: int) -> None:
        """The epoch's batches are trained and their losses recorded; nothing is evaluated yet."""

    def on_epoch_end(self, run: TrainingRun, epoch: int) -> None:
        """The epoch's metrics row was appended to run.history.epochs."""

    def on_train_end(self, run: TrainingRun) -> None:
        """The training loop is over (run.status set); the final evaluation comes next."""

    def on_fix_test_start(self, run: TrainingRun, test: FixTest) -> None:
        """Training and the diagnosis are over, and a short run testing a finding's fix starts (verified
        diagnosis); it trains on its own, without the run's callbacks."""

    def on_fit_end(self, run: TrainingRun) -> None:
        """Training is over (any status); final metrics and the diagnosis are set."""

    def stop(self, status: RunStatus) -> None:
        self.should_stop, self.stop_status = True, status
