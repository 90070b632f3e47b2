"""Forking a run from an epoch: a new run that continues from the state the parent kept at the end of
that epoch (training/state.py), with changed settings or none (from the last epoch with more epochs:
"continue this run"). With nothing changed it trains exactly as the parent did from there, step for step.

The states live in memory within a budget per run (FORK_BUDGET_BYTES, oldest epochs dropped first), and
the app keeps them for its newest runs only (EpochStatesByRun); a run read from disk has none.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from workbench.core import i18n
from workbench.core.experiment import derived
from workbench.core.experiment.config import ExperimentConfig
from workbench.core.i18n import _
from workbench.core.training.engine import Run
from workbench.core.training.state import KeepEpochStates, TrainingState
from workbench.core.training.variants import check_resumable

MEGABYTE = 2**20
FORK_BUDGET_BYTES = 200 * MEGABYTE  # per run: the example figure, a few hundred epochs of a digits MLP
RUNS_WITH_STATES = 4  # the app keeps the epoch states of this many of its newest runs (800 MB at most)


class ForkError(ValueError):
    """A fork that cannot start, in one sentence; `nearest` is the kept epoch to offer instead, if any."""

    def __init__(self, message: str, nearest: int | None = None):
        super().__init__(message)
        self.nearest = nearest


def kept_state(keeper: KeepEpochStates | None, epoch: int) -> TrainingState:
    """The state kept at the end of `epoch`; ForkError saying why there is none, with the nearest kept
    epoch (the later one on a tie: it has trained more)."""
    if keeper is None or not keeper.states:
        raise ForkError(_("No epoch of this run is kept in memory: only runs trained in this window since it "
                          "opened can be forked, and the app keeps the epochs of its newest runs only."))
    if epoch in keeper.states:
        return keeper.states[epoch]
    nearest = min(keeper.states, key=lambda kept: (abs(kept - epoch), -kept))
    if epoch in keeper.dropped:
        message = _("The state of epoch {epoch} was dropped to stay within the {budget} MB kept per run (oldest "
                    "epochs first); the nearest kept epoch is {nearest}.")
    else:
        message = _("Epoch {epoch} has no kept state (the run did not finish it); the nearest kept epoch is "
                    "{nearest}.")
    raise ForkError(message.format(epoch=epoch, budget=megabytes(keeper.budget_bytes or 0), nearest=nearest), nearest)


def megabytes(size_bytes: int) -> str:
    """A size in MB as a sentence shows it: 200, 0.75."""
    return i18n.number(size_bytes / MEGABYTE)


def fork_config(parent_config: ExperimentConfig, state: TrainingState, overrides: dict[str, Any]) -> ExperimentConfig:
    """The fork's starting configuration: the parent's, with the settings steered by the end of the epoch
    (the parent's config.toml is its own starting one), then `overrides`, named for the fork. ConfigError
    when an override cannot apply mid-run (the network or the data would change) or a value is not allowed."""
    check_resumable(overrides, state.epoch)
    return derived.forked(derived.steered(parent_config, state.settings), state.epoch, overrides)


def fork(parent_config: ExperimentConfig, state: TrainingState, overrides: dict[str, Any], *,
         run_dir: Path | None = None, control=None, callbacks=()) -> Run:
    """An unstarted Run continuing from `state` with `overrides` (see fork_config)."""
    return Run(fork_config(parent_config, state, overrides), run_dir=run_dir, control=control,
               callbacks=callbacks, start=state)


class EpochStatesByRun:
    """The epoch states kept for the app's newest runs (a run object -> its KeepEpochStates); an older
    run's states are let go when a newer run starts keeping its own."""

    def __init__(self, max_runs: int = RUNS_WITH_STATES, budget_bytes: int = FORK_BUDGET_BYTES):
        self.max_runs, self.budget_bytes = max_runs, budget_bytes
        self._keepers: list[tuple[object, KeepEpochStates]] = []

    def new_keeper(self) -> KeepEpochStates:
        return KeepEpochStates(budget_bytes=self.budget_bytes)

    def add(self, run, keeper: KeepEpochStates) -> None:
        self._keepers.append((run, keeper))
        del self._keepers[: max(0, len(self._keepers) - self.max_runs)]

    def of(self, run) -> KeepEpochStates | None:
        return next((keeper for kept, keeper in self._keepers if kept is run), None)
