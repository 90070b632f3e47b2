"""The Filters and Neurons tabs on real tiny runs read back from disk, the point probe on the decision
boundary, the draw-a-digit dialog and the dataset preview's picked example."""

from __future__ import annotations

import importlib.util
import shutil
import threading

import numpy as np
import pytest
from PySide6.QtWidgets import QWidget
from tiny_experiment import tiny

from workbench.core.rundir.layout import MODEL
from workbench.core.rundir.reader import load_run
from workbench.core.training.engine import Run
from workbench.ui.panels.dataset_preview import DatasetPreview, mosaic_cell
from workbench.ui.plots import PlotsArea
from workbench.ui.plots.filters_view import FiltersView, filter_tiles, tile_mosaic
from workbench.ui.plots.neurons_view import NeuronsView
from workbench.ui.trained_models import TrainedModels
from workbench.ui.try_model import DrawDigitDialog, PointProbe

CNN = {"data.dataset": "digits", "data.train_size": 200, "model.kind": "cnn", "model.channels": [4, 6],
       "model.hidden": [16], "train.epochs": 1}
READ_TIMEOUT_MS = 30_000


@pytest.fixture(scope="module")
def cnn_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("runs") / "cnn"
    Run(tiny("tiny cnn", **CNN), run_dir=directory).fit()
    return directory


@pytest.fixture(scope="module")
def spiral_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("runs") / "spiral"
    Run(tiny("tiny spiral", **{"data.dataset": "spiral", "model.hidden": [20, 8]}), run_dir=directory).fit()
    return directory


@pytest.fixture
def models(qtbot):
    """The trained models of the runs shown, owned by a widget as the plots area owns them: a pool thread's
    answer must find its receiver alive."""
    holder = QWidget()
    qtbot.addWidget(holder)
    yield TrainedModels(holder)


def model_when_read(qtbot, models: TrainedModels, run):
    """The run's TrainedModel, once its data facts have been read on a pool thread."""
    qtbot.waitUntil(lambda: not isinstance(models.model_of(run), str), timeout=READ_TIMEOUT_MS)
    return models.model_of(run)


def test_filters_tab_draws_the_filters_and_each_conv_blocks_maps(qtbot, models, cnn_dir):
    view = FiltersView(models)
    qtbot.addWidget(view)
    run = load_run(cnn_dir)
    view.bind(run)
    view.show()
    view.refresh()  # what the plots area does when the tab is shown; the facts arrive later
    qtbot.waitUntil(lambda: view.tile_counts == [4, 4, 6], timeout=READ_TIMEOUT_MS)
    assert "final weights" in view.note.text() and "first validation example" in view.note.text()
    view.set_example(np.zeros((1, 8, 8), dtype=np.float32), 3)  # as the dataset preview hands it over
    assert "picked in the preview (class 3)" in view.note.text()
    assert view.tile_counts == [4, 4, 6]
    view.set_example(np.zeros((1, 28, 28), dtype=np.float32), 3)  # the preview of another dataset
    assert "has another size than this run's inputs" in view.note.text()


def test_filters_tab_says_when_the_weights_were_not_kept(qtbot, models, cnn_dir, tmp_path):
    old = tmp_path / "old"
    shutil.copytree(cnn_dir, old)
    (old / MODEL).unlink()
    view = FiltersView(models)
    qtbot.addWidget(view)
    view.bind(load_run(old))
    view.refresh()
    assert "weights were not kept" in view.note.text()
    assert view.tile_counts == []


def test_neurons_tab_draws_a_tile_per_unit_of_the_first_hidden_layers(qtbot, models, spiral_dir):
    view = NeuronsView(models)
    qtbot.addWidget(view)
    view.bind(load_run(spiral_dir))
    view.show()
    view.refresh()
    qtbot.waitUntil(lambda: view.tile_counts == [16, 8], timeout=READ_TIMEOUT_MS)
    assert "final weights" in view.note.text()
    mosaics = list(view._mosaics)
    run = view._run
    run.history.decision_grid = grid = tuple(list(run.history.decision_grid))  # a new grid, as at an epoch end
    threads = []
    model = models.model_of(run)
    compute = model.neuron_maps
    model.neuron_maps = lambda *args: (threads.append(threading.current_thread()), compute(*args))[1]
    view.refresh()
    qtbot.waitUntil(lambda: view._drawn == (model, id(grid)), timeout=READ_TIMEOUT_MS)
    # computed on a background thread: 10-30 ms of the GUI thread at each epoch end of a training run
    assert threads and threading.main_thread() not in threads
    assert view._mosaics == mosaics  # drawn over: making a plot per layer again cost ~50 ms per epoch


def test_the_area_shows_each_tab_only_where_it_applies(qtbot, cnn_dir, spiral_dir):
    area = PlotsArea()
    qtbot.addWidget(area)
    visible = {}

    def tabs_of(directory):
        area.show_run(load_run(directory))
        return {area.tabs.tabText(index) for index in range(area.tabs.count()) if area.tabs.isTabVisible(index)}

    visible["cnn"], visible["spiral"] = tabs_of(cnn_dir), tabs_of(spiral_dir)
    assert "Filters" in visible["cnn"] and "Neurons" not in visible["cnn"]
    assert {"Neurons", "Decision boundary"} <= visible["spiral"] and "Filters" not in visible["spiral"]


def test_a_click_on_the_plane_writes_the_models_probabilities(qtbot, models, spiral_dir):
    run = load_run(spiral_dir)
    model = model_when_read(qtbot, models, run)
    area = PlotsArea()
    qtbot.addWidget(area)
    probe = PointProbe(area.boundary.plot, lambda: models.model_of(run))
    assert not probe.label.isVisible()  # empty, its background was a blank box in the plane's middle
    text = probe.probe(0.25, -0.5)
    (x, y), probabilities = probe.last
    np.testing.assert_allclose(probabilities, model.probabilities(np.array([[0.25, -0.5]]))[0])
    best = int(np.argmax(probabilities))
    assert (x, y) == (0.25, -0.5) and f"class {best}: " in text.splitlines()[1]
    assert probe.label.isVisible()
    probe.clear()
    assert probe.last is None and not probe.label.isVisible()


def test_a_click_made_while_the_runs_data_is_read_gets_its_prediction_when_the_model_is_there(
        qtbot, models, spiral_dir):
    run = load_run(spiral_dir)
    area = PlotsArea()
    qtbot.addWidget(area)
    probe = PointProbe(area.boundary.plot, lambda: models.model_of(run))
    models.changed.connect(probe.answer_when_ready)  # as the main window wires it
    assert probe.probe(0.25, -0.5) == "Reading the run's data…" and probe.last is None
    qtbot.waitUntil(lambda: probe.last is not None, timeout=READ_TIMEOUT_MS)
    assert probe.last[0] == (0.25, -0.5) and "class " in probe.label.toPlainText()


def test_a_drawn_digit_gets_class_probability_bars(qtbot, models, cnn_dir):
    run = load_run(cnn_dir)
    model = model_when_read(qtbot, models, run)
    dialog = DrawDigitDialog(model, "tiny cnn")
    qtbot.addWidget(dialog)
    assert dialog.probabilities is None and "Draw a digit" in dialog.prediction.text()
    dialog.canvas.stroke([(140, 40), (140, 240)])  # a "1"
    assert dialog.probabilities.sum() == pytest.approx(1.0, abs=1e-5)
    expected = model.probabilities(model.drawn_input(dialog.canvas.ink())[1][None])[0]
    np.testing.assert_allclose(dialog.probabilities, expected)
    np.testing.assert_allclose(dialog.bars.opts["height"], expected)
    assert dialog.prediction.text().startswith("Prediction: ")
    dialog.canvas.clear()
    assert dialog.probabilities is None


def test_a_click_on_a_preview_image_picks_that_example(qtbot):
    preview = DatasetPreview()
    qtbot.addWidget(preview)
    images = np.arange(5 * 64, dtype=np.float32).reshape(5, 1, 8, 8)
    preview.show_samples(images, np.arange(5), "image")
    with qtbot.waitSignal(preview.example_picked) as picked:
        preview.pick(mosaic_cell(x=3, y=9 + 2, count=5, height=8, width=8))  # the second row's first image
    raw, label = picked.args
    assert label == 4  # a 4-wide grid: the fifth example
    np.testing.assert_array_equal(raw, images[4])


def test_rgb_filters_are_averaged_into_one_tile_each():
    filters = np.stack([np.full((3, 3), value) for value in (1.0, 2.0, 3.0)])[None]  # one filter, 3 channels
    np.testing.assert_allclose(filter_tiles(filters)[0], np.ones((3, 3)))


def test_tile_mosaic_lays_tiles_out_row_major_with_gaps():
    tiles = np.arange(3, dtype=np.float32)[:, None, None] * np.ones((3, 2, 2), dtype=np.float32)
    mosaic = tile_mosaic(tiles, columns=2, gap=1)
    assert mosaic.shape == (5, 5)
    assert mosaic[0, 0] == 0 and mosaic[0, 3] == 1 and mosaic[3, 0] == 2
    assert np.isnan(mosaic[2, 0]) and np.isnan(mosaic[0, 2]) and np.isnan(mosaic[4, 4])


def test_each_filter_tile_is_scaled_to_its_own_largest_weight():
    filters = np.stack([np.full((1, 3, 3), 0.01), np.full((1, 3, 3), -4.0)])
    np.testing.assert_allclose(filter_tiles(filters), np.stack([np.ones((3, 3)), -np.ones((3, 3))]))


def test_mosaic_cells_skip_the_gaps():
    assert mosaic_cell(0, 0, count=16, height=8, width=8) == 0
    assert mosaic_cell(8.5, 0, count=16, height=8, width=8) is None  # the gap between two images
    assert mosaic_cell(9, 0, count=16, height=8, width=8) == 1
    assert mosaic_cell(0, 9, count=16, height=8, width=8) == 4
    assert mosaic_cell(9, 9, count=5, height=8, width=8) is None  # no sixth image
    assert mosaic_cell(-1, 0, count=16, height=8, width=8) is None


def test_the_window_shows_a_training_cnn_inside_and_tries_and_exports_it(window, qtbot, tmp_path, monkeypatch):
    window.set_experiment(tiny("tiny cnn", **{**CNN, "train.epochs": 30}))
    plots, controller = window.plots, window.controller
    with qtbot.waitSignal(controller.epoch_ended, timeout=READ_TIMEOUT_MS):
        window.run_action.trigger()
    window.pause_action.trigger()  # held mid-run: the tab shows the weights kept at an epoch end
    plots.tabs.setCurrentWidget(plots.filters)
    qtbot.waitUntil(lambda: plots.filters.tile_counts == [4, 4, 6], timeout=READ_TIMEOUT_MS)
    assert "end of epoch" in plots.filters.note.text()
    window.stop_action.trigger()
    qtbot.waitUntil(lambda: controller.job is None, timeout=READ_TIMEOUT_MS)
    plots.refresh()
    qtbot.waitUntil(lambda: "final weights" in plots.filters.note.text(), timeout=READ_TIMEOUT_MS)
    qtbot.waitUntil(lambda: window.experiment.preview.kind == "image", timeout=READ_TIMEOUT_MS)
    window.experiment.preview.pick(2)  # a click on the preview's third image
    assert "picked in the preview" in plots.filters.note.text()
    window.model_actions.try_model()
    dialog = window.model_actions.dialog
    assert dialog is not None and dialog.isVisible()
    dialog.close()
    target = tmp_path / "exported"
    monkeypatch.setattr(window.dialogs, "export_file", lambda *_args: (str(target), ""))
    window.model_actions.export_onnx()
    if importlib.util.find_spec("onnx") is not None:
        assert target.with_suffix(".onnx").stat().st_size > 0
