"""Sweep throughput, side by side in one process run (not a test: these machines are noisy).

The same 8 trials (digits, 4 learning rates x 2 seeds, each sized to train for about --seconds on one
thread) run twice:
  one after another  each trial trained in this process, as a loop over `workbench run` would
  local sweep        `workbench sweep`'s process pool, one trial per core (or --parallel), each worker
                     starting Python, torch and the data libraries itself
Prints both wall times, the trials per minute and their ratio. Goal: the sweep >= 1.7x on 2 cores. Each
trial lasts >= 10 s so that a worker's start (~5 s here) is a small share of its work, as in real sweeps.

    python tests/bench/bench_sweep.py [--seconds 12] [--parallel N]
"""

from __future__ import annotations

import argparse
import math
import os
import tempfile
import time
from pathlib import Path

from workbench.core.experiment.config import parse_experiment
from workbench.core.sweeps.local import LocalBackend, available_cores
from workbench.core.sweeps.plan import expand
from workbench.core.sweeps.runner import Sweep
from workbench.core.sweeps.trial import run_trial
from workbench.core.training.engine import Run

EXPERIMENT = """
[data]
dataset = "digits"
[model]
hidden = [128, 128]
[train]
batch_size = 8
epochs = {epochs}
lr = 0.001
device = "cpu"
[sweep]
grid = {{ "train.lr" = [0.001, 0.002, 0.003, 0.005] }}
seeds = 2
"""
CALIBRATION_EPOCHS = (2, 8)  # two short runs: their difference is the cost of an epoch, the rest a run's own


def _seconds_to_train(epochs: int) -> float:
    started = time.perf_counter()
    Run(parse_experiment(EXPERIMENT.format(epochs=epochs))).fit()
    return time.perf_counter() - started


def plan_for(seconds: float):
    """The 8 trials, with as many epochs as make one trial last `seconds` here (measured, not guessed)."""
    _seconds_to_train(1)  # imports and first-step set-up, not timed
    short, long = CALIBRATION_EPOCHS
    short_s, long_s = _seconds_to_train(short), _seconds_to_train(long)
    per_epoch = (long_s - short_s) / (long - short)
    fixed = max(0.0, short_s - short * per_epoch)
    epochs = math.ceil((seconds - fixed) / per_epoch)
    return expand(parse_experiment(EXPERIMENT.format(epochs=epochs))), fixed + epochs * per_epoch


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=12.0, help="one trial's training time on one thread")
    parser.add_argument("--parallel", type=int, default=0, help="trials at once (default: one per core)")
    args = parser.parse_args()
    plan, trial_seconds = plan_for(args.seconds)
    trials, epochs = plan.trials, plan.base.train.epochs
    parallel = args.parallel or available_cores()
    print(f"{len(trials)} trials of {epochs} epochs ({trial_seconds:.1f} s each when calibrated), "
          f"{available_cores()} cores, load average {os.getloadavg()[0]:.1f} at the start")
    with tempfile.TemporaryDirectory(prefix="bench-sweep-") as scratch:
        started = time.perf_counter()
        for trial in trials:
            outcome = run_trial(plan.base, trial, Path(scratch) / "one-by-one" / trial.id)
            assert outcome.status == "completed", outcome
        one_by_one = time.perf_counter() - started
        print(f"one after another: {one_by_one:6.1f} s  {len(trials) / one_by_one * 60:5.1f} trials/min")

        sweep = Sweep(plan, Path(scratch) / "sweep")
        started = time.perf_counter()
        sweep.run(LocalBackend(parallel))
        pooled = time.perf_counter() - started
        assert all(result.status == "completed" for result in sweep.results)
        print(f"local sweep (x{parallel}): {pooled:6.1f} s  {len(trials) / pooled * 60:5.1f} trials/min")
    print(f"throughput ratio: {one_by_one / pooled:.2f}x (goal >= 1.7x on 2 cores); "
          f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
