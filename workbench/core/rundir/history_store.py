"""A finished run's history in memory or, once evicted (or not read yet), in its run directory, read
back on first use.

The app lists every run of a session. A spiral run at batch size 1 alone logs ~1 MB of per-step
losses, so if every listed run kept its history a long session would grow by hundreds of MB; the runs
list keeps the newest few in memory and evicts the others, whose run directory holds every record.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

from workbench.core.history import RunHistory
from workbench.core.i18n import _

# What reading a damaged run file can raise: OS errors, bad text or numbers (ValueError covers pydantic's
# ValidationError, JSON and Unicode errors), zip/npz damage (a bad archive or a bad compressed stream in
# it), and numpy's complaints about shapes.
READ_ERRORS = (OSError, ValueError, KeyError, TypeError, IndexError, EOFError, zipfile.BadZipFile, zlib.error)


class HistoryStore:
    """Holds one history; `evict(directory)` drops it until `get()` reads it back from there with
    `loader` (the run directory reader's `load_history`). Made with `read_from`, it holds none yet and
    reads it from that run directory on first use."""

    def __init__(self, loader: Callable[[Path], RunHistory], read_from: Path | None = None):
        self._loader = loader
        self._history: RunHistory | None = None
        self._evicted_to = read_from
        self.read_problem = ""  # why an evicted history could not be read back

    @property
    def resident(self) -> bool:
        return self._history is not None

    def get(self) -> RunHistory | None:
        if self._history is None and self._evicted_to is not None:
            directory, self._evicted_to = self._evicted_to, None
            try:
                self._history = self._loader(directory)
            except READ_ERRORS as error:  # deleted or damaged meanwhile
                self.read_problem = _("its records in {path} can no longer be read ({error})").format(
                    path=directory, error=error)
        return self._history

    def set(self, history: RunHistory | None) -> None:
        self._history, self._evicted_to = history, None

    def evict(self, directory: Path) -> bool:
        if self._history is None:
            return False
        self._history, self._evicted_to = None, Path(directory)
        return True
