"""How much disk the runs take, the most the runs folder should take (the cap), and which old runs to
offer for pruning when it takes more.

Sizes come from stat alone: no file is read, so a folder of a thousand runs is measured in milliseconds.
A sweep directory is a folder of run directories: it counts as the sum of its trials (and its two
tables). A folder that is damaged, unreadable or gone while it is measured counts what could be
stat-ed, or 0; measuring never raises.

The cap only warns: nothing is deleted unless the user confirms it (the app's prune dialog, through
rundir.manage.delete_run). The app keeps its cap in its settings; the CLI reads WORKBENCH_RUNS_CAP_MB
(unset: the default) and prints one line on stderr after a run or sweep when the folder is above it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Protocol

from workbench.core.i18n import _
from workbench.core.rundir.layout import SWEEP, runs_root
from workbench.core.status import RunStatus

MB = 1_000_000
DEFAULT_CAP_BYTES = 2_000 * MB  # 2 GB: ~10,000 preset runs of ~0.2 MB, ~1,300 24-trial sweeps of 1.5 MB (README)
CAP_ENVIRONMENT = "WORKBENCH_RUNS_CAP_MB"
MAX_DEPTH = 2  # the runs folder holds run and sweep directories; a sweep holds run directories


def directory_size(directory: Path, depth: int = MAX_DEPTH) -> int:
    """Bytes of the regular files in `directory` and, `depth` levels down, in its folders; symlinks are
    not followed (a link to elsewhere is not this folder's disk). 0 for a folder that is gone."""
    total = 0
    try:
        with os.scandir(directory) as entries:
            for entry in entries:
                try:
                    if entry.is_file(follow_symlinks=False):
                        total += entry.stat(follow_symlinks=False).st_size
                    elif depth > 0 and entry.is_dir(follow_symlinks=False):
                        total += directory_size(Path(entry.path), depth - 1)
                except OSError:  # vanished or unreadable meanwhile: what is left counts
                    continue
    except OSError:
        return 0
    return total


def runs_folder_size(root: Path | None = None) -> int:
    """Bytes the runs folder takes: its run directories and its sweeps' trials."""
    return directory_size(root or runs_root())


def format_size(size: int) -> str:
    """`1.2 MB`: bytes in the largest unit that keeps the number at or above 1 (powers of 1000)."""
    if size < 1_000:
        return _("{size} B").format(size=size)
    if size < MB:
        return _("{size:.1f} kB").format(size=size / 1_000)
    if size < 1_000 * MB:
        return _("{size:.1f} MB").format(size=size / MB)
    return _("{size:.1f} GB").format(size=size / (1_000 * MB))


def cap_from_environment(environ: Mapping[str, str] = os.environ) -> tuple[int, str]:
    """The CLI's cap in bytes (WORKBENCH_RUNS_CAP_MB, or the default), and one sentence when the variable
    holds no positive number ("" otherwise; the default is used then)."""
    text = environ.get(CAP_ENVIRONMENT, "").strip()
    if not text:
        return DEFAULT_CAP_BYTES, ""
    try:
        megabytes = float(text)
    except ValueError:
        megabytes = -1.0
    if not megabytes > 0 or megabytes == float("inf"):
        return DEFAULT_CAP_BYTES, _("{variable}={value} is not a size in MB; the cap stays at {cap}").format(
            variable=CAP_ENVIRONMENT, value=text, cap=format_size(DEFAULT_CAP_BYTES))
    return int(megabytes * MB), ""


def over_cap_sentence(size: int, cap: int, root: Path) -> str:
    """What the user is told when the runs folder is above its cap ("" when it is not)."""
    if size <= cap:
        return ""
    return _("The runs folder {path} takes {size}, above its cap of {cap}; delete old runs there (the app's "
             "Runs list → Prune old runs…) or raise the cap.").format(path=root, size=format_size(size),
                                                                       cap=format_size(cap))


class PrunableRun(Protocol):
    """What choosing runs to prune needs of a run (RunRecord satisfies it)."""

    @property
    def directory(self) -> Path | None: ...

    @property
    def status(self) -> RunStatus: ...

    @property
    def started_at(self) -> float | None: ...


def parent_directory(run) -> Path | None:
    """The directory of the run this one was forked from, live (engine.Run) or read back (its summary)."""
    parent = getattr(run, "parent", None)
    if parent is None:
        summary = getattr(run, "summary", None)
        parent = summary.get("parent") if isinstance(summary, dict) else None
    return Path(parent) if parent else None


def prune_candidates(runs: Iterable[PrunableRun], sizes: Mapping[Path, int], total: int, cap: int,
                     keep: Iterable[PrunableRun] = ()) -> list[PrunableRun]:
    """The oldest finished runs whose deletion brings `total` to `cap` or below, oldest first. Never a
    run in `keep` (the selected ones), one still training, one that another run was forked from, a
    sweep's trial (its sweep's table lists it), nor one without a directory. When even all of them would
    not do, all of them."""
    runs = list(runs)
    kept = {id(run) for run in keep}
    parents = {parent.resolve() for run in runs if (parent := parent_directory(run)) is not None}
    offered: list[PrunableRun] = []
    for run in sorted(runs, key=lambda run: run.started_at or 0.0):
        if total <= cap:
            break
        directory = run.directory
        if (id(run) in kept or directory is None or run.status == RunStatus.RUNNING
                or directory.resolve() in parents or (directory.parent / SWEEP).exists()
                or sizes.get(directory, 0) <= 0):
            continue
        offered.append(run)
        total -= sizes[directory]
    return offered
