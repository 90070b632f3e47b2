"""The offline image/signal sets: scikit-learn's 8x8 digits and the procedurally generated MNIST-1D."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
import threading
from pathlib import Path

import numpy as np

from workbench.core.data.base import RawDataset, cache_root

DIGIT_NAMES = [str(digit) for digit in range(10)]


def load_digits_images(
    seed: int, test_fraction: float = 0.2
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """scikit-learn's 1797 handwritten 8x8 digits as (N, 1, 8, 8) float32 pixels 0..16, with a stratified
    test split drawn with `seed`: returns x_train, y_train, x_test, y_test."""
    from sklearn.model_selection import train_test_split

    x, y = _digits_arrays()
    x_train, x_test, y_train, y_test = train_test_split(
        x, y, test_size=test_fraction, stratify=y, random_state=seed
    )
    return x_train, y_train, x_test, y_test


@functools.cache
def _digits_arrays() -> tuple[np.ndarray, np.ndarray]:
    """The digits, parsed once per process: scikit-learn parses its csv.gz with the GIL held (~20 ms,
    more on a busy machine), which stalled the GUI thread at the start of every digits run. Read-only,
    as every caller gets the same arrays (the split copies them)."""
    from sklearn.datasets import load_digits

    x, y = load_digits(return_X_y=True)
    x, y = x.reshape(-1, 1, 8, 8).astype(np.float32), y.astype(np.int64)
    x.flags.writeable = y.flags.writeable = False
    return x, y


# mnist1d's own defaults (get_dataset_args), written out so that a cache hit needs no mnist1d import
# (importing it pulls in matplotlib and requests: ~1 s).
MNIST1D_ARGUMENTS = {
    "num_samples": 5000, "train_split": 0.8, "template_len": 12, "padding": [36, 60], "scale_coeff": 0.4,
    "max_translation": 48, "corr_noise_scale": 0.25, "iid_noise_scale": 2e-2, "shear_scale": 0.75,
    "shuffle_seq": False, "final_seq_length": 40, "seed": 42,
}


# One MNIST-1D generation at a time in this process, and one filling of the cache: make_dataset seeds numpy's and
# Python's global generators and draws from them, so two generations at once in two threads (the app's data
# preview and a run, on a fresh cache) interleaved their draws and each got a dataset of its own, one of which the
# cache then kept. The lock is taken by load_mnist1d_arrays, the one caller in the app; make_mnist1d is also
# copied into exported scripts (reports/script.py), which generate once.
_MNIST1D_LOCK = threading.Lock()
# Part of the cache key: raise it when cached arrays may be wrong though intact (2: caches written before
# generation was locked may hold an interleaved dataset).
MNIST1D_CACHE_FORMAT = 2


def make_mnist1d(arguments: dict) -> dict[str, np.ndarray]:
    """MNIST-1D arrays (x, y, x_test, y_test) from mnist1d's make_dataset; never its get_dataset, which
    downloads a pickle."""
    import random
    from types import SimpleNamespace

    from mnist1d.data import make_dataset

    # make_dataset seeds the global random generators; leave them as they were for the caller.
    numpy_state, python_state = np.random.get_state(), random.getstate()
    try:
        dataset = make_dataset(SimpleNamespace(**arguments))
    finally:
        np.random.set_state(numpy_state)
        random.setstate(python_state)
    return {
        "x": dataset["x"].astype(np.float32), "y": dataset["y"].astype(np.int64),
        "x_test": dataset["x_test"].astype(np.float32), "y_test": dataset["y_test"].astype(np.int64),
    }


def _mnist1d_cache_key(arguments: dict) -> str:
    """A digest of the arguments, the library version and MNIST1D_CACHE_FORMAT: changing any gives a new cache
    file."""
    from importlib.metadata import version

    text = json.dumps([arguments, version("mnist1d"), MNIST1D_CACHE_FORMAT], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _is_mnist1d(arrays: dict[str, np.ndarray]) -> bool:
    """Whether arrays are what make_mnist1d gives: finite float32 signals of the configured length, each
    with one int64 label 0..9."""
    length = MNIST1D_ARGUMENTS["final_seq_length"]
    return all(
        signals.dtype == np.float32 and signals.ndim == 2 and signals.shape[1] == length
        and labels.dtype == np.int64 and labels.shape == (len(signals),)
        and bool(np.isfinite(signals).all()) and bool(((labels >= 0) & (labels < len(DIGIT_NAMES))).all())
        for signals, labels in ((arrays["x"], arrays["y"]), (arrays["x_test"], arrays["y_test"]))
    )


def _read_cached(path) -> dict[str, np.ndarray] | None:
    """The cached arrays, or None when the file is missing or damaged (the caller generates them again)."""
    try:
        with np.load(path, allow_pickle=False) as stored:
            arrays = {name: stored[name] for name in ("x", "y", "x_test", "y_test")}
    except Exception:  # np.load fails on a damaged file in many ways: EOFError, BadZipFile, ValueError...
        return None
    return arrays if _is_mnist1d(arrays) else None


def _write_cached(path, arrays: dict[str, np.ndarray]) -> None:
    """Write atomically (temp file + rename) so a crash never leaves a half-written cache behind."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(dir=path.parent, suffix=".npz")
        with os.fdopen(handle, "wb") as temp_file:
            np.savez(temp_file, **arrays)
        os.replace(temp_name, path)
    except OSError:
        pass  # a read-only cache only costs the next run the ~1 s generation


def mnist1d_cache_path() -> Path:
    return cache_root() / "mnist1d" / f"mnist1d-{_mnist1d_cache_key(MNIST1D_ARGUMENTS)}.npz"


def load_mnist1d_arrays() -> dict[str, np.ndarray]:
    """MNIST-1D from the user cache; generation takes ~1.2 s, a cached read a few milliseconds. A cache
    file that is missing or damaged (0 bytes, truncated, wrong arrays) is generated and written again."""
    path = mnist1d_cache_path()
    arrays = _read_cached(path)
    if arrays is None:
        with _MNIST1D_LOCK:
            arrays = _read_cached(path)  # written by another thread while this one waited
            if arrays is None:
                arrays = make_mnist1d(MNIST1D_ARGUMENTS)
                _write_cached(path, arrays)
    return arrays


def load_digits_dataset(config) -> RawDataset:
    x, y, x_test, y_test = load_digits_images(config.seed)
    return RawDataset(x, y, x_test, y_test, DIGIT_NAMES, "image")


def load_mnist1d_dataset(config) -> RawDataset:
    arrays = load_mnist1d_arrays()
    return RawDataset(arrays["x"], arrays["y"], arrays["x_test"], arrays["y_test"], DIGIT_NAMES, "vector")
