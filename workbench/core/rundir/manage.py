"""Renaming and deleting runs at the user's request (the app's runs list).

A run's name is its experiment's `meta.name`: a rename rewrites it in summary.json (where the reader takes
the name from) and in config.toml (what an exported script or a comparison reads), so that it survives a
relaunch and every file says the same. The settings stay as they were trained.

A deletion removes a run directory only when it holds a Workbench run and nothing else (the test a new run
applies before replacing a folder: layout.holds_a_previous_run), and then only the files a run writes, one
by one, before removing the emptied folder: a folder holding anything of the user's is never touched.
Neither happens to a run still training.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Protocol

from workbench.core.experiment.config import (
    ConfigError,
    ExperimentConfig,
    apply_overrides,
    load_experiment,
    to_toml,
)
from workbench.core.files import write_text_atomic
from workbench.core.i18n import _
from workbench.core.rundir.layout import CONFIG, RUN_FILES, SUMMARY, foreign_entries, holds_a_previous_run
from workbench.core.rundir.reader import LoadedRun
from workbench.core.status import RunStatus


class RunChangeRefused(Exception):
    """A rename or deletion that is not done; the message is one sentence saying why."""


class ManagedRun(Protocol):
    """What renaming and deleting need of a run (RunRecord, live or read back, satisfies it)."""

    config: ExperimentConfig | None

    @property
    def name(self) -> str: ...

    @property
    def directory(self) -> Path | None: ...

    @property
    def status(self) -> RunStatus: ...


def rename_run(run: ManagedRun, name: str) -> None:
    """Give the run a new name, in its files and in memory. RunChangeRefused when it cannot be."""
    name = " ".join(name.split())
    if not name:
        raise RunChangeRefused(_("A run needs a name; type one, or press Esc to keep {name}.").format(name=run.name))
    _refuse_while_training(run)
    directory = run.directory
    summary = _workbench_summary(directory) if directory is not None else None
    if summary is None:
        raise RunChangeRefused(_("{name} cannot be renamed: its folder holds no summary.json that Workbench "
                                 "wrote.").format(name=run.name))
    summary["name"] = name
    if isinstance(summary.get("config"), dict) and isinstance(summary["config"].get("meta"), dict):
        summary["config"]["meta"]["name"] = name
    write_text_atomic(directory / SUMMARY, json.dumps(summary, indent=2))
    try:
        config = load_experiment(directory / CONFIG)
    except ConfigError:
        config = None  # a damaged config.toml is left as it is: the name lives in summary.json
    if config is not None:
        write_text_atomic(directory / CONFIG, to_toml(apply_overrides(config, {"meta.name": name})))
    if run.config is not None:
        run.config = apply_overrides(run.config, {"meta.name": name})
    if isinstance(run, LoadedRun):  # a run read back takes its name from its summary
        run.summary["name"] = name


def delete_run(run: ManagedRun) -> None:
    """Delete the run's directory, when it is a Workbench run's and holds nothing else; a directory that
    is gone already needs nothing. RunChangeRefused (one sentence) otherwise."""
    _refuse_while_training(run)
    directory = run.directory
    if directory is None or not directory.exists():
        return
    if directory.is_symlink() or not holds_a_previous_run(directory):
        foreign = foreign_entries(directory) if directory.is_dir() and not directory.is_symlink() else []
        if foreign:
            raise RunChangeRefused(_("{path} is not deleted: it holds files that Workbench did not write "
                                     "({names}).").format(path=directory, names=", ".join(foreign[:3])))
        raise RunChangeRefused(_("{path} is not deleted: it holds no run that Workbench wrote.").format(
            path=directory))
    try:
        for entry in directory.iterdir():
            if entry.name in RUN_FILES or (entry.name.startswith(".") and entry.name.endswith(".tmp")):
                entry.unlink()
        directory.rmdir()  # only when empty: whatever appeared meanwhile stays, and says so
    except OSError as error:
        raise RunChangeRefused(_("{path} could not be deleted completely: {reason}.").format(
            path=directory, reason=error.strerror or error)) from None


def _refuse_while_training(run: ManagedRun) -> None:
    if run.status == RunStatus.RUNNING:
        raise RunChangeRefused(_("{name} is still training; stop it first.").format(name=run.name))


def _workbench_summary(directory: Path) -> dict | None:
    """summary.json as Workbench wrote it (a dict with its status and config), or None."""
    try:
        summary = json.loads((directory / SUMMARY).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return summary if isinstance(summary, dict) and {"status", "config"} <= summary.keys() else None
