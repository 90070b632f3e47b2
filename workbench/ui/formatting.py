"""How the app writes numbers, durations, setting values and run statuses: one place, so that the same value
reads the same in the plots' hover readouts, the bar labels, the runs list, the status bar and the Compare
tables.

A diverged run logs losses like 4.772361500884992e+18 and NaN: these print as "4.8e18" and "–", never
as twenty digits or "nan".
"""

from __future__ import annotations

import math
import time
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from workbench.core.experiment.values import format_value
from workbench.core.status import RunStatus

# The dash core.reports.comparison writes for a missing metric in the exported tables (a test holds the
# two equal): that module is imported only where a metric is written, because it loads torch (its
# run-directory reader does), and the window paints before torch is imported.
MISSING = "–"
# Beyond these magnitudes fixed-point digits stop being readable: scientific notation takes over.
LARGE_MAGNITUDE = 1e5
SMALL_MAGNITUDE = 1e-4
LOSS_DECIMALS = 4  # the metric table's losses: as the exported reports print them
# What the app calls each status (summary.json keeps the enum's value, which programs read)
STATUS_LABELS = {
    RunStatus.RUNNING: QT_TRANSLATE_NOOP("RunStatus", "running"),
    RunStatus.COMPLETED: QT_TRANSLATE_NOOP("RunStatus", "completed"),
    RunStatus.EARLY_STOPPED: QT_TRANSLATE_NOOP("RunStatus", "early_stopped"),
    RunStatus.STOPPED: QT_TRANSLATE_NOOP("RunStatus", "stopped"),
    RunStatus.DIVERGED: QT_TRANSLATE_NOOP("RunStatus", "diverged"),
    RunStatus.FAILED: QT_TRANSLATE_NOOP("RunStatus", "failed"),
    RunStatus.INTERRUPTED: QT_TRANSLATE_NOOP("RunStatus", "interrupted"),
    RunStatus.UNKNOWN: QT_TRANSLATE_NOOP("RunStatus", "unknown"),
}
PAUSED = QT_TRANSLATE_NOOP("RunStatus", "paused")  # a running run the user paused: its record says running
# a run that has trained while short runs test its findings' fixes (its record already says how it ended)
TESTING = QT_TRANSLATE_NOOP("RunStatus", "testing fixes")


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def scientific(value: float, digits: int) -> str:
    """4.772e18 -> "4.8e18" with up to `digits` significant digits, as short as "%g" writes them: no
    trailing zeros, no "+" and no leading zeros in the exponent (1e9, not 1.00000e+09)."""
    mantissa, _, exponent = f"{value:.{max(0, digits - 1)}e}".partition("e")
    if "." in mantissa:
        mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}e{int(exponent)}"


def number(value: Any, digits: int = 4) -> str:
    """A measured value to `digits` significant digits; huge or tiny ones in scientific notation, a
    missing or non-finite one as a dash."""
    if not is_number(value):
        return MISSING
    magnitude = abs(value)
    if magnitude and (magnitude >= LARGE_MAGNITUDE or magnitude < SMALL_MAGNITUDE):
        return scientific(value, digits)
    return f"{value:.{digits}g}"


def loss(value: Any) -> str:
    """A loss with LOSS_DECIMALS decimals while that is readable, else in scientific notation."""
    if is_number(value) and abs(value) < LARGE_MAGNITUDE:
        return f"{value:.{LOSS_DECIMALS}f}"
    return number(value, 2)


def percent(value: Any) -> str:
    return f"{value:.1%}" if is_number(value) else MISSING


def duration(seconds: float) -> str:
    """1:02:03 or 2:03 (no hours), never negative."""
    seconds = max(0, round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def start_time(timestamp: float | None, *, seconds: bool = False) -> str:
    """When a run started, in local time, as 2025-03-14 09:26: this order reads the same in every language
    and sorts as text."""
    if timestamp is None:
        return MISSING
    return time.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M", time.localtime(timestamp))


def steps_per_second(rate: float) -> str:
    """Training speed: "12,346 steps/s"."""
    return QCoreApplication.translate("Formatting", "{rate} steps/s").format(rate=f"{rate:,.0f}")


def status_label(status: RunStatus | str) -> str:
    """A run's status as the app shows it, in the app's language; "paused" is the app's own."""
    return QCoreApplication.translate("RunStatus", STATUS_LABELS.get(status, status))


def setting(value: Any) -> str:
    """A setting's value as the experiment file writes it, names without quotes: 0.1, true, [64, 64], relu
    (as the exported comparisons show settings)."""
    return value if isinstance(value, str) else format_value(value)


def metric(key: str, value: Any) -> str:
    """A cell of the Compare metric table: the exported reports' format, losses kept readable."""
    from workbench.core.reports.comparison import format_metric

    return loss(value) if key.endswith("_loss") else format_metric(key, value)
