"""The dataset loaders by name: one module per family, each turning a DataConfig into a RawDataset.

bundle.py applies the shared splits and options on top; see base.RawDataset for the hand-over.
"""

from __future__ import annotations

from workbench.core.data.base import DatasetError, RawDataset
from workbench.core.data.bundled import load_digits_dataset, load_mnist1d_dataset
from workbench.core.data.csv_file import load_csv_dataset
from workbench.core.data.sequences import load_sequence_memory
from workbench.core.data.torchvision_sets import load_torchvision_dataset
from workbench.core.data.toy import load_toy
from workbench.core.experiment import registry

__all__ = ["DatasetError", "RawDataset", "load_raw"]

_LOADERS = {
    **dict.fromkeys(registry.TOY_DATASETS, load_toy),
    "digits": load_digits_dataset,
    "mnist1d": load_mnist1d_dataset,
    **dict.fromkeys(registry.TORCHVISION_DATASETS, load_torchvision_dataset),
    "csv": load_csv_dataset,
    "sequence_memory": load_sequence_memory,
}


def load_raw(config) -> RawDataset:
    """The named dataset's training pool and test set, before any split or option."""
    return _LOADERS[config.dataset](config)
