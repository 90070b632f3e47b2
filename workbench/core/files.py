"""Writing files safely: whole or not at all, never through a symlink, with the modes the umask gives.

The lowest layer of the core: it imports nothing of Workbench, so the config, the run directory and the
exports can all write through it.
"""

from __future__ import annotations

import errno
import math
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

NEW_FILE_MODE = 0o666  # what open() asks for; the umask takes its share, as for any file the user creates
NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)  # POSIX; Windows has no symlinks to follow by accident


def current_umask() -> int:
    """The process umask without changing it (Linux reads /proc; elsewhere set-and-restore)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_text_atomic(path: Path, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename over it: a reader sees the old file or the new
    one, never half of one, and a symlink at `path` is replaced, not written through."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        if hasattr(os, "fchmod"):  # mkstemp makes owner-only files; exports are shared like any other file
            os.fchmod(handle, NEW_FILE_MODE & ~current_umask())
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def open_for_append_no_follow(path: Path, *, truncate: bool):
    """A text stream appending to `path`, refusing (OSError) when `path` is a symlink."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | NO_FOLLOW | (os.O_TRUNC if truncate else 0)
    return os.fdopen(os.open(path, flags, NEW_FILE_MODE), "w", encoding="utf-8", newline="")


class NotARegularFile(OSError):
    """A path that names a folder, a pipe, a device or a file too large to be what it should be: reading
    it could wait forever (a FIFO, /dev/zero) or fill the memory."""


def open_regular_file(path: Path, max_bytes: int | None = None):
    """A binary stream of `path`, refusing (NotARegularFile) anything but a regular file of at most
    `max_bytes`. A FIFO is opened without blocking, so it is refused instead of waited on."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except ValueError:  # "embedded null byte": no file can have that name
        raise OSError(errno.EINVAL, "the path holds a NUL character") from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise NotARegularFile(errno.EINVAL, "not a regular file")
        if max_bytes is not None and info.st_size > max_bytes:
            raise NotARegularFile(errno.EFBIG, f"{info.st_size:,} bytes, more than the {max_bytes:,} expected")
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def read_regular_text(path: Path, max_bytes: int) -> str:
    """The UTF-8 text of a regular file of at most `max_bytes` (OSError / UnicodeDecodeError otherwise)."""
    with open_regular_file(path, max_bytes) as stream:
        return stream.read(max_bytes + 1).decode("utf-8")


def json_safe(value: Any) -> Any:
    """NaN/inf become null and numpy scalars plain numbers: the JSON stays valid for every reader."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if isinstance(value, np.generic):
        return json_safe(value.item())
    return value
