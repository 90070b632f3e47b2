"""Work left to a later turn of the event loop, so that the GUI thread answers input and paints in between.

`QTimer.singleShot(0, ...)` does not do that: Qt posts a zero-delay single shot as an event, and the event
loop sends every posted event, those posted meanwhile too, before it looks at its timers again, so the work
ran in the same turn as what asked for it. A 1 ms timer fires after that turn.

The timer is one the owner keeps, connected once to a bound method: `QTimer.singleShot(1, context, callable)`
builds a new timer and a new Python connection for every call and deletes both when it fires, which
at every run's start and end is churn for nothing. Work queued for a deleted owner is
dropped with it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

NEXT_TURN_MS = 1


class NextTurn(QObject):
    """A queue of work for a later turn of the event loop, dropped with the object that owns it."""

    def __init__(self, owner: QObject) -> None:
        super().__init__(owner)
        self._work: list[Callable[[], None]] = []
        self._timer = QTimer(self, singleShot=True, interval=NEXT_TURN_MS)
        self._timer.timeout.connect(self._run)

    def call(self, work: Callable[[], None]) -> None:
        """Call `work` on a later turn; work queued already (the same bound method) is not queued twice."""
        if work not in self._work:
            self._work.append(work)
        self._timer.start()

    def _run(self) -> None:
        work, self._work = self._work, []
        for item in work:
            item()
