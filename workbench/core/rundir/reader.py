"""Reading run directories back. Nothing here raises for a damaged run: every file and field is checked
(summary.json through its schema, the CSV files against the columns the run's layers give) and what
cannot be used is named in the run's `warning`, so one damaged run never hides the others."""

from __future__ import annotations

import csv
import io
import json
import math
import os
import socket
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import ValidationError

from workbench.core.diagnosis.finding import Finding
from workbench.core.experiment.config import ConfigError, ExperimentConfig, load_experiment
from workbench.core.files import open_regular_file, read_regular_text
from workbench.core.history import EPOCH_COLUMNS, TIMING_COLUMNS, RunHistory
from workbench.core.i18n import _
from workbench.core.rundir.distribution_files import read_distribution_files
from workbench.core.rundir.events_file import read_changes
from workbench.core.rundir.history_store import READ_ERRORS, HistoryStore
from workbench.core.rundir.layout import (
    ACTIVATIONS,
    BOUNDARY,
    CONFIG,
    EVENTS,
    METRICS,
    STEPS,
    SUMMARY,
    TIME_STEPS,
    TIMINGS,
    looks_like_run_dir,
    runs_root,
)
from workbench.core.rundir.summary import FixFor, HistoryScalars, read_summary
from workbench.core.rundir.time_steps_file import read_time_steps
from workbench.core.rundir.writer import ACTIVATION_SERIES, PROBE_SERIES, activation_header, step_header
from workbench.core.status import RunStatus

# summary.json holds scalars and a row per epoch; a file past this size is not one Workbench wrote.
MAX_SUMMARY_BYTES = 64_000_000


@dataclass
class LoadedRun:
    """A run directory read back: what the CLI, the runs list and the comparison use. Its history is
    read on first use when it was loaded without (`load_run(..., with_history=False)`) or evicted."""

    directory: Path
    summary: dict[str, Any]
    config: ExperimentConfig | None
    history_store: HistoryStore
    findings: list[Finding] = field(default_factory=list)
    problem: str = ""  # why parts could not be read; the run is still listed
    testing: None = None  # a run read back tests no fixes (RunRecord.testing)

    @property
    def history(self) -> RunHistory | None:
        history = self.history_store.get()
        if self.history_store.read_problem and self.history_store.read_problem not in self.problem:
            self.problem = "; ".join(filter(None, (self.problem, self.history_store.read_problem)))
        return history

    @property
    def history_resident(self) -> bool:
        return self.history_store.resident

    def evict_history(self) -> bool:
        return self.history_store.evict(self.directory)

    @property
    def name(self) -> str:
        return self.summary["name"] or self.directory.name

    @property
    def status(self) -> RunStatus:
        return RunStatus(self.summary["status"])

    @property
    def started_at(self) -> float | None:
        return self.summary["started_at"]

    @property
    def best(self) -> dict:
        return self.summary["best"]

    @property
    def fix_for(self) -> FixFor | None:
        return FixFor.from_summary(self.summary)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError, OverflowError):
        return True
    return True


def _read_csv(path: Path, expected_header: list[str]) -> np.ndarray:
    """The numeric rows of a CSV file with exactly these columns; torn or malformed lines (a killed
    writer) are skipped. ValueError when the columns are not the expected ones."""
    with open_regular_file(path) as binary, io.TextIOWrapper(binary, encoding="utf-8", newline="") as stream:
        reader = csv.reader(stream)
        header = next(reader, [])
        if header != expected_header:
            columns = ", ".join(header[:4]) + (", ..." if len(header) > 4 else "") if header else _("none")
            raise ValueError(_("{file} has columns {columns}, not the ones this run recorded").format(
                file=path.name, columns=columns))
        rows = []
        for row in reader:
            if len(row) != len(header):
                continue
            try:
                rows.append([float(cell) if cell else math.nan for cell in row])
            except ValueError:
                continue
    return np.asarray(rows, dtype=float).reshape(-1, len(expected_header))


def load_run(directory: str | Path, *, with_history: bool = True) -> LoadedRun:
    """Read a run directory; never raises for a damaged run: what fails is named in `problem`. Without
    history, only summary.json and config.toml are read now, the history when first used."""
    directory = Path(directory)
    problems: list[str] = []
    try:
        raw = json.loads(read_regular_text(directory / SUMMARY, MAX_SUMMARY_BYTES))
    except READ_ERRORS as error:
        raw = {"name": directory.name}
        problems.append(_("summary.json unreadable ({error})").format(error=error))
    summary, field_problems = read_summary(raw)
    problems += field_problems
    if summary["status"] == RunStatus.RUNNING and not (
        summary["host"] == socket.gethostname() and summary["pid"] is not None and _process_alive(summary["pid"])
    ):
        summary["status"] = RunStatus.INTERRUPTED.value
    config = None
    try:
        config = load_experiment(directory / CONFIG)
    except ConfigError as error:
        problems.append(_("config.toml unusable ({problems})").format(problems="; ".join(error.problems)))
    findings = []
    for raw_finding in summary["diagnosis"]:
        try:
            findings.append(Finding.from_dict(raw_finding))
        except TypeError:
            problems.append(_("summary.json: a diagnosis entry is malformed"))
    history = HistoryStore(load_history, read_from=None if with_history else directory)
    if with_history:
        try:
            history.set(_load_history(directory, summary))
        except READ_ERRORS as error:
            problems.append(_("history unreadable ({error})").format(error=error))
    return LoadedRun(directory, summary, config, history, findings, "; ".join(problems))


def load_history(directory: str | Path) -> RunHistory:
    """The history recorded in a run directory (an evicted run's, read back). Raises one of READ_ERRORS
    when it cannot be read."""
    directory = Path(directory)
    summary, _problems = read_summary(json.loads(read_regular_text(directory / SUMMARY, MAX_SUMMARY_BYTES)))
    return _load_history(directory, summary)


def _load_history(directory: Path, summary: dict[str, Any]) -> RunHistory:
    if summary["history"] is None:
        raise ValueError(_("summary.json holds no history"))
    try:
        scalars = HistoryScalars.model_validate(summary["history"])
    except ValidationError as error:
        detail = error.errors()[0]
        raise ValueError(f"summary.json: history.{'.'.join(map(str, detail['loc']))}: {detail['msg']}") from None
    history = RunHistory(layers=scalars.layer_infos(), n_classes=scalars.n_classes,
                         steps_per_epoch=scalars.steps_per_epoch)
    none_nan = lambda value: math.nan if value is None else float(value)  # noqa: E731
    history.initial_loss = none_nan(scalars.initial_loss)
    history.train_label_disagreement = none_nan(scalars.train_label_disagreement)
    history.test_loss, history.test_acc = none_nan(scalars.test_loss), none_nan(scalars.test_acc)
    history.val_count, history.test_count = scalars.val_count, scalars.test_count
    history.input_stats = scalars.input_statistics()
    history.balanced_training = scalars.balanced_training
    for key in ("batch_label_diversity", "doubted_labels", "class_recall"):
        rows = getattr(scalars, key)
        if rows:
            getattr(history, key).extend([[none_nan(v) for v in row] for row in rows])
    history.status = summary["status"]
    history.events = list(summary["events"])
    history.epochs.extend(_read_csv(directory / METRICS, list(EPOCH_COLUMNS)))
    _read_timings(directory / TIMINGS, history)
    n = len(history.layers)
    if (directory / STEPS).exists():
        steps = _read_csv(directory / STEPS, step_header(history.layer_names))
        history.step_loss.extend(steps[:, :2])
        probed = steps[~np.isnan(steps[:, 2])] if steps.shape[1] > 2 else steps[:0]
        history.probe_steps.extend(probed[:, :1])
        for offset, series in enumerate(PROBE_SERIES):
            getattr(history, series).extend(probed[:, 2 + offset * n : 2 + (offset + 1) * n])
    if (directory / BOUNDARY).exists():
        _read_boundary(directory / BOUNDARY, history)
    read_distribution_files(directory, history)
    read_time_steps(directory / TIME_STEPS, history)
    history.changes, events_problem = read_changes(directory / EVENTS)
    fork_epoch = summary["fork_epoch"]
    if fork_epoch is not None and fork_epoch <= len(history.epochs):  # where the parent's records end
        history.start_step = int(history.epochs.view()[fork_epoch - 1, EPOCH_COLUMNS.index("step")])
    if events_problem:  # a damaged events.csv only loses the change marks
        history.events.append(events_problem)
    if (directory / ACTIVATIONS).exists():
        activations = _read_csv(directory / ACTIVATIONS, activation_header(history.layer_names))
        history.activation_steps.extend(activations[:, :1])
        for offset, series in enumerate(ACTIVATION_SERIES):
            getattr(history, series).extend(activations[:, 1 + offset * n : 1 + (offset + 1) * n])
    return history


def _read_timings(path: Path, history: RunHistory) -> None:
    """timings.csv into the history; a run made before it has none, a damaged one only loses the Speed view."""
    if not path.exists():
        return
    try:
        history.timings.extend(_read_csv(path, list(TIMING_COLUMNS)))
    except READ_ERRORS as error:
        history.events.append(_("{file} unreadable, the Speed view is empty ({reason})").format(
            file=path.name, reason=error))


def _read_boundary(path: Path, history: RunHistory) -> None:
    """The decision grid and training points back into `history`; a damaged file only loses the view."""
    try:
        with open_regular_file(path) as stream, np.load(stream, allow_pickle=False) as arrays:
            x_range, y_range = (tuple(float(v) for v in arrays[key].reshape(2)) for key in ("x_range", "y_range"))
            probabilities = np.asarray(arrays["probabilities"], dtype=float)
            if probabilities.ndim != 3:
                raise ValueError(_("probabilities have {count} dimensions, not 3").format(count=probabilities.ndim))
            points = None
            if "inputs" in arrays:
                points = (np.asarray(arrays["inputs"], dtype=float), np.asarray(arrays["labels"]))
                if points[0].ndim != 2 or points[0].shape[1] != 2 or len(points[1]) != len(points[0]):
                    raise ValueError(_("the training points do not match their labels"))
    except READ_ERRORS as error:
        history.events.append(_("{file} unreadable, the decision boundary is not shown ({error})").format(
            file=BOUNDARY, error=error))
        return
    history.decision_grid, history.training_points = (x_range, y_range, probabilities), points


def list_runs(root: Path | None = None, *, with_history: bool = True) -> list[LoadedRun]:
    """Every run directory under root, newest first; damaged ones are included with a warning. Hidden
    folders (a previous run moved aside while a new one replaces it) are not runs to list."""
    root = root or runs_root()
    try:
        entries = sorted(root.iterdir(), reverse=True)
    except OSError:
        return []
    return [load_run(path, with_history=with_history) for path in entries
            if not path.name.startswith(".") and looks_like_run_dir(path)]
