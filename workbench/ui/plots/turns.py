"""Work left to a later turn of the event loop, so that the GUI thread answers input and paints in between.

`QTimer.singleShot(0, ...)` does not do that: Qt posts a zero-delay single shot as an event, and the event
loop sends every posted event, those posted meanwhile too, before it looks at its timers again, so the work
ran in the same turn as what asked for it. A 1 ms timer fires after that turn.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

NEXT_TURN_MS = 1


def on_next_turn(receiver: QObject, work: Callable[[], None]) -> None:
    """Call `work` on a later turn of the event loop, unless `receiver` has been deleted by then."""
    QTimer.singleShot(NEXT_TURN_MS, receiver, work)
