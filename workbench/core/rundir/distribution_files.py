"""histograms.npz and confusion.npz (CONTRACTS.md section 5): a run's distributions as plain numpy arrays,
read back without pickle (`np.load(path, allow_pickle=False)`).

histograms.npz, S snapshots (step 0, then each epoch end) of L weight layers, K kinds, B bins:
    layers     (L,) str         the layers' names, the output layer last
    kinds      (K,) str         weights, gradients, preactivations, activations
    steps      (S,) int64       optimizer step of the snapshot (0 = before training)
    epochs     (S,) int64       epoch at whose end it was taken (0 = before training)
    low, high  (S, L, K) float  the range of that snapshot's B equal bins (NaN: no values); values beyond
                                it are counted in the first or last bin (core/distributions.py)
    minimum, maximum  (S, L, K) float  the smallest and largest finite value
    nonfinite  (S, L, K) int64  NaN or infinite values, in no bin
    counts     (S, L, K, B) int64
confusion.npz, one validation confusion matrix per epoch end over C classes:
    classes    (C,) str         the class names
    epochs     (E,) int64
    steps      (E,) int64
    matrices   (E, C, C) int64  row = true class, column = predicted class

Both are rewritten whole, atomically, at epoch ends (at most every REWRITE_INTERVAL_S) and at the end. A
damaged file only loses its view: the reader names it in the run's events and reads on.
"""

from __future__ import annotations

import io
import math
import time
from pathlib import Path

import numpy as np

from workbench.core.distributions import (
    BINS,
    CELL_ARRAYS,
    KINDS,
    confusion_row_width,
    decode_confusion,
    decode_histograms,
    encode_confusion_row,
    encode_histogram_row,
)
from workbench.core.files import open_regular_file, write_bytes_atomic
from workbench.core.history import RunHistory
from workbench.core.i18n import _
from workbench.core.rundir.history_store import READ_ERRORS
from workbench.core.rundir.layout import CONFUSION, HISTOGRAMS

# Each rewrite is the whole file, so rewriting at every epoch end of a long run would cost time quadratic
# in its epochs; a run killed meanwhile loses at most this much of them.
REWRITE_INTERVAL_S = 2.0
MAX_FILE_BYTES = 256_000_000  # far beyond what a run writes: anything larger is not a Workbench file


class DistributionFiles:
    """Keeps histograms.npz and confusion.npz of a run directory current while the run trains."""

    def __init__(self):
        self._written_at = -math.inf

    def write(self, history: RunHistory, directory: Path, *, final: bool = False) -> None:
        now = time.monotonic()
        if final or now - self._written_at >= REWRITE_INTERVAL_S:
            write_distribution_files(history, directory)
            self._written_at = now


def write_distribution_files(history: RunHistory, directory: Path) -> None:
    if len(history.histograms):
        snapshots = decode_histograms(history.histograms.view(), len(history.layers))
        _write_npz(directory / HISTOGRAMS, layers=np.array(history.layer_names, dtype=str),
                   kinds=np.array(KINDS, dtype=str), steps=snapshots.steps, epochs=snapshots.epochs,
                   **{key: getattr(snapshots, key) for key in CELL_ARRAYS[:-1]},
                   nonfinite=snapshots.nonfinite.astype(np.int64), counts=snapshots.counts.astype(np.int64))
    if len(history.confusion) and confusion_row_width(history.n_classes):
        confusion = decode_confusion(history.confusion.view(), history.n_classes)
        _write_npz(directory / CONFUSION, classes=np.array(_class_names(history), dtype=str),
                   epochs=confusion.epochs, steps=confusion.steps, matrices=confusion.matrices.astype(np.int64))


def _class_names(history: RunHistory) -> list[str]:
    names = history.class_names
    return list(names) if len(names) == history.n_classes else [str(index) for index in range(history.n_classes)]


def _write_npz(path: Path, **arrays: np.ndarray) -> None:
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    write_bytes_atomic(path, buffer.getvalue())


def read_distribution_files(directory: Path, history: RunHistory) -> None:
    """The snapshots of both files into `history` (whose layers and classes are known); a file that is
    missing is no problem, a damaged one is named in history.events and left out."""
    for name, reader in ((HISTOGRAMS, _read_histograms), (CONFUSION, _read_confusion)):
        path = directory / name
        if not path.exists():
            continue
        try:
            with open_regular_file(path, MAX_FILE_BYTES) as stream, np.load(stream, allow_pickle=False) as arrays:
                rows = reader(arrays, history)
        except READ_ERRORS as error:
            history.events.append(_("{file} unreadable, its view is empty ({reason})").format(file=name, reason=error))
            continue
        table = history.histograms if name == HISTOGRAMS else history.confusion
        table.extend(rows)


def _read_histograms(arrays, history: RunHistory) -> np.ndarray:
    layers = [str(name) for name in arrays["layers"]]
    if layers != history.layer_names:
        raise ValueError(f"layers {', '.join(layers[:4])} are not the ones this run recorded")
    if [str(kind) for kind in arrays["kinds"]] != list(KINDS):
        raise ValueError(f"kinds are not {', '.join(KINDS)}")
    steps, epochs = _vector(arrays, "steps"), _vector(arrays, "epochs")
    cells = (len(steps), len(layers), len(KINDS))
    cell_arrays = {key: _shaped(arrays, key, cells) for key in CELL_ARRAYS}
    counts = _shaped(arrays, "counts", (*cells, BINS))
    if len(epochs) != len(steps) or not all(np.isfinite(table).all() and (table >= 0).all()
                                            for table in (counts, cell_arrays["nonfinite"])):
        raise ValueError("counts are negative or the snapshots do not line up")
    return np.stack([encode_histogram_row(steps[i], epochs[i], {key: table[i] for key, table in cell_arrays.items()},
                                          counts[i])
                     for i in range(len(steps))]) if len(steps) else np.empty((0, history.histograms.width))


def _read_confusion(arrays, history: RunHistory) -> np.ndarray:
    classes = [str(name) for name in arrays["classes"]]
    if len(classes) != history.n_classes or not confusion_row_width(len(classes)):
        raise ValueError(f"{len(classes)} classes, not the {history.n_classes} this run has")
    epochs, steps = _vector(arrays, "epochs"), _vector(arrays, "steps")
    matrices = _shaped(arrays, "matrices", (len(epochs), len(classes), len(classes)))
    if len(steps) != len(epochs) or not (np.isfinite(matrices).all() and (matrices >= 0).all()):
        raise ValueError("counts are negative or the epochs do not line up")
    history.class_names = classes
    return np.stack([encode_confusion_row(epochs[i], steps[i], matrices[i])
                     for i in range(len(epochs))]) if len(epochs) else np.empty((0, history.confusion.width))


def _vector(arrays, key: str) -> np.ndarray:
    values = np.asarray(arrays[key], dtype=float)
    if values.ndim != 1 or not np.isfinite(values).all():
        raise ValueError(f"{key} is not a list of numbers")
    return values


def _shaped(arrays, key: str, shape: tuple[int, ...]) -> np.ndarray:
    values = np.asarray(arrays[key], dtype=float)
    if values.shape != shape:
        raise ValueError(f"{key} has shape {values.shape}, not {shape}")
    return values
