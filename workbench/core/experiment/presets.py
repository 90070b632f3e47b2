"""Preset discovery: the experiment files in presets/ (shipped as package data), addressed by their file stem."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from workbench.core.experiment.config import ConfigError, ExperimentConfig, load_experiment
from workbench.core.i18n import _, catalogue_text
from workbench.core.resources import resource_path

DEFAULT_EXPERIMENT = "spiral"  # the offline experiment the app opens on


def presets_dir() -> Path:
    override = os.environ.get("WORKBENCH_PRESETS_DIR")
    return Path(override) if override else resource_path("presets")


@dataclass(frozen=True)
class Preset:
    key: str  # file stem: what users type (`workbench run deep-sigmoid`)
    path: Path
    config: ExperimentConfig

    @property
    def one_line(self) -> str:
        """The description's first sentence, in the current language (Chinese ends one with 。)."""
        description = " ".join(catalogue_text(self.config.meta.description).split())
        first = re.split(r"(?<=\.) |(?<=。)", description)[0]
        return first.rstrip(".") + "." if first and not first.endswith("。") else first


def list_presets() -> list[Preset]:
    """Every valid preset, sorted by key. A broken preset file is a bug: it raises ConfigError."""
    directory = presets_dir()
    if not directory.is_dir():
        return []
    return [Preset(path.stem, path, load_experiment(path)) for path in sorted(directory.glob("*.toml"))]


def resolve_experiment_path(name_or_path: str) -> Path:
    """A path to an experiment file, or the preset of that name; ConfigError when it is neither."""
    path = Path(name_or_path)
    if path.suffix == ".toml" or path.exists():
        return path
    preset = presets_dir() / f"{name_or_path}.toml"
    if preset.exists():
        return preset
    known = sorted(p.stem for p in presets_dir().glob("*.toml"))
    from difflib import get_close_matches

    close = get_close_matches(name_or_path, known, n=1)
    if close:
        problem = _("no such file or preset (did you mean '{suggestion}'?); `workbench presets` lists the presets"
                    ).format(suggestion=close[0])
    else:
        problem = _("no such file or preset; `workbench presets` lists the presets")
    raise ConfigError([problem], name_or_path)


def load_named_experiment(name_or_path: str) -> ExperimentConfig:
    return load_experiment(resolve_experiment_path(name_or_path))
