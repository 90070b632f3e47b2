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
from workbench.core.i18n import _, ngettext

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
        raise ValueError(ngettext("{file} is {size} byte long, too short for an IDX header",
                                  "{file} is {size} bytes long, too short for an IDX header", len(header)).format(
            file=path.name, size=len(header)))
    found = int.from_bytes(header[:4], "big")
    if found != magic:
        if found >> 16 == GZIP_MAGIC:
            template = _("{file} starts with {found}, not the IDX magic number {magic}: it is gzip-compressed and "
                         "needs unpacking")
        else:
            template = _("{file} starts with {found}, not the IDX magic number {magic}")
        raise ValueError(template.format(file=path.name, found=f"0x{found:08X}", magic=f"0x{magic:08X}"))
    shape = struct.unpack(f">{magic & 0xFF}I", header[4:])
    expected, actual = header_size + math.prod(shape), path.stat().st_size
    if actual != expected:
        if actual < expected:
            template = _("{file} is truncated: {actual} bytes where its header's dimensions {shape} need {expected}")
        else:
            template = _("{file} is longer than its header says: {actual} bytes where its header's dimensions "
                         "{shape} need {expected}")
        raise ValueError(template.format(file=path.name, actual=actual, shape=" x ".join(map(str, shape)),
                                         expected=expected))
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
        raise ValueError(_("{labels} holds {label_count} labels but {images} holds {image_count} images").format(
            labels=labels.name, label_count=label_count, images=images.name, image_count=image_count))
    values = np.fromfile(labels, dtype=np.uint8, offset=_header_size(LABELS_MAGIC))
    check_label_range(labels.name, values, n_classes)
