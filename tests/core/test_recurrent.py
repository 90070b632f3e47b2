"""Recurrent models (`model.kind = "rnn"`): every cell trains on every sequence view, bad combinations are
refused before training with a sentence naming the key, and the gradient through time is probed,
recorded and read back from the run directory."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from history_factory import SyntheticRun, experiment
from mnist_subset import unpack_mnist_subset
from tiny_experiment import tiny

from workbench.core.data.bundle import load_data
from workbench.core.diagnosis import diagnose
from workbench.core.diagnosis.gradients import vanishing_gradients
from workbench.core.experiment import registry
from workbench.core.experiment.config import ConfigError, apply_overrides
from workbench.core.history import GrowableArray
from workbench.core.rundir.layout import TIME_STEPS
from workbench.core.rundir.reader import load_history, load_run
from workbench.core.training.engine import Run
from workbench.core.training.models import build_model, describe
from workbench.core.training.models_rnn import FORGET_BIAS
from workbench.core.training.time_steps import TimeStepRecorder

# (dataset, steps, features per step): the sequence view of each dataset
VIEWS = [("mnist1d", 40, 1), ("digits", 8, 8), ("sequence_memory", 12, 1), ("mnist", 28, 28)]


def recurrent(dataset: str, cell: str, tmp_path_factory=None, **overrides):
    keys = {"data.dataset": dataset, "model.kind": "rnn", "model.cell": cell, "model.hidden": [8],
            "model.activation": "tanh", "train.epochs": 1, "train.batch_size": 32, "train.lr": 0.01,
            "train.probe_every": 2}
    if dataset == "sequence_memory":
        keys.update({"data.seq_len": 12, "data.n_samples": 200})
    if dataset in ("digits", "mnist", "mnist1d"):
        keys["data.train_size"] = 200
    if dataset == "mnist":
        keys["data.data_dir"] = str(unpack_mnist_subset(tmp_path_factory.mktemp("mnist")))
    return tiny(f"{cell} on {dataset}", **{**keys, **overrides})


@pytest.mark.parametrize("cell", registry.RECURRENT_CELLS)
@pytest.mark.parametrize(("dataset", "steps", "features"), VIEWS)
def test_every_cell_trains_on_every_sequence_view(dataset, steps, features, cell, tmp_path_factory):
    run = Run(recurrent(dataset, cell, tmp_path_factory)).fit()
    assert run.status == "completed", run.error
    assert np.isfinite(run.final_metrics["val_loss"])
    assert run.model.sequence_shape == (steps, features)
    assert [layer.kind for layer in run.history.layers] == [cell, "linear"]
    assert np.isfinite(run.history.grad_norm.view()).all() and len(run.history.grad_norm)
    gradient_through_time = run.history.time_step_grad.view()
    assert gradient_through_time.shape[1] == 1 + steps  # the probe step, then one norm per time step
    assert (gradient_through_time[:, 1:] > 0).all()


def test_a_bidirectional_stack_reads_both_ways_and_describes_itself():
    config = recurrent("digits", "gru", **{"model.bidirectional": True, "model.hidden": [6, 4]})
    model = build_model(config.model, (1, 8, 8), 10)
    assert model(torch.randn(3, 1, 8, 8)).shape == (3, 10)
    assert [info.width for info in model.layer_infos] == [12, 8, 10]  # both directions side by side
    assert describe(config.model, (1, 8, 8), 10).startswith("RNN 8×8 → bi-gru 6 → bi-gru 4 → 10 (")


def test_an_lstm_starts_with_open_forget_gates():
    model = build_model(recurrent("mnist1d", "lstm").model, (40,), 10)
    lstm = model.recurrent_layers[0].recurrent
    width = lstm.hidden_size
    forget = lstm.bias_ih_l0[width : 2 * width] + lstm.bias_hh_l0[width : 2 * width]
    assert torch.equal(forget, torch.full((width,), FORGET_BIAS))


def test_sequence_memory_is_its_first_step_in_noise():
    data = load_data(recurrent("sequence_memory", "rnn", **{"data.normalize": False}).data)
    assert data.input_shape == (12, 1) and data.kind == "sequence"
    first = data.train_x[:, 0, 0]
    assert torch.equal(first, torch.where(data.train_y == 1, 1.0, -1.0))
    assert 0.05 < float(data.train_x[:, 1:].std()) < 0.15  # data.noise = 0.1 by default


@pytest.mark.parametrize(("overrides", "message"), [
    ({"data.dataset": "spiral", "model.kind": "rnn"}, "model.kind: \"rnn\" reads sequences, and the spiral data"),
    ({"data.dataset": "digits", "model.kind": "cnn", "model.bidirectional": True},
     "model.bidirectional: true needs model.kind = \"rnn\""),
    ({"data.dataset": "digits", "model.bidirectional": True}, "model.bidirectional: true needs model.kind"),
    ({"data.dataset": "sequence_memory"}, "data.dataset: \"sequence_memory\" is for recurrent networks"),
    ({"data.dataset": "sequence_memory", "model.kind": "rnn", "data.seq_len": 0},
     "data.seq_len: 0 is not allowed"),
    ({"data.dataset": "digits", "model.kind": "rnn", "model.cell": "rnn", "model.activation": "sigmoid"},
     "model.activation: \"sigmoid\" is not allowed with model.cell = \"rnn\""),
    ({"data.dataset": "digits", "model.kind": "rnn", "model.normalization": "batch"},
     "model.normalization: \"batch\" is not allowed with model.kind = \"rnn\""),
    ({"data.dataset": "digits", "model.kind": "rnn", "model.hidden": []}, "model.hidden: a recurrent network needs"),
    ({"data.dataset": "digits", "model.kind": "rnn", "model.cell": "transformer"}, "model.cell: 'transformer'"),
])
def test_bad_combinations_are_refused_naming_the_key(overrides, message):
    with pytest.raises(ConfigError) as refused:
        tiny(**overrides)
    assert any(problem.startswith(message) for problem in refused.value.problems), refused.value.problems


def test_the_time_step_probe_leaves_training_unchanged(monkeypatch):
    """The probe only asks for the input's gradient: the weights after training are those of the same run
    with the probe switched off."""
    config = recurrent("sequence_memory", "lstm", **{"train.epochs": 2})
    probed = Run(config).fit()
    assert len(probed.history.time_step_grad) == len(probed.history.probe_steps) > 0
    monkeypatch.setattr(TimeStepRecorder, "on_probe_step_start", lambda self, run: None)
    unprobed = Run(config).fit()
    assert len(unprobed.history.time_step_grad) == 0
    for mine, theirs in zip(probed.model.parameters(), unprobed.model.parameters(), strict=True):
        assert torch.equal(mine, theirs)


def test_a_vanishing_plain_rnn_is_seen_through_time_and_read_back(tmp_path):
    config = recurrent("sequence_memory", "rnn", **{"data.seq_len": 40, "data.n_samples": 300, "train.epochs": 2,
                                                     "train.batch_size": 16, "train.optimizer": "sgd"})
    run = Run(config, run_dir=tmp_path / "run").fit()
    norms = run.history.time_step_grad.view()
    assert np.median(norms[:, 1] / norms[:, -1]) < 1e-3  # 40 steps back through a tanh RNN: almost nothing left
    assert (tmp_path / "run" / TIME_STEPS).read_text().startswith("step,grad_norm:t1,grad_norm:t2,")
    again = load_history(tmp_path / "run")
    np.testing.assert_allclose(again.time_step_grad.view(), norms)
    assert load_history(tmp_path / "run").time_step_grad.width == 41


def test_a_damaged_time_steps_file_only_loses_that_view(tmp_path):
    Run(recurrent("digits", "gru"), run_dir=tmp_path / "run").fit()
    (tmp_path / "run" / TIME_STEPS).write_text("step,something else\n1,2\n")
    loaded = load_run(tmp_path / "run")
    assert not loaded.problem
    assert loaded.history.time_step_grad is None
    assert any("time_steps.csv unreadable" in event for event in loaded.history.events)
    assert loaded.history.epochs_run == 1


def test_feedforward_runs_record_no_gradient_through_time(tmp_path):
    run = Run(tiny(), run_dir=tmp_path / "run").fit()
    assert run.history.time_step_grad is None
    assert not (tmp_path / "run" / TIME_STEPS).exists()


def recurrent_history(cell: str, val_acc: float, first_step_share: float, *, bidirectional: bool = False):
    """A synthetic finished run of a recurrent network on sequence_memory: its validation accuracy, and
    its gradient through time falling geometrically to `first_step_share` of the last step's."""
    run = SyntheticRun(epochs=6, steps_per_epoch=25)
    run.val_acc[:] = val_acc
    run.train_acc[:] = val_acc
    history = run.history()
    table = GrowableArray(1 + 50)
    profile = first_step_share ** (np.arange(49, -1, -1) / 49)
    table.extend([[step, *profile] for step in history.probe_steps.view()[:, 0]])
    history.time_step_grad = table
    config = experiment(data__dataset="sequence_memory", model__kind="rnn", model__cell=cell,
                        model__activation="tanh", model__bidirectional=bidirectional)
    return history, config


@pytest.mark.parametrize(("cell", "bidirectional", "fix"), [
    ("rnn", False, {"model.cell": "lstm"}), ("gru", False, {"model.bidirectional": True}), ("lstm", True, {})])
def test_vanishing_through_time_names_both_steps_and_the_cure_for_its_cell(cell, bidirectional, fix):
    history, config = recurrent_history(cell, val_acc=0.5, first_step_share=1e-8, bidirectional=bidirectional)
    finding = next(finding for finding in diagnose(history, config) if finding.id == "vanishing_gradients")
    assert finding.evidence.startswith("the gradient reaching time step 1 is 1e-08 of the gradient at step 50 of 50")
    assert "validation accuracy is 50%" in finding.evidence
    assert finding.fix == fix


def test_no_vanishing_through_time_when_the_model_fits_or_the_gradient_reaches_back():
    for val_acc, share in ((0.99, 1e-8), (0.5, 0.05)):
        history, config = recurrent_history("lstm", val_acc=val_acc, first_step_share=share)
        assert vanishing_gradients(history, config) is None


def test_an_unclipped_recurrent_network_explodes_first_and_is_cured_by_clipping():
    history, config = recurrent_history("rnn", val_acc=0.3, first_step_share=1e11)
    history.status = "diverged"
    grads = history.grad_norm.view()
    grads[-1] = 1e12  # one probe's jump, the last before the loss turned NaN
    history.step_loss.append([history.steps + 1, np.nan])
    findings = diagnose(history, config)
    exploding = findings[0]
    assert exploding.id == "exploding_gradients"
    assert "the gradient at time step 1 was 1e+11x the gradient at step 50" in exploding.evidence
    assert exploding.fix == {"train.grad_clip": 1.0}
    clipped = apply_overrides(config, {"train.grad_clip": 1.0, "train.lr": 0.1})
    # clipped already: a calmer rate, 3x Adam's usual one (0.1 is 100x it)
    assert next(f for f in diagnose(history, clipped) if f.id == "exploding_gradients").fix == {"train.lr": 0.003}
