"""`time_steps.csv`: for recurrent models, how much of the loss gradient reached each step of the sequence
at each probe step (history.time_step_grad): the columns step, grad_norm:t1 ... grad_norm:tT. Rewritten
whole with the epoch files; a run without it (not recurrent, or from before the file existed) reads as
before, and a damaged file only loses this view."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import numpy as np

from workbench.core.files import open_regular_file
from workbench.core.history import GrowableArray, RunHistory
from workbench.core.i18n import _
from workbench.core.rundir.history_store import READ_ERRORS


def time_steps_header(steps: int) -> list[str]:
    return ["step", *(f"grad_norm:t{step}" for step in range(1, steps + 1))]


def time_steps_text(table: GrowableArray) -> str:
    rows = [",".join(time_steps_header(table.width - 1))]
    rows += [",".join([str(int(row[0])), *(repr(float(value)) for value in row[1:])]) for row in table.view()]
    return "\n".join(rows) + "\n"


def read_time_steps(path: Path, history: RunHistory) -> None:
    """history.time_step_grad from a time_steps.csv, when there is one; a damaged file is named in the
    history's events and its torn rows are skipped."""
    if not path.exists():
        return
    try:
        with open_regular_file(path) as binary, io.TextIOWrapper(binary, encoding="utf-8", newline="") as stream:
            reader = csv.reader(stream)
            header = next(reader, [])
            if len(header) < 2 or header != time_steps_header(len(header) - 1):
                raise ValueError(_("its columns are not step, grad_norm:t1, grad_norm:t2, ..."))
            rows = [values for values in (_numbers(row, len(header)) for row in reader) if values is not None]
    except (*READ_ERRORS, ValueError) as error:
        history.events.append(_("{file} unreadable ({error}): the gradient through time is not shown").format(
            file=path.name, error=error))
        return
    table = GrowableArray(len(header), max(1, len(rows)))
    table.extend(np.asarray(rows, dtype=float).reshape(-1, len(header)))
    history.time_step_grad = table


def _numbers(row: list[str], width: int) -> list[float] | None:
    if len(row) != width:
        return None
    try:
        values = [float(cell) for cell in row]
    except ValueError:
        return None
    return values if math.isfinite(values[0]) else None
