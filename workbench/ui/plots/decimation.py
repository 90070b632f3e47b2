"""Incremental reduction of long per-step series to a bounded number of points (numpy only, no Qt).

A run can log a million steps; the plots refresh every ~30 ms. Re-reducing the whole series each tick
would cost tens of milliseconds, so each new slice of rows is folded into fixed buckets of consecutive
rows, and when the bucket count passes its bound neighbouring buckets are merged pairwise (the bucket
size doubles). Every refresh then costs in proportion to the new rows, and the plotted series never has
more than `max_buckets` points.
"""

from __future__ import annotations

import math

import numpy as np

MAX_BUCKETS = 1000  # points per plotted series (above a plot's width in pixels): the peak envelope draws two per bucket


class BucketReducer:
    """Rows of (x, values[width]) reduced to consecutive buckets holding mean x, mean / min / max values.

    Bucket i covers rows [i * rows_per_bucket, (i + 1) * rows_per_bucket); only the last may be partial.
    Non-finite values (a diverged loss) are left out of the statistics, so one NaN does not hide a bucket.
    """

    def __init__(self, width: int, max_buckets: int = MAX_BUCKETS):
        self.width = width
        self.max_buckets = max_buckets
        self.rows_per_bucket = 1
        self.rows = 0  # rows consumed so far
        self._x_sum = np.zeros(max_buckets)
        self._count = np.zeros(max_buckets)
        self._sum = np.zeros((max_buckets, width))
        self._finite = np.zeros((max_buckets, width))
        self._low = np.full((max_buckets, width), np.nan)
        self._high = np.full((max_buckets, width), np.nan)

    def __len__(self) -> int:
        return math.ceil(self.rows / self.rows_per_bucket)

    def consume(self, x: np.ndarray, values: np.ndarray) -> None:
        """Fold the rows that follow the ones already consumed."""
        x = np.asarray(x, dtype=float).reshape(-1)
        if not len(x):
            return
        values = np.asarray(values, dtype=float).reshape(len(x), self.width)
        finite = np.isfinite(values)
        values = np.where(finite, values, np.nan)
        total_rows = self.rows + len(x)
        while math.ceil(total_rows / self.rows_per_bucket) > self.max_buckets:
            self._merge_pairs()
        bucket_of_row = np.arange(self.rows, total_rows) // self.rows_per_bucket
        starts = np.flatnonzero(np.r_[True, bucket_of_row[1:] != bucket_of_row[:-1]])
        buckets = bucket_of_row[starts]
        self._count[buckets] += np.diff(np.r_[starts, len(x)])
        self._x_sum[buckets] += np.add.reduceat(x, starts)
        self._sum[buckets] += np.add.reduceat(np.where(finite, values, 0.0), starts, axis=0)
        self._finite[buckets] += np.add.reduceat(finite.astype(float), starts, axis=0)
        self._low[buckets] = np.fmin(self._low[buckets], np.fmin.reduceat(values, starts, axis=0))
        self._high[buckets] = np.fmax(self._high[buckets], np.fmax.reduceat(values, starts, axis=0))
        self.rows = total_rows

    def _merge_pairs(self) -> None:
        n = len(self)
        merged = math.ceil(n / 2)
        for array, combine, empty in ((self._x_sum, np.add, 0.0), (self._count, np.add, 0.0),
                                      (self._sum, np.add, 0.0), (self._finite, np.add, 0.0),
                                      (self._low, np.fmin, np.nan), (self._high, np.fmax, np.nan)):
            even, odd = array[0:n:2], array[1:n:2]
            # an odd count leaves the last bucket without a partner: it carries over as it is
            array[: len(odd)] = combine(even[: len(odd)], odd)
            if len(even) > len(odd):
                array[len(odd)] = even[-1]
            array[merged:n] = empty
        self.rows_per_bucket *= 2

    @property
    def x(self) -> np.ndarray:
        n = len(self)
        return self._x_sum[:n] / self._count[:n]

    @property
    def mean(self) -> np.ndarray:
        n = len(self)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(self._finite[:n] > 0, self._sum[:n] / self._finite[:n], np.nan)

    @property
    def low(self) -> np.ndarray:
        return self._low[: len(self)]

    @property
    def high(self) -> np.ndarray:
        return self._high[: len(self)]


class SmoothedMeans:
    """Exponential moving average over a reducer's bucket means, the per-row factor scaled to the bucket
    size. Only buckets that changed since the last update are recomputed (all of them after a merge);
    starting at the first finite value, not at zero, keeps the curve's beginning unbiased."""

    def __init__(self, per_row_factor: float, column: int = 0):
        self.per_row_factor, self.column = per_row_factor, column
        self._levels = np.full(0, np.nan)  # the running level after each bucket (carried over gaps)
        self._rows = 0
        self._rows_per_bucket = 0

    def update(self, reducer: BucketReducer) -> np.ndarray:
        means = reducer.mean[:, self.column]
        same_buckets = reducer.rows_per_bucket == self._rows_per_bucket and reducer.rows >= self._rows
        start = self._rows // reducer.rows_per_bucket if same_buckets else 0  # the then-partial bucket
        levels = np.resize(self._levels, len(means))
        factor = self.per_row_factor**reducer.rows_per_bucket
        level = levels[start - 1] if start > 0 else math.nan
        for index in range(start, len(means)):
            value = means[index]
            if math.isfinite(value):
                level = value if math.isnan(level) else factor * level + (1 - factor) * value
            levels[index] = level
        self._levels, self._rows, self._rows_per_bucket = levels, reducer.rows, reducer.rows_per_bucket
        return np.where(np.isfinite(means), levels, np.nan)


def peak_envelope(x: np.ndarray, low: np.ndarray, high: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each bucket drawn as a vertical stroke from its min to its max (pyqtgraph's "peak" idea)."""
    return np.repeat(x, 2), np.column_stack([low, high]).reshape(-1)
