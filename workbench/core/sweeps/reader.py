"""A sweep directory read back (the app's Sweep view, File → Open sweep): the plan expanded again from
sweep.json's base experiment and [sweep] table, each trial's result from its run directory (sweep.json's
entry for a trial without one: pending, or failed before it trained), and each trial's validation curve.

A folder that is not a sweep, or a sweep.json that cannot be used, is one sentence (SweepError); a damaged
trial is read as far as it goes, as any run is (rundir/reader.py).
"""

from __future__ import annotations

import csv
import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from workbench.core.experiment.config import ConfigError, experiment_from_dict
from workbench.core.files import read_regular_text
from workbench.core.i18n import _
from workbench.core.rundir.layout import METRICS, SUMMARY, SWEEP
from workbench.core.status import RunStatus
from workbench.core.sweeps.errors import SweepError
from workbench.core.sweeps.plan import SweepPlan, expand
from workbench.core.sweeps.results import FORMAT, TrialResult

MAX_SWEEP_BYTES = 64_000_000  # sweep.json holds a row per trial; a bigger file is not one Workbench wrote
EPOCH, VAL_ACC = "epoch", "val_acc"  # metrics.csv columns (history.EPOCH_COLUMNS), found by name


@dataclass
class LoadedSweep:
    directory: Path
    plan: SweepPlan
    results: list[TrialResult]  # in the plan's order


def load_sweep(directory: str | Path) -> LoadedSweep:
    """Read a sweep directory; SweepError (one sentence) when it holds no sweep that can be shown."""
    directory = Path(directory)
    if not (directory / SWEEP).is_file():
        raise SweepError(_("{path} holds no Workbench sweep (no sweep.json); choose a folder a sweep wrote.").format(
            path=directory))
    try:
        document = json.loads(read_regular_text(directory / SWEEP, MAX_SWEEP_BYTES))
    except (OSError, ValueError) as error:
        raise SweepError(_("{path}: sweep.json cannot be read ({reason}).").format(
            path=directory, reason=getattr(error, "strerror", None) or error)) from None
    if not isinstance(document, dict) or not isinstance(document.get("base"), dict) or not isinstance(
            document.get("trials"), list):
        raise SweepError(_("{path}: sweep.json is damaged (it lacks the base experiment or the trials).").format(
            path=directory))
    if not isinstance(document.get("format"), int) or document["format"] > FORMAT:
        raise SweepError(_("{path}: sweep.json is of format {format}, which this Workbench cannot read; update "
                           "Workbench.").format(path=directory, format=document.get("format")))
    try:
        plan = expand(experiment_from_dict({**document["base"], "sweep": document.get("sweep") or {}}))
    except ConfigError as error:
        raise SweepError(_("{path}: the experiment in sweep.json is not valid: {problem}").format(
            path=directory, problem="; ".join(error.problems))) from None
    recorded = {entry.get("trial"): entry for entry in document["trials"] if isinstance(entry, dict)}
    return LoadedSweep(directory, plan, [_result(trial, directory, recorded.get(trial.id, {}))
                                         for trial in plan.trials])


def _result(trial, directory: Path, entry: dict) -> TrialResult:
    if (directory / trial.id / SUMMARY).is_file():
        return TrialResult.from_run_dir(trial, directory)
    if entry.get("status") == RunStatus.FAILED:  # before it trained: refused by its data, or its worker died
        return TrialResult(trial, RunStatus.FAILED.value, error=str(entry.get("error") or ""))
    return TrialResult(trial)  # not run yet, or its run directory is gone: it has no numbers to show


def validation_curve(run_dir: Path) -> np.ndarray:
    """(epoch, validation accuracy) per finished epoch of a run directory's metrics.csv, read while the run
    may still write it (a torn last line is skipped); an empty array when there is none yet."""
    rows = []
    try:
        with open(run_dir / METRICS, newline="", encoding="utf-8") as stream:
            reader = csv.reader(stream)
            header = next(reader, [])
            if not {EPOCH, VAL_ACC} <= set(header):
                return np.empty((0, 2))
            epoch_at, accuracy_at = header.index(EPOCH), header.index(VAL_ACC)
            for row in reader:
                if len(row) != len(header):
                    continue
                try:
                    accuracy = float(row[accuracy_at]) if row[accuracy_at] else math.nan
                    rows.append((float(row[epoch_at]), accuracy))
                except ValueError:
                    continue
    except (OSError, UnicodeDecodeError):
        return np.empty((0, 2))
    return np.asarray(rows, dtype=float).reshape(-1, 2)
