"""Training and slow look-ups on background threads, so the GUI thread never waits on torch.

A TrainingJob drives `Run.iter_fit()` in a BackgroundTask. Step reports are not sent as signals (a
batch-size-1 run yields hundreds a second): the job keeps the newest in `latest_step` and the GUI's
refresh timer reads it. Epoch ends arrive as the task's `yielded` signal, the end as `finished`.

Each task runs on a Python thread of its own, and every Qt object it touches is freed on the GUI thread:
the task joins its thread there before it is deleted. superqt's workers (QRunnables on Qt's thread pool)
did not: the pool deleted a finished worker on its own thread, where the worker's last reference went and
with it its signals' QObject, while the GUI thread was deleting the Relay connected to those signals.
Qt then asked the half-deleted sender for its `disconnectNotify`, which PySide looked up on a freed Python
object: the app crashed with a segmentation fault in the event loop at a run start (where the runs
folder's size is measured in the background), every 5-15 minutes of the GUI soak.

Task signals reach their callbacks through a Relay owned by the receiving widget: when the widget is
deleted (a window closed while a look-up was still on its way), the answer is dropped with it.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot

# Niceness of the training thread above the GUI thread's. Measured on a loaded 2-core machine: the GUI
# thread's stalls were mostly time spent runnable but waiting for a CPU (/proc schedstat), and +10
# roughly halved the worst stall (tests/bench/bench_gui.py). Where cores are free it costs nothing.
TRAINING_NICENESS = 10
MAX_NICENESS = 19


def lower_training_thread_priority() -> None:
    """Let the GUI thread win the CPU over the calling (training) thread. Linux only: elsewhere
    setpriority cannot address one thread. Threads this one starts (torch's) inherit the value."""
    if sys.platform != "linux":
        return
    try:
        target = min(MAX_NICENESS, os.getpriority(os.PRIO_PROCESS, os.getpid()) + TRAINING_NICENESS)
        thread = threading.get_native_id()
        if os.getpriority(os.PRIO_PROCESS, thread) < target:
            os.setpriority(os.PRIO_PROCESS, thread, target)
    except OSError:
        pass  # not permitted here: training simply keeps the default priority


def return_freed_memory() -> None:
    """Give the heap pages a finished run freed back to the system. glibc keeps them in the training
    thread's malloc arena, fragmented, so the app's resident memory grew ~6 MB per run; trimming
    after each run cut that to ~2 MB (a back-to-back soak of 12-16 runs). The call costs a few ms, on
    the training thread. Linux with glibc only: elsewhere there is nothing to call."""
    if sys.platform != "linux":
        return
    with contextlib.suppress(OSError, AttributeError):  # a libc without malloc_trim (musl) keeps it
        ctypes.CDLL(None).malloc_trim(0)


class GuiThreadCollector(QObject):
    """Python's cycle collector, run by a timer on the GUI thread only, with full collections kept for when
    no background task runs.

    Run in a training thread, the collector destroyed a closed window's widgets there (a QMenu's destructor
    on the worker while the GUI thread was deleting widgets too), which Qt forbids: the app deadlocked (seen
    in the UI tests, 1 run in ~5 of two test files). So automatic collection is off and this timer collects,
    by the interpreter's own thresholds, as pyqtgraph's GarbageCollector did. Two things differ, both for
    the GUI thread's stalls (tests/bench/soak_gui.py reports every collection's pause): it looks every
    CHECK_INTERVAL_MS rather than every 0.5 s, so a young generation holds a tenth of a second's objects
    while a run trains (its collections took up to 28 ms), and a full collection, which walks every object
    the app keeps (35-57 ms after 5 minutes, up to 150 ms after 30), waits until no background task has run
    for QUIET_MS (past a run's end and the refresh that shows it), unless FULL_COLLECTION_CAP collections of
    the middle generation went by without one."""

    CHECK_INTERVAL_MS = 100
    QUIET_MS = 1500
    FULL_COLLECTION_CAP = 300  # middle-generation collections: ~5 minutes of a run training nonstop

    def __init__(self):
        from PySide6.QtCore import QTimer

        super().__init__(QCoreApplication.instance())
        self.thresholds = gc.get_threshold()
        gc.disable()
        self._last_busy = time.monotonic()
        self._timer = QTimer(self, interval=self.CHECK_INTERVAL_MS)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    @Slot()
    def check(self) -> None:
        now = time.monotonic()
        if _running:
            self._last_busy = now
        young, middle, old = gc.get_count()
        quiet = (now - self._last_busy) * 1000 >= self.QUIET_MS
        if old > self.thresholds[2] and (quiet or old > self.FULL_COLLECTION_CAP):
            gc.collect(2)
        elif young > self.thresholds[0]:
            gc.collect(1 if middle > self.thresholds[1] else 0)


_gui_thread_collector: GuiThreadCollector | None = None


def _collect_garbage_in_gui_thread() -> None:
    """Before the first background thread starts, turn automatic collection off and collect on the GUI
    thread instead (GuiThreadCollector), once per process."""
    global _gui_thread_collector
    if _gui_thread_collector is None:
        _gui_thread_collector = GuiThreadCollector()


class BackgroundTask(QObject):
    """`work(task)` on a thread of its own; it reports through the task's signals, which reach the GUI
    thread queued. Until its thread has ended and been joined, the task is a child of the application
    (kept, whoever else lets go of it), then it is deleted on the GUI thread."""

    yielded = Signal(object)
    returned = Signal(object)
    errored = Signal(object)
    finished = Signal()

    def __init__(self, work: Callable[[BackgroundTask], None], name: str):
        super().__init__(QCoreApplication.instance())
        self._work = work
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> None:
        """Start the thread; connect the receivers of `finished` first (they hear it before the reaping)."""
        _collect_garbage_in_gui_thread()
        self.finished.connect(self._reap)
        _running.add(self)
        self._thread.start()

    def _run(self) -> None:  # on the task's thread
        try:
            self._work(self)
        finally:
            self.finished.emit()

    @Slot()
    def _reap(self) -> None:
        """On the GUI thread, after every other receiver of `finished`: the thread is ending (its last
        act was the signal), so the join is short; only then may the task's last references go."""
        self._thread.join()
        _running.discard(self)
        self.deleteLater()

    def join(self, timeout_s: float) -> bool:
        self._thread.join(timeout_s)
        return not self._thread.is_alive()


_running: set[BackgroundTask] = set()  # started and not yet reaped; touched on the GUI thread only


def running_tasks() -> int:
    """Background tasks started and not yet reaped (their `finished` not yet delivered)."""
    return len(_running)


def wait_for_background(timeout_s: float) -> bool:
    """Wait (at most timeout_s) for every background thread to end; True when all have."""
    deadline = time.monotonic() + timeout_s
    return all(task.join(max(0.0, deadline - time.monotonic())) for task in list(_running))


class Relay(QObject):
    """Delivers a task's `returned`, `errored`, `yielded` and `finished` signals to plain callables on
    the receiver's thread, for as long as the receiver lives; deletes itself after `finished`."""

    def __init__(self, worker: BackgroundTask, receiver: QObject, **callbacks: Callable):
        super().__init__(receiver)
        self._callbacks = callbacks
        slots = {"returned": self._returned, "errored": self._errored, "yielded": self._yielded,
                 "finished": self._finished}
        for name in callbacks:
            getattr(worker, name).connect(slots[name])
        worker.finished.connect(self.deleteLater)

    @Slot(object)
    def _returned(self, value) -> None:
        self._callbacks["returned"](value)

    @Slot(object)
    def _errored(self, error) -> None:
        self._callbacks["errored"](error)

    @Slot(object)
    def _yielded(self, value) -> None:
        self._callbacks["yielded"](value)

    @Slot()
    def _finished(self) -> None:
        self._callbacks["finished"]()


@dataclass(frozen=True)
class Outcome:
    """How a job ended. `error` is one sentence for the user (never a traceback); `data_problem` marks
    a dataset that could not be loaded, which the app shows as a dialog about the data."""

    error: str = ""
    data_problem: bool = False


class TrainingJob:
    """One run on a background thread. Pause/stop go through the run's RunControl (checked every step)."""

    def __init__(self, run):
        self.run = run
        self.latest_step = None  # the newest StepReport, written by the worker thread
        self.outcome: Outcome | None = None
        self.save_problem_reported = False  # the user is told once that the run directory cannot be written
        self.done = threading.Event()  # set when the run has fully finished (files written)

    def _drive(self, task: BackgroundTask) -> None:
        from workbench.core.data.bundle import DatasetError
        from workbench.core.training.runtime import EpochReport

        lower_training_thread_priority()
        try:
            for report in self.run.iter_fit():
                if isinstance(report, EpochReport):
                    task.yielded.emit(report)
                else:
                    self.latest_step = report
            self.outcome = Outcome()
        except DatasetError as error:  # raised while loading, before the run began (the run is "failed")
            self.outcome = Outcome(str(error), data_problem=True)
        except Exception as error:  # the run is marked failed with its records kept; show one sentence
            self.outcome = Outcome(self.run.error or f"{type(error).__name__}: {error}")
        finally:
            self.run.release_training_state()  # the model and data tensors go before the heap is trimmed
            return_freed_memory()
            self.done.set()

    def start(self, receiver: QObject, on_epoch: Callable, on_finished: Callable) -> None:
        task = BackgroundTask(self._drive, name=f"training {self.run.config.name}")
        Relay(task, receiver, yielded=on_epoch, finished=on_finished)
        task.start()

    def wait(self, timeout_s: float) -> bool:
        return self.done.wait(timeout_s)


def warm_up_torch() -> str:
    """Import torch and the engine, then train one tiny step and freeze the garbage collector.

    torch creates ~230k objects at the first optimizer step; a full collection walking them stalls
    both threads for 120-200 ms (DESIGN.md, measured pitfalls). Freezing them here keeps the GUI
    smooth from the first run on. Returns the name of the device `auto` picks.
    """
    import torch

    from workbench.core.training import engine, models, runtime  # noqa: F401  (imported here so no later import waits)

    layer = torch.nn.Linear(2, 2)
    optimizer = torch.optim.Adam(layer.parameters())
    layer(torch.zeros(1, 2)).sum().backward()
    optimizer.step()
    runtime.freeze_torch_objects_once()  # the runs that follow find it done
    return runtime.device_label(runtime.choose_device("auto"))


def call_in_background(function: Callable[[], Any], receiver: QObject, on_result: Callable[[Any], None],
                       on_error: Callable[[Exception], None]) -> BackgroundTask:
    """Run `function` on a background thread; its result or exception reaches `receiver` on the GUI thread
    (or nowhere, if the receiver was deleted meanwhile)."""

    def work(task: BackgroundTask) -> None:
        try:
            result = function()
        except Exception as error:  # noqa: BLE001 (every failure goes to on_error, as one sentence there)
            task.errored.emit(error)
        else:
            task.returned.emit(result)

    task = BackgroundTask(work, name=getattr(function, "__name__", "look-up"))
    Relay(task, receiver, returned=on_result, errored=on_error)
    task.start()
    return task
