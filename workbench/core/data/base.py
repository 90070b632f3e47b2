"""What every dataset loader hands to the shared pipeline in data/bundle.py, and the error it raises."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from workbench.core.i18n import _

APP_NAME = "workbench"


class DatasetError(Exception):
    """A dataset that cannot be loaded: the message is one sentence saying what is wrong, where it
    looked and how to fix it (the app and the CLI show it as is, never a traceback)."""


@dataclass(frozen=True)
class RawDataset:
    """A dataset as its loader produces it, before splits and options.

    `x` is the training pool (validation is carved out of it later), `x_test` the held-out test set
    (None when the source has none). Images are (N, C, H, W); their pixels keep their raw scale and
    dtype (uint8 for the torchvision sets) so the pipeline converts only what it keeps.
    """

    x: np.ndarray
    y: np.ndarray
    x_test: np.ndarray | None
    y_test: np.ndarray | None
    class_names: list[str]
    kind: str  # "points" (2-D toy) | "vector" | "image" | "sequence" (steps, features)


def check_label_range(file_name: str, labels: np.ndarray, n_classes: int) -> None:
    """Raise ValueError naming the file and its first label outside 0..n_classes-1 (left in, it would fail
    far from its cause, in the loss function)."""
    outside = np.flatnonzero((labels < 0) | (labels >= n_classes))
    if outside.size:
        first = outside[0]
        raise ValueError(_("{file} gives example {example} the label {label}, outside 0 to {last}").format(
            file=file_name, example=first + 1, label=labels[first], last=n_classes - 1))


def cache_root() -> Path:
    """The user cache folder (datasets and generated arrays live here unless data.data_dir says otherwise)."""
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP_NAME))
