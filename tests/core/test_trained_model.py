"""Inside a trained network and trying it: the filters, feature maps and neuron heatmaps' shapes; model.pt
written at the end of a run and read back with weights_only=True to the same predictions; the ONNX export
against torch; a drawn digit turned into the dataset's image size."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
import torch
from tiny_experiment import tiny

from workbench.core.rundir.layout import MODEL
from workbench.core.status import RunStatus
from workbench.core.training import inside
from workbench.core.training.engine import Run
from workbench.core.training.state import KeepEpochStates
from workbench.core.training.trained import (
    TrainedModel,
    drawing_to_image,
    input_facts,
    load_weights,
    weights_source,
)

CNN = {"data.dataset": "digits", "data.train_size": 200, "model.kind": "cnn", "model.channels": [4, 6],
       "model.hidden": [16], "train.epochs": 1}


@pytest.fixture(scope="module")
def cnn_run(tmp_path_factory):
    directory = tmp_path_factory.mktemp("runs") / "cnn"
    return Run(tiny("tiny cnn", **CNN), run_dir=directory).fit()


@pytest.fixture(scope="module")
def moons_run(tmp_path_factory):
    directory = tmp_path_factory.mktemp("runs") / "moons"
    return Run(tiny(**{"model.hidden": [20, 8, 4]}), run_dir=directory).fit()


def trained(run) -> TrainedModel:
    source = weights_source(run, None)
    return TrainedModel(run.config, input_facts(run.config), source.load(), source.epoch)


def test_model_pt_round_trip_gives_identical_predictions(moons_run):
    path = moons_run.directory / MODEL
    assert path.is_file()
    weights = load_weights(path)
    assert set(weights) == set(moons_run.model.state_dict())
    model = trained(moons_run)
    x = moons_run.data.val_x
    with torch.no_grad():
        expected = moons_run.model.eval()(x).softmax(dim=1).numpy()
    assert np.array_equal(model.probabilities(x.numpy()), expected)
    assert model.epoch is None  # the final weights, not an epoch's


def test_a_click_on_the_plane_gives_the_models_probabilities(moons_run):
    model = trained(moons_run)
    point = np.array([[0.3, -0.2]], dtype=np.float32)
    probabilities = model.probabilities(point)
    with torch.no_grad():
        expected = moons_run.model.eval()(torch.from_numpy(point)).softmax(dim=1).numpy()
    assert probabilities.shape == (1, 2)
    np.testing.assert_allclose(probabilities, expected, rtol=1e-6)
    assert probabilities.sum() == pytest.approx(1.0)


def test_neuron_maps_cover_the_first_two_hidden_layers_on_the_decision_grid(moons_run):
    (x_range, y_range, probabilities) = moons_run.history.decision_grid
    size = probabilities.shape[0]
    maps = trained(moons_run).neuron_maps(x_range, y_range, size)
    assert [layer.shape for layer in maps] == [(inside.NEURON_UNITS, size, size), (8, size, size)]
    first = moons_run.model.dense_blocks[0]
    corner = torch.tensor([[x_range[0], y_range[0]]], dtype=torch.float32)  # the grid's first point
    with torch.no_grad():
        expected = first.activation(first.norm(first.layer(corner)))[0, : inside.NEURON_UNITS].numpy()
    np.testing.assert_allclose(maps[0][:, 0, 0], expected, rtol=1e-5, atol=1e-6)


def test_filters_and_feature_maps_of_a_cnn(cnn_run):
    model = trained(cnn_run)
    assert model.is_cnn
    assert model.filters().shape == (4, 1, 3, 3)
    np.testing.assert_array_equal(model.filters(), cnn_run.model.conv_blocks[0].layer.weight.detach().numpy())
    maps = model.feature_maps(model.facts.example)
    assert [block.shape for block in maps] == [(4, 8, 8), (6, 4, 4)]
    assert all((block >= 0).all() for block in maps)  # after the ReLU


def test_a_drawn_digit_is_centred_and_scaled_like_the_dataset():
    ink = np.zeros((100, 100), dtype=np.float32)
    ink[10:90, 70:80] = 1.0  # a "1" at the right edge of the canvas
    small = drawing_to_image(ink, (1, 8, 8))
    assert small.shape == (1, 8, 8) and small.max() == pytest.approx(1.0)
    columns = np.nonzero(small[0].sum(axis=0))[0]
    assert 2 <= columns.mean() <= 5  # moved to the middle
    assert np.nonzero(small[0].sum(axis=1))[0].tolist() == list(range(8))  # as tall as the image
    mnist = drawing_to_image(ink, (1, 28, 28))
    rows = np.nonzero(mnist[0].sum(axis=1))[0]
    assert rows.min() >= 4 and rows.max() <= 23  # MNIST's 20-pixel box
    assert not drawing_to_image(np.zeros((50, 50)), (1, 8, 8)).any()


def test_the_drawn_input_is_standardized_as_the_training_images(cnn_run):
    model = trained(cnn_run)
    ink = np.zeros((80, 80), dtype=np.float32)
    ink[5:75, 30:50] = 1.0
    image, model_input = model.drawn_input(ink)
    np.testing.assert_allclose(model.unstandardized(model_input), image * model.facts.raw_high, rtol=1e-5,
                               atol=1e-4)
    assert model.facts.raw_high == 16.0  # the 8x8 digits' darkest pixel
    assert model.probabilities(model_input[None]).shape == (1, 10)


def test_onnx_export_matches_torch(cnn_run, tmp_path):
    pytest.importorskip("onnx", reason="the ONNX export needs the onnx package (pip install onnx)")
    import onnx

    model = trained(cnn_run)
    path = model.export_onnx(tmp_path / "model.onnx")
    onnx.checker.check_model(onnx.load(str(path)))
    runtime = pytest.importorskip("onnxruntime", reason="comparing outputs needs onnxruntime")
    x = cnn_run.data.val_x[:5].numpy()
    (logits,) = runtime.InferenceSession(str(path)).run(None, {"input": x})
    with torch.no_grad():
        expected = cnn_run.model.eval()(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(logits, expected, atol=1e-5)


def test_weights_of_a_run_saved_before_model_pt_are_missing(moons_run, tmp_path):
    class OldRun:
        directory, status = tmp_path, moons_run.status

    assert weights_source(OldRun(), None) is None



def test_a_training_run_shows_its_newest_kept_epoch_and_a_finished_one_its_model_pt(tmp_path):
    keeper = KeepEpochStates()
    run = Run(tiny(**{"train.epochs": 3}), run_dir=tmp_path / "run", callbacks=[keeper]).fit()
    training = SimpleNamespace(directory=run.directory, status=RunStatus.RUNNING)
    source = weights_source(training, keeper)
    assert source.epoch == 3 and source.load() is keeper.states[3].model
    finished = weights_source(run, keeper)
    assert finished.epoch is None and finished.key.startswith(str(run.directory / MODEL))
    assert weights_source(SimpleNamespace(directory=None, status=RunStatus.RUNNING), None) is None
