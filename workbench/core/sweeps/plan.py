"""A sweep's trials, expanded from the experiment's `[sweep]` table the same way every time: the grid's
combinations (in the file's key order) times the random draws (from a generator seeded by the base's
train.seed) times the seeds. Seed i adds i to data.seed and train.seed, so seed 0 is the base experiment's
own seeds.

A trial's id is made from its settings and seed, never from its position, so that a sweep expanded again
(with more seeds, another grid value or a fixed typo) finds the trials it ran before under --resume.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import tomllib
from dataclasses import dataclass
from typing import Any

import numpy as np

from workbench.core.experiment.config import ConfigError, ExperimentConfig, apply_overrides
from workbench.core.experiment.derived import NOT_A_PRESET
from workbench.core.experiment.values import format_value
from workbench.core.i18n import _
from workbench.core.rundir.layout import slug

# Random draws keep this many significant digits: 0.000316, not 0.00031622776601683794, in the table,
# the CSV and the trial's name.
DRAWN_DIGITS = 3
ID_LABEL_LENGTH = 48  # the readable part of a trial id; a digest of its settings makes it unique
MAX_NAME_LENGTH = 200  # meta.name's limit


def setting_text(value: Any) -> str:
    """A swept value as the table and the CSV show it: strings bare, the rest as TOML literals."""
    return value if isinstance(value, str) else format_value(value)


def settings_label(settings: dict[str, Any]) -> str:
    """`lr=0.01 optimizer=sgd`: each key by its last part (the table's columns give the full keys)."""
    return " ".join(f"{key.rsplit('.', 1)[-1]}={setting_text(value)}" for key, value in settings.items())


@dataclass(frozen=True)
class Trial:
    """One run of the sweep: a configuration (the swept keys' values) with one seed."""

    id: str
    settings: dict[str, Any]
    seed: int  # 0 .. seeds-1, added to the base's data.seed and train.seed
    overrides: dict[str, Any]  # what makes the base experiment this trial (training/variants.py)


@dataclass(frozen=True)
class SweepPlan:
    base: ExperimentConfig  # the experiment the trials vary, its [sweep] included
    keys: list[str]  # the swept keys: the grid's, then the random ranges'
    trials: list[Trial]  # seed 0 of every configuration first, so an early stop has seen each once

    @property
    def name(self) -> str:
        return self.base.name

    @property
    def ranged_keys(self) -> list[str]:
        """The keys drawn from random ranges (the others take the grid's values)."""
        return list(self.base.sweep.random) if self.base.sweep is not None else []


def expand(config: ExperimentConfig) -> SweepPlan:
    """Every trial of the experiment's sweep (a file without [sweep] is one trial). ConfigError when a
    combination of values is refused although each value alone is allowed (nesterov with momentum 0)."""
    sweep = config.sweep
    grid = sweep.grid if sweep else {}
    ranges = sweep.random if sweep else {}
    seeds = sweep.seeds if sweep else 1
    combinations = [dict(zip(grid, values, strict=True)) for values in itertools.product(*grid.values())]
    draws = _draws(config, sweep.samples) if ranges else [None]
    configurations = [(sample, {**combination, **(drawn or {})})
                      for combination in combinations for sample, drawn in enumerate(draws)]
    problems = []
    for _sample, settings in configurations:
        try:
            apply_overrides(config, settings)
        except ConfigError as error:
            problems += [_("sweep: the combination {settings} is not valid: {problem}").format(
                settings=settings_label(settings), problem=problem) for problem in error.problems]
    if problems:
        raise ConfigError(problems)
    trials = [_trial(config, settings, seed, sample if ranges else None)
              for seed in range(seeds) for sample, settings in configurations]
    return SweepPlan(config, [*grid, *ranges], trials)


def _draws(config: ExperimentConfig, samples: int) -> list[dict[str, Any]]:
    """`samples` draws of every random range, each draw taking one value per key in the file's order."""
    generator = np.random.default_rng(config.train.seed)
    draws = []
    for _sample in range(samples):
        drawn = {}
        for key, bounds in config.sweep.random.items():
            table, _dot, field = key.partition(".")
            is_integer = type(getattr(config, table)).model_fields[field].annotation is int
            low, high, share = bounds.low, bounds.high, generator.random()
            if bounds.log:
                value = math.exp(math.log(low) + share * (math.log(high) - math.log(low)))
            else:
                value = low + share * (high - low)
            value = round(value) if is_integer else float(f"{value:.{DRAWN_DIGITS}g}")
            drawn[key] = min(max(value, type(value)(low)), type(value)(high))  # rounding may step past an end
        draws.append(drawn)
    return draws


def _trial(config: ExperimentConfig, settings: dict[str, Any], seed: int, sample: int | None) -> Trial:
    # the draw's number is part of the identity: two draws may round to the same values
    identity = json.dumps({"settings": settings, "seed": seed, "sample": sample}, sort_keys=True)
    digest = hashlib.sha256(identity.encode()).hexdigest()[:6]
    label = f"{settings_label(settings)} seed={seed}".strip()
    name = f"{config.name} · {label}"
    overrides = {
        **settings,
        "data.seed": settings.get("data.seed", config.data.seed) + seed,
        "train.seed": settings.get("train.seed", config.train.seed) + seed,
        **NOT_A_PRESET,
        "meta.name": name if len(name) <= MAX_NAME_LENGTH else name[:MAX_NAME_LENGTH - 3] + "...",
    }
    return Trial(f"{slug(label)[:ID_LABEL_LENGTH]}-{digest}", settings, seed, overrides)


def split_values(text: str) -> list[str]:
    """`[64],[64,64]` -> ["[64]", "[64,64]"]: split at the commas outside brackets, braces and quotes."""
    parts, depth, quote, current = [], 0, "", []
    for character in text:
        if quote:
            quote = "" if character == quote and (not current or current[-1] != "\\") else quote
        elif character in "\"'":
            quote = character
        elif character in "[{":
            depth += 1
        elif character in "]}":
            depth -= 1
        elif character == "," and depth == 0:
            parts.append("".join(current).strip())
            current = []
            continue
        current.append(character)
    parts.append("".join(current).strip())
    return parts


def parse_grid_option(option: str) -> tuple[str, list[Any]]:
    """`--grid train.lr=1e-3,1e-2` -> ("train.lr", [0.001, 0.01]); each value is a TOML literal, or a bare
    word as a string (`model.activation=relu,tanh`), as `--set` reads them."""
    key, sep, text = option.partition("=")
    key = key.strip()
    if not sep or "." not in key or not text.strip():
        raise ConfigError([_("--grid {option!r}: expected TABLE.KEY=VALUE,VALUE,..., e.g. train.lr=1e-3,1e-2").format(
            option=option)])
    values = []
    for literal in split_values(text):
        try:
            values.append(tomllib.loads(f"v = {literal}")["v"])
        except tomllib.TOMLDecodeError:
            values.append(literal)
    return key, values
