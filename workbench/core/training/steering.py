"""Steering a run while it trains: the learning rate, weight decay and dropout can change between two
steps. The GUI thread asks through the run's RunControl (a thread-safe queue); the training loop takes
the queue between steps and applies it to the optimizer's parameter groups and the dropout modules.
Each change is a SettingChange in the history (events.csv in the run directory); config.toml stays the
starting configuration."""

from __future__ import annotations

from typing import Any

import torch

from workbench.core.experiment.config import ConfigError, ExperimentConfig, apply_overrides
from workbench.core.experiment.derived import STEERABLE_KEYS
from workbench.core.history import SettingChange
from workbench.core.i18n import _

# The steerable settings that live in the optimizer's parameter groups (dropout lives in the model).
OPTIMIZER_KEYS = {"train.lr": "lr", "train.weight_decay": "weight_decay"}


def check_change(config: ExperimentConfig, key: str, value: Any) -> float:
    """The value as the run will take it; ConfigError (one sentence) when `key` cannot change mid-run
    or the value is not allowed for it (the experiment file's own rule and wording)."""
    if key not in STEERABLE_KEYS:
        raise ConfigError([_("{key} cannot change while a run trains; these can: {keys}").format(
            key=key, keys=", ".join(STEERABLE_KEYS))])
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError([_("{key}: {value!r} is not a number").format(key=key, value=value)])
    apply_overrides(config, {key: value})
    return float(value)


def current_value(model: torch.nn.Module, optimizer: torch.optim.Optimizer, key: str) -> float:
    if key == "model.dropout":
        return next((float(module.p) for module in model.modules() if isinstance(module, torch.nn.Dropout)), 0.0)
    return float(optimizer.param_groups[0][OPTIMIZER_KEYS[key]])


def set_value(model: torch.nn.Module, optimizer: torch.optim.Optimizer, scheduler, key: str, value: float) -> None:
    if key == "model.dropout":
        set_dropout(model, value)
        return
    option = OPTIMIZER_KEYS[key]
    old = float(optimizer.param_groups[0][option])
    for group in optimizer.param_groups:
        group[option] = value
    if option == "lr" and old > 0 and hasattr(scheduler, "base_lrs"):
        # a schedule goes on from the new rate: its closed form (cosine, step) starts from base_lrs
        scheduler.base_lrs = [base * value / old for base in scheduler.base_lrs]


def set_dropout(model: torch.nn.Module, probability: float) -> None:
    """Every dropout layer of the model at `probability`; blocks built without dropout (an Identity in
    its place) get one. With p = 0 a dropout layer passes its input through and draws no random numbers,
    so a run steered back to 0 trains as one built without dropout."""
    for module in list(model.modules()):
        current = getattr(module, "dropout", None)
        if isinstance(current, torch.nn.Dropout):
            current.p = probability
        elif isinstance(current, torch.nn.Identity) and probability > 0:
            module.dropout = torch.nn.Dropout(probability)


def apply_pending(run, epoch: int) -> list[SettingChange]:
    """Apply what the GUI asked for since the last step (between two steps, on the training thread) and
    record each change that changes something in the run's history."""
    loop, applied = run.loop, []
    for key, value in run.control.take_changes():
        old = current_value(run.model, loop.optimizer, key)
        if value == old:
            continue
        set_value(run.model, loop.optimizer, loop.scheduler, key, value)
        change = SettingChange(step=run.step, epoch=epoch, key=key, old=old, new=value)
        run.history.changes.append(change)
        applied.append(change)
    return applied
