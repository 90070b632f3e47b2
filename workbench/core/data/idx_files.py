"""MNIST-style IDX files, checked before torchvision reads them.

torchvision's reader asserts on a wrong magic number, fails with a reshape error on a truncated file and
silently keeps a label file that is shorter than its image file (training on part of the data). These
checks read only the headers and the labels, so each problem is reported with the file it is in.
"""

from __future__ import annotations

import math
import struct
from pathlib import Path

import numpy as np

from workbench.core.data.base import check_label_range

# The names torchvision reads in <root>/<Class>/raw: one images and one labels file per split.
SPLIT_PREFIXES = ("train", "t10k")
# Magic numbers: two zero bytes, the element type (0x08 = unsigned byte), the number of dimensions.
IMAGES_MAGIC = 0x00000803  # count, rows, columns
LABELS_MAGIC = 0x00000801  # count
GZIP_MAGIC = 0x1F8B  # the first two bytes of a file that still needs unpacking


def _header_size(magic: int) -> int:
    """The magic number, then one big-endian 32-bit size per dimension."""
    return 4 + 4 * (magic & 0xFF)


def _idx_shape(path: Path, magic: int) -> tuple[int, ...]:
    """The dimensions in the header of an IDX file of unsigned bytes, once its magic number and its size
    agree with them; ValueError naming the file otherwise."""
    header_size = _header_size(magic)
    with path.open("rb") as stream:
        header = stream.read(header_size)
    if len(header) < header_size:
        raise ValueError(f"{path.name} is {len(header)} bytes long, too short for an IDX header")
    found = int.from_bytes(header[:4], "big")
    if found != magic:
        hint = ": it is gzip-compressed and needs unpacking" if found >> 16 == GZIP_MAGIC else ""
        raise ValueError(f"{path.name} starts with 0x{found:08X}, not the IDX magic number 0x{magic:08X}{hint}")
    shape = struct.unpack(f">{magic & 0xFF}I", header[4:])
    expected, actual = header_size + math.prod(shape), path.stat().st_size
    if actual != expected:
        state = "truncated" if actual < expected else "longer than its header says"
        raise ValueError(f"{path.name} is {state}: {actual} bytes where its header's dimensions "
                         f"{' x '.join(map(str, shape))} need {expected}")
    return shape


def check_idx_split(folder: Path, prefix: str, n_classes: int) -> None:
    """Check one split's images and labels files; ValueError naming the file(s) and what is wrong.

    Missing files are left to torchvision, which reports them as not found (and so they get downloaded).
    """
    images, labels = folder / f"{prefix}-images-idx3-ubyte", folder / f"{prefix}-labels-idx1-ubyte"
    if not (images.is_file() and labels.is_file()):
        return
    image_count = _idx_shape(images, IMAGES_MAGIC)[0]
    (label_count,) = _idx_shape(labels, LABELS_MAGIC)
    if label_count != image_count:
        raise ValueError(f"{labels.name} holds {label_count} labels but {images.name} holds {image_count} "
                         f"images")
    values = np.fromfile(labels, dtype=np.uint8, offset=_header_size(LABELS_MAGIC))
    check_label_range(labels.name, values, n_classes)
