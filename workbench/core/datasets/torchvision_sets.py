"""MNIST, Fashion-MNIST and CIFAR-10 through torchvision: read from data.data_dir or the user cache,
downloaded once when missing, and a clear DatasetError (never a traceback) when that is impossible."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import numpy as np

from workbench.core.datasets.base import DatasetError, RawDataset, cache_root
from workbench.core.datasets.cifar_batches import read_cifar10

TORCHVISION_CLASS_NAMES = {"mnist": "MNIST", "fashion_mnist": "FashionMNIST", "cifar10": "CIFAR10"}
# The folder under the root where each torchvision class keeps its files (named in error messages).
TORCHVISION_FOLDERS = {"mnist": "MNIST/raw", "fashion_mnist": "FashionMNIST/raw", "cifar10": "cifar-10-batches-py"}
# torchvision's own words when the files are absent (CIFAR-10 adds "or corrupted": its checksums fail).
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


def _read_both_splits(name: str, root: Path, download: bool):
    # Downloads print progress on stdout, which `workbench run --json` keeps for its JSON.
    with contextlib.redirect_stdout(sys.stderr):
        if name == "cifar10":  # its batches are pickles: read without torchvision's plain unpickling
            return read_cifar10(root, download)
        class_name = TORCHVISION_CLASS_NAMES[name]
        train = read_torchvision_split(class_name, str(root), train=True, download=download)
        test = read_torchvision_split(class_name, str(root), train=False, download=download)
    return train, test


def _reason(error: Exception) -> str:
    """The last line of an error (torchvision's download errors end with the network's own words), or its
    type when it has no message."""
    lines = str(error).strip().splitlines()
    return lines[-1].strip() if lines else type(error).__name__


def _damaged(name: str, folder: Path, error: Exception) -> DatasetError:
    return DatasetError(
        f"The {TORCHVISION_CLASS_NAMES[name]} files in {folder} are damaged or incomplete ({_reason(error)}); "
        f"delete that folder so they are downloaded again, or replace them with intact copies."
    )


def load_torchvision_dataset(config) -> RawDataset:
    root = Path(config.data_dir).expanduser() if config.data_dir else cache_root() / "datasets"
    folder = root / TORCHVISION_FOLDERS[config.dataset]
    try:
        train, test = _read_both_splits(config.dataset, root, download=False)
    except RuntimeError as error:
        if MISSING_MESSAGE not in str(error).lower():
            raise _damaged(config.dataset, folder, error) from None
        try:
            train, test = _read_both_splits(config.dataset, root, download=True)
        except Exception as download_error:  # offline, refused, disk full: all end the same way for the user
            raise DatasetError(
                f"{TORCHVISION_CLASS_NAMES[config.dataset]} is not in {folder} and could not be downloaded "
                f"({_reason(download_error)}); "
                f"put the dataset files there, or set data.data_dir to the folder that holds them."
            ) from None
    except Exception as error:  # torchvision's readers assert / raise anything on a truncated file
        raise _damaged(config.dataset, folder, error) from None
    (x, y, class_names), (x_test, y_test, _) = train, test
    return RawDataset(x, y, x_test, y_test, class_names, "image")
