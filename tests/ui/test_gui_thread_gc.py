"""Python's cycle collector must never run in a worker thread of the app: it destroyed a closed window's
widgets there, which Qt forbids, and the app deadlocked. Once a background thread is used, automatic
collection is off and a timer on the GUI thread collects instead."""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject

from workbench.ui.worker import call_in_background


def test_background_work_leaves_collection_to_the_gui_thread(qtbot):
    receiver = QObject()
    answers = []
    call_in_background(lambda: 6 * 7, receiver, answers.append, answers.append)
    qtbot.waitUntil(lambda: answers == [42])
    assert not gc.isenabled()  # no allocation in a worker can start a collection there

    class Cycle:
        pass

    garbage = Cycle()
    garbage.itself = garbage
    collected = []
    gc.callbacks.append(lambda phase, info: collected.append(phase))
    del garbage
    for _ in range(2000):  # enough cycles that the timer finds generation 0 over its threshold
        more = Cycle()
        more.itself = more
    try:
        qtbot.waitUntil(lambda: "stop" in collected, timeout=5000)  # the GUI thread's timer collected
    finally:
        gc.callbacks.pop()
