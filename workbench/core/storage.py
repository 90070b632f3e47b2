"""Run directories (CONTRACTS.md section 3): written as training goes, read back into a RunHistory.

summary.json and metrics.csv are rewritten whole and atomically (temp file + rename) at every epoch end,
so a killed process leaves a readable run. steps.csv is appended (a torn last line is skipped on load).
For 2-D datasets boundary.npz (the last decision grid and the training points) is written at the end.
If the directory cannot be written, training goes on in memory; `save_run` writes it elsewhere later.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import os
import re
import socket
import tempfile
import time
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from workbench.core.callbacks import Callback
from workbench.core.config import ConfigError, ExperimentConfig, load_experiment, to_toml
from workbench.core.diagnosis.finding import Finding
from workbench.core.history import EPOCH_COLUMNS, InputStats, LayerInfo, RunHistory
from workbench.core.history_store import HistoryStore

if TYPE_CHECKING:
    from workbench.core.engine import Run

SUMMARY = "summary.json"
CONFIG = "config.toml"
METRICS = "metrics.csv"
STEPS = "steps.csv"
ACTIVATIONS = "activations.csv"
BOUNDARY = "boundary.npz"  # 2-D datasets: the last decision grid and the training points (numpy, no pickle)
PROBE_SERIES = ("grad_norm", "weight_norm", "update_ratio")
ACTIVATION_SERIES = ("dead_share", "saturated_share", "act_mean", "act_std")


# -- paths ------------------------------------------------------------------------------------------
def runs_root() -> Path:
    from platformdirs import user_data_dir

    return Path(os.environ.get("WORKBENCH_RUNS_DIR") or Path(user_data_dir("workbench")) / "runs")


def slug(name: str) -> str:
    """A file-name-safe form of a run name: `../../x` becomes `x`, never a path out of the runs folder."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip(".-")
    return cleaned[:60] or "run"


def new_run_dir(name: str, root: Path | None = None) -> Path:
    root = root or runs_root()
    stamp = time.strftime("%Y%m%d-%H%M%S")
    candidate = root / f"{stamp}-{slug(name)}"
    suffix = 1
    while candidate.exists():
        suffix += 1
        candidate = root / f"{stamp}-{slug(name)}-{suffix}"
    return candidate


# -- atomic writes ----------------------------------------------------------------------------------
def write_text_atomic(path: Path, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))


def write_bytes_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _json_safe(value: Any) -> Any:
    """NaN/inf become null: summary.json stays valid JSON for every reader."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    if isinstance(value, np.generic):
        return _json_safe(value.item())
    return value


# -- summary ----------------------------------------------------------------------------------------
def build_summary(run: Run) -> dict[str, Any]:
    history = run.history
    best_epoch = history.best_epoch() if history else None
    best = {}
    if best_epoch is not None:
        row = history.epochs.view()[best_epoch - 1]
        best = {"epoch": best_epoch, "val_loss": row[EPOCH_COLUMNS.index("val_loss")],
                "val_acc": row[EPOCH_COLUMNS.index("val_acc")]}
    final = dict(run.final_metrics)
    if not final and history is not None and len(history.epochs):
        final = dict(zip(("train_loss", "train_acc", "val_loss", "val_acc"),
                         history.epochs.view()[-1, 2:6].tolist(), strict=True))
    summary = {
        "name": run.config.name,
        "status": run.status,
        "device": run.device_name,
        "epochs_run": history.epochs_run if history else 0,
        "steps": history.steps if history else 0,
        "duration_s": round(time.time() - run.started_at if run.status == "running" else run.duration_s, 3),
        "samples_per_s": round(run.samples_per_s, 1),
        "final": final,
        "best": best,
        "diagnosis": [finding.to_dict() for finding in run.findings],
        "config": run.config.model_dump(),
        # additions beyond CONTRACTS.md's example: enough to rebuild the history and to spot dead writers
        "error": run.error,
        "events": history.events if history else [],
        "started_at": run.started_at,
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "history": _history_scalars(history) if history else None,
    }
    return _json_safe(summary)


def _history_scalars(history: RunHistory) -> dict[str, Any]:
    return {
        "layers": [asdict(layer) for layer in history.layers],
        "n_classes": history.n_classes,
        "steps_per_epoch": history.steps_per_epoch,
        "initial_loss": history.initial_loss,
        "input_stats": asdict(history.input_stats) if history.input_stats else None,
        "train_label_disagreement": history.train_label_disagreement,
        "test_loss": history.test_loss,
        "test_acc": history.test_acc,
        "batch_label_diversity": history.batch_label_diversity.view().tolist(),
        "class_recall": history.class_recall.view().tolist(),
    }


# -- writing ----------------------------------------------------------------------------------------
def _csv_text(header: list[str], rows) -> str:
    lines = [",".join(header)]
    lines += [",".join(_cell(v) for v in row) for row in rows]
    return "\n".join(lines) + "\n"


def _cell(value: float) -> str:
    if value != value:  # NaN: an empty cell
        return ""
    return repr(int(value)) if float(value).is_integer() and abs(value) < 2**53 else repr(float(value))


def _step_header(history: RunHistory) -> list[str]:
    return ["step", "loss"] + [f"{series}:{name}" for series in PROBE_SERIES for name in history.layer_names]


def _step_rows(history: RunHistory, start: int, end: int):
    """steps.csv rows for step_loss rows [start, end): probe columns filled at probe steps only."""
    losses = history.step_loss.view()[start:end]
    probe_steps = history.probe_steps.view()[:, 0]
    probe_values = np.hstack([getattr(history, series).view() for series in PROBE_SERIES])
    probe_at = dict(zip(probe_steps.astype(int).tolist(), range(len(probe_steps)), strict=False))
    blank = [math.nan] * probe_values.shape[1]
    for step, loss in losses:
        index = probe_at.get(int(step))
        yield [step, loss, *(probe_values[index] if index is not None else blank)]


def _activation_text(history: RunHistory) -> str:
    header = ["step"] + [f"{series}:{name}" for series in ACTIVATION_SERIES for name in history.layer_names]
    values = np.hstack([history.activation_steps.view()]
                       + [getattr(history, series).view() for series in ACTIVATION_SERIES])
    return _csv_text(header, values)


def write_epoch_files(run: Run, directory: Path) -> None:
    """The small files, rewritten whole: summary.json last, so it never points at missing data."""
    history = run.history
    write_text_atomic(directory / METRICS, _csv_text(list(EPOCH_COLUMNS), history.epochs.view()))
    write_text_atomic(directory / ACTIVATIONS, _activation_text(history))
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


def _read_boundary(path: Path, history: RunHistory) -> None:
    """The decision grid and training points back into `history`; a damaged file only loses the view."""
    try:
        with np.load(path, allow_pickle=False) as arrays:
            grid = (tuple(arrays["x_range"].tolist()), tuple(arrays["y_range"].tolist()), arrays["probabilities"])
            points = (arrays["inputs"], arrays["labels"]) if "inputs" in arrays else None
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as error:
        history.events.append(f"{BOUNDARY} unreadable, the decision boundary is not shown ({error})")
        return
    history.decision_grid, history.training_points = grid, points


def save_run(run: Run, directory: Path) -> None:
    """Write a whole run (for example one trained in memory after a disk error) to a new directory."""
    directory.mkdir(parents=True, exist_ok=True)
    write_text_atomic(directory / CONFIG, to_toml(run.config))
    history = run.history
    rows = _step_rows(history, 0, len(history.step_loss))
    write_text_atomic(directory / STEPS, _csv_text(_step_header(history), rows))
    write_boundary(history, directory)
    write_epoch_files(run, directory)


class RunWriter(Callback):
    """Keeps the run directory current; on the first OSError it warns once and lets training go on."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self.failed: str = ""
        self._steps_written = 0
        self._steps_file = None

    def _guard(self, run: Run, action) -> None:
        if self.failed:
            return
        try:
            action()
        except OSError as error:
            self.failed = run.save_problem = (
                f"cannot write the run directory {self.directory}: {error.strerror or error}")
            run.history.events.append(self.failed + "; training goes on in memory (save the run elsewhere)")
            self._close()

    def on_fit_start(self, run: Run) -> None:
        def start():
            self.directory.mkdir(parents=True, exist_ok=True)
            write_text_atomic(self.directory / CONFIG, to_toml(run.config))
            self._steps_file = open(self.directory / STEPS, "w", encoding="utf-8", newline="")  # noqa: SIM115
            self._steps_file.write(",".join(_step_header(run.history)) + "\n")
            write_epoch_files(run, self.directory)

        self._guard(run, start)

    def _append_steps(self, run: Run) -> None:
        history = run.history
        end = len(history.step_loss)
        # probe columns of the newest rows may still be due: only write rows up to the last probe step
        if len(history.probe_steps) and run.status == "running":
            last_probe = history.probe_steps.view()[-1, 0]
            end = int(np.searchsorted(history.step_loss.view()[:, 0], last_probe, side="right"))
        if end > self._steps_written and self._steps_file:
            rows = _step_rows(history, self._steps_written, end)
            self._steps_file.write("".join(",".join(_cell(v) for v in row) + "\n" for row in rows))
            self._steps_file.flush()
            self._steps_written = end

    def on_epoch_end(self, run: Run, epoch: int) -> None:
        self._guard(run, lambda: (self._append_steps(run), write_epoch_files(run, self.directory)))

    def on_fit_end(self, run: Run) -> None:
        def end():
            self._append_steps(run)
            write_boundary(run.history, self.directory)
            write_epoch_files(run, self.directory)

        self._guard(run, end)
        self._close()

    def _close(self) -> None:
        if self._steps_file:
            with contextlib.suppress(OSError):
                self._steps_file.close()
            self._steps_file = None


# -- reading ----------------------------------------------------------------------------------------
@dataclass
class LoadedRun:
    """A run directory read back: what the CLI, the runs list and the comparison use. Its history is
    read on first use when it was loaded without (`load_run(..., with_history=False)`) or evicted."""

    directory: Path
    summary: dict[str, Any]
    config: ExperimentConfig | None
    history_store: HistoryStore
    findings: list[Finding] = field(default_factory=list)
    warning: str = ""  # why parts could not be read; the run is still listed

    @property
    def history(self) -> RunHistory | None:
        history = self.history_store.get()
        if self.history_store.read_problem and not self.warning:
            self.warning = self.history_store.read_problem
        return history

    @property
    def history_resident(self) -> bool:
        return self.history_store.resident

    def evict_history(self) -> bool:
        return self.history_store.evict(self.directory)

    @property
    def name(self) -> str:
        return self.summary.get("name") or self.directory.name

    @property
    def status(self) -> str:
        return self.summary.get("status", "unknown")


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def _read_csv(path: Path) -> tuple[list[str], np.ndarray]:
    """Header and numeric rows; torn or malformed lines (a killed writer) are skipped."""
    with open(path, encoding="utf-8", newline="") as stream:
        reader = csv.reader(stream)
        header = next(reader, [])
        rows = []
        for row in reader:
            if len(row) != len(header):
                continue
            try:
                rows.append([float(cell) if cell else math.nan for cell in row])
            except ValueError:
                continue
    return header, np.asarray(rows, dtype=float).reshape(-1, len(header))


def load_run(directory: str | Path, *, with_history: bool = True) -> LoadedRun:
    """Read a run directory; never raises for a damaged run: what fails is named in `warning`. Without
    history, only summary.json and config.toml are read now, the history when first used."""
    directory = Path(directory)
    problems: list[str] = []
    try:
        summary = json.loads((directory / SUMMARY).read_text(encoding="utf-8"))
        if not isinstance(summary, dict):
            raise ValueError("not a JSON object")
    except (OSError, ValueError) as error:
        summary = {"name": directory.name, "status": "unknown"}
        problems.append(f"summary.json unreadable ({error})")
    if summary.get("status") == "running" and not (
        summary.get("host") == socket.gethostname() and _process_alive(int(summary.get("pid", -1)))
    ):
        summary["status"] = "interrupted"
    config = None
    try:
        config = load_experiment(directory / CONFIG)
    except ConfigError as error:
        problems.append(f"config.toml unusable ({'; '.join(error.problems)})")
    findings = []
    for raw in summary.get("diagnosis") or []:
        try:
            findings.append(Finding.from_dict(raw))
        except TypeError:
            problems.append("a diagnosis entry is malformed")
    history = HistoryStore(read_from=None if with_history else directory)
    if with_history:
        try:
            history.set(_load_history(directory, summary))
        except (OSError, ValueError, KeyError, TypeError) as error:
            problems.append(f"history unreadable ({error})")
    return LoadedRun(directory, summary, config, history, findings, "; ".join(problems))


def load_history(directory: str | Path) -> RunHistory:
    """The history recorded in a run directory (an evicted run's, read back). Raises OSError /
    ValueError when it cannot be read."""
    directory = Path(directory)
    return _load_history(directory, json.loads((directory / SUMMARY).read_text(encoding="utf-8")))


def _load_history(directory: Path, summary: dict[str, Any]) -> RunHistory:
    scalars = summary.get("history") or {}
    layers = [LayerInfo(**layer) for layer in scalars["layers"]]
    history = RunHistory(layers=layers, n_classes=int(scalars["n_classes"]),
                         steps_per_epoch=int(scalars["steps_per_epoch"]))
    none_nan = lambda value: math.nan if value is None else float(value)  # noqa: E731
    history.initial_loss = none_nan(scalars.get("initial_loss"))
    history.train_label_disagreement = none_nan(scalars.get("train_label_disagreement"))
    history.test_loss = none_nan(scalars.get("test_loss"))
    history.test_acc = none_nan(scalars.get("test_acc"))
    if scalars.get("input_stats"):
        history.input_stats = InputStats(**scalars["input_stats"])
    for key in ("batch_label_diversity", "class_recall"):
        rows = scalars.get(key) or []
        if rows:
            getattr(history, key).extend([[math.nan if v is None else v for v in row] for row in rows])
    history.status = summary.get("status", "unknown")
    history.events = list(summary.get("events") or [])
    _, metrics = _read_csv(directory / METRICS)
    history.epochs.extend(metrics)
    n = len(layers)
    if (directory / STEPS).exists():
        _, steps = _read_csv(directory / STEPS)
        history.step_loss.extend(steps[:, :2])
        probed = steps[~np.isnan(steps[:, 2])] if steps.shape[1] > 2 else steps[:0]
        history.probe_steps.extend(probed[:, :1])
        for offset, series in enumerate(PROBE_SERIES):
            getattr(history, series).extend(probed[:, 2 + offset * n : 2 + (offset + 1) * n])
    if (directory / BOUNDARY).exists():
        _read_boundary(directory / BOUNDARY, history)
    if (directory / ACTIVATIONS).exists():
        _, activations = _read_csv(directory / ACTIVATIONS)
        history.activation_steps.extend(activations[:, :1])
        for offset, series in enumerate(ACTIVATION_SERIES):
            getattr(history, series).extend(activations[:, 1 + offset * n : 1 + (offset + 1) * n])
    return history


def list_runs(root: Path | None = None, *, with_history: bool = True) -> list[LoadedRun]:
    """Every run directory under root, newest first; damaged ones are included with a warning."""
    root = root or runs_root()
    if not root.is_dir():
        return []
    return [load_run(path, with_history=with_history) for path in sorted(root.iterdir(), reverse=True)
            if path.is_dir() and ((path / SUMMARY).exists() or (path / CONFIG).exists())]
