"""MNIST, Fashion-MNIST and CIFAR-10 through torchvision: read from data.data_dir or the user cache,
downloaded once when missing, and a clear DatasetError (never a traceback) when that is impossible."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

import numpy as np

from workbench.core.data.base import DatasetError, RawDataset, cache_root
from workbench.core.data.cifar_batches import read_cifar10
from workbench.core.data.idx_files import SPLIT_PREFIXES, check_idx_split
from workbench.core.i18n import _

TORCHVISION_CLASS_NAMES = {"mnist": "MNIST", "fashion_mnist": "FashionMNIST", "cifar10": "CIFAR10"}
# The folder under the root where each torchvision class keeps its files (named in error messages).
TORCHVISION_FOLDERS = {"mnist": "MNIST/raw", "fashion_mnist": "FashionMNIST/raw", "cifar10": "cifar-10-batches-py"}
# torchvision's own words when the files are absent (read_cifar10 uses them too).
MISSING_MESSAGE = "dataset not found"


def read_torchvision_split(
    class_name: str, root: str, train: bool, download: bool
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """One split of torchvision.datasets.<class_name> (MNIST, FashionMNIST, CIFAR10) as uint8 images
    (N, C, H, W), int64 labels and class names."""
    import torchvision

    dataset_class = getattr(torchvision.datasets, class_name)
    dataset = dataset_class(root, train=train, download=download)
    images = np.asarray(dataset.data, dtype=np.uint8)
    # MNIST-style sets store (N, H, W) grey images, CIFAR-10 (N, H, W, C) colour ones.
    images = images[:, None] if images.ndim == 3 else images.transpose(0, 3, 1, 2)
    return np.ascontiguousarray(images), np.asarray(dataset.targets, dtype=np.int64), list(dataset.classes)


def _read_both_splits(name: str, root: Path):
    """Both splits, read from the files under root; RuntimeError with torchvision's "not found" when files
    are missing, any other exception when they are there but damaged."""
    if name == "cifar10":  # its batches are pickles: read without torchvision's plain unpickling
        return read_cifar10(root)
    import torchvision

    class_name = TORCHVISION_CLASS_NAMES[name]
    n_classes = len(getattr(torchvision.datasets, class_name).classes)
    for prefix in SPLIT_PREFIXES:  # torchvision's reader would assert or silently drop examples instead
        check_idx_split(root / TORCHVISION_FOLDERS[name], prefix, n_classes)
    train = read_torchvision_split(class_name, str(root), train=True, download=False)
    test = read_torchvision_split(class_name, str(root), train=False, download=False)
    return train, test


def _reason(error: Exception) -> str:
    """The last line of an error (torchvision's download errors end with the network's own words), or its
    type when it has no message."""
    lines = str(error).strip().splitlines()
    return lines[-1].strip() if lines else type(error).__name__


def _download(name: str, root: Path, folder: Path) -> None:
    """torchvision's download step alone (its dataset classes would read the files straight after, before
    they are checked); DatasetError when it fails."""
    import torchvision

    dataset_class = getattr(torchvision.datasets, TORCHVISION_CLASS_NAMES[name])
    fetcher = dataset_class.__new__(dataset_class)
    fetcher.root = os.fspath(root)
    try:
        # Downloads print progress on stdout, which `workbench run --json` keeps for its JSON.
        with contextlib.redirect_stdout(sys.stderr):
            fetcher.download()
    except Exception as error:  # offline, refused, disk full: all end the same way for the user
        raise DatasetError(
            _("{dataset} is not in {folder} and could not be downloaded ({reason}); put the dataset files there, "
              "or set data.data_dir to the folder that holds them.").format(
                dataset=TORCHVISION_CLASS_NAMES[name], folder=folder, reason=_reason(error))
        ) from None


def _read_or_download(name: str, root: Path, folder: Path):
    try:
        return _read_both_splits(name, root)
    except RuntimeError as error:
        if MISSING_MESSAGE not in str(error).lower():
            raise
    _download(name, root, folder)
    return _read_both_splits(name, root)


def load_torchvision_dataset(config) -> RawDataset:
    root = Path(config.data_dir).expanduser() if config.data_dir else cache_root() / "datasets"
    folder = root / TORCHVISION_FOLDERS[config.dataset]
    try:
        train, test = _read_or_download(config.dataset, root, folder)
    except DatasetError:
        raise
    except Exception as error:  # files that are there but damaged, whatever the reader raised
        raise DatasetError(
            _("The {dataset} files in {folder} are damaged or incomplete ({reason}); delete that folder so they are "
              "downloaded again, or replace them with intact copies.").format(
                dataset=TORCHVISION_CLASS_NAMES[config.dataset], folder=folder, reason=_reason(error))
        ) from None
    (x, y, class_names), (x_test, y_test, _test_class_names) = train, test
    return RawDataset(x, y, x_test, y_test, class_names, "image")
