"""Experiment values compared and written: the keys whose values differ between experiments, and a
value as the one-line TOML literal that `--set` accepts."""

from __future__ import annotations

import math
from typing import Any

import tomli_w

from workbench.core.experiment.config import ExperimentConfig


def config_diff(configs: list[ExperimentConfig], ignore=("meta.",)) -> list[str]:
    """The `table.key`s whose values differ between configs (meta excluded): the toggles that matter."""
    flats = [c.flat() for c in configs]
    keys = [k for k in flats[0] if not k.startswith(ignore)] if flats else []
    return [k for k in keys if len({_canonical(f[k]) for f in flats}) > 1]


def _canonical(value: Any) -> str:
    if isinstance(value, float) and math.isfinite(value):
        return repr(float(value))
    return repr(value)


def format_value(value: Any) -> str:
    """A value as the one-line TOML literal `--set` accepts (strings quoted, booleans lower-case)."""
    if isinstance(value, list | tuple):
        return "[" + ", ".join(format_value(item) for item in value) + "]"
    return tomli_w.dumps({"v": value}).partition("=")[2].strip()
