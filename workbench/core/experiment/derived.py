"""Experiments made from another one: the one-click fix, a preset edited by hand, a twin. Each gets a
name that says what it is and drops the parent's preset identity (its expected diagnosis, its cure, its
group and description), so that a cured run is never labelled, judged or exported as the failure.
"""

from __future__ import annotations

from typing import Any

from workbench.core.experiment.config import ExperimentConfig, apply_overrides
from workbench.core.experiment.values import config_diff, format_value

EDITED_KEYS_NAMED = 3  # an edited run's name lists this many changed keys, then "..."
TWIN_SUFFIX = " (twin)"
NOT_A_PRESET = {"meta.expect": [], "meta.fixed_by": "", "meta.group": ""}


def settings_text(config: ExperimentConfig, keys: list[str]) -> str:
    flat = config.flat()
    return ", ".join(f"{key} = {format_value(flat[key])}" for key in keys)


def with_fix(config: ExperimentConfig, finding_id: str, fix: dict[str, Any]) -> ExperimentConfig:
    """`config` with a finding's fix applied (same seeds), named and described as that fix."""
    fixed = apply_overrides(config, fix)
    changed = config_diff([config, fixed])
    return apply_overrides(fixed, {
        **NOT_A_PRESET,
        "meta.name": f"{config.name} + fix for {finding_id}",
        "meta.description": f"{config.name} with the fix for {finding_id}: {settings_text(fixed, changed)}.",
    })


def edited(config: ExperimentConfig, original: ExperimentConfig) -> ExperimentConfig:
    """`config`, changed by hand from `original` (a preset or a file): named for what changed, so that a
    sigmoid net at lr 5 is not shown as "Spiral, healthy". Unchanged settings give `config` back."""
    changed = config_diff([original, config])
    if not changed or config.name != original.name:  # nothing changed, or the user named it already
        return config
    shown = ", ".join(changed[:EDITED_KEYS_NAMED]) + (", ..." if len(changed) > EDITED_KEYS_NAMED else "")
    return apply_overrides(config, {
        **NOT_A_PRESET,
        "meta.name": f"{original.name} (edited: {shown})",
        "meta.description": f"{original.name} with {settings_text(config, changed)} set by hand.",
    })


def twin(config: ExperimentConfig) -> ExperimentConfig:
    """The same experiment with the same seeds, named so that its run tells apart from the original's."""
    name = config.name if config.name.endswith(TWIN_SUFFIX) else config.name + TWIN_SUFFIX
    return apply_overrides(config, {"meta.name": name})
