"""A run's training state at an epoch end, kept so that a variant can continue from there as if the run
had never stopped: weights, optimizer and scheduler state, the random generators and the records."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from workbench.core.history import RunHistory
from workbench.core.hooks import Callback, TrainingRun


@dataclass
class TrainingState:
    """Everything a run needs to continue from the end of `epoch` as if it had never stopped."""

    epoch: int
    step: int
    model: dict[str, torch.Tensor]
    optimizer_name: str
    optimizer: dict[str, Any]
    schedule: str
    scheduler: dict[str, Any] | None
    order_rng: torch.Tensor
    augment_rng: torch.Tensor
    torch_rng: torch.Tensor
    history: RunHistory  # the parent's records, cut to this epoch when a variant starts from here
    directory: Path | None  # the parent's run directory (summary.json's `parent`)

    def restore(self, run, loop) -> None:
        """Put this state into a run about to train (its model, optimizer and generators built): the
        optimizer and scheduler state only where the variant kept the parent's optimizer / schedule."""
        train = run.config.train
        run.model.load_state_dict(self.model)
        if train.optimizer == self.optimizer_name:
            loop.optimizer.load_state_dict(self.optimizer)
            for group in loop.optimizer.param_groups:  # the variant's own settings win over the saved ones
                group["lr"], group["weight_decay"] = train.lr, train.weight_decay
                if "momentum" in group and group["momentum"]:
                    group["momentum"] = train.momentum
        if loop.scheduler is not None and train.lr_schedule == self.schedule and self.scheduler is not None:
            loop.scheduler.load_state_dict(self.scheduler)
        loop.order_generator.set_state(self.order_rng)
        loop.augment_generator.set_state(self.augment_rng)  # a CPU byte tensor, whatever the device
        torch.set_rng_state(self.torch_rng)
        run.step = self.step


def capture_state(run, loop, epoch: int) -> TrainingState:
    """The run's training state at the end of `epoch` (copies: training may go on)."""
    def cpu_copy(tensors: dict) -> dict:
        return {key: value.detach().to("cpu", copy=True) for key, value in tensors.items()}

    return TrainingState(
        epoch=epoch, step=run.step, model=cpu_copy(run.model.state_dict()),
        optimizer_name=run.config.train.optimizer, optimizer=copy.deepcopy(loop.optimizer.state_dict()),
        schedule=run.config.train.lr_schedule,
        scheduler=copy.deepcopy(loop.scheduler.state_dict()) if loop.scheduler is not None else None,
        order_rng=loop.order_generator.get_state(), augment_rng=loop.augment_generator.get_state(),
        torch_rng=torch.get_rng_state(), history=run.history, directory=run.directory)


class KeepEpochStates(Callback):
    """Keeps the training state at the end of the chosen epochs (all when None), for variants to start
    from. A state holds a copy of the weights and of the optimizer's moments: keep few for large models."""

    def __init__(self, epochs: Iterable[int] | None = None):
        self.epochs = None if epochs is None else set(epochs)
        self.states: dict[int, TrainingState] = {}

    def on_epoch_end(self, run: TrainingRun, epoch: int) -> None:
        if self.epochs is None or epoch in self.epochs:
            self.states[epoch] = capture_state(run, run.loop, epoch)
