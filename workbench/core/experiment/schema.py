"""The experiment file's tables as pydantic models (CONTRACTS.md sections 1 and 5): every key, its type,
its range and its default. Strict: a value of the wrong TOML type is refused, never converted ("0.1" is
not a number, 1 is not true); pydantic's strict mode still takes an integer where a float belongs, as TOML
users write `lr = 1`. Loading, checking across keys and overrides are in config.py."""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from workbench.core.experiment import registry

STRICT = ConfigDict(strict=True, extra="forbid", allow_inf_nan=False, validate_assignment=False, frozen=True)


def choice(names: tuple[str, ...]):
    return Literal[names]  # type: ignore[valid-type]


LayerWidth = Annotated[int, Field(ge=1, le=16384)]
ChannelWidth = Annotated[int, Field(ge=1, le=1024)]


class MetaConfig(BaseModel):
    model_config = STRICT
    name: str = Field("", max_length=200)
    description: str = Field("", max_length=5000)
    expect: list[choice(registry.DIAGNOSIS_IDS)] = []
    fixed_by: str = Field("", max_length=200)
    group: choice(("", *registry.PRESET_GROUPS)) = ""  # presets: what goes wrong (the app's menu groups)


class DataConfig(BaseModel):
    model_config = STRICT
    dataset: choice(registry.DATASETS)
    data_dir: str = ""
    path: str = ""
    target: str = ""
    n_samples: int = Field(2000, ge=20, le=1_000_000)
    noise: float = Field(0.1, ge=0.0, le=10.0)
    train_size: int = Field(0, ge=0, le=10_000_000)
    val_fraction: float = Field(0.2, ge=0.05, le=0.9)
    normalize: bool = True
    shuffle: bool = True
    order: choice(registry.ORDERS) = "random"
    label_noise: float = Field(0.0, ge=0.0, le=1.0)
    imbalance: float = Field(1.0, ge=1.0, le=1000.0)
    augment: list[choice(registry.AUGMENTATIONS)] = Field(default_factory=list, max_length=4)
    seed: int = Field(0, ge=0, le=2**32 - 1)
    sampler: choice(registry.SAMPLERS) = "random"
    seq_len: int = Field(50, ge=1, le=10_000)  # sequence_memory: steps per sequence
    # the augmentations' transformations applied once to the TEST split only, scaled by the strength
    test_shift: list[choice(registry.AUGMENTATIONS)] = Field(default_factory=list, max_length=4)
    test_shift_strength: float = Field(1.0, ge=0.0, le=10.0)


class ModelConfig(BaseModel):
    model_config = STRICT
    kind: choice(registry.MODEL_KINDS) = "mlp"
    hidden: list[LayerWidth] = Field(default_factory=lambda: [64, 64], max_length=64)
    channels: list[ChannelWidth] = Field(default_factory=lambda: [16, 32], min_length=1, max_length=6)
    activation: choice(registry.ACTIVATIONS) = "relu"
    init: choice(registry.INITS) = "default"
    init_std: float = Field(0.01, gt=0.0, le=100.0)
    normalization: choice(registry.NORMALIZATIONS) = "none"
    dropout: float = Field(0.0, ge=0.0, lt=1.0)
    residual: bool = False
    cell: choice(registry.RECURRENT_CELLS) = "lstm"  # rnn only
    bidirectional: bool = False  # rnn only: each layer reads the sequence both ways


class TrainConfig(BaseModel):
    model_config = STRICT
    optimizer: choice(registry.OPTIMIZERS) = "adam"
    lr: float = Field(0.001, gt=0.0, le=1000.0)
    momentum: float = Field(0.9, ge=0.0, lt=1.0)
    batch_size: int = Field(64, ge=1, le=1_000_000)
    epochs: int = Field(20, ge=1, le=100_000)
    loss: choice(registry.LOSSES) = "cross_entropy"
    weight_decay: float = Field(0.0, ge=0.0, le=1000.0)
    l1: float = Field(0.0, ge=0.0, le=1000.0)
    grad_clip: float = Field(0.0, ge=0.0, le=1e9)
    lr_schedule: choice(registry.LR_SCHEDULES) = "constant"
    lr_decay: float = Field(0.1, gt=0.0, le=1.0)
    lr_step: int = Field(10, ge=1, le=100_000)
    early_stopping: int = Field(0, ge=0, le=100_000)
    device: choice(registry.DEVICES) = "auto"
    seed: int = Field(0, ge=0, le=2**32 - 1)
    verify_fixes: bool = False  # test the leading findings' fixes with short counterfactual runs
    class_weights: choice(registry.CLASS_WEIGHTS) = "none"
    label_smoothing: float = Field(0.0, ge=0.0, lt=1.0)
    probe_every: int = Field(0, ge=0, le=1_000_000)  # steps between per-layer probes; 0 = automatic
    threads: int = Field(0, ge=0, le=1024)  # torch CPU threads; 0 = automatic (one for small models)


# More trials than this is a typo in a grid, not a sweep anyone waits for.
MAX_TRIALS = 10_000


class RandomRange(BaseModel):
    """One `[sweep] random` entry: values drawn uniformly (or log-uniformly) between low and high."""

    model_config = STRICT
    low: float
    high: float
    log: bool = False


class SweepConfig(BaseModel):
    """The optional `[sweep]` table (CONTRACTS.md section 5): the settings to vary and how to run the trials."""

    model_config = STRICT
    grid: dict[str, Annotated[list[Any], Field(min_length=1)]] = {}
    random: dict[str, RandomRange] = {}
    samples: int = Field(0, ge=0, le=MAX_TRIALS)  # random draws; 0 = grid only
    seeds: int = Field(1, ge=1, le=1000)  # each configuration with this many seeds (data.seed and train.seed)
    backend: choice(registry.SWEEP_BACKENDS) = "local"
    address: str = Field("", max_length=500)  # ray only: "" starts a local Ray instance
    parallel: int = Field(0, ge=0, le=MAX_TRIALS)  # trials at once; 0 = one per core / what the cluster offers

    @property
    def configurations(self) -> int:
        """How many settings combinations: the grid's product times the random draws (seeds not counted)."""
        return math.prod(len(values) for values in self.grid.values()) * max(self.samples, 1)

    @property
    def trial_count(self) -> int:
        return self.configurations * self.seeds


class ExperimentConfig(BaseModel):
    model_config = STRICT
    meta: MetaConfig = MetaConfig()
    data: DataConfig
    model: ModelConfig = ModelConfig()
    train: TrainConfig = TrainConfig()
    # A file's [sweep], kept out of model_dump(), flat() and the TOML: a trial's config (an override of
    # this one) and every run directory's config.toml are plain experiments.
    sweep: SweepConfig | None = Field(None, exclude=True)

    @property
    def name(self) -> str:
        return self.meta.name or "experiment"

    def flat(self) -> dict[str, Any]:
        """Every key as `table.key` -> value, in file order (the config diff and CSV columns use this)."""
        return {
            f"{table}.{key}": value
            for table, values in self.model_dump().items()
            for key, value in values.items()
        }


class ConfigError(ValueError):
    """An experiment that cannot be used; `problems` holds one sentence per problem."""

    def __init__(self, problems: list[str], source: str = ""):
        self.problems = problems
        self.source = source
        where = f"{source}: " if source else ""
        super().__init__(where + "; ".join(problems))

    def __reduce__(self):
        # pickled (raised in a worker process, a sweep's or the benchmark's) with its own arguments: the default
        # passes the joined message as `problems`, which came back as its characters joined by "; "
        return type(self), (self.problems, self.source)


TABLES: dict[str, type[BaseModel]] = {
    "meta": MetaConfig, "data": DataConfig, "model": ModelConfig, "train": TrainConfig,
}
# Every table a file may hold: the experiment's, and [sweep], which is not a setting of a run.
FILE_TABLES: dict[str, type[BaseModel]] = {**TABLES, "sweep": SweepConfig}
# The tables whose keys a sweep may vary ([meta] only describes the experiment).
SWEEPABLE_TABLES = ("data", "model", "train")
