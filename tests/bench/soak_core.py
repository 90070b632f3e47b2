"""Soak benchmark of the headless core (not a test): does memory stay flat over long use?

Trains one small run after another for --minutes (default 30), each with its own history buffers and run
directory writer, which are dropped when the next run starts, and logs the process's resident memory
(VmRSS) every minute. Prints start and end memory and the growth; budget (issue 6): growth <= 50 MB.
Then measures what a history of 1,000,000 logged steps costs against what its buffers should take.

    python tests/bench/soak_core.py [--minutes 30] [--log-every 60]
"""

from __future__ import annotations

import argparse
import gc
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

from workbench.core.experiment.config import parse_experiment
from workbench.core.history import MIN_PROBE_INTERVAL, LayerInfo, RunHistory
from workbench.core.training.engine import Run

GROWTH_BUDGET_MB = 50  # issue 6: growth over a 30-minute session
MILLION_STEPS = 1_000_000
STEPS_PER_EPOCH = 1_000  # the engine copies step losses into the history in chunks of about an epoch
LAYERS = 3
MB = 2**20
# One run: small enough to repeat every second or two, with probes, diagnosis and a run directory.
EXPERIMENT = """
[meta]
name = "soak"
[data]
dataset = "spiral"
n_samples = 2000
[model]
hidden = [64, 64]
[train]
batch_size = 32
epochs = 3
lr = 0.003
device = "cpu"
"""


def rss_mb() -> float:
    """Resident memory of this process, from /proc/self/status (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024  # reported in kB
    raise RuntimeError("no VmRSS line in /proc/self/status (this benchmark needs Linux)")


def train_once(config, runs_root: Path, index: int) -> str:
    run_dir = runs_root / f"run-{index}"
    run = Run(config, run_dir=run_dir).fit()
    shutil.rmtree(run_dir)  # keeps the disk flat; the writer has closed its files by now
    return run.status


def soak(minutes: float, log_every_s: float) -> None:
    torch.set_num_threads(1)
    config = parse_experiment(EXPERIMENT)
    with tempfile.TemporaryDirectory(prefix="workbench-soak-") as folder:
        runs_root = Path(folder)
        train_once(config, runs_root, 0)  # torch's lazy imports and allocator pools: start-up, not growth
        gc.collect()
        start_mb, started = rss_mb(), time.monotonic()
        print(f"start: RSS {start_mb:.1f} MB (after one warm-up run)")
        runs, statuses, next_log = 0, set(), started + log_every_s
        while time.monotonic() - started < minutes * 60:
            runs += 1
            statuses.add(train_once(config, runs_root, runs))
            if time.monotonic() >= next_log:
                next_log += log_every_s
                print(f"{(time.monotonic() - started) / 60:5.1f} min  {runs:5d} runs  RSS {rss_mb():7.1f} MB",
                      flush=True)
    gc.collect()
    end_mb = rss_mb()
    growth = end_mb - start_mb
    verdict = "within" if growth <= GROWTH_BUDGET_MB else "OVER"
    print(f"end: RSS {end_mb:.1f} MB after {runs} runs in {(time.monotonic() - started) / 60:.1f} min "
          f"(statuses: {', '.join(sorted(statuses))})")
    print(f"growth: {growth:+.1f} MB ({verdict} the {GROWTH_BUDGET_MB} MB budget)")


def capacity_bytes(rows: int, width: int, initial_capacity: int) -> int:
    """What a GrowableArray of `rows` rows allocates: its capacity doubles from the initial one."""
    capacity = initial_capacity
    while capacity < rows:
        capacity *= 2
    return capacity * width * np.dtype(float).itemsize


def million_step_history() -> None:
    """Fill a history as the engine does for 1,000,000 steps; compare RSS growth with the buffers' size."""
    gc.collect()
    before = rss_mb()
    layers = [LayerInfo(f"layer {i + 1}", "linear", "relu", 64) for i in range(LAYERS)]
    history = RunHistory(layers=layers, n_classes=2, steps_per_epoch=STEPS_PER_EPOCH)
    rng = np.random.default_rng(0)
    for first in range(1, MILLION_STEPS + 1, STEPS_PER_EPOCH):
        steps = np.arange(first, first + STEPS_PER_EPOCH)
        history.step_loss.extend(np.column_stack([steps, rng.random(STEPS_PER_EPOCH)]))
        probed = steps[steps % MIN_PROBE_INTERVAL == 0]
        history.probe_steps.extend(probed[:, None])
        for series in (history.grad_norm, history.weight_norm, history.update_ratio):
            series.extend(rng.random((len(probed), LAYERS)))
    gc.collect()
    measured = rss_mb() - before
    buffers = [history.step_loss, history.probe_steps, history.grad_norm, history.weight_norm, history.update_ratio]
    filled = sum(buffer.view().nbytes for buffer in buffers) / MB
    probes = MILLION_STEPS // MIN_PROBE_INTERVAL
    expected = (capacity_bytes(MILLION_STEPS, 2, 1024) + capacity_bytes(probes, 1, 256)
                + 3 * capacity_bytes(probes, LAYERS, 256)) / MB
    print(f"history of {history.steps:,} steps ({len(history.probe_steps):,} probes of {LAYERS} layers): "
          f"{filled:.1f} MB of values, {expected:.1f} MB expected with capacity doubling, "
          f"RSS grew {measured:.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--log-every", type=float, default=60.0, help="seconds between memory lines")
    args = parser.parse_args()
    soak(args.minutes, args.log_every)
    million_step_history()


if __name__ == "__main__":
    main()
