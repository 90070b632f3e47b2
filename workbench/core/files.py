"""Writing files safely: whole or not at all, never through a symlink, with the modes the umask gives.

The lowest layer of the core: it imports nothing of Workbench, so the config, the run directory and the
exports can all write through it.
"""

from __future__ import annotations

import math
import os
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
