"""Which settings apply when (CONTRACTS.md section 1): a key that means something only for some datasets,
models, initializations, optimizers or schedules, and the condition under which it does. The app shows a
setting only where it applies; anything that asks "does this key matter here?" reads it from here.

Conditions look at an experiment's flat values (`table.key` -> value, as ExperimentConfig.flat() gives
them); a key not listed applies to every experiment.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from workbench.core.experiment import registry

Condition = Callable[[Mapping[str, Any]], bool]
SCHEDULES_WITH_DECAY = ("step", "exponential", "plateau")  # the schedules that multiply the rate by lr_decay


def _dataset_in(names: tuple[str, ...]) -> Condition:
    return lambda values: values["data.dataset"] in names


APPLIES_WHEN: dict[str, Condition] = {
    "data.n_samples": _dataset_in((*registry.TOY_DATASETS, *registry.SEQUENCE_DATASETS)),
    "data.noise": _dataset_in((*registry.TOY_DATASETS, *registry.SEQUENCE_DATASETS)),
    "data.seq_len": _dataset_in(registry.SEQUENCE_DATASETS),
    "data.path": _dataset_in(("csv",)),
    "data.target": _dataset_in(("csv",)),
    "data.data_dir": _dataset_in(registry.TORCHVISION_DATASETS),
    "data.test_shift": lambda values: values["data.dataset"] not in registry.DATASETS_WITHOUT_TEST_SPLIT,
    "data.test_shift_strength": lambda values: bool(values["data.test_shift"]),
    "model.channels": lambda values: values["model.kind"] == "cnn",
    "model.cell": lambda values: values["model.kind"] == "rnn",
    "model.bidirectional": lambda values: values["model.kind"] == "rnn",
    # a GRU's or an LSTM's gates fix their own nonlinearities; a plain RNN computes tanh or relu
    "model.activation": lambda values: values["model.kind"] != "rnn" or values["model.cell"] == "rnn",
    "model.init_std": lambda values: values["model.init"] == "normal",
    "train.momentum": lambda values: registry.OPTIMIZER_TABLE[values["train.optimizer"]].momentum,
    "train.lr_decay": lambda values: values["train.lr_schedule"] in SCHEDULES_WITH_DECAY,
    "train.lr_step": lambda values: values["train.lr_schedule"] == "step",
}


def applies(key: str, values: Mapping[str, Any]) -> bool:
    """Whether `key` means something in an experiment with these flat values."""
    condition = APPLIES_WHEN.get(key)
    return condition is None or condition(values)
