"""Comparing run directories: aligned tables of their metrics, the settings that differ, and the files
`workbench compare` and the app's Export button write (.csv .json .png .svg .html).

The tables here feed every view of a comparison (the CSV, the JSON, the HTML report and the app's
Compare view), so they all show the same numbers under the same names.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from pathlib import Path
from typing import Any

from workbench.core.experiment.values import config_diff
from workbench.core.fix_outcome import FixOutcome, fix_outcome
from workbench.core.history import EPOCH_COLUMNS
from workbench.core.i18n import _, catalogue_text
from workbench.core.reports.text import status_words
from workbench.core.rundir.reader import LoadedRun, load_run

MISSING = "–"  # a metric a run does not have (no test set, stopped before its first epoch)
LARGE_LOSS = 1e6  # losses from this size on are written in scientific notation

# The per-run metric table's keys. final_* are measured after training (with the best weights restored when
# early stopping), best_* at the epoch of lowest validation loss.
METRIC_KEYS = ("status", "epochs_run", "final_train_loss", "final_train_acc", "final_val_loss", "final_val_acc",
               "final_test_acc", "best_epoch", "best_val_loss", "best_val_acc", "diagnosis")


def metric_titles() -> dict[str, str]:
    """METRIC_KEYS -> the column titles people read, in the current language."""
    return {"status": _("Status"), "epochs_run": _("Epochs"), "final_train_loss": _("Train loss"),
            "final_train_acc": _("Train acc"), "final_val_loss": _("Val loss"), "final_val_acc": _("Val acc"),
            "final_test_acc": _("Test acc"), "best_epoch": _("Best epoch"), "best_val_loss": _("Best val loss"),
            "best_val_acc": _("Best val acc"), "diagnosis": _("Diagnosis")}


class CompareError(Exception):
    """A comparison that cannot be made; the message is one sentence naming the run or file at fault."""


# -- loading --------------------------------------------------------------------------------------------
def load_for_comparison(run_dirs: list[Path]) -> list[LoadedRun]:
    """Every run directory read back; a missing or damaged one raises CompareError naming it."""
    if not run_dirs:
        raise CompareError(_("No run directories given; name at least one."))
    runs = []
    for directory in map(Path, run_dirs):
        if not directory.is_dir():
            raise CompareError(_("{path} is not a run directory (no such folder).").format(path=directory))
        run = load_run(directory)
        if run.config is None or run.history is None:
            raise CompareError(_("{path} cannot be compared: {problem}.").format(path=directory, problem=run.problem))
        runs.append(run)
    return runs


def run_labels(runs: list[LoadedRun]) -> list[str]:
    """The run names; a name shared by several runs gets its directory's name added, so legends differ."""
    counts = Counter(run.name for run in runs)
    return [run.name if counts[run.name] == 1 else f"{run.name} ({run.directory.name})" for run in runs]


def shown_labels(runs: list[LoadedRun]) -> list[str]:
    """run_labels as people read them (the app's Compare tab, the HTML report, the figures): a preset's name in
    the current language. The CSV and JSON files keep the names as written, as programs read them."""
    return [catalogue_text(label) for label in run_labels(runs)]


def display_value(value: Any) -> str:
    """A config value as the experiment file shows it, strings without quotes: 0.1, true, [64, 64], adam."""
    return value if isinstance(value, str) else json.dumps(value)


def config_differences(runs: list[LoadedRun]) -> dict[str, list[Any]]:
    """`table.key` -> its value in each run, for the keys whose values differ (meta excluded)."""
    configs = [run.config for run in runs]
    flats = [config.flat() for config in configs]
    return {key: [flat[key] for flat in flats] for key in config_diff(configs)}


# -- tables ---------------------------------------------------------------------------------------------
def fix_outcomes(runs: list[LoadedRun]) -> list[tuple[int, FixOutcome]]:
    """(index of the fix's run, what it did) for every compared run of a one-click fix whose original is compared
    too (summary.json's `fix_for`), in the runs' order; a fix whose original or own run has not ended is left out."""
    by_directory = {run.directory.resolve(): run for run in runs}
    outcomes = []
    for index, run in enumerate(runs):
        original = by_directory.get(run.fix_for.original.resolve()) if run.fix_for is not None else None
        outcome = fix_outcome(original, run, run.fix_for.finding) if original is not None else None
        if outcome is not None:
            outcomes.append((index, outcome))
    return outcomes


def comparison_table(runs: list[LoadedRun]) -> list[dict[str, Any]]:
    """Long format: one row per run per epoch, with the run's label, directory, the differing settings and
    the epoch's metrics (metrics.csv's columns)."""
    differences = config_differences(runs)
    rows = []
    for index, (run, label) in enumerate(zip(runs, run_labels(runs), strict=True)):
        settings = {key: values[index] for key, values in differences.items()}
        for epoch_row in run.history.epochs.view():
            metrics = dict(zip(EPOCH_COLUMNS, epoch_row.tolist(), strict=True))
            metrics["epoch"], metrics["step"] = int(metrics["epoch"]), int(metrics["step"])
            rows.append({"run": label, "directory": str(run.directory), **settings, **metrics})
    return rows


def metric_summary(run: LoadedRun) -> dict[str, Any]:
    """One row of the metric table (METRIC_KEYS) from the run's summary.json; None where absent."""
    final, best = run.summary.get("final") or {}, run.summary.get("best") or {}
    row: dict[str, Any] = {"status": run.status, "epochs_run": run.summary.get("epochs_run")}
    for name in ("train_loss", "train_acc", "val_loss", "val_acc", "test_acc"):
        row[f"final_{name}"] = final.get(name)
    for name in ("epoch", "val_loss", "val_acc"):
        row[f"best_{name}"] = best.get(name)
    row["diagnosis"] = [finding.id for finding in run.findings]
    return row


def format_metric(key: str, value: Any) -> str:
    """A cell of the metric table as people read it: accuracies in %, losses to 4 decimals."""
    if key == "diagnosis":
        return ", ".join(value) or _("healthy")
    if key == "status":
        return status_words(value)
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return MISSING
    if key.endswith("_acc"):
        return f"{value:.1%}"
    if key.endswith("_loss"):  # a diverged run's loss reaches 1e18: shown as 4.8e+18, not 19 digits
        return f"{value:.4f}" if abs(value) < LARGE_LOSS else f"{value:.2g}"
    return str(value)
