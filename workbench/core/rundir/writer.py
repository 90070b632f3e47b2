"""Writing a run directory as training goes (`RunWriter`, a callback) or whole afterwards (`save_run`).

summary.json and metrics.csv are rewritten whole and atomically (temp file + rename) at every epoch end,
so a killed process leaves a readable run. steps.csv is appended (a torn last line is skipped on load).
For 2-D datasets boundary.npz (the last decision grid and the training points) is written at the end;
histograms.npz and confusion.npz at epoch ends (rundir/distribution_files.py says how often) and at the end.
If the directory cannot be written, training goes on in memory; `save_run` writes it elsewhere later.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
from pathlib import Path

import numpy as np

from workbench.core.experiment.config import to_toml
from workbench.core.files import open_for_append_no_follow, write_bytes_atomic, write_text_atomic
from workbench.core.history import EPOCH_COLUMNS, TIMING_COLUMNS, RunHistory
from workbench.core.hooks import Callback
from workbench.core.i18n import _
from workbench.core.rundir.claim import RunDirectory, RunDirError, claim_run_dir
from workbench.core.rundir.distribution_files import DistributionFiles, write_distribution_files
from workbench.core.rundir.events_file import events_text
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
)
from workbench.core.rundir.summary import RecordedRun, build_summary
from workbench.core.rundir.time_steps_file import time_steps_text
from workbench.core.status import RunStatus

PROBE_SERIES = ("grad_norm", "weight_norm", "update_ratio")
ACTIVATION_SERIES = ("dead_share", "saturated_share", "act_mean", "act_std")


def csv_text(header: list[str], rows) -> str:
    lines = [",".join(header)]
    lines += [",".join(_cell(v) for v in row) for row in rows]
    return "\n".join(lines) + "\n"


def _cell(value: float) -> str:
    if value != value:  # NaN: an empty cell
        return ""
    return repr(int(value)) if float(value).is_integer() and abs(value) < 2**53 else repr(float(value))


def step_header(layer_names: list[str]) -> list[str]:
    return ["step", "loss"] + [f"{series}:{name}" for series in PROBE_SERIES for name in layer_names]


def activation_header(layer_names: list[str]) -> list[str]:
    return ["step"] + [f"{series}:{name}" for series in ACTIVATION_SERIES for name in layer_names]


def _step_rows(history: RunHistory, start: int, end: int):
    """steps.csv rows for step_loss rows [start, end): probe columns filled at probe steps only."""
    losses = history.step_loss.view()[start:end]
    probe_steps = history.probe_steps.view()[:, 0]
    probe_values = np.hstack([getattr(history, series).view() for series in PROBE_SERIES])
    probe_at = dict(zip(probe_steps.astype(int).tolist(), range(len(probe_steps)), strict=True))
    blank = [math.nan] * probe_values.shape[1]
    for step, loss in losses:
        index = probe_at.get(int(step))
        yield [step, loss, *(probe_values[index] if index is not None else blank)]


def _activation_text(history: RunHistory) -> str:
    values = np.hstack([history.activation_steps.view()]
                       + [getattr(history, series).view() for series in ACTIVATION_SERIES])
    return csv_text(activation_header(history.layer_names), values)


def write_epoch_files(run: RecordedRun, directory: Path) -> None:
    """The small files, rewritten whole: summary.json last, so it never points at missing data."""
    history = run.history
    write_text_atomic(directory / METRICS, csv_text(list(EPOCH_COLUMNS), history.epochs.view()))
    write_text_atomic(directory / ACTIVATIONS, _activation_text(history))
    write_text_atomic(directory / TIMINGS, csv_text(list(TIMING_COLUMNS), history.timings.view()))
    if history.time_step_grad is not None:
        write_text_atomic(directory / TIME_STEPS, time_steps_text(history.time_step_grad))
    write_text_atomic(directory / EVENTS, events_text(history.changes))
    write_text_atomic(directory / SUMMARY, json.dumps(build_summary(run), indent=2))


def write_boundary(history: RunHistory, directory: Path) -> None:
    """2-D datasets: the last decision grid and the training points, as numpy arrays (no pickle)."""
    if history.decision_grid is None:
        return
    x_range, y_range, probabilities = history.decision_grid
    arrays = {"x_range": np.asarray(x_range), "y_range": np.asarray(y_range), "probabilities": probabilities}
    if history.training_points is not None:
        arrays["inputs"], arrays["labels"] = history.training_points
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    write_bytes_atomic(directory / BOUNDARY, buffer.getvalue())


def save_run(run: RecordedRun, directory: Path) -> None:
    """Write a whole run (for example one trained in memory after a disk error) to a new directory;
    RunDirError when the folder is not this run's to use, OSError when it cannot be written."""
    claim = claim_run_dir(directory)
    try:
        write_text_atomic(directory / CONFIG, to_toml(run.config))
        history = run.history
        rows = _step_rows(history, 0, len(history.step_loss))
        write_text_atomic(directory / STEPS, csv_text(step_header(history.layer_names), rows))
        write_boundary(history, directory)
        write_distribution_files(history, directory)
        write_epoch_files(run, directory)
    except BaseException:
        claim.release(keep=False)
        raise
    claim.release(keep=True)


class RunWriter(Callback):
    """Keeps the run directory current; on the first OSError it warns once and lets training go on."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self.failed: str = ""
        self._claim: RunDirectory | None = None
        self._steps_written = 0
        self._steps_file = None
        self._distributions = DistributionFiles()

    def _guard(self, run: RecordedRun, action) -> None:
        if self.failed:
            return
        try:
            action()
        except (OSError, RunDirError) as error:
            reason = error.strerror or error if isinstance(error, OSError) else error
            self.failed = run.problem = _("cannot write the run directory {path}: {reason}").format(
                path=self.directory, reason=reason)
            run.history.events.append(_("{problem}; training goes on in memory (save the run elsewhere)").format(
                problem=self.failed))
            self._close(keep=False)

    def on_fit_start(self, run: RecordedRun) -> None:
        def start():
            self._claim = claim_run_dir(self.directory)
            write_text_atomic(self.directory / CONFIG, to_toml(run.config))
            self._steps_file = open_for_append_no_follow(self.directory / STEPS, truncate=True)
            self._steps_file.write(",".join(step_header(run.history.layer_names)) + "\n")
            write_epoch_files(run, self.directory)

        self._guard(run, start)

    def _append_steps(self, run: RecordedRun) -> None:
        history = run.history
        end = len(history.step_loss)
        # probe columns of the newest rows may still be due: only write rows up to the last probe step
        if len(history.probe_steps) and run.status == RunStatus.RUNNING:
            last_probe = history.probe_steps.view()[-1, 0]
            end = int(np.searchsorted(history.step_loss.view()[:, 0], last_probe, side="right"))
        if end > self._steps_written and self._steps_file:
            rows = _step_rows(history, self._steps_written, end)
            self._steps_file.write("".join(",".join(_cell(v) for v in row) + "\n" for row in rows))
            self._steps_file.flush()
            self._steps_written = end

    def on_epoch_end(self, run: RecordedRun, epoch: int) -> None:
        self._guard(run, lambda: (self._append_steps(run), self._distributions.write(run.history, self.directory),
                                  write_epoch_files(run, self.directory)))

    def on_fit_end(self, run: RecordedRun) -> None:
        def end():
            self._append_steps(run)
            write_boundary(run.history, self.directory)
            self._distributions.write(run.history, self.directory, final=True)
            write_epoch_files(run, self.directory)

        self._guard(run, end)
        self._close(keep=not self.failed)

    def _close(self, *, keep: bool) -> None:
        """keep=False (the disk failed): the partial files go and a previous run in the folder comes back;
        the run itself is still in memory, to be saved elsewhere."""
        if self._steps_file:
            with contextlib.suppress(OSError):
                self._steps_file.close()
            self._steps_file = None
        if self._claim is not None:
            self._claim.release(keep=keep)
            self._claim = None
