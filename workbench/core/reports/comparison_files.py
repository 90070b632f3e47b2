"""The files `workbench compare` and the app's Export button write: .csv (one row per run per epoch),
.json, .html (the report) and .png / .svg (overlaid curves). Nothing is written inside a compared run."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path
from typing import Any

from workbench.core.files import json_safe, write_bytes_atomic, write_text_atomic
from workbench.core.history import EPOCH_COLUMNS
from workbench.core.i18n import _
from workbench.core.reports.comparison import (
    CompareError,
    comparison_table,
    config_differences,
    display_value,
    load_for_comparison,
    run_labels,
)
from workbench.core.reports.comparison_confusion import confusion_csv_text, confusion_figure, confusion_path
from workbench.core.reports.comparison_figures import curves_figure, figure_bytes
from workbench.core.reports.comparison_html import html_report
from workbench.core.rundir.reader import LoadedRun

SUFFIXES = (".csv", ".json", ".png", ".svg", ".html")


def write_comparison(run_dirs: list[Path], out: Path) -> Path:
    """Write the comparison of `run_dirs` to `out`; its suffix chooses the format. A .csv or a figure gets the
    runs' validation confusion matrices beside it (comparison_confusion.py), when they have some."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in SUFFIXES:
        if suffix:
            problem = _("{path} has an unknown format ({suffix}); use one of {suffixes}.")
        else:
            problem = _("{path} has an unknown format (no suffix); use one of {suffixes}.")
        raise CompareError(problem.format(path=out, suffix=suffix, suffixes=", ".join(SUFFIXES)))
    runs = load_for_comparison(run_dirs)
    for run in runs:
        if out.resolve().is_relative_to(run.directory.resolve()):
            raise CompareError(_("{path} is inside the compared run {run}; write the comparison outside every run "
                                 "directory, so that no run is changed.").format(path=out, run=run.directory))
    try:
        if suffix == ".csv":
            write_text_atomic(out, csv_text(runs))
            if (confusion := confusion_csv_text(runs)) is not None:
                write_text_atomic(confusion_path(out), confusion)
        elif suffix == ".json":
            write_text_atomic(out, json.dumps(comparison_json(runs), indent=2))
        elif suffix == ".html":
            write_text_atomic(out, html_report(runs))
        else:
            write_bytes_atomic(out, figure_bytes(curves_figure(runs), suffix[1:]))
            if (figure := confusion_figure(runs)) is not None:
                write_bytes_atomic(confusion_path(out), figure_bytes(figure, suffix[1:]))
    except OSError as error:
        raise CompareError(_("Cannot write {path}: {reason}.").format(
            path=out, reason=error.strerror or error)) from None
    return out


def csv_text(runs: list[LoadedRun]) -> str:
    rows = comparison_table(runs)
    header = ["run", "directory", *config_differences(runs), *EPOCH_COLUMNS]
    stream = io.StringIO()
    writer = csv.DictWriter(stream, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: _csv_cell(value) for key, value in row.items()})
    return stream.getvalue()


def _csv_cell(value: Any) -> str:
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else ""
    return display_value(value)


def comparison_json(runs: list[LoadedRun]) -> dict[str, Any]:
    """The runs side by side: identity, metric table row, findings, full config and per-epoch metrics."""
    differences = config_differences(runs)
    entries = []
    for run, label in zip(runs, run_labels(runs), strict=True):
        epochs = run.history.epochs.view()
        entries.append({
            "label": label,
            "name": run.name,
            "directory": str(run.directory),
            "status": run.status,
            "final": run.summary.get("final") or {},
            "best": run.summary.get("best") or {},
            "epochs_run": run.summary.get("epochs_run"),
            "diagnosis": [finding.to_dict() for finding in run.findings],
            "config": run.config.flat(),
            "epochs": {column: [int(v) for v in epochs[:, index]] if column in ("epoch", "step")
                       else epochs[:, index].tolist() for index, column in enumerate(EPOCH_COLUMNS)},
        })
    return json_safe({"config_diff": differences, "runs": entries})
