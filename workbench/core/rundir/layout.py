"""The names of a run directory's files and of a sweep directory's, where run directories go, and how to
tell either from a folder of the user's own files."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

SUMMARY = "summary.json"
CONFIG = "config.toml"
METRICS = "metrics.csv"
STEPS = "steps.csv"
ACTIVATIONS = "activations.csv"
BOUNDARY = "boundary.npz"  # 2-D datasets: the last decision grid and the training points (numpy, no pickle)
HISTOGRAMS = "histograms.npz"  # per layer: weight, gradient, activation histograms (rundir/distribution_files.py)
CONFUSION = "confusion.npz"  # the validation confusion matrix of each epoch
EVENTS = "events.csv"  # settings steered while training: step, epoch, key, old, new
TIMINGS = "timings.csv"  # where each epoch's time went (history.TIMING_COLUMNS); runs before it have none
TIME_STEPS = "time_steps.csv"  # recurrent models: the gradient norm at each step of the sequence, per probe
MODEL = "model.pt"  # the trained weights: a state_dict (torch.save), read back with weights_only=True
LOCK = ".workbench.lock"  # held by the process writing the run; its pid inside, for the refusal message
RUN_FILES = frozenset({SUMMARY, CONFIG, METRICS, STEPS, ACTIVATIONS, BOUNDARY, EVENTS, HISTOGRAMS, CONFUSION,
                       TIMINGS, TIME_STEPS, MODEL, LOCK})
# A sweep directory: its two tables and a lock, beside one run directory per trial (CONTRACTS.md section 5)
SWEEP = "sweep.json"
SWEEP_TABLE = "sweep.csv"
SWEEP_FILES = frozenset({SWEEP, SWEEP_TABLE, LOCK})


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


def looks_like_run_dir(directory: Path) -> bool:
    """Holds a run's summary or config: what the runs list shows, damaged or not."""
    return directory.is_dir() and ((directory / SUMMARY).exists() or (directory / CONFIG).exists())


def holds_a_previous_run(directory: Path) -> bool:
    """A folder a new run may replace: a summary.json that Workbench wrote, and nothing but run files.
    A config.toml alone may be the user's own experiment file: it does not make a run."""
    import json

    try:
        summary = json.loads((directory / SUMMARY).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (isinstance(summary, dict) and {"status", "config"} <= summary.keys()
            and not foreign_entries(directory))


def holds_only_a_lock(directory: Path) -> bool:
    """Nothing but a run's lock: what a run killed before its first file leaves (a sweep's worker killed
    while its trial loaded the data)."""
    return [entry.name for entry in directory.iterdir()] == [LOCK] and (directory / LOCK).is_file()


def holds_a_sweep(directory: Path) -> bool:
    """A sweep.json that Workbench wrote: a folder `workbench sweep --resume` may go on with."""
    import json

    try:
        sweep = json.loads((directory / SWEEP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(sweep, dict) and {"format", "trials"} <= sweep.keys()


def holds_a_previous_sweep(directory: Path) -> bool:
    """A folder a new sweep may replace: a Workbench sweep.json, the sweep's files and run directories only."""
    return holds_a_sweep(directory) and not foreign_sweep_entries(directory)


def foreign_entries(directory: Path, own_files: frozenset[str] = RUN_FILES) -> list[str]:
    """What in `directory` a Workbench run (or, given SWEEP_FILES, a sweep) did not write: temporary files
    of an atomic write are ours; symlinks are never ours, whatever their name."""
    foreign = []
    for entry in directory.iterdir():
        ours = entry.name in own_files or (entry.name.startswith(".") and entry.name.endswith(".tmp"))
        if not ours or entry.is_symlink() or not entry.is_file():
            foreign.append(entry.name)
    return sorted(foreign)


def foreign_sweep_entries(directory: Path) -> list[str]:
    """What in a sweep directory is neither the sweep's files nor a trial's run directory."""
    return [name for name in foreign_entries(directory, SWEEP_FILES)
            if (directory / name).is_symlink() or not (directory / name).is_dir()
            or not (holds_a_previous_run(directory / name) or holds_only_a_lock(directory / name))]
