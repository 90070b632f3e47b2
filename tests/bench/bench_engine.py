"""Training throughput, side by side in one process (not a test: these machines are noisy).

The same MLP on the same data, three ways, at batch sizes 1, 32 and 256:
  bare       a hand-written loop over in-memory tensors (randperm + index per batch), default Adam
  bare fused the same loop with the fused Adam the engine uses: engine / bare fused is the engine's own cost
  dataloader a torch DataLoader over a TensorDataset, as users usually write it
  engine     Workbench's Run.iter_fit() with its default probes, live diagnosis and epoch-end evaluation
Prints samples/s for each and the ratios engine/bare, engine/bare fused and engine/dataloader.
"engine" counts training time as the engine reports it; "engine wall" adds its epoch-end evaluation
(train/validation metrics, activation statistics, decision boundary, histograms, confusion matrix);
"wall bare" is the same without the distribution recorders (histograms and confusion matrices), and
"dist" is engine wall / wall bare, what recording them costs. "untimed" is the engine with its per-phase
clock (training/timing.py) replaced by one that does nothing, and "timing" is engine / untimed, what
measuring where each step's time goes costs; on a busy machine two runs differ by more than that, so
"clock" also gives it directly: the clock's own calls per step (start_step and five laps, timed in a tight
loop, less the same loop calling a function that does nothing) as a share of the engine's step time.
"neurons" is 1 - the share of the engine's wall time that the Neurons tab's work at each epoch end takes
(the per-unit heatmaps of the first two hidden layers on the decision grid), timed directly as "clock" is:
an A/B of two runs swings by 15% on a busy machine, the heatmaps cost about 1%. Budget: engine
>= 0.9x bare at every batch size, faster than the DataLoader loop, dist >= 0.9, timing >= 0.97, clock <= 3%
and neurons >= 0.9.

Then an LSTM of 64 reading the digits row by row (8 steps of 8 pixels) at batch 32: the engine against the
bare loop over the same model, with default and fused Adam. Budget: engine >= 0.9x bare.

    python tests/bench/bench_engine.py [--repeats 3] [--recurrent]   (--recurrent: only the LSTM)
"""

from __future__ import annotations

import argparse
import time
from unittest import mock

import torch
from torch.utils.data import DataLoader, TensorDataset

from workbench.core.data.bundle import load_data
from workbench.core.experiment.config import parse_experiment
from workbench.core.hooks import Callback
from workbench.core.training import inside
from workbench.core.training.distributions import ConfusionRecorder, HistogramRecorder
from workbench.core.training.engine import Run
from workbench.core.training.models import build_model

# Enough steps per measurement that one run takes ~2-4 s on a 2-core CPU at each batch size.
SAMPLES_PER_BATCH_SIZE = {1: 6_000, 32: 120_000, 256: 400_000}
EXPERIMENT = """
[data]
dataset = "spiral"
n_samples = {n_samples}
[model]
hidden = [64, 64]
[train]
batch_size = {batch_size}
epochs = {epochs}
lr = 0.003
device = "cpu"
"""


def experiment(batch_size: int):
    total = SAMPLES_PER_BATCH_SIZE[batch_size]
    n_samples = 2500 if batch_size == 1 else 25_000  # 80% train after the validation split
    epochs = max(1, round(total / (n_samples * 0.8)))
    return parse_experiment(EXPERIMENT.format(n_samples=n_samples, batch_size=batch_size, epochs=epochs))


def bare_loop(config, data, fused: bool = False) -> float:
    torch.manual_seed(0)
    model = build_model(config.model, data.input_shape, data.n_classes)
    optimizer = torch.optim.Adam(model.parameters(), lr=config.train.lr, **({"fused": True} if fused else {}))
    x, y, batch_size = data.train_x, data.train_y, config.train.batch_size
    start = time.perf_counter()
    for _ in range(config.train.epochs):
        order = torch.randperm(len(x))
        for begin in range(0, len(x), batch_size):
            index = order[begin : begin + batch_size]
            loss = torch.nn.functional.cross_entropy(model(x[index]), y[index])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
    return config.train.epochs * len(x) / (time.perf_counter() - start)


def dataloader_loop(config, data) -> float:
    torch.manual_seed(0)
    model = build_model(config.model, data.input_shape, data.n_classes)
    optimizer = torch.optim.Adam(model.parameters(), lr=config.train.lr)
    loader = DataLoader(TensorDataset(data.train_x, data.train_y), batch_size=config.train.batch_size, shuffle=True)
    start = time.perf_counter()
    for _ in range(config.train.epochs):
        for inputs, targets in loader:
            loss = torch.nn.functional.cross_entropy(model(inputs), targets)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
    return config.train.epochs * len(data.train_x) / (time.perf_counter() - start)


class RunWithoutDistributions(Run):
    """The engine without its histogram and confusion-matrix recorders."""

    def _standard_callbacks(self):
        return [callback for callback in super()._standard_callbacks()
                if not isinstance(callback, HistogramRecorder | ConfusionRecorder)]


class NeuronHeatmaps(Callback):
    """What the app's Neurons tab computes at each epoch end (there from the epoch's kept weights, on the GUI
    thread, which shares the CPU with training): each unit's output over the decision grid, timed."""

    def __init__(self):
        self.seconds = 0.0

    def on_epoch_end(self, run, epoch: int) -> None:
        start = time.perf_counter()
        x_range, y_range, probabilities = run.history.decision_grid
        inside.neuron_maps(run.model, x_range, y_range, probabilities.shape[0])
        self.seconds += time.perf_counter() - start


def neuron_heatmaps_share(config) -> float:
    """The share of the engine's wall time (training and epoch ends) that the heatmaps take."""
    heatmaps = NeuronHeatmaps()
    run = Run(config, callbacks=[heatmaps])
    reports = run.iter_fit()
    next(reports)
    start = time.perf_counter()
    for _ in reports:
        pass
    return heatmaps.seconds / (time.perf_counter() - start)


class NoClock:
    """The engine's PhaseClock doing nothing: the engine without its timing (the calls to it remain)."""

    def __init__(self, device):
        pass

    def start_epoch(self) -> None:
        pass

    def start_step(self, probing: bool) -> None:
        pass

    def lap(self, phase: str) -> None:
        pass

    def end_steps(self) -> None:
        pass

    def end_epoch(self, history, epoch: int, samples: int) -> None:
        pass


def clock_seconds_per_step(steps: int = 200_000) -> float:
    """What the engine's clock adds to one step: start_step and its five laps, best of 5, less the loop
    and one call of a function doing nothing (the calls themselves count: a loop without a clock makes none)."""
    from functools import partial

    from workbench.core.training.timing import PhaseClock

    clock = PhaseClock(torch.device("cpu"))
    clock.start_epoch()
    forward, backward = partial(clock.lap, "forward"), partial(clock.lap, "backward")

    def timed(step) -> float:
        start = time.perf_counter()
        for _ in range(steps):
            step()
        return (time.perf_counter() - start) / steps

    def with_clock() -> None:  # as the engine's loop calls it in a step
        clock.start_step(False)
        clock.lap("data")
        forward()
        backward()
        clock.lap("optimizer")
        clock.lap("probes")

    def without() -> None:
        pass

    return min(timed(with_clock) for _ in range(5)) - min(timed(without) for _ in range(5))


def untimed_engine_loop(config) -> float:
    """Training samples/s of the engine with NoClock for its PhaseClock."""
    with mock.patch("workbench.core.training.engine.PhaseClock", NoClock):
        return engine_loop(config)[0]


def engine_loop(config, run_type: type[Run] = Run) -> tuple[float, float]:
    """(training samples/s as the engine reports it, samples/s over the whole fit incl. evaluation)."""
    run = run_type(config)
    reports = run.iter_fit()
    next(reports)  # data and model are built before the first report; time the training that follows
    start = time.perf_counter()
    for _ in reports:
        pass
    wall = time.perf_counter() - start
    return run.samples_per_s, config.train.epochs * len(run.data.train_x) / wall


# An LSTM reading the digits row by row (8 steps of 8 pixels): a recurrent model's per-step cost is its
# cells' sequential work, against which the engine's probes (the gradient through time included) are measured.
RECURRENT_EXPERIMENT = """
[data]
dataset = "digits"
[model]
kind = "rnn"
cell = "lstm"
hidden = [64]
[train]
batch_size = 32
epochs = 8
lr = 0.003
device = "cpu"
"""


def recurrent_comparison(repeats: int) -> None:
    """The engine against a bare loop over the same LSTM, with the fused Adam the engine uses and without."""
    config = parse_experiment(RECURRENT_EXPERIMENT)
    data = load_data(config.data, "cpu")
    turns = [(bare_loop(config, data), bare_loop(config, data, fused=True), engine_loop(config)[0])
             for _ in range(repeats)]  # in turn, so that a busy spell slows all three alike
    bare, fused, engine = (max(turn[index] for turn in turns) for index in range(3))
    print(f"\nLSTM 64 on digits as 8 rows of 8, batch 32: bare {bare:,.0f} samples/s, bare fused {fused:,.0f}, "
          f"engine {engine:,.0f}; engine/bare {engine / bare:.2f}, engine/bare fused {engine / fused:.2f} "
          f"(goal >= 0.9)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3, help="best of N for each method")
    parser.add_argument("--recurrent", action="store_true", help="only the LSTM against the bare loop")
    args = parser.parse_args()
    torch.set_num_threads(1)
    clock = clock_seconds_per_step()
    print(f"torch {torch.__version__}, 1 thread, CPU; best of {args.repeats}; the clock: {clock * 1e6:.2f} us per step")
    if args.recurrent:
        recurrent_comparison(args.repeats)
        return
    print(f"{'batch':>5} {'bare':>10} {'bare fused':>11} {'dataloader':>11} {'engine':>10} {'engine wall':>12} "
          f"{'wall bare':>10} {'untimed':>10} {'eng/bare':>9} {'eng/fused':>10} {'eng/DL':>7} {'dist':>5} "
          f"{'timing':>6} {'clock':>6} {'neurons':>7}")
    for batch_size in SAMPLES_PER_BATCH_SIZE:
        config = experiment(batch_size)
        data = load_data(config.data, "cpu")
        bare = max(bare_loop(config, data) for _ in range(args.repeats))
        bare_fused = max(bare_loop(config, data, fused=True) for _ in range(args.repeats))
        loader = max(dataloader_loop(config, data) for _ in range(args.repeats))
        # with and without the distribution recorders and the timing in turn, so that a busy spell slows all alike
        turns = [(engine_loop(config), engine_loop(config, RunWithoutDistributions)[1], untimed_engine_loop(config))
                 for _ in range(args.repeats)]
        engine, engine_wall = max(with_them for with_them, _, _ in turns)
        wall_bare = max(without for _, without, _ in turns)
        untimed = max(without for _, _, without in turns)
        neurons = 1 - min(neuron_heatmaps_share(config) for _ in range(args.repeats))
        print(f"{batch_size:>5} {bare:>10,.0f} {bare_fused:>11,.0f} {loader:>11,.0f} {engine:>10,.0f} "
              f"{engine_wall:>12,.0f} {wall_bare:>10,.0f} {untimed:>10,.0f} {engine / bare:>9.2f} "
              f"{engine / bare_fused:>10.2f} {engine / loader:>7.2f} {engine_wall / wall_bare:>5.2f} "
              f"{engine / untimed:>6.3f} {clock * engine / batch_size:>6.2%} {neurons:>7.3f}")
    recurrent_comparison(args.repeats)


if __name__ == "__main__":
    main()
