"""Where a run's time goes: per epoch, the seconds its steps spent getting the batch (data), in the
forward pass and loss, in the backward pass, in the optimizer step and in probes and reporting, and the
seconds of the epoch's end (metrics, activation statistics, records); plus, on a GPU, the peak memory and
the utilisation. One row per epoch goes into history.timings (columns: history.TIMING_COLUMNS).

The cost is one perf_counter() call at each phase boundary, seven per step on the CPU (six of them took
1.4 µs in all, 0.2-0.4% of the engine's throughput: tests/bench/bench_engine.py). On the CPU every step is
timed as it runs. A GPU runs asynchronously: the CPU only queues kernels, so a clock read at a boundary
says when work was queued, not when it ran. There, every SYNC_EVERY-th step (the first of each epoch among
them) and every probe step (which waits for the device anyway) is timed with the device synchronized at
each boundary, and the epoch's measured step time is split in the shares those steps show.
"""

from __future__ import annotations

import math
from time import perf_counter

import torch

from workbench.core.history import STEP_PHASES, RunHistory

SYNC_EVERY = 16  # on a GPU, one step in this many is timed with the device synchronized
MEBIBYTE = 2**20


class PhaseClock:
    """Accumulates one epoch's seconds per phase: `start_epoch()`, then per step `start_step()` and
    `lap(phase)` at the end of each phase (inside train_step through its callbacks),
    `end_steps()` after the last step, and `end_epoch()` once the epoch's end is done, which appends the
    row to the history; `exclude_pause(seconds)` after a pause leaves it out."""

    def __init__(self, device: torch.device):
        self.device = device
        self._synchronize = {"cuda": torch.cuda.synchronize, "mps": torch.mps.synchronize}.get(device.type)
        self._utilization_readable = device.type == "cuda"  # until torch.cuda.utilization() says otherwise
        self.seconds = dict.fromkeys(STEP_PHASES, 0.0)
        self._unsynchronized = dict.fromkeys(STEP_PHASES, 0.0)  # GPU steps not timed: queueing times only
        self._sink = self.seconds
        self._sync_now = False
        self._last = self._epoch_start = self._steps_end = 0.0
        self._steps = self._probes = self._timed_steps = self._timed_probes = 0
        self._steps_s = 0.0
        self._utilization = math.nan

    def start_epoch(self) -> None:
        """The epoch begins: drawing its batches is data, the epoch's first probes are probes (laps)."""
        self.seconds = dict.fromkeys(STEP_PHASES, 0.0)
        self._sink, self._sync_now = self._untimed_sink(), False
        self._steps = self._probes = self._timed_steps = self._timed_probes = 0
        if self.device.type == "cuda":
            torch.cuda.reset_peak_memory_stats(self.device)
        self._epoch_start = self._last = perf_counter()

    def start_step(self, probing: bool) -> None:
        """A step begins: its phases are timed from here. On the CPU what came since the last lap (the loop's
        checks between steps, steering, probe callbacks) is probes, so that the phases add up to the step time
        exactly; a GPU's split is scaled to it anyway (_split_like_timed_steps)."""
        self._steps += 1
        self._probes += probing
        if self._synchronize is None:
            self.lap("probes")
            return
        self._sync_now = probing or self._steps % SYNC_EVERY == 1  # the first step of each epoch too
        self._sink = self.seconds if self._sync_now else self._unsynchronized
        if self._sync_now:
            self._synchronize()
            self._timed_steps += 1
            self._timed_probes += probing
        self._last = perf_counter()

    def exclude_pause(self, seconds: float) -> None:
        """The run was paused this long since the last lap: no phase's time, nor the epoch's step time."""
        self._last += seconds
        self._epoch_start += seconds

    def lap(self, phase: str) -> None:
        """`phase` (one of STEP_PHASES) ends now."""
        if self._sync_now:
            self._synchronize()
        now = perf_counter()
        self._sink[phase] += now - self._last
        self._last = now

    def end_steps(self) -> None:
        """The epoch's last step is done (what came after its last lap, the last batch losses copied, is
        probes): its wall-clock step time is measured; the epoch's end begins."""
        self._sink, self._sync_now = self._untimed_sink(), self._synchronize is not None
        self.lap("probes")
        self._steps_end = self._last
        self._steps_s = self._steps_end - self._epoch_start
        if self._synchronize is not None:
            self._split_like_timed_steps()
        if self._utilization_readable:
            self._utilization = self._read_utilization()

    def end_epoch(self, history: RunHistory, epoch: int, samples: int) -> None:
        """The epoch's end is done: append its row to history.timings."""
        evaluation_s = perf_counter() - self._steps_end
        memory = (torch.cuda.max_memory_allocated(self.device) / MEBIBYTE if self.device.type == "cuda"
                  else math.nan)
        history.timings.append([epoch, samples, self._steps_s, *self.seconds.values(), evaluation_s,
                                torch.get_num_threads(), memory, self._utilization])

    def _untimed_sink(self) -> dict[str, float]:
        """Where laps outside the steps go: on the CPU into the epoch's phases; on a GPU nowhere that
        counts (its split comes from the synchronized steps alone)."""
        return self.seconds if self._synchronize is None else self._unsynchronized

    def _split_like_timed_steps(self) -> None:
        """GPU: per-step phase times from the synchronized steps (the probes' from the synchronized probe
        steps), scaled to the epoch's measured step time."""
        if not self._timed_steps:
            return
        per_step = {phase: self.seconds[phase] / self._timed_steps for phase in STEP_PHASES}
        per_step["probes"] = self.seconds["probes"] / max(1, self._timed_probes)
        counts = {phase: self._steps for phase in STEP_PHASES} | {"probes": self._probes}
        estimate = {phase: per_step[phase] * counts[phase] for phase in STEP_PHASES}
        scale = self._steps_s / max(sum(estimate.values()), 1e-12)
        self.seconds = {phase: seconds * scale for phase, seconds in estimate.items()}

    def _read_utilization(self) -> float:
        """The GPU's share of the last moments with a kernel running (NVML, through torch), 0..1; NaN where
        the driver or the pynvml package does not offer it (then it is not asked again)."""
        try:
            return torch.cuda.utilization(self.device) / 100.0
        except Exception:  # pynvml missing, an old driver or a GPU that does not report it
            self._utilization_readable = False
            return math.nan
