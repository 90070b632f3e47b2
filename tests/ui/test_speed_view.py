"""The Speed tab over a real run directory: samples/s and the phase shares per epoch, the CPU note, and
on a GPU (simulated rows: no GPU here) the memory plot and what it says about utilisation."""

from __future__ import annotations

import math

import numpy as np
import pytest

from workbench.core.history import TIMING_COLUMNS
from workbench.core.rundir.reader import load_run
from workbench.core.training.engine import Run
from workbench.ui.plots import PlotsArea
from workbench.ui.plots.speed_view import PHASES, SpeedView, phase_shares


@pytest.fixture(scope="module")
def run_directory(tmp_path_factory):
    from tiny_experiment import tiny

    directory = tmp_path_factory.mktemp("speed") / "run"
    Run(tiny(**{"train.epochs": 3, "train.probe_every": 1}), run_dir=directory).fit()
    return directory


def test_the_view_draws_a_real_run_directory(qtbot, run_directory):
    view = SpeedView()
    qtbot.addWidget(view)
    view.resize(600, 700)
    view.show()
    qtbot.waitExposed(view)
    heights = (view.speed_plot.height(), view.shares_plot.height())
    history = load_run(run_directory).history
    view.bind(history)
    assert view.shown_epochs() == 3
    qtbot.wait(20)
    # its notes keep their height from no timings to an epoch's: the plots are not resized (repainted whole)
    assert (view.speed_plot.height(), view.shares_plot.height()) == heights
    x, speed = view._speed_curve.getData()
    assert x.tolist() == [1, 2, 3] and np.all(speed > 0)
    tops = sum(np.asarray(bars.opts["height"]) for bars in view._bars)
    np.testing.assert_allclose(tops, 1.0)  # each epoch's bar is its whole time
    assert view.key.labels()[:2] == ["data", "forward pass"] and len(view.key.labels()) == len(PHASES)
    assert "samples/s" in view.summary.text() and "Epoch 3" in view.summary.text()
    assert not view.gpu_plot.isVisibleTo(view) and "CPU" in view.gpu_note.text()


def test_the_plots_area_has_a_speed_tab_that_follows_its_run(qtbot, run_directory):
    area = PlotsArea()
    qtbot.addWidget(area)
    titles = [area.tabs.tabText(index) for index in range(area.tabs.count())]
    assert "Speed" in titles
    area.show_run(load_run(run_directory))
    area.tabs.setCurrentIndex(titles.index("Speed"))
    assert area.speed.shown_epochs() == 3


def test_on_a_gpu_it_shows_memory_and_says_when_utilisation_is_not_reported(qtbot):
    from workbench.core.history import LayerInfo, RunHistory

    history = RunHistory(layers=[LayerInfo("output", "linear", "none", 2)], n_classes=2, steps_per_epoch=10)
    row = dict.fromkeys(TIMING_COLUMNS, 0.1) | {"epoch": 1, "samples": 640, "threads": 1, "gpu_memory_mb": 512.0,
                                                "gpu_utilization": math.nan}
    history.timings.append([row[name] for name in TIMING_COLUMNS])
    view = SpeedView()
    qtbot.addWidget(view)
    view.bind(history)
    assert view.gpu_plot.isVisibleTo(view) and view._memory_curve.getData()[1].tolist() == [512.0]
    assert "512" in view.gpu_note.text() and "not reported" in view.gpu_note.text()
    history.timings.append([(row | {"epoch": 2, "gpu_utilization": 0.83})[name] for name in TIMING_COLUMNS])
    view.refresh()
    assert "utilisation 83.0% at the end of epoch 2" in view.gpu_note.text()


def test_a_live_runs_axes_move_only_when_an_epoch_leaves_them_and_fit_it_once_it_ends(qtbot):
    """Auto-ranged, the plots were fitted again at every epoch end, and every axis made its ticks again in
    a tab that repaints each time (bench_gui.py: the Speed tab's worst stall while training 17-20 ms)."""
    from workbench.core.history import LayerInfo, RunHistory

    epochs = 30
    history = RunHistory(layers=[LayerInfo("output", "linear", "none", 2)], n_classes=2, steps_per_epoch=10)
    history.status = "running"
    row = dict.fromkeys(TIMING_COLUMNS, 0.1) | {"samples": 640, "threads": 1, "gpu_memory_mb": math.nan,
                                                "gpu_utilization": math.nan}
    view = SpeedView()
    qtbot.addWidget(view)
    view.bind(history, planned_epochs=epochs)
    speed_view = view.speed_plot.getPlotItem().getViewBox()
    moves = []
    speed_view.sigXRangeChanged.connect(lambda *_: moves.append(len(history.timings)))
    for epoch in range(1, epochs + 1):
        history.timings.append([(row | {"epoch": epoch, "steps_s": 1.0 + epoch % 3})[name] for name in TIMING_COLUMNS])
        view.refresh()
        (left, right), (bottom, top) = speed_view.viewRange()
        speeds = [640 / (1.0 + each % 3) for each in range(1, epoch + 1)]
        assert left <= 0.5 and epoch + 0.5 <= right and bottom <= min(speeds) and max(speeds) <= top
        ticks = view.speed_plot.getPlotItem().getAxis("bottom")._tickLevels
        assert ticks is None or [value for value, _ in ticks[0]] == list(range(1, math.floor(right) + 1))
    assert len(moves) <= 8  # grown to round numbers, not at each of the 30 epoch ends
    history.status = "completed"
    view.refresh()
    assert speed_view.viewRange()[0] == pytest.approx([-0.02 * (epochs + 0.5), (epochs + 0.5) * 1.02])


def test_shares_of_an_empty_or_idle_epoch_are_zero_not_nan():
    assert phase_shares(np.zeros((1, len(TIMING_COLUMNS)))).tolist() == [[0.0] * len(PHASES)]


def test_the_slow_training_card_opens_the_speed_tab(qtbot, run_directory):
    from workbench.core.diagnosis.finding import Finding

    area = PlotsArea()
    qtbot.addWidget(area)
    area.show_run(load_run(run_directory))
    area.show_evidence(Finding("slow_training", "warning", "title", "evidence 1", "why", {"train.probe_every": 0}, 1))
    assert area.tabs.currentWidget() is area.speed
