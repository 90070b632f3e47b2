"""The real MNIST subset committed in tests/data/MNIST (4,000 training and 1,000 test images, gzip-compressed
IDX files; tests/data/README.md), unpacked where torchvision reads MNIST, so that the MNIST presets train in
CI without a download. Imported by name: tests/ is on pytest's path."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

PACKED = Path(__file__).resolve().parent / "data" / "MNIST"


def unpack_mnist_subset(root: Path) -> Path:
    """Unpack the subset into `root`/MNIST/raw and return `root`, the folder data.data_dir names."""
    raw = root / "MNIST" / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    for packed in sorted(PACKED.glob("*.gz")):
        with gzip.open(packed, "rb") as source, (raw / packed.stem).open("wb") as target:
            shutil.copyfileobj(source, target)
    return root
