"""The GUI thread's stalls, as the benchmarks measure them: a 10 ms QTimer on the GUI thread, each tick's
lateness (ms) a stall of that length.

The soak marks the moments when the window changes what it shows (a run starts or ends, a tab is switched)
and the stretches when no run trains (the window idle, the app open): a stall is then told apart as one
in the second after a change, one on the idle window (this machine's noise floor: other processes, the
timer's own jitter) or one while a run simply trains.
"""

from __future__ import annotations

import math
import sys
import threading
from collections import Counter
from dataclasses import dataclass

import numpy as np

PROBE_INTERVAL_MS = 10
AFTER_CHANGE_MS = 1000  # a change's stalls: those in the second after it


@dataclass(frozen=True)
class Stalls:
    """All stalls so far, in three parts."""

    after_changes: np.ndarray  # within AFTER_CHANGE_MS of a run start, run end or tab switch
    idle: np.ndarray  # on the idle window, away from changes: the noise floor
    training: np.ndarray  # the rest: while a run loads or trains


class StallProbe:
    def __init__(self):
        from PySide6.QtCore import QElapsedTimer, Qt, QTimer

        self._clock = QElapsedTimer()
        self._timer = QTimer(interval=PROBE_INTERVAL_MS, timerType=Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._tick)
        self._last_ms = 0.0
        self._pending: list[tuple[float, float]] = []  # (tick time, stall) in ms
        self.windows: list[np.ndarray] = []  # one (n, 2) array of (tick time, stall) per take()
        self.changes_ms: list[float] = []  # when the shown content changed
        self.change_kinds: list[str] = []  # ...and how (a run start, a tab switch, ...)
        self._idle_ms: list[list[float]] = []  # [start, end] of each stretch with no run training

    def start(self) -> None:
        self._clock.start()
        self._last_ms = 0.0
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def now_ms(self) -> float:
        return self._clock.nsecsElapsed() / 1e6

    def mark_change(self, kind: str) -> None:
        self.changes_ms.append(self.now_ms())
        self.change_kinds.append(kind)

    def mark_idle(self, idle: bool) -> None:
        """The window is idle (no run trains) from now on, or no longer."""
        if idle and not (self._idle_ms and math.isinf(self._idle_ms[-1][1])):
            self._idle_ms.append([self.now_ms(), math.inf])
        elif not idle and self._idle_ms and math.isinf(self._idle_ms[-1][1]):
            self._idle_ms[-1][1] = self.now_ms()

    @property
    def last_tick_ms(self) -> float:
        return self._last_ms

    def _tick(self) -> None:
        now = self.now_ms()
        self._pending.append((now, max(now - self._last_ms - PROBE_INTERVAL_MS, 0.0)))
        self._last_ms = now

    def take(self) -> np.ndarray:
        """The stalls since the previous take(), kept (as float32, with their times) for the overall figures."""
        ticks = np.asarray(self._pending, dtype=np.float32).reshape(-1, 2)  # 0.1 ms steps after 30 min
        self._pending = []
        self.windows.append(ticks)
        return ticks[:, 1]

    def forget(self) -> None:
        self.take()
        self.windows.clear()

    def all_stalls(self) -> np.ndarray:
        self.take()
        return np.concatenate(self.windows)[:, 1]

    def split(self) -> Stalls:
        self.take()
        ticks = np.concatenate(self.windows).astype(np.float64)
        near, idle = self.where(ticks[:, 0])
        stalls = ticks[:, 1]
        return Stalls(after_changes=stalls[near], idle=stalls[idle & ~near], training=stalls[~idle & ~near])

    def where(self, times: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each moment (ms): whether it is within AFTER_CHANGE_MS of a change, and whether the window was
        idle then (a tick belongs to the stretch it ends: its stall happened there)."""
        near = np.zeros(len(times), dtype=bool)
        if self.changes_ms:
            changes = np.asarray(self.changes_ms)
            latest = np.searchsorted(changes, times, side="right") - 1  # the change before each moment
            near = (latest >= 0) & (times - changes[np.maximum(latest, 0)] <= AFTER_CHANGE_MS)
        idle = np.zeros(len(times), dtype=bool)
        for start, end in self._idle_ms:
            idle |= (times > start) & (times <= end)
        return near, idle


class CollectorPauses:
    """Every cycle collection on the GUI thread (the app runs them there only: workbench/ui/worker.py), its
    generation and pause, timed on the probe's clock so that each can be placed like a stall."""

    def __init__(self, probe: StallProbe):
        import gc
        import threading

        self._probe, self._gui_thread = probe, threading.get_ident()
        self._started = 0.0
        self.pauses: list[tuple[float, int, float]] = []  # (start ms, generation, pause ms)
        gc.callbacks.append(self._heard)

    def stop(self) -> None:
        import gc

        gc.callbacks.remove(self._heard)

    def _heard(self, phase: str, info: dict) -> None:
        import threading

        if threading.get_ident() != self._gui_thread:
            return
        if phase == "start":
            self._started = self._probe.now_ms()
        else:
            self.pauses.append((self._started, info["generation"], self._probe.now_ms() - self._started))

    def report(self) -> list[str]:
        lines = []
        for generation, name in ((0, "young"), (1, "middle"), (2, "full")):
            found = np.asarray([(start, pause) for start, gen, pause in self.pauses if gen == generation])
            if not len(found):
                continue
            near, idle = self._probe.where(found[:, 0])
            lines.append(f"{name} collections: {len(found)}, worst {found[:, 1].max():.1f} ms "
                         f"({int((~near & ~idle).sum())} while a run trained, {int(near.sum())} within "
                         f"{AFTER_CHANGE_MS / 1000:g} s of a change, {int((idle & ~near).sum())} on the idle window)")
        return lines


class StallTracer:
    """Where the GUI thread was during its long stalls: a thread that, while the probe's next tick is more
    than `threshold_ms` overdue, samples the GUI thread's Python stack every SAMPLE_MS. Opt-in (soak_gui.py
    --trace-stalls): each sample takes the GIL, which the GUI thread may then wait for. A stall spent in Qt's
    own code (painting, layout) shows as the Python frame that called into Qt, or the event loop's exec();
    one spent waiting for the GIL shows wherever the GUI thread was when it asked for it."""

    SAMPLE_MS = 2
    FRAMES = 3  # innermost frames kept per sample

    def __init__(self, probe: StallProbe, threshold_ms: float):
        self._probe, self._threshold = probe, threshold_ms
        self._gui_thread = threading.get_ident()
        self.stalls: dict[float, tuple[float, Counter]] = {}  # last tick (ms) -> (longest overdue, samples)
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="stall tracer", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join()

    def _watch(self) -> None:
        while not self._stopped.wait(self.SAMPLE_MS / 1000):
            last = self._probe.last_tick_ms
            overdue = self._probe.now_ms() - last - PROBE_INTERVAL_MS
            frame = sys._current_frames().get(self._gui_thread) if overdue > self._threshold else None
            if frame is not None:
                longest, samples = self.stalls.get(last, (0.0, Counter()))
                samples[_innermost(frame, self.FRAMES)] += 1
                self.stalls[last] = (max(longest, overdue), samples)
            # a frame held while this thread waits keeps its locals alive: a QPainter made in a paintEvent
            # would outlive the paint ("QBackingStore::endPaint() called with active painter")
            del frame

    def report(self, count: int = 8) -> list[str]:
        """The `count` longest traced stalls: length, when (by StallProbe.where) and the places sampled."""
        worst = sorted(self.stalls.items(), key=lambda item: -item[1][0])[:count]
        if not worst:
            return [f"no stall over {self._threshold:g} ms was traced"]
        # placed where the stall ends, as a tick's stall is (the change that caused it came after the last tick)
        near, idle = self._probe.where(np.asarray([last + longest for last, (longest, _) in worst]))
        lines = []
        for (last, (longest, samples)), after_change, quiet in zip(worst, near, idle, strict=True):
            when = "after a change" if after_change else "idle window" if quiet else "while training"
            lines.append(f"{longest:6.1f} ms at {last / 1000:7.1f} s ({when}), {samples.total()} samples:")
            lines += [f"    {n:3d} x {place}" for place, n in samples.most_common(3)]
        return lines


def _innermost(frame, depth: int) -> str:
    """The innermost `depth` frames as text, read from the frames alone: reading source lines (as traceback
    does) would release the GIL while this thread still holds the GUI thread's frames."""
    places = []
    while frame is not None and len(places) < depth:
        places.append(f"{frame.f_code.co_filename.rsplit('/', 2)[-1]}:{frame.f_lineno} {frame.f_code.co_name}")
        frame = frame.f_back
    return " < ".join(places)


def worst_by_change(probe: StallProbe) -> dict[str, tuple[float, int]]:
    """Per kind of change: the worst stall in the second after one, and how many such changes there were."""
    probe.take()
    ticks = np.concatenate(probe.windows).astype(np.float64) if probe.windows else np.zeros((0, 2))
    worst: dict[str, tuple[float, int]] = {}
    changes = np.asarray(probe.changes_ms)
    for kind in dict.fromkeys(probe.change_kinds):
        count = probe.change_kinds.count(kind)
        worst[kind] = (0.0, count)
    if len(changes) and len(ticks):
        latest = np.searchsorted(changes, ticks[:, 0], side="right") - 1
        near = (latest >= 0) & (ticks[:, 0] - changes[np.maximum(latest, 0)] <= AFTER_CHANGE_MS)
        for index, stall in zip(latest[near], ticks[near, 1], strict=True):
            kind = probe.change_kinds[index]
            if stall > worst[kind][0]:
                worst[kind] = (float(stall), worst[kind][1])
    return worst


def describe(stalls: np.ndarray) -> str:
    if not len(stalls):
        return "no probe ticks"
    return (f"worst {stalls.max():6.1f} ms, p99.9 {np.percentile(stalls, 99.9):5.1f} ms, "
            f"p99 {np.percentile(stalls, 99):5.1f} ms")
