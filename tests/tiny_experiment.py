"""The tiny experiment the tests train: two moons, a small MLP, two epochs on the CPU (about a second).
Every test that needs a real run starts from it (imported by name: tests/ is on pytest's path)."""

from __future__ import annotations

from workbench.core.experiment.config import ExperimentConfig, apply_overrides, parse_experiment, to_toml

TINY_TABLES = """
[data]
dataset = "moons"
n_samples = 200
[model]
hidden = [16, 16]
[train]
lr = 0.02
batch_size = 16
epochs = 2
device = "cpu"
"""


def tiny(name: str = "tiny moons", **overrides) -> ExperimentConfig:
    """The tiny experiment named `name`; overrides are `table.key` (as `**{"train.lr": 0.1}`) or
    `table__key` keywords."""
    config = parse_experiment(TINY_TABLES, default_name=name)
    return apply_overrides(config, {key.replace("__", "."): value for key, value in overrides.items()})


def tiny_toml(name: str = "tiny moons", **overrides) -> str:
    """The same as an experiment file's text, every key written out."""
    return to_toml(tiny(name, **{"meta.name": name, **overrides}))
