"""Numerical faults mid-run: NaN/inf in the inputs, the loss or the gradients ends the run `diverged` with
every earlier epoch kept, in memory and in the run directory; CUDA out-of-memory ends it `failed` with the
batch size to lower. Faults are injected through the engine's own hooks after a few healthy epochs."""

from __future__ import annotations

import csv
import math

import numpy as np
import pytest
import torch
from tiny_experiment import tiny as tiny_experiment

from workbench.core.data import bundle as data_module
from workbench.core.hooks import Callback
from workbench.core.rundir.reader import load_run
from workbench.core.training.engine import Run

HEALTHY_EPOCHS = 2  # the fault strikes during the epoch after these
POISONED_ROW = 7


def tiny(**overrides):
    return tiny_experiment("faulty", **{"data.n_samples": 300, "train.epochs": 5, **overrides})


class FaultAfterEpoch(Callback):
    """Calls `strike(run)` at the end of epoch HEALTHY_EPOCHS, so the next epoch trains with the fault."""

    def __init__(self, strike):
        self.strike = strike

    def on_epoch_end(self, run: Run, epoch: int) -> None:
        if epoch == HEALTHY_EPOCHS:
            self.strike(run)


def nan_in_an_input_row(run: Run) -> None:
    run.data.train_x[POISONED_ROW] = math.nan


def inf_in_the_inputs(run: Run) -> None:
    run.data.train_x[POISONED_ROW, 0] = math.inf


def nan_in_the_loss(run: Run) -> None:
    def poison(module, inputs, output):
        return output * math.nan if module.training else output  # evaluation stays clean

    run.model.register_forward_hook(poison)


def inf_in_the_gradients(run: Run) -> None:
    for parameter in run.model.parameters():
        parameter.register_hook(lambda gradient: torch.full_like(gradient, math.inf))


def metrics_rows(run_dir) -> list[dict[str, str]]:
    with open(run_dir / "metrics.csv", encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def assert_diverged_with_earlier_epochs_intact(run: Run, run_dir, healthy_epochs: int) -> None:
    history = run.history
    assert run.status == "diverged" and history.status == "diverged"
    assert history.epoch_column("epoch").tolist() == list(range(1, healthy_epochs + 1))
    assert np.isfinite(history.epochs.view()).all()
    assert not math.isfinite(history.step_loss.view()[-1, 1])  # the step that diverged is recorded
    assert any("became" in event for event in history.events)
    assert "divergence" in [finding.id for finding in run.findings]

    loaded = load_run(run_dir)
    assert loaded.problem == "" and loaded.status == "diverged"
    assert loaded.summary["epochs_run"] == healthy_epochs
    assert "divergence" in [finding["id"] for finding in loaded.summary["diagnosis"]]
    assert [int(row["epoch"]) for row in metrics_rows(run_dir)] == list(range(1, healthy_epochs + 1))
    np.testing.assert_allclose(loaded.history.epochs.view()[:, :6], history.epochs.view()[:, :6])
    assert loaded.history.steps == history.steps  # steps.csv holds every step up to the fault


@pytest.mark.parametrize("fault", [nan_in_an_input_row, inf_in_the_inputs, nan_in_the_loss, inf_in_the_gradients])
def test_a_fault_mid_run_ends_diverged_with_earlier_epochs_intact(tmp_path, fault):
    run_dir = tmp_path / "run"
    run = Run(tiny(), run_dir=run_dir, callbacks=[FaultAfterEpoch(fault)]).fit()
    assert_diverged_with_earlier_epochs_intact(run, run_dir, HEALTHY_EPOCHS)
    assert run.history.steps <= (HEALTHY_EPOCHS + 1) * run.history.steps_per_epoch  # no further epoch


def test_inf_gradients_at_an_epochs_last_step_end_the_run_after_that_epoch(tmp_path):
    class InfGradientsAtStep(Callback):
        """The loss of the poisoned step is still finite: only the epoch-end evaluation sees the damage."""

        def on_fit_start(self, run: Run) -> None:
            self.steps_done = 0
            last_step = (HEALTHY_EPOCHS + 1) * run.history.steps_per_epoch

            def count_training_steps(module, inputs):
                self.steps_done += module.training

            def poison(gradient):
                return torch.full_like(gradient, math.inf) if self.steps_done == last_step else gradient

            run.model.register_forward_pre_hook(count_training_steps)
            next(run.model.parameters()).register_hook(poison)

    run_dir = tmp_path / "run"
    run = Run(tiny(), run_dir=run_dir, callbacks=[InfGradientsAtStep()]).fit()
    history = run.history
    assert run.status == "diverged" and history.epochs_run == HEALTHY_EPOCHS + 1
    assert np.isfinite(history.epochs.view()[:HEALTHY_EPOCHS]).all()
    assert math.isnan(history.epoch_column("train_loss")[-1])
    assert history.events == [f"the training loss became nan at the end of epoch {HEALTHY_EPOCHS + 1}"]
    summary = load_run(run_dir).summary
    assert summary["status"] == "diverged" and summary["events"] == history.events
    assert summary["diagnosis"][0]["id"] == "divergence"


def test_a_dataset_with_a_nan_row_diverges_in_the_first_epoch(tmp_path, monkeypatch):
    real_load_data = data_module.load_data

    def load_with_a_nan_row(config, device="cpu"):
        bundle = real_load_data(config, device)
        bundle.train_x[POISONED_ROW] = math.nan
        return bundle

    monkeypatch.setattr(data_module, "load_data", load_with_a_nan_row)
    run_dir = tmp_path / "run"
    run = Run(tiny(), run_dir=run_dir).fit()
    assert_diverged_with_earlier_epochs_intact(run, run_dir, healthy_epochs=0)


def test_running_out_of_gpu_memory_fails_and_names_the_batch_size_to_lower(tmp_path):
    class OutOfMemoryOnNextStep(Callback):
        def on_fit_start(self, run: Run) -> None:
            def forward(*args):
                raise torch.cuda.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")

            run.model.forward = forward

    run_dir = tmp_path / "run"
    run = Run(tiny(**{"train.batch_size": 256}), run_dir=run_dir, callbacks=[OutOfMemoryOnNextStep()]).fit()
    assert run.status == "failed"
    assert "batch size 256" in run.error and "train.batch_size" in run.error and "(e.g. 64)" in run.error
    summary = load_run(run_dir).summary
    assert summary["status"] == "failed" and summary["error"] == run.error
