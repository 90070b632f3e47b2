"""Synthetic runs whose epochs record where their time went (history.timings), for slow_training."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from history_factory import SyntheticRun, experiment

from workbench.core.history import STEP_PHASES, RunHistory

# Seconds per epoch's steps: what a small MLP on the CPU shows with automatic probing.
HEALTHY = {"data": 0.01, "forward": 0.1, "backward": 0.15, "optimizer": 0.1, "probes": 0.03}
EPOCH_END_S = 0.05
SAMPLES = 800


@dataclass
class TimedRun(SyntheticRun):
    """A SyntheticRun whose every epoch's steps took `phase_seconds`, with `threads` CPU threads, on a GPU
    when `gpu_memory_mb` is a number."""

    phase_seconds: dict = field(default_factory=lambda: dict(HEALTHY))
    threads: int = 1
    gpu_memory_mb: float = math.nan

    def history(self, epochs: int | None = None) -> RunHistory:
        history = super().history(epochs)
        steps_s = sum(self.phase_seconds.values())
        for epoch in range(1, history.epochs_run + 1):
            history.timings.append([epoch, SAMPLES, steps_s, *(self.phase_seconds[phase] for phase in STEP_PHASES),
                                    EPOCH_END_S, self.threads, self.gpu_memory_mb, math.nan])
        return history


def probing_every_step():
    return TimedRun(phase_seconds={**HEALTHY, "probes": 0.3}), experiment(train__probe_every=1)


SCENARIOS = {"slow_training": probing_every_step}
