"""The training engine: optimizers, schedules, early stopping, divergence, determinism, control flags."""

import math
import threading

import numpy as np
import pytest
import torch
from tiny_experiment import tiny as tiny_experiment

from workbench.core.experiment import registry
from workbench.core.training import probes
from workbench.core.training.engine import Run
from workbench.core.training.runtime import EpochReport, RunControl, StepReport


def tiny(**overrides):
    return tiny_experiment("tiny", **{"data.n_samples": 300, "train.epochs": 3, **overrides})


def test_a_run_yields_step_and_epoch_reports_and_fills_the_history():
    run = Run(tiny())
    reports = list(run.iter_fit())
    epochs = [r for r in reports if isinstance(r, EpochReport)]
    assert [r.epoch for r in epochs] == [1, 2, 3]
    assert any(isinstance(r, StepReport) for r in reports)
    history = run.history
    assert run.status == "completed"
    assert history.steps == 3 * history.steps_per_epoch == len(history.step_loss)
    assert history.grad_norm.view().shape[1] == 3  # two hidden layers and the output layer
    assert len(history.probe_steps) >= 3
    assert len(history.activation_steps) == 4  # step 0 and each epoch end
    assert math.isclose(history.initial_loss, math.log(2), rel_tol=0.3)
    assert history.decision_grid is not None  # a 2-D dataset
    assert run.final_metrics["val_acc"] > 0.8


def test_each_epoch_records_the_labels_the_model_doubts_on_training_and_validation_examples():
    run = Run(tiny()).fit()
    rows = run.history.doubted_labels.view()
    assert rows[:, 0].tolist() == [1, 2, 3]
    assert rows[0, 2] == len(run.data.train_y) == 240 and rows[0, 4] == len(run.data.val_y) == 60
    with torch.no_grad():
        probabilities = run.model.eval()(run.data.val_x).softmax(dim=1)
    assert rows[-1, 3] == probes.doubted_share(probabilities, run.data.val_y)  # the last epoch's weights


def test_a_doubted_label_is_one_given_under_half_a_guess():
    probabilities = torch.tensor([[0.9, 0.05, 0.05], [0.2, 0.7, 0.1], [0.5, 0.3, 0.2], [0.1, 0.1, 0.8]])
    labels = torch.tensor([0, 0, 2, 0])  # given 0.9, 0.2, 0.2 and 0.1: under 1/6 only the last
    assert probes.doubted_share(probabilities, labels) == 0.25
    assert math.isnan(probes.doubted_share(probabilities[:0], labels[:0]))


def test_the_same_seed_gives_the_same_run():
    first, second = Run(tiny()).fit(), Run(tiny()).fit()
    np.testing.assert_array_equal(first.history.step_loss.view(), second.history.step_loss.view())
    np.testing.assert_array_equal(first.history.epochs.view()[:, 2:6], second.history.epochs.view()[:, 2:6])
    third = Run(tiny(**{"train.seed": 1})).fit()
    assert not np.array_equal(first.history.step_loss.view(), third.history.step_loss.view())


@pytest.mark.parametrize("optimizer", registry.OPTIMIZERS)
def test_every_optimizer_learns(optimizer):
    lr = {"sgd": 0.2, "momentum": 0.05, "nesterov": 0.05, "adagrad": 0.05}.get(optimizer, 0.01)
    run = Run(tiny(**{"train.optimizer": optimizer, "train.lr": lr, "train.epochs": 4})).fit()
    losses = run.history.epoch_column("train_loss")
    assert losses[-1] < run.history.initial_loss * 0.8, (optimizer, run.history.initial_loss, losses)


@pytest.mark.parametrize(
    ("schedule", "expected_lrs"),
    [
        ("constant", [0.02, 0.02, 0.02, 0.02]),
        ("step", [0.02, 0.02, 0.002, 0.002]),
        ("exponential", [0.02, 0.01, 0.005, 0.0025]),
    ],
)
def test_learning_rate_schedules(schedule, expected_lrs):
    config = tiny(**{"train.lr_schedule": schedule, "train.lr_decay": 0.1 if schedule == "step" else 0.5,
                     "train.lr_step": 2, "train.epochs": 4})
    run = Run(config).fit()
    np.testing.assert_allclose(run.history.epoch_column("lr"), expected_lrs, rtol=1e-6)


def test_cosine_and_plateau_schedules_lower_the_rate():
    cosine = Run(tiny(**{"train.lr_schedule": "cosine", "train.epochs": 4})).fit()
    assert list(np.diff(cosine.history.epoch_column("lr")) < 0) == [True] * 3
    plateau = Run(tiny(**{"train.lr_schedule": "plateau", "train.lr": 1e-7, "train.epochs": 6})).fit()
    assert plateau.history.epoch_column("lr")[-1] < 1e-7


def test_early_stopping_stops_and_restores_the_best_weights():
    config = tiny(**{"train.early_stopping": 2, "train.epochs": 60, "train.lr": 0.05,
                     "data.n_samples": 60, "data.noise": 0.5, "model.hidden": [128, 128]})
    run = Run(config).fit()
    assert run.status == "early_stopped"
    assert run.history.epochs_run < 60
    best = run.history.best_epoch()
    assert run.history.epochs_run - best == 2
    best_val_loss = run.history.epoch_column("val_loss")[best - 1]
    assert math.isclose(run.final_metrics["val_loss"], best_val_loss, rel_tol=1e-5)
    assert any("restored the weights of epoch" in event for event in run.history.events)


def test_a_nan_loss_ends_the_run_diverged_and_keeps_what_came_before():
    config = tiny(**{"train.optimizer": "sgd", "train.lr": 1000.0, "model.init": "normal",
                     "model.init_std": 3.0, "train.epochs": 5})
    run = Run(config).fit()
    assert run.status == "diverged"
    losses = run.history.step_loss.view()[:, 1]
    assert not np.isfinite(losses[-1]) or not np.isfinite(run.history.epoch_column("train_loss")[-1])
    assert len(run.history.step_loss) > 0
    assert any(finding.id == "divergence" for finding in run.findings)


def test_l1_and_weight_decay_shrink_the_weights():
    plain = Run(tiny(**{"train.epochs": 4})).fit()
    l1 = Run(tiny(**{"train.epochs": 4, "train.l1": 0.01})).fit()
    decayed = Run(tiny(**{"train.epochs": 4, "train.weight_decay": 0.5, "train.optimizer": "adamw"})).fit()
    norm = lambda run: run.history.weight_norm.view()[-1].sum()  # noqa: E731
    assert norm(l1) < norm(plain) and norm(decayed) < norm(plain)


def test_gradient_clipping_bounds_the_update():
    clipped = Run(tiny(**{"train.optimizer": "sgd", "train.lr": 0.5, "train.grad_clip": 1e-4})).fit()
    free = Run(tiny(**{"train.optimizer": "sgd", "train.lr": 0.5})).fit()
    assert clipped.history.update_ratio.view().max() < free.history.update_ratio.view().max() / 10


def test_mse_loss_trains():
    run = Run(tiny(**{"train.loss": "mse", "train.epochs": 5, "train.lr": 0.02})).fit()
    assert run.final_metrics["val_acc"] > 0.75
    assert math.isclose(run.history.initial_loss, 0.25, abs_tol=0.1)  # (1 - 1/C) / C for C = 2, roughly


def test_stop_mid_epoch_ends_stopped_with_completed_epochs_kept():
    control = RunControl()
    run = Run(tiny(**{"train.epochs": 50, "train.batch_size": 1}), control=control)
    for report in run.iter_fit():
        if isinstance(report, EpochReport) and report.epoch == 2:
            control.request_stop()
    assert run.status == "stopped"
    assert run.history.epochs_run == 2


def test_pause_blocks_the_training_thread_until_resume():
    control = RunControl()
    run = Run(tiny(**{"train.epochs": 2}), control=control)
    reports = run.iter_fit()
    next(reports)
    control.pause()
    consumer = threading.Thread(target=lambda: [None for _ in reports])
    consumer.start()
    consumer.join(timeout=0.5)
    assert consumer.is_alive() and run.status == "running"
    control.resume()
    consumer.join(timeout=30)
    assert not consumer.is_alive() and run.status == "completed"


def test_data_that_cannot_be_loaded_marks_the_run_failed(tmp_path):
    from workbench.core.data.bundle import DatasetError

    run = Run(tiny(**{"data.dataset": "csv", "data.path": str(tmp_path / "absent.csv"), "data.target": "y"}))
    with pytest.raises(DatasetError):
        run.fit()
    assert run.status == "failed" and "absent.csv" in run.error
