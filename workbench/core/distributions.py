"""The distributions a run records, as rows of its history's tables, and what the views and files need of
them: per layer, histograms of the weights, gradients, pre- and post-activations at step 0 and at each
epoch end, and the validation confusion matrix at each epoch end (CONTRACTS.md section 5:
histograms.npz, confusion.npz).

A snapshot is one row, appended in one go, so a view reading on another thread never sees half of one:

    histograms:  step, epoch, low, high, minimum, maximum, nonfinite [cells each], counts[cells x BINS]
    confusion:   epoch, step, counts[classes x classes]  (row = true class, column = predicted)

The cells are (layer, kind) pairs, layer-major, kinds in KINDS order. Bins: each snapshot has its own
range [low, high] cut into BINS equal bins (a range fixed at step 0 would squeeze weights that grew tenfold
into a few bins, or push them out). It starts as the smallest to the largest finite value (`minimum`,
`maximum`, kept as they are) and is narrowed, a few times at most, to the bins that hold all but the
outermost TAIL_SHARE of the values while those crowd into less than a quarter of the bins: the few units a
dead ReLU layer has left would otherwise put the zeros of all the others in one bin as wide as their
outputs. Values beyond a narrowed range are counted in its first or last bin. NaN and infinite values are
counted apart, in `nonfinite`. A kind with no values has NaN ranges and no counts. The views put the
snapshots of a layer on one value axis by spreading each bin's count evenly over its width (`resampled`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

KINDS = ("weights", "gradients", "preactivations", "activations")
BINS = 64
# A confusion matrix per epoch of C x C cells: past this many classes it is not recorded (a CSV target
# with thousands of distinct values would make every row megabytes).
MAX_CONFUSION_CLASSES = 100
TAIL_SHARE = 0.001  # a narrowed range leaves this share of the values on either side to its edge bins
CELL_ARRAYS = ("low", "high", "minimum", "maximum", "nonfinite")  # one value per (layer, kind) each
HEADER = 2  # step and epoch (histograms) / epoch and step (confusion) before the values


def histogram_row_width(layers: int) -> int:
    return HEADER + layers * len(KINDS) * (len(CELL_ARRAYS) + BINS)


def confusion_row_width(classes: int) -> int:
    """The width of a confusion row; 0 when there are too many classes to record one."""
    return HEADER + classes * classes if classes <= MAX_CONFUSION_CLASSES else 0


@dataclass
class Histograms:
    """Snapshots decoded: S snapshots, L layers, K kinds, B bins."""

    steps: np.ndarray  # (S,) optimizer step of each snapshot, 0 = before training
    epochs: np.ndarray  # (S,) epoch at whose end it was taken, 0 = before training
    low: np.ndarray  # (S, L, K) the lower end of the first bin (NaN: no values)
    high: np.ndarray  # (S, L, K) the upper end of the last bin
    minimum: np.ndarray  # (S, L, K) the smallest finite value
    maximum: np.ndarray  # (S, L, K) the largest finite value
    nonfinite: np.ndarray  # (S, L, K) NaN or infinite values, in no bin
    counts: np.ndarray  # (S, L, K, B) values per bin

    def __len__(self) -> int:
        return len(self.steps)


def encode_histogram_row(step: float, epoch: float, cells: dict[str, np.ndarray], counts) -> np.ndarray:
    """One history row from the CELL_ARRAYS, (L, K) each, and the (L, K, B) counts."""
    parts = [np.asarray(part, dtype=float).ravel() for part in (*(cells[key] for key in CELL_ARRAYS), counts)]
    return np.concatenate([[float(step), float(epoch)], *parts])


def decode_histograms(rows: np.ndarray, layers: int) -> Histograms:
    rows = np.asarray(rows, dtype=float).reshape(-1, histogram_row_width(layers))
    cells = layers * len(KINDS)
    shape = (len(rows), layers, len(KINDS))
    arrays = {key: rows[:, HEADER + i * cells : HEADER + (i + 1) * cells].reshape(shape)
              for i, key in enumerate(CELL_ARRAYS)}
    counts = rows[:, HEADER + len(CELL_ARRAYS) * cells :].reshape(*shape, BINS)
    return Histograms(rows[:, 0].astype(np.int64), rows[:, 1].astype(np.int64), counts=counts, **arrays)


def value_range(low: np.ndarray, high: np.ndarray) -> tuple[float, float] | None:
    """One value axis for all the snapshots of a layer and kind: the lowest to the highest of their bins
    (a little wider when every value was the same); None when no snapshot held any."""
    finite = np.isfinite(low) & np.isfinite(high)
    if not finite.any():
        return None
    bottom, top = float(low[finite].min()), float(high[finite].max())
    if top <= bottom:
        spread = max(abs(bottom) * 0.1, 0.5)
        bottom, top = bottom - spread, top + spread
    return bottom, top


def resampled(counts: np.ndarray, low, high, edges: np.ndarray) -> np.ndarray:
    """Snapshots' counts, each over its own [low, high] in equal bins, moved onto the bins between `edges`:
    each bin's count spread evenly over its width (all of it in one bin when the range is a single value).
    `counts` is (B,) with scalar bounds, or (S, B) with (S,) bounds for S snapshots at once (a Python loop
    over the snapshots cost the GUI thread ~2 ms per strip at each epoch end of a 100-epoch run)."""
    single = np.ndim(counts) == 1
    counts = np.atleast_2d(np.asarray(counts, dtype=float))
    low, high = np.atleast_1d(np.asarray(low, dtype=float)), np.atleast_1d(np.asarray(high, dtype=float))
    bins, cells = counts.shape[1], len(edges) - 1
    totals = counts.sum(axis=1)
    usable = (totals > 0) & np.isfinite(low) & np.isfinite(high)
    result = np.zeros((len(counts), cells))
    point = usable & (high <= low)
    result[np.flatnonzero(point), np.clip(np.searchsorted(edges, low[point], side="right") - 1, 0, cells - 1)] = \
        totals[point]
    spread = usable & (high > low)
    if spread.any():
        some, bottom, top = counts[spread], low[spread, None], high[spread, None]
        # the cumulative count at each edge, read off the snapshot's own bins: the edge's fractional bin index
        position = np.clip((edges[None, :] - bottom) / (top - bottom) * bins, 0.0, bins)
        index = np.minimum(position.astype(int), bins - 1)
        below = np.concatenate([np.zeros((len(some), 1)), np.cumsum(some, axis=1)], axis=1)
        at_edges = np.take_along_axis(below, index, 1) + (position - index) * np.take_along_axis(some, index, 1)
        result[spread] = np.diff(at_edges, axis=1)
    return result[0] if single else result


def strip(histograms: Histograms, layer: int, kind: int, cells: int) -> tuple[np.ndarray, np.ndarray] | None:
    """(value edges [cells + 1], share of values [snapshots, cells]) of one layer and kind, every snapshot
    on one value axis; None when no snapshot holds values of that kind."""
    low, high = histograms.low[:, layer, kind], histograms.high[:, layer, kind]
    bounds = value_range(low, high)
    if bounds is None:
        return None
    edges = np.linspace(*bounds, cells + 1)
    counts = histograms.counts[:, layer, kind]
    mass = resampled(counts, low, high, edges)
    totals = counts.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return edges, np.where(totals > 0, mass / totals, 0.0)


@dataclass
class ConfusionMatrices:
    epochs: np.ndarray  # (E,)
    steps: np.ndarray  # (E,)
    matrices: np.ndarray  # (E, C, C) validation examples: row = true class, column = predicted class

    def __len__(self) -> int:
        return len(self.epochs)


def encode_confusion_row(epoch: int, step: int, matrix: np.ndarray) -> np.ndarray:
    return np.concatenate([[float(epoch), float(step)], np.asarray(matrix, dtype=float).ravel()])


def decode_confusion(rows: np.ndarray, classes: int) -> ConfusionMatrices:
    rows = np.asarray(rows, dtype=float).reshape(-1, HEADER + classes * classes)
    return ConfusionMatrices(rows[:, 0].astype(np.int64), rows[:, 1].astype(np.int64),
                             rows[:, HEADER:].reshape(-1, classes, classes))


def class_accuracy(matrix: np.ndarray) -> np.ndarray:
    """Per true class, the share of its validation examples predicted as that class (NaN: no examples)."""
    totals = matrix.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(totals > 0, np.diag(matrix) / totals, np.nan)


def class_labels(names: list[str], classes: int) -> list[str]:
    """The dataset's class names, or the class numbers when they are not known (a run from before)."""
    return list(names) if len(names) == classes else [str(index) for index in range(classes)]
