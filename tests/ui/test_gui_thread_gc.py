"""Python's cycle collector must never run in a worker thread of the app: it destroyed a closed window's
widgets there, which Qt forbids, and the app deadlocked. Once a background thread is used, automatic
collection is off and a timer on the GUI thread collects instead."""

from __future__ import annotations

import gc
import threading

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


def test_a_background_task_is_freed_on_the_gui_thread_even_when_its_receiver_goes_first(qtbot):
    """Qt objects of a finished task are freed on the GUI thread. superqt's workers were freed on the thread
    pool's thread, racing the GUI thread's deletion of the objects connected to their signals: a
    segmentation fault once in 2-15 minutes of back-to-back runs."""
    freed_on, answers, kept = [], [], []
    for index in range(20):
        receiver = QObject()
        task = call_in_background(lambda index=index: index, receiver, answers.append, answers.append)
        task.destroyed.connect(lambda *_: freed_on.append(threading.get_ident()))
        if index % 2:
            receiver.deleteLater()  # a window closed while its look-up was on its way
        else:
            kept.append(receiver)
    qtbot.waitUntil(lambda: len(freed_on) == 20, timeout=10_000)
    assert set(freed_on) == {threading.main_thread().ident}
    assert set(range(0, 20, 2)) <= set(answers)


def test_full_collections_wait_until_no_background_task_has_run_for_a_while(qtbot, monkeypatch):
    """A full collection walks every object the app keeps (up to 150 ms in the 30-minute soak): while a run
    trains, and for QUIET_MS after, the collector collects the younger generations only, unless the cap of
    deferred collections is reached."""
    from workbench.ui import worker

    class Job:
        def join(self, _timeout_s):
            return True

    collector = worker.GuiThreadCollector()
    collector._timer.stop()
    young, middle, old = (limit + 1 for limit in collector.thresholds)
    counts, collected = [(young, middle, old)], []
    monkeypatch.setattr(worker.gc, "get_count", lambda: counts[0])
    monkeypatch.setattr(worker.gc, "collect", collected.append)
    try:
        monkeypatch.setattr(worker, "_running", {Job()})
        collector.check()
        assert collected == [1]  # a run trains: the middle generation, not a full collection
        monkeypatch.setattr(worker, "_running", set())
        collector.check()
        assert collected == [1, 1]  # the run just ended: its end is still being shown
        collector._last_busy -= collector.QUIET_MS / 1000
        collector.check()
        assert collected == [1, 1, 2]  # quiet: the full collection
        monkeypatch.setattr(worker, "_running", {Job()})
        counts[0] = (young, middle, collector.FULL_COLLECTION_CAP + 1)
        collector.check()
        assert collected[-1] == 2  # training for long: the cap forces one
    finally:
        monkeypatch.undo()
        collector.deleteLater()
