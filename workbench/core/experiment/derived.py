"""Experiments made from another one: the one-click fix, a preset edited by hand, a twin. Each gets a
name that says what it is and drops the parent's preset identity (its expected diagnosis, its cure, its
group and description), so that a cured run is never labelled, judged or exported as the failure.
"""

from __future__ import annotations

from typing import Any

from workbench.core.experiment.config import ExperimentConfig, apply_overrides
from workbench.core.experiment.values import config_diff, format_value
from workbench.core.i18n import _, catalogue_text

EDITED_KEYS_NAMED = 3  # an edited run's name lists this many changed keys, then "..."
NOT_A_PRESET = {"meta.expect": [], "meta.fixed_by": "", "meta.group": ""}


def settings_text(config: ExperimentConfig, keys: list[str]) -> str:
    flat = config.flat()
    return ", ".join(f"{key} = {format_value(flat[key])}" for key in keys)


def with_fix(config: ExperimentConfig, finding_id: str, fix: dict[str, Any]) -> ExperimentConfig:
    """`config` with a finding's fix applied (same seeds), named and described as that fix."""
    fixed = apply_overrides(config, fix)
    changed = config_diff([config, fixed])
    name = catalogue_text(config.name)  # names and descriptions in the language the app speaks
    return apply_overrides(fixed, {
        **NOT_A_PRESET,
        "meta.name": _("{name} + fix for {finding}").format(name=name, finding=finding_id),
        "meta.description": _("{name} with the fix for {finding}: {settings}.").format(
            name=name, finding=finding_id, settings=settings_text(fixed, changed)),
    })


def edited(config: ExperimentConfig, original: ExperimentConfig) -> ExperimentConfig:
    """`config`, changed by hand from `original` (a preset or a file): named for what changed, so that a
    sigmoid net at lr 5 is not shown as "Spiral, healthy". Unchanged settings give `config` back."""
    changed = config_diff([original, config])
    if not changed or config.name != original.name:  # nothing changed, or the user named it already
        return config
    shown = ", ".join(changed[:EDITED_KEYS_NAMED]) + (", ..." if len(changed) > EDITED_KEYS_NAMED else "")
    name = catalogue_text(original.name)
    return apply_overrides(config, {
        **NOT_A_PRESET,
        "meta.name": _("{name} (edited: {keys})").format(name=name, keys=shown),
        "meta.description": _("{name} with {settings} set by hand.").format(
            name=name, settings=settings_text(config, changed)),
    })


def twin(config: ExperimentConfig) -> ExperimentConfig:
    """The same experiment with the same seeds, named so that its run tells apart from the original's."""
    suffix = _("{name} (twin)").format(name="")  # " (twin)": the template holds only the suffix after the name
    name = config.name if config.name.endswith(suffix) else _("{name} (twin)").format(name=catalogue_text(config.name))
    return apply_overrides(config, {"meta.name": name})


# The settings a user may change while a run trains (training/steering.py applies them).
STEERABLE_KEYS = ("train.lr", "train.weight_decay", "model.dropout")


def settings_at(config: ExperimentConfig, changes, step: int) -> dict[str, float]:
    """The steerable settings in effect after optimizer step `step`: the starting configuration's, then
    each change (history.SettingChange: step, key, new) made by then. A learning-rate schedule's decay is
    not a setting: it is the scheduler's."""
    flat = config.flat()
    settings = {key: float(flat[key]) for key in STEERABLE_KEYS}
    for change in changes:
        if change.step <= step and change.key in settings:
            settings[change.key] = change.new
    return settings


def steered(config: ExperimentConfig, settings: dict[str, Any]) -> ExperimentConfig:
    """`config` with the settings a user steered while it trained (the values in effect at one step), as
    the starting configuration of a run that goes on from there."""
    flat = config.flat()
    return apply_overrides(config, {key: value for key, value in settings.items() if flat[key] != value})


def forked(config: ExperimentConfig, epoch: int, overrides: dict[str, Any]) -> ExperimentConfig:
    """The configuration of a run that continues `config`'s run from the end of `epoch` with `overrides`:
    named for where it branched and what it changed, never as the preset it came from."""
    changed_config = apply_overrides(config, overrides)
    changed = config_diff([config, changed_config])
    base, settings = catalogue_text(config.name), settings_text(changed_config, changed)
    if changed == ["train.epochs"] and changed_config.train.epochs > config.train.epochs:
        name = _("{name} (continued from epoch {epoch})").format(name=base, epoch=epoch)
    elif changed:
        name = _("{name} (from epoch {epoch}: {settings})").format(name=base, epoch=epoch, settings=settings)
    else:
        name = _("{name} (from epoch {epoch})").format(name=base, epoch=epoch)
    if changed:
        description = _("{name} continued from the end of epoch {epoch} with {settings}.").format(
            name=base, epoch=epoch, settings=settings)
    else:
        description = _("{name} continued from the end of epoch {epoch}.").format(name=base, epoch=epoch)
    return apply_overrides(changed_config, {**NOT_A_PRESET, "meta.name": name, "meta.description": description})
