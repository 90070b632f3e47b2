"""Where a crash of the app leaves its evidence. A segmentation fault in Qt or torch kills the process before
any Python handler can run, so nothing would say where it happened; faulthandler writes every thread's Python
stack to a log file at that moment (not to the terminal: a user never sees a traceback), appended per crash.

The log lives in the user's log directory (platformdirs: ~/.local/state/workbench/log on Linux), or where
WORKBENCH_CRASH_LOG points. (Two crashes of the 30-minute GUI soak, in libpython and in libQt6Gui, left
only a line in the kernel log.)
"""

from __future__ import annotations

import faulthandler
import os
from pathlib import Path
from typing import TextIO

CRASH_LOG_NAME = "crash.log"
_open_log: TextIO | None = None  # kept open for the life of the process: faulthandler writes to its descriptor


def crash_log_path() -> Path:
    configured = os.environ.get("WORKBENCH_CRASH_LOG")
    if configured:
        return Path(configured)
    from platformdirs import user_log_dir

    return Path(user_log_dir("workbench")) / CRASH_LOG_NAME


def record_crashes() -> Path | None:
    """From now on a fatal signal writes every thread's stack to the crash log; its path, or None where the
    log cannot be opened (a read-only home: the app runs on without it)."""
    global _open_log
    path = crash_log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        log = path.open("a", encoding="utf-8")
    except OSError:
        return None
    if _open_log is not None:
        _open_log.close()
    _open_log = log
    faulthandler.enable(file=log, all_threads=True)
    return path
