"""CIFAR-10's "python version" files, read without running any code they might carry.

Its batches are pickles, and unpickling can call any function the file names (torchvision's CIFAR10 class
unpickles them as they are). A data folder is something a user opens, so the batches are read here with an
unpickler that knows only numpy's array reconstruction; any other global is refused before it is called.
torchvision still downloads the archive; its files' checksums are checked here, so that a damaged file is
named as damaged, not taken for a missing one. This is the one audited place in Workbench that unpickles
(tests/core/test_security.py allows it by name).
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import numpy as np

from workbench.core.data.base import check_label_range
from workbench.core.i18n import _

# numpy's array-unpickling function, taken from numpy itself: it moved from numpy.core to numpy._core in 2.0.
_RECONSTRUCT = np.ndarray(0).__reduce__()[0]
ALLOWED_GLOBALS = {
    ("numpy.core.multiarray", "_reconstruct"): _RECONSTRUCT,  # batches pickled by numpy 1 (the real files)
    ("numpy._core.multiarray", "_reconstruct"): _RECONSTRUCT,  # batches pickled by numpy 2
    ("numpy", "ndarray"): np.ndarray,
    ("numpy", "dtype"): np.dtype,
}
CHANNELS, SIDE = 3, 32
PIXELS_PER_IMAGE = CHANNELS * SIDE * SIDE


class ArraysOnlyUnpickler(pickle.Unpickler):
    """Unpickles plain containers and numpy arrays; every other global is an UnpicklingError."""

    def find_class(self, module: str, name: str):
        try:
            return ALLOWED_GLOBALS[(module, name)]
        except KeyError:
            raise pickle.UnpicklingError(
                _("it asks to call {function}, which a CIFAR-10 batch never does, so it was refused").format(
                    function=f"{module}.{name}")
            ) from None


def read_batch(path: Path) -> dict:
    """The dict a batch file holds; ValueError naming the file when it holds anything else."""
    with open(path, "rb") as stream:
        try:
            # latin1: the original batches were pickled by Python 2, whose byte strings need it
            content = ArraysOnlyUnpickler(stream, encoding="latin1").load()
        except Exception as error:  # damaged pickles fail in many ways: EOFError, UnpicklingError, TypeError...
            raise ValueError(_("{file} cannot be unpickled: {reason}").format(
                file=path.name, reason=str(error) or type(error).__name__)) from None
    if not isinstance(content, dict):
        raise ValueError(_("{file} holds a {kind}, not a CIFAR-10 batch").format(
            file=path.name, kind=type(content).__name__))
    return content


def _images_and_labels(path: Path, n_classes: int) -> tuple[np.ndarray, list[int]]:
    batch = read_batch(path)
    images, labels = batch.get("data"), batch.get("labels")
    if not (isinstance(images, np.ndarray) and images.dtype == np.uint8 and images.ndim == 2
            and images.shape[1] == PIXELS_PER_IMAGE and isinstance(labels, list) and len(labels) == len(images)
            and all(isinstance(label, int) for label in labels)):
        raise ValueError(_("{file} does not hold uint8 images of {size} bytes with one label each").format(
            file=path.name, size=PIXELS_PER_IMAGE))
    check_label_range(path.name, np.asarray(labels), n_classes)
    return images, labels


def _split(folder: Path, files: list, n_classes: int) -> tuple[np.ndarray, np.ndarray]:
    parts = [_images_and_labels(folder / name, n_classes) for name, _md5 in files]
    images = np.concatenate([images for images, _labels in parts]).reshape(-1, CHANNELS, SIDE, SIDE)
    labels = np.asarray([label for _images, labels in parts for label in labels], dtype=np.int64)
    return images, labels


def read_cifar10(root: Path):
    """Both splits as ((uint8 images (N, 3, 32, 32), int64 labels, class names), (test images, labels,
    class names)). Raises RuntimeError with torchvision's words when files are missing (they can be
    downloaded), ValueError naming the file when one is present but damaged."""
    from torchvision.datasets import CIFAR10
    from torchvision.datasets.utils import check_integrity

    folder = Path(root) / CIFAR10.base_folder
    meta = [CIFAR10.meta["filename"], CIFAR10.meta["md5"]]
    files = [*CIFAR10.train_list, *CIFAR10.test_list, meta]
    if not all((folder / name).is_file() for name, _md5 in files):
        raise RuntimeError("Dataset not found. You can use download=True to download it")
    for name, md5 in files:
        if not check_integrity(os.fspath(folder / name), md5):
            raise ValueError(_("{file} does not match the checksum of the published CIFAR-10 file").format(
                file=name))
    class_names = read_batch(folder / meta[0]).get(CIFAR10.meta["key"])
    if not (isinstance(class_names, list) and all(isinstance(name, str) for name in class_names)):
        raise ValueError(_("{file} does not list the class names").format(file=meta[0]))
    train_images, train_labels = _split(folder, CIFAR10.train_list, len(class_names))
    test_images, test_labels = _split(folder, CIFAR10.test_list, len(class_names))
    return (train_images, train_labels, class_names), (test_images, test_labels, class_names)
