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
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from pathlib import Path

from workbench.core.experiment.config import ExperimentConfig
from workbench.core.i18n import _
from workbench.core.status import RunStatus
from workbench.core.sweeps.plan import Trial
from workbench.core.sweeps.results import PENDING
from workbench.core.sweeps.trial import TrialOutcome, run_trial
from workbench.core.training.engine import RunControl

POLL_SECONDS = 0.2  # how soon the pool loop notices a request to stop at once

# In each worker: the sweep's stop event, where it says which trial it starts, and the running trial's control.
_stop = None
_started = None
_control: RunControl | None = None


def available_cores() -> int:
    """The cores this process may run on (a container or `taskset` may allow fewer than the machine has)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def _start_worker(stop, started) -> None:
    import torch

    global _stop, _started
    torch.set_num_threads(1)
    _stop, _started = stop, started
    threading.Thread(target=_stop_when_asked, daemon=True).start()


def _stop_when_asked() -> None:
    _stop.wait()
    control = _control
    if control is not None:
        control.request_stop()


def _train(base: ExperimentConfig, trial: Trial, directory: Path) -> TrialOutcome:
    global _control
    control = _control = RunControl()
    try:
        if _stop.is_set():  # queued before the sweep stopped: it stays to run on --resume
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

    def __init__(self, parallel: int = 0):
        self.parallel = parallel or available_cores()
        self._context = get_context("spawn")  # a fork of a process holding torch's threads can deadlock
        self._stop = self._context.Event()
        self._abort = False

    def request_stop(self) -> None:
        """Running trials stop at their next step with their files written; no new trial starts."""
        self._stop.set()

    def request_abort(self) -> None:
        """End the workers now (safe from a signal handler: the pool loop acts on it)."""
        self._stop.set()
        self._abort = True

    def run(self, base: ExperimentConfig, trials: list[Trial], directory: Path,
            on_outcome: Callable[[TrialOutcome], None]) -> None:
        waiting = list(trials)
        while waiting and not self._stop.is_set():
            waiting = self._run_pool(base, waiting, directory, on_outcome)

    def _run_pool(self, base: ExperimentConfig, trials: list[Trial], directory: Path,
                  on_outcome: Callable[[TrialOutcome], None]) -> list[Trial]:
        """Run `trials` in a fresh pool. A worker that dies (killed, out of memory) breaks the pool: its
        trial is recorded failed and the trials that had not started are returned, to run in a new pool."""
        started = self._context.SimpleQueue()
        running: dict[str, int] = {}  # trial id -> the pid of the worker training it
        with _ctrl_c_blocked():  # the pool starts its workers in submit()
            pool = ProcessPoolExecutor(min(self.parallel, len(trials)), mp_context=self._context,
                                       initializer=_start_worker, initargs=(self._stop, started))
            futures = {pool.submit(_train, base, trial, directory / trial.id): trial for trial in trials}
        unstarted, broken, ended = [], False, False
        try:
            remaining = set(futures)
            while remaining:
                done, remaining = wait(remaining, timeout=POLL_SECONDS, return_when=FIRST_COMPLETED)
                while not started.empty():
                    trial_id, pid = started.get()
                    running[trial_id] = pid
                if self._abort and not ended:
                    self._end_workers(running)
                    ended = True
                for future in done:
                    trial = futures[future]
                    try:
                        on_outcome(future.result())
                    except BrokenProcessPool:
                        broken = True
                        if trial.id not in running:
                            unstarted.append(trial)
                        elif self._abort:
                            on_outcome(TrialOutcome(trial.id, RunStatus.INTERRUPTED))
                        else:
                            on_outcome(TrialOutcome(trial.id, RunStatus.FAILED, _(
                                "the worker process training it ended unexpectedly (killed, or out of memory)")))
                    running.pop(trial.id, None)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        if broken and len(unstarted) == len(trials) and not self._stop.is_set():  # no trial could start: no retry
            for trial in unstarted:
                on_outcome(TrialOutcome(trial.id, RunStatus.FAILED, _("the worker processes could not start")))
            return []
        return unstarted

    @staticmethod
    def _end_workers(running: dict[str, int]) -> None:
        for pid in set(running.values()):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
