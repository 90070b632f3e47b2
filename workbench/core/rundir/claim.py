"""Who owns a run directory. A run writes only into a folder that is new, empty, or holds a previous
Workbench run (moved aside first, deleted once the new run is kept: files of two runs never mix), and
holds a lock in it while it writes, so that a second process is refused instead of interleaving.

A sweep directory is claimed the same way (a previous sweep in it is replaced), or, to resume it, taken
as it is with its lock.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from pathlib import Path

from workbench.core.files import NEW_FILE_MODE, NO_FOLLOW
from workbench.core.i18n import _
from workbench.core.rundir.layout import (
    LOCK,
    RUN_FILES,
    SWEEP_FILES,
    foreign_entries,
    foreign_sweep_entries,
    holds_a_previous_run,
    holds_a_previous_sweep,
    holds_a_sweep,
    holds_only_a_lock,
)

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; two processes on one folder are not detected there
    fcntl = None

FOREIGN_NAMES_SHOWN = 3
_held: dict[Path, RunDirectory] = {}  # claims this process holds, by resolved path


class RunDirError(Exception):
    """A folder that cannot be a run directory; the message is one sentence saying why and what to use."""


class RunDirectory:
    """A claimed run directory: created, locked, a previous run in it moved aside."""

    def __init__(self, path: Path, lock_stream, previous: Path | None, own_files: frozenset[str] = RUN_FILES):
        self.path = path
        self._lock_stream = lock_stream
        self._previous = previous
        self._own_files = own_files  # what release(keep=False) deletes: only what a run (or sweep) writes

    def release(self, *, keep: bool) -> None:
        """Give the folder up. keep=True: the new run stays and the previous one is deleted; keep=False
        (nothing was trained): the new files go and the previous run is put back."""
        _held.pop(self.path.resolve(), None)
        with contextlib.suppress(OSError):
            (self.path / LOCK).unlink(missing_ok=True)
        if self._lock_stream is not None:
            self._lock_stream.close()
        if not keep:
            for name in self._own_files:
                with contextlib.suppress(OSError):
                    (self.path / name).unlink(missing_ok=True)
            with contextlib.suppress(OSError):
                self.path.rmdir()  # only when empty: never deletes what it did not write
        if self._previous is not None:
            if keep:
                shutil.rmtree(self._previous, ignore_errors=True)
            elif not self.path.exists():
                with contextlib.suppress(OSError):
                    os.rename(self._previous, self.path)


def claim_run_dir(path: Path) -> RunDirectory:
    """The folder, ready for a new run; RunDirError (one sentence) when it is not this run's to use.
    Claiming a folder this process already holds returns that claim."""
    return _claim(Path(path), sweep=False)


def claim_sweep_dir(path: Path, *, resume: bool = False) -> RunDirectory:
    """The folder, ready for a new sweep (as claim_run_dir, a previous sweep in it replaced), or with
    resume=True, an existing sweep directory locked as it is."""
    path = Path(path)
    if not resume:
        return _claim(path, sweep=True)
    if path.is_symlink() or not path.is_dir() or not holds_a_sweep(path):
        raise RunDirError(_("{path} holds no Workbench sweep (no sweep.json); give the folder a sweep wrote.").format(
            path=path))
    _refuse_if_in_use(path)
    return _lock(path, previous=None, own_files=SWEEP_FILES)


def _claim(path: Path, *, sweep: bool) -> RunDirectory:
    if path.resolve() in _held:
        return _held[path.resolve()]
    if path.is_symlink():
        raise RunDirError(_("{path} is a symbolic link; give a folder path that is not a link.").format(path=path))
    if path.exists() and not path.is_dir():
        raise RunDirError(_("{path} is an existing file, not a folder; give a folder that does not exist yet (or "
                            "one holding a previous Workbench run, which is replaced).").format(path=path))
    try:
        # a lock its killed writer left, alone, is no previous run: the new one takes it over
        reusable = path.is_dir() and (not any(path.iterdir()) or (holds_only_a_lock(path) and lock_holder(path) is None))
        previous = None if not path.is_dir() or reusable else _move_previous_aside(path, sweep=sweep)
    except OSError as error:
        raise RunDirError(_("cannot use {path}: {reason}.").format(
            path=path, reason=error.strerror or error)) from None
    return _lock(path, previous, SWEEP_FILES if sweep else RUN_FILES)


def _lock(path: Path, previous: Path | None, own_files: frozenset[str]) -> RunDirectory:
    try:
        path.mkdir(parents=True, exist_ok=True)
        stream = _acquire_lock(path)
    except BlockingIOError:
        raise RunDirError(_("{path} is in use by another Workbench run; give another folder.").format(
            path=path)) from None
    except OSError as error:
        if previous is not None and not any(path.iterdir()):
            path.rmdir()
            os.rename(previous, path)
        raise RunDirError(_("cannot write to {path}: {reason}.").format(path=path, reason=error.strerror or error)
                          ) from None
    claim = _held[path.resolve()] = RunDirectory(path, stream, previous, own_files)
    return claim


def _move_previous_aside(path: Path, *, sweep: bool) -> Path:
    """A previous, finished Workbench run (or sweep) in `path`, renamed to a hidden sibling; RunDirError
    when the folder holds anything else or a live run."""
    _refuse_if_in_use(path)
    if not (holds_a_previous_sweep(path) if sweep else holds_a_previous_run(path)):
        foreign = (foreign_sweep_entries(path) if sweep else foreign_entries(path)) \
            or sorted(entry.name for entry in path.iterdir())
        shown = ", ".join(foreign[:FOREIGN_NAMES_SHOWN]) + (", ..." if len(foreign) > FOREIGN_NAMES_SHOWN else "")
        if sweep:
            raise RunDirError(_("{path} holds files that are not a Workbench sweep ({names}); give a new folder, so "
                                "that nothing of yours is overwritten.").format(path=path, names=shown))
        raise RunDirError(_("{path} holds files that are not a Workbench run ({names}); give a new folder, so that "
                            "nothing of yours is overwritten.").format(path=path, names=shown))
    previous = path.with_name(f".{path.name}.previous-{os.getpid()}-{time.monotonic_ns()}")
    os.rename(path, previous)
    return previous


def _refuse_if_in_use(path: Path) -> None:
    holder = lock_holder(path)
    if holder is not None:
        raise RunDirError(_("{path} is in use by another Workbench run (process {process}); wait for it to end or "
                            "give another folder.").format(path=path, process=holder))


def _acquire_lock(directory: Path):
    descriptor = os.open(directory / LOCK, os.O_RDWR | os.O_CREAT | NO_FOLLOW, NEW_FILE_MODE)
    stream = os.fdopen(descriptor, "r+", encoding="ascii")
    if fcntl is not None:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            stream.close()
            raise
    stream.truncate(0)
    stream.write(f"{os.getpid()}\n")
    stream.flush()
    return stream


def lock_holder(directory: Path) -> int | str | None:
    """The pid of the live process writing this run (or "unknown"), None when nobody holds it. The lock
    dies with its process, so a killed run never leaves its folder locked."""
    if fcntl is None or not (directory / LOCK).is_file():
        return None
    try:
        descriptor = os.open(directory / LOCK, os.O_RDONLY | NO_FOLLOW)
    except OSError:
        return None
    with os.fdopen(descriptor, encoding="ascii", errors="replace") as stream:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            text = stream.read().strip()
            return int(text) if text.isdigit() else "unknown"
        return None
