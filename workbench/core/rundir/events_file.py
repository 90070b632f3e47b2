"""`events.csv`: the settings a user steered while the run trained, one row per change (CONTRACTS.md
section 5): step, epoch, key, old, new. `step` is the optimizer steps taken when the change applied (it
acts from step + 1 on). Rewritten whole with the epoch files; read back without ever raising."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

from workbench.core.files import open_regular_file
from workbench.core.history import SettingChange
from workbench.core.i18n import _, ngettext
from workbench.core.rundir.history_store import READ_ERRORS

EVENTS_HEADER = ["step", "epoch", "key", "old", "new"]


def events_text(changes: list[SettingChange]) -> str:
    rows = [",".join(EVENTS_HEADER)]
    rows += [f"{change.step},{change.epoch},{change.key},{change.old!r},{change.new!r}" for change in changes]
    return "\n".join(rows) + "\n"


def read_changes(path: Path) -> tuple[list[SettingChange], str]:
    """The changes in an events.csv, and what could not be read ("" when all was well). A missing file
    (a run from before steering) holds none; a damaged row is skipped and named."""
    if not path.exists():
        return [], ""
    try:
        with open_regular_file(path) as binary, io.TextIOWrapper(binary, encoding="utf-8", newline="") as stream:
            reader = csv.reader(stream)
            header = next(reader, [])
            if header != EVENTS_HEADER:
                return [], _("{file} has the columns {found}, not {expected}: the changes made while training "
                             "are not shown").format(file=path.name, found=", ".join(header) or "-",
                                                     expected=", ".join(EVENTS_HEADER))
            changes, skipped = [], 0
            for row in reader:
                change = _change(row)
                if change is None:
                    skipped += 1
                else:
                    changes.append(change)
    except READ_ERRORS as error:
        return [], _("{file} unreadable ({error}): the changes made while training are not shown").format(
            file=path.name, error=error)
    if not skipped:
        return changes, ""
    return changes, ngettext("{file}: {count} damaged row skipped", "{file}: {count} damaged rows skipped",
                             skipped).format(file=path.name, count=skipped)


def _change(row: list[str]) -> SettingChange | None:
    if len(row) != len(EVENTS_HEADER):
        return None
    try:
        step, epoch, old, new = int(row[0]), int(row[1]), float(row[3]), float(row[4])
    except ValueError:
        return None
    if step < 0 or epoch < 1 or not row[2] or not (math.isfinite(old) and math.isfinite(new)):
        return None
    return SettingChange(step=step, epoch=epoch, key=row[2], old=old, new=new)
