"""Where a run's time goes: the per-phase timings sum to the measured step time, reach timings.csv and
come back from it; a run directory from before timings.csv reads back with an empty table."""

import threading

import numpy as np
from tiny_experiment import tiny

from workbench.core.history import STEP_PHASES, TIMING_COLUMNS
from workbench.core.rundir.reader import load_run
from workbench.core.training.engine import Run
from workbench.core.training.runtime import RunControl, StepReport

PAUSE_S = 1.0
PHASE_COLUMNS = [TIMING_COLUMNS.index(f"{phase}_s") for phase in STEP_PHASES]


def column(rows: np.ndarray, name: str) -> np.ndarray:
    return rows[:, TIMING_COLUMNS.index(name)]


def test_the_phases_sum_to_the_measured_step_time(tmp_path):
    """On the CPU every moment of an epoch's steps is some phase's, the time between two steps included (until
    the twenty-fourth session that gap was no phase's, and a busy machine that preempted the loop there lost
    4 ms of 36 from the sum)."""
    run = Run(tiny(**{"train.epochs": 3, "data.n_samples": 600}), run_dir=tmp_path / "run").fit()
    rows = run.history.timings.view()
    assert column(rows, "epoch").tolist() == [1, 2, 3]
    assert (column(rows, "samples") == len(run.data.train_x)).all()
    assert (rows[:, PHASE_COLUMNS] >= 0).all() and (column(rows, "evaluation_s") > 0).all()
    phases, measured = rows[:, PHASE_COLUMNS].sum(axis=1), column(rows, "steps_s")
    np.testing.assert_allclose(phases, measured, rtol=1e-9)
    assert np.isnan(column(rows, "gpu_memory_mb")).all() and np.isnan(column(rows, "gpu_utilization")).all()
    assert (column(rows, "threads") >= 1).all()


def test_a_pause_is_no_training_time():
    """Paused for a second in its first epoch: the epoch's step time and its phases leave the pause out, and
    the speed reported after it is that of the steps alone (the status bar's rate and time left)."""
    control = RunControl()
    run = Run(tiny(**{"train.epochs": 1, "train.probe_every": 2}), control=control)
    reports = run.iter_fit()
    next(report for report in reports if isinstance(report, StepReport))
    control.pause()
    threading.Timer(PAUSE_S, control.resume).start()
    after = [report for report in reports if isinstance(report, StepReport)]
    rows = run.history.timings.view()
    assert column(rows, "steps_s")[0] < PAUSE_S / 2
    np.testing.assert_allclose(rows[:, PHASE_COLUMNS].sum(axis=1), column(rows, "steps_s"), rtol=1e-9)
    assert after and after[-1].steps_per_s > 2 * after[-1].step / PAUSE_S  # counting the pause, under step / PAUSE_S


def test_timings_csv_reads_back_and_older_runs_have_none(tmp_path):
    run = Run(tiny(), run_dir=tmp_path / "run").fit()
    header = (tmp_path / "run" / "timings.csv").read_text().splitlines()[0]
    assert header == ",".join(TIMING_COLUMNS)
    loaded = load_run(tmp_path / "run")
    assert not loaded.problem
    np.testing.assert_allclose(loaded.history.timings.view(), run.history.timings.view(), equal_nan=True)
    (tmp_path / "run" / "timings.csv").unlink()  # as a run made before timings existed
    older = load_run(tmp_path / "run")
    assert not older.problem and len(older.history.timings) == 0 and older.history.epochs_run == 2


def test_a_damaged_timings_csv_only_loses_the_speed_view(tmp_path):
    Run(tiny(), run_dir=tmp_path / "run").fit()
    (tmp_path / "run" / "timings.csv").write_text("epoch,seconds\n1,2\n")
    loaded = load_run(tmp_path / "run")
    assert len(loaded.history.timings) == 0 and loaded.history.epochs_run == 2
    assert any("timings.csv" in event for event in loaded.history.events)


def test_probe_every_sets_how_often_the_layers_are_probed():
    run = Run(tiny(**{"train.probe_every": 3})).fit()
    probed = run.history.probe_steps.view()[:, 0]
    assert len(probed) and (probed % 3 == 0).all() and len(probed) == run.step // 3


def test_threads_sets_the_cpu_threads_the_run_trains_with():
    run = Run(tiny(**{"train.threads": 2})).fit()
    assert (column(run.history.timings.view(), "threads") == 2).all()


def test_on_an_asynchronous_device_the_timed_steps_split_the_measured_step_time(monkeypatch):
    """A GPU's clock times one step in SYNC_EVERY and every probe step (synchronized), then splits the
    epoch's measured time in their shares. Simulated with a fake clock: each phase queues its device work
    (a read of the clock sees only the CPU's part) until a synchronize waits for it."""
    import torch

    from workbench.core.history import LayerInfo, RunHistory
    from workbench.core.training import timing

    now = {"s": 0.0, "queued": 0.0}

    def work(cpu: float, device: float) -> None:
        now["s"] += cpu
        now["queued"] += device

    def synchronize() -> None:
        now["s"] += now["queued"]
        now["queued"] = 0.0

    monkeypatch.setattr(timing, "perf_counter", lambda: now["s"])
    clock = timing.PhaseClock(torch.device("cpu"))
    monkeypatch.setattr(clock, "_synchronize", synchronize)
    history = RunHistory(layers=[LayerInfo("output", "linear", "none", 2)], n_classes=2, steps_per_epoch=64)
    device_seconds = {"data": 0.001, "forward": 0.002, "backward": 0.003, "optimizer": 0.001}
    clock.start_epoch()
    for step in range(1, 65):
        probing = step % 8 == 0
        clock.start_step(probing)
        for phase, seconds in device_seconds.items():
            work(1e-5, seconds)
            clock.lap(phase)
        work(0.004 if probing else 1e-6, 0.0)
        clock.lap("probes")
    clock.end_steps()
    clock.end_epoch(history, 1, 64)
    rows = history.timings.view()
    split = dict(zip(STEP_PHASES, rows[0, PHASE_COLUMNS], strict=True))
    assert abs(sum(split.values()) - column(rows, "steps_s")[0]) < 1e-9  # the measured time, split
    truth = {phase: 64 * (seconds + 1e-5) for phase, seconds in device_seconds.items()}
    truth["probes"] = 8 * 0.004 + 56 * 1e-6
    for phase, seconds in truth.items():
        assert abs(split[phase] - seconds) <= 0.1 * seconds, (phase, split[phase], seconds)
