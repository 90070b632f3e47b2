"""A run's training state at an epoch end, kept so that a variant can continue from there as if the run
had never stopped: weights, optimizer and scheduler state, the random generators and the records."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from workbench.core.experiment import derived
from workbench.core.history import RunHistory
from workbench.core.hooks import Callback, TrainingRun
from workbench.core.training import steering


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
    torch_rng: torch.Tensor  # the CPU generator: dropout's on the CPU
    cuda_rng: torch.Tensor | None  # dropout's generator on a GPU
    settings: dict[str, float]  # the steerable settings in effect (steering.settings_at)
    history: RunHistory  # the parent's records, cut to this epoch when a variant starts from here
    directory: Path | None  # the parent's run directory (summary.json's `parent`)

    def restore(self, run, loop) -> None:
        """Put this state into a run about to train (its model, optimizer and generators built): the
        optimizer and scheduler state only where the variant kept the parent's optimizer / schedule. A
        learning rate or weight decay the variant sets differently from the parent's at this epoch
        replaces the saved one; an unchanged one keeps the saved value (a schedule's decay included)."""
        train = run.config.train
        run.model.load_state_dict(self.model)
        if train.optimizer == self.optimizer_name:
            loop.optimizer.load_state_dict(self.optimizer)
            for group in loop.optimizer.param_groups:
                if "momentum" in group and group["momentum"]:
                    group["momentum"] = train.momentum
        if loop.scheduler is not None and train.lr_schedule == self.schedule and self.scheduler is not None:
            loop.scheduler.load_state_dict(self.scheduler)
        wanted = run.config.flat()
        for key in steering.OPTIMIZER_KEYS:
            if train.optimizer != self.optimizer_name or wanted[key] != self.settings[key]:
                steering.set_value(run.model, loop.optimizer, loop.scheduler, key, float(wanted[key]))
        loop.order_generator.set_state(self.order_rng)
        loop.augment_generator.set_state(self.augment_rng)  # a CPU byte tensor, whatever the device
        torch.set_rng_state(self.torch_rng)
        if self.cuda_rng is not None and next(run.model.parameters()).is_cuda:
            torch.cuda.set_rng_state(self.cuda_rng, next(run.model.parameters()).device)
        run.step = self.step

    @property
    def size_bytes(self) -> int:
        """What this state holds in memory: the weights' copy and the optimizer's (moments, steps)."""
        return sum(_tensor_bytes(value) for value in self.model.values()) + _tensor_bytes(self.optimizer)


def _tensor_bytes(value) -> int:
    if isinstance(value, torch.Tensor):
        return value.nelement() * value.element_size()
    if isinstance(value, dict):
        return sum(_tensor_bytes(item) for item in value.values())
    if isinstance(value, list | tuple):
        return sum(_tensor_bytes(item) for item in value)
    return 0


def capture_state(run, loop, epoch: int) -> TrainingState:
    """The run's training state at the end of `epoch` (copies: training may go on)."""
    def cpu_copy(tensors: dict) -> dict:
        return {key: value.detach().to("cpu", copy=True) for key, value in tensors.items()}

    device = next(run.model.parameters()).device
    cuda_rng = torch.cuda.get_rng_state(device) if device.type == "cuda" else None

    return TrainingState(
        epoch=epoch, step=run.step, model=cpu_copy(run.model.state_dict()),
        optimizer_name=run.config.train.optimizer, optimizer=copy.deepcopy(loop.optimizer.state_dict()),
        schedule=run.config.train.lr_schedule,
        scheduler=copy.deepcopy(loop.scheduler.state_dict()) if loop.scheduler is not None else None,
        order_rng=loop.order_generator.get_state(), augment_rng=loop.augment_generator.get_state(),
        torch_rng=torch.get_rng_state(), cuda_rng=cuda_rng,
        settings=derived.settings_at(run.config, run.history.own_changes, run.step),
        history=run.history, directory=run.directory)


class KeepEpochStates(Callback):
    """Keeps the training state at the end of the chosen epochs (all when None), for variants to start
    from. A state holds a copy of the weights and of the optimizer's moments: with `budget_bytes`, the
    oldest states are dropped first to stay within it (`dropped` names their epochs)."""

    def __init__(self, epochs: Iterable[int] | None = None, budget_bytes: int | None = None):
        self.epochs = None if epochs is None else set(epochs)
        self.budget_bytes = budget_bytes
        self.states: dict[int, TrainingState] = {}
        self.dropped: list[int] = []

    @property
    def kept_bytes(self) -> int:
        return sum(state.size_bytes for state in self.states.values())

    def on_epoch_end(self, run: TrainingRun, epoch: int) -> None:
        if self.epochs is None or epoch in self.epochs:
            self.states[epoch] = capture_state(run, run.loop, epoch)
            while self.states and self.budget_bytes is not None and self.kept_bytes > self.budget_bytes:
                oldest = min(self.states)
                del self.states[oldest]
                self.dropped.append(oldest)
