"""The local backend: trials in a pool of spawned processes, one per core by default, each training on
one torch thread (small networks gain nothing from more, and threads of parallel trials would fight over
the cores). Outcomes come back as trials finish.

Stopping is this process's decision alone. The workers start with Ctrl-C blocked, so the Ctrl-C a
terminal sends to its whole process group reaches only this process, which then asks the workers through
a shared event: each running trial stops at its next step and writes its files ("stopped"), and no new
trial starts. Stopping at once ends the workers; their trials read back as "interrupted".
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Callable
from multiprocessing import get_context
from pathlib import Path

from workbench.core.experiment.config import ExperimentConfig
from workbench.core.i18n import _
from workbench.core.status import RunStatus
from workbench.core.sweeps.plan import Trial
from workbench.core.sweeps.results import PENDING
from workbench.core.sweeps.trial import TrialOutcome, run_trial
from workbench.core.training.runtime import RunControl

POLL_SECONDS = 0.1  # how soon the pool loop notices a finished trial, a dead worker or a request to stop at once

# In each worker: the sweep's stop flag, where it says which trial it starts, and the running trial's control.
_stop = None
_started = None
_control: RunControl | None = None


def available_cores() -> int:
    """The cores this process may run on (a container or `taskset` may allow fewer than the machine has)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def _start_worker(stop, started, niceness: int) -> None:
    import torch

    global _stop, _started
    if niceness and hasattr(os, "nice"):
        os.nice(niceness)
    torch.set_num_threads(1)
    _stop, _started = stop, started
    threading.Thread(target=_stop_when_asked, daemon=True).start()


def _stop_when_asked() -> None:
    while not _stop.value:
        time.sleep(POLL_SECONDS)
    control = _control
    if control is not None:
        control.request_stop()


def _train(base: ExperimentConfig, trial: Trial, directory: Path) -> TrialOutcome:
    global _control
    control = _control = RunControl()
    try:
        if _stop.value:  # queued before the sweep stopped: it stays to run on --resume
            return TrialOutcome(trial.id, PENDING)
        _started.put((trial.id, os.getpid()))
        return run_trial(base, trial, directory, control=control)
    finally:
        _control = None


@contextlib.contextmanager
def _ctrl_c_blocked():
    """Processes started inside inherit a blocked SIGINT; this process gets a Ctrl-C pressed meanwhile
    when the block ends."""
    if not hasattr(signal, "pthread_sigmask"):  # Windows: Ctrl-C reaches the console's processes anyway
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


class LocalBackend:
    """Runs trials in worker processes on this machine."""

    def __init__(self, parallel: int = 0, niceness: int = 0):
        self.parallel = parallel or available_cores()
        self.niceness = niceness  # the app's: its window keeps the CPU over the trials (0: as the CLI runs)
        self._context = get_context("spawn")  # a fork of a process holding torch's threads can deadlock
        # A flag in shared memory that the workers poll, not a multiprocessing.Event: setting an Event waits
        # for every process waiting on it to wake, and a worker that was killed never does.
        self._stop = self._context.RawValue("b", 0)
        self._abort = False

    def request_stop(self) -> None:
        """Running trials stop at their next step with their files written; no new trial starts."""
        self._stop.value = 1

    def request_abort(self) -> None:
        """End the workers now (safe from a signal handler: the pool loop acts on it)."""
        self._stop.value = 1
        self._abort = True

    def run(self, base: ExperimentConfig, trials: list[Trial], directory: Path,
            on_outcome: Callable[[TrialOutcome], None]) -> None:
        """Train the trials in a pool, calling on_outcome as each ends. A multiprocessing pool, not a
        concurrent.futures one: when a worker dies (killed, out of memory) it starts another and the
        other trials go on, where a ProcessPoolExecutor would end them all. The dead worker's trial is
        found by its pid and recorded failed."""
        started = self._context.SimpleQueue()
        with _ctrl_c_blocked():  # the pool starts its workers, and later their replacements, from here
            pool = self._context.Pool(min(self.parallel, len(trials)), initializer=_start_worker,
                                      initargs=(self._stop, started, self.niceness))
        waiting = {trial.id: pool.apply_async(_train, (base, trial, directory / trial.id)) for trial in trials}
        running: dict[str, int] = {}  # trial id -> the pid of the worker training it
        lost = False  # a trial whose worker died: its result never comes, so the pool cannot be joined

        def note_started() -> None:
            while not started.empty():
                trial_id, pid = started.get()
                running[trial_id] = pid

        try:
            while waiting and not self._abort:
                note_started()
                for trial_id, result in list(waiting.items()):
                    if result.ready():
                        del waiting[trial_id]
                        running.pop(trial_id, None)
                        on_outcome(_outcome(trial_id, result))
                    elif trial_id in running and not _alive(running[trial_id]):
                        del waiting[trial_id]
                        lost = True
                        on_outcome(TrialOutcome(trial_id, RunStatus.FAILED, _(
                            "the worker process training it ended unexpectedly (killed, or out of memory)")))
                time.sleep(POLL_SECONDS)
        finally:
            if self._abort or lost:
                pool.terminate()  # every trial left has ended, or is to end now
            else:
                pool.close()
                pool.join()
        if self._abort:
            note_started()
            for trial_id in running.keys() & waiting.keys():  # their run directories say "interrupted"
                on_outcome(TrialOutcome(trial_id, RunStatus.INTERRUPTED))


def _outcome(trial_id: str, result) -> TrialOutcome:
    try:
        return result.get()
    except Exception as error:  # the worker could not even take the trial (it never raises for the trial's own failure)
        return TrialOutcome(trial_id, RunStatus.FAILED, f"{type(error).__name__}: {error}")


def _alive(pid: int) -> bool:
    """Whether the process lives; the pool reaps a dead worker within a tenth of a second."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
