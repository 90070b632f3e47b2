"""The plots area over synthetic histories: what a user sees (points, curves per layer, markers, values)."""

from __future__ import annotations

import time
from types import SimpleNamespace

import numpy as np
import pytest
from PySide6.QtCore import Qt

from workbench.core.history import LayerInfo, RunHistory
from workbench.ui.plots import PlotsArea
from workbench.ui.plots.decimation import MAX_BUCKETS, BucketReducer, SmoothedMeans
from workbench.ui.plots.layer_bars import bar_range

STEPS_PER_EPOCH = 20
PROBE_EVERY = 8
LAYERS = [LayerInfo("layer 1", "linear", "relu", 16), LayerInfo("layer 2", "linear", "relu", 16),
          LayerInfo("layer 3", "linear", "tanh", 16), LayerInfo("output", "linear", "none", 3)]
VAL_LOSS = [1.0, 0.7, 0.5, 0.45, 0.48, 0.55]  # lowest at epoch 4


def make_history(epochs: int = len(VAL_LOSS), steps: int | None = None, grid: bool = False) -> RunHistory:
    history = RunHistory(layers=list(LAYERS), n_classes=3, steps_per_epoch=STEPS_PER_EPOCH)
    total = steps or epochs * STEPS_PER_EPOCH
    step = np.arange(1, total + 1)
    history.step_loss.extend(np.column_stack([step, 1.1 * np.exp(-step / total) + 0.05 * np.sin(step)]))
    for epoch in range(1, epochs + 1):
        history.epochs.append([epoch, epoch * STEPS_PER_EPOCH, 1.0 / epoch, 0.4 + 0.08 * epoch,
                               VAL_LOSS[(epoch - 1) % len(VAL_LOSS)], 0.35 + 0.07 * epoch, 0.1, 0.2])
    probes = np.arange(PROBE_EVERY, total + 1, PROBE_EVERY)
    history.probe_steps.extend(probes[:, None])
    history.grad_norm.extend(np.outer(np.ones(len(probes)), [1e-6, 1e-4, 1e-2, 1.0]))
    history.weight_norm.extend(np.ones((len(probes), len(LAYERS))))
    history.update_ratio.extend(np.full((len(probes), len(LAYERS)), 1e-3))
    history.activation_steps.extend(np.arange(epochs + 1)[:, None] * STEPS_PER_EPOCH)
    not_applicable = np.full(epochs + 1, np.nan)
    dead = np.linspace(0.0, 0.6, epochs + 1)
    history.dead_share.extend(np.column_stack([dead, dead / 2, not_applicable, not_applicable]))
    history.saturated_share.extend(np.column_stack([not_applicable, not_applicable, dead, not_applicable]))
    if grid:
        probabilities = np.random.default_rng(0).dirichlet(np.ones(3), size=(64, 64))
        history.decision_grid = ((-2.0, 2.0), (-1.0, 1.0), probabilities)
    return history


def live_run(history: RunHistory | None, name: str = "spiral", points: int = 0, epochs: int = 20):
    """What PlotsArea reads of a live engine Run: history (with `points` training points), config."""
    if points:
        history.training_points = (np.random.default_rng(0).normal(size=(points, 2)), np.arange(points) % 3)
    config = SimpleNamespace(name=name, train=SimpleNamespace(epochs=epochs))
    return SimpleNamespace(history=history, config=config, findings=[], name=name)


def loaded_run(history: RunHistory, name: str):
    return SimpleNamespace(history=history, config=None, name=name)


def show_tab(area: PlotsArea, title: str) -> None:
    """What a click on that tab does."""
    titles = [area.tabs.tabText(index).replace("&&", "&") for index in range(area.tabs.count())]
    area.tabs.setCurrentIndex(titles.index(title))


@pytest.fixture
def area(qtbot):
    widget = PlotsArea()
    qtbot.addWidget(widget)
    widget.resize(900, 700)
    return widget


def test_loss_and_accuracy_have_one_point_per_epoch_and_the_per_step_loss(area):
    area.show_run(live_run(make_history()))
    counts = area.curve_point_counts()
    assert {key: counts[key] for key in ("train_loss", "val_loss", "train_acc", "val_acc")} == dict.fromkeys(
        ("train_loss", "val_loss", "train_acc", "val_acc"), 6)
    assert counts["step_loss"] == 6 * STEPS_PER_EPOCH  # short runs: every step is a point


def test_best_epoch_marker_sits_at_the_lowest_validation_loss(area):
    area.show_run(live_run(make_history()))
    marker = area.curves._best_lines[0]
    assert marker.isVisible()
    assert marker.value() == 4


def test_the_best_epoch_is_named_in_the_key(area):
    history = make_history(epochs=3)
    area.show_run(live_run(history))
    key = area.curves.key
    assert key.labels()[-1] == "best epoch 3 (lowest val loss)"
    history.epochs.append([4, 80, 0.25, 0.72, VAL_LOSS[3], 0.63, 0.1, 0.2])
    area.refresh()
    assert [label for label in key.labels() if label.startswith("best epoch")] == ["best epoch 4 (lowest val loss)"]
    assert area.curves._best_lines[0].value() == 4


def view_range(widget, axis: int) -> list[float]:
    return widget.getPlotItem().getViewBox().viewRange()[axis]


def test_a_live_run_axis_follows_its_data_with_headroom_and_a_finished_one_fits_it(area):
    history = make_history(epochs=3)
    area.show_run(live_run(history, epochs=400))  # a long run: its curves are not squeezed to the left
    x_low, x_high = view_range(area.curves.loss_plot, 0)
    assert x_low < 0 and 3.5 < x_high < 5  # the data fills two thirds of the axis, not 1%
    history.epochs.append([4, 80, 0.25, 0.72, VAL_LOSS[3], 0.63, 0.1, 0.2])
    history.step_loss.extend(np.column_stack([np.arange(61, 81), np.full(20, 0.3)]))
    area.refresh()
    assert view_range(area.curves.loss_plot, 0)[1] == x_high  # room left: the axis stays put
    history.status = "early_stopped"
    area.refresh()
    assert 4 < view_range(area.curves.loss_plot, 0)[1] < 4.5


def test_a_live_axis_leaves_no_room_beyond_the_planned_epochs(area):
    history = make_history(epochs=3)
    area.show_run(live_run(history, epochs=3))
    assert view_range(area.curves.loss_plot, 0)[1] < 3.2


def test_the_loss_axis_starts_at_zero_and_moves_only_for_values_outside_it(area):
    history = make_history(epochs=3)
    area.show_run(live_run(history))
    y_low, y_high = view_range(area.curves.loss_plot, 1)
    assert y_low < 0 < 1.15 < y_high  # every loss shown (the first step's is ~1.1)
    history.step_loss.extend([[61, 0.6], [62, 0.5]])
    area.refresh()
    assert view_range(area.curves.loss_plot, 1) == [y_low, y_high]  # no re-fit for values inside
    history.step_loss.append([63, 3.0])  # a spike
    area.refresh()
    assert view_range(area.curves.loss_plot, 1)[1] > 3.0


def test_after_a_zoom_the_axes_stay_where_the_user_put_them(area):
    history = make_history(epochs=3)
    area.show_run(live_run(history))
    view = area.curves.loss_plot.getPlotItem().getViewBox()
    view.setRange(xRange=(1, 2), yRange=(0.2, 0.4), padding=0)
    view.sigRangeChangedManually.emit([True, True])  # what a mouse drag or wheel does
    history.step_loss.append([61, 5.0])
    area.refresh()
    assert view.viewRange() == [[1, 2], [0.2, 0.4]]
    view.enableAutoRange()  # the "A" button: the axes follow the data again, without re-fitting each tick
    area.refresh()
    assert view.viewRange()[1][1] > 5.0
    assert view.autoRangeEnabled() == [False, False]


def test_gradient_bars_keep_their_axis_while_the_norms_move_a_little():
    shown = bar_range(None, -6.0, 0.0)  # bars from 1e-6 to 1
    assert shown[0] <= -6.5 and shown[1] >= 0.6  # the shortest bar visible, room for the tallest's label
    assert bar_range(shown, -6.2, 0.1) == shown
    assert bar_range(shown, -3.0, 0.0) != shown  # most of the axis would be empty: it closes in
    assert bar_range(shown, -6.0, 2.0)[1] >= 2.6  # a bar beyond the top: the axis grows


def test_hovering_an_epoch_shows_its_exact_values(area):
    area.show_run(live_run(make_history()))
    area.curves.show_values_at(3.2)  # snaps to epoch 3
    text = area.curves.readout.text()
    assert "epoch 3" in text
    assert "val loss 0.5" in text
    assert "train acc 0.64" in text


def test_one_gradient_curve_per_layer_with_the_layer_names_in_the_key(area):
    area.show_run(live_run(make_history()))
    assert area.gradient_curve_count() == len(LAYERS)
    assert area.gradient_norms.key.labels() == ["layer 1", "layer 2", "layer 3", "output"]


def test_the_next_run_reuses_the_per_layer_curves_and_shows_only_its_own(area):
    """A run start draws into the curves the last run left (emptied and hidden), not into new ones: making
    them cost its first refresh 4.4 ms against 1.6 on a 4-layer run. A run with fewer layers shows only its
    own; its colours follow its layer count."""
    area.show_run(live_run(make_history()))
    show_tab(area, "Gradients")
    trend = area.gradient_norms
    made = list(trend.plot.listDataItems())
    assert len(made) == 4
    shallow = RunHistory(layers=LAYERS[2:], n_classes=3, steps_per_epoch=STEPS_PER_EPOCH)
    shallow.probe_steps.extend(np.arange(PROBE_EVERY, 41, PROBE_EVERY)[:, None])
    shallow.grad_norm.extend(np.outer(np.ones(5), [1e-2, 1.0]))
    area.show_run(live_run(shallow))
    assert list(trend.plot.listDataItems()) == made  # none added
    shown = [curve for curve in made if curve.isVisible()]
    assert len(shown) == trend.curve_count == 2 and trend.key.labels() == ["layer 3", "output"]
    assert all(not len(curve.xData or []) for curve in made if not curve.isVisible())
    colors = [curve.opts["pen"].color().name() for curve in shown]
    assert len(set(colors)) == 2


def test_gradient_flow_bars_label_the_latest_norms(area):
    area.show_run(live_run(make_history()))
    show_tab(area, "Gradients")
    labels = [label.toPlainText() for label in area.gradient_flow._labels]
    assert labels == ["1e-6", "0.0001", "0.01", "1"]


def test_activation_plots_show_only_layers_the_metric_applies_to(area):
    area.show_run(live_run(make_history()))
    show_tab(area, "Activations")
    assert area.dead_share.curve_count == 2  # the two ReLU layers
    assert area.saturated_share.curve_count == 1  # the tanh layer


def test_refresh_picks_up_what_the_run_appended(area):
    history = make_history(epochs=2)
    area.show_run(live_run(history))
    assert area.curve_point_counts()["val_loss"] == 2
    history.epochs.append([3, 60, 0.3, 0.7, 0.4, 0.6, 0.1, 0.2])
    history.step_loss.extend([[41, 0.5], [42, 0.4]])
    area.refresh()
    counts = area.curve_point_counts()
    assert counts["val_loss"] == 3
    assert counts["step_loss"] == 42


def test_a_live_run_is_plotted_once_its_history_exists(area):
    run = live_run(None)
    area.show_run(run)
    assert area.curve_point_counts()["train_loss"] == 0
    assert area.gradient_curve_count() == 0
    run.history = make_history(epochs=1)
    area.refresh()
    assert area.curve_point_counts()["train_loss"] == 1
    assert area.gradient_curve_count() == len(LAYERS)


def test_decision_boundary_tab_shows_the_grid_and_the_training_points(area):
    area.show_run(live_run(make_history(grid=True), points=150))
    assert area.tabs.isTabVisible(area._boundary_tab)
    show_tab(area, "Decision boundary")
    assert area.boundary.has_image
    assert area.boundary.point_count == 150


def test_a_new_2d_run_keeps_the_decision_boundary_tab_in_view_through_its_first_epoch(area):
    """A run has no grid before its first epoch ends: hiding the tab until then switched the user watching
    it to another tab at every Run, and hid and showed it again in the run start's busiest moment."""
    area.show_run(live_run(make_history(grid=True), points=150))
    show_tab(area, "Decision boundary")
    starting = make_history(epochs=0)
    run = live_run(None, "spiral again")  # its worker has not made its history yet
    area.show_run(run)
    assert area.tabs.currentIndex() == area._boundary_tab
    run.history = starting
    area.refresh()
    assert area.tabs.currentIndex() == area._boundary_tab
    starting.epochs.append([1, STEPS_PER_EPOCH, 1.0, 0.4, 1.0, 0.35, 0.1, 0.2])
    starting.decision_grid = make_history(grid=True).decision_grid  # what the first epoch end records
    area.refresh()
    assert area.tabs.currentIndex() == area._boundary_tab and area.boundary.has_image
    area.show_run(live_run(make_history(epochs=1), "digits"))  # not 2-D: known once an epoch has ended
    assert not area.tabs.isTabVisible(area._boundary_tab)


def test_decision_boundary_tab_is_hidden_without_a_grid(area):
    area.show_run(loaded_run(make_history(), "from disk"))
    assert not area.tabs.isTabVisible(area._boundary_tab)


def test_overlay_draws_each_run_in_its_own_colour_with_its_name(area):
    failing, cured = make_history(epochs=5), make_history(epochs=3)
    area.show_overlay([loaded_run(failing, "sigmoid deep"), live_run(cured, "sigmoid deep (fix)")])
    counts = area.curve_point_counts()
    assert counts["sigmoid deep / val_loss"] == 5
    assert counts["sigmoid deep (fix) / val_acc"] == 3
    assert area.curves.key.labels() == ["sigmoid deep", "sigmoid deep (fix)", "validation", "training"]
    colors = {area.curves._run_curves[index]["val_loss"].opts["pen"].color().name() for index in (0, 1)}
    assert len(colors) == 2


def test_clear_empties_the_plots(area):
    area.show_run(live_run(make_history()))
    area.clear()
    assert area.curve_point_counts() == {}
    assert area.gradient_curve_count() == 0


def test_hidden_tabs_catch_up_when_shown(area):
    history = make_history(epochs=2)
    area.show_run(live_run(history))
    history.probe_steps.append([41])
    history.grad_norm.append([5e-7, 1e-4, 1e-2, 2.0])
    area.refresh()  # the loss tab is in view: the gradient bars wait
    show_tab(area, "Gradients")
    assert area.gradient_flow._labels[0].toPlainText() == "5e-7"


def test_a_million_steps_refresh_quickly_with_bounded_points(area):
    history = make_history(epochs=10, steps=1_000_000)
    start = time.perf_counter()
    area.show_run(live_run(history))  # the first refresh folds in all million steps
    first_ms = (time.perf_counter() - start) * 1e3
    ticks = {}
    for tab in ("Loss & accuracy", "Gradients"):
        show_tab(area, tab)
        ticks[tab] = []
        for _ in range(10):  # what the 30 ms timer sees while training: a few hundred new steps each
            first = history.steps + 1
            steps = np.arange(first, first + 300)
            history.step_loss.extend(np.column_stack([steps, np.full(300, 0.3)]))
            history.probe_steps.extend(steps[::PROBE_EVERY, None])
            history.grad_norm.extend(np.ones((len(steps[::PROBE_EVERY]), len(LAYERS))))
            start = time.perf_counter()
            area.refresh()
            ticks[tab].append((time.perf_counter() - start) * 1e3)
    print(f"refresh with 1e6 steps: first {first_ms:.1f} ms; " + "; ".join(
        f"{tab} tick median {np.median(times):.2f} ms, worst {max(times):.2f} ms" for tab, times in ticks.items()))
    assert max(max(times) for times in ticks.values()) < 500  # loose: speed goals belong to benchmarks
    assert 0 < area.curve_point_counts()["step_loss"] <= MAX_BUCKETS
    assert all(0 < len(curve.xData) <= MAX_BUCKETS for curve in area.gradient_norms._curves.values())


def test_bucket_reducer_matches_a_direct_reduction_when_fed_in_pieces():
    rng = np.random.default_rng(1)
    values = rng.normal(size=(10_007, 2))
    values[123, 0] = np.nan  # a diverged value is skipped, not spread over its bucket
    x = np.arange(len(values), dtype=float)
    reducer = BucketReducer(2, max_buckets=64)
    for piece in np.array_split(np.arange(len(values)), 37):
        reducer.consume(x[piece], values[piece])
    size = reducer.rows_per_bucket
    assert 32 <= len(reducer) <= 64
    for bucket in (0, 1, len(reducer) - 1):
        rows = slice(bucket * size, (bucket + 1) * size)
        np.testing.assert_allclose(reducer.x[bucket], x[rows].mean())
        np.testing.assert_allclose(reducer.mean[bucket], np.nanmean(values[rows], axis=0))
        np.testing.assert_allclose(reducer.low[bucket], np.nanmin(values[rows], axis=0))
        np.testing.assert_allclose(reducer.high[bucket], np.nanmax(values[rows], axis=0))


def test_smoothing_updated_piece_by_piece_equals_smoothing_from_scratch():
    values = np.random.default_rng(2).normal(size=(5_003, 1))
    reducer, live = BucketReducer(1, max_buckets=64), SmoothedMeans(0.9)
    for piece in np.array_split(np.arange(len(values)), 41):
        reducer.consume(piece.astype(float), values[piece])
        incremental = live.update(reducer)
        np.testing.assert_allclose(incremental, SmoothedMeans(0.9).update(reducer))


def diverged_history() -> RunHistory:
    """A run like the lr-too-high preset: one huge gradient probe, then norms of exactly 0 (every unit
    died), a training loss of 4.8e18 in its only epoch and a NaN loss from step 46."""
    history = RunHistory(layers=list(LAYERS[:2]) + [LAYERS[3]], n_classes=3, steps_per_epoch=36)
    history.initial_loss = 1.1
    losses = np.full(48, 2.5)
    losses[42:44] = (3.5e19, 8.2e17)
    losses[45:] = np.nan
    history.step_loss.extend(np.column_stack([np.arange(1, 49), losses]))
    history.epochs.append([1, 36, 4.772361500884992e18, 0.1, 3.1, 0.1, 10.0, 0.01])
    history.probe_steps.extend(np.arange(8, 41, 8)[:, None])
    history.grad_norm.extend(np.vstack([[1.6e7, 1.1e11, 1.5e11], np.zeros((4, 3))]))
    history.status = "diverged"
    return history


def test_a_diverged_run_in_an_overlay_leaves_the_other_runs_readable(area):
    healthy = make_history()
    healthy.initial_loss = 1.1
    area.show_overlay([loaded_run(healthy, "healthy"), loaded_run(diverged_history(), "diverged")])
    y_low, y_high = view_range(area.curves.loss_plot, 1)
    assert y_low < 0 and 3.1 < y_high < 11  # the healthy losses (0.45 to 1) fill a tenth or more of it
    title = area.curves.loss_plot.getPlotItem().titleLabel.text
    assert "clipped at 11" in title and "4.8e18" in title  # the plot says why a curve leaves it


def test_the_log_scale_shows_a_diverged_loss_unclipped(area):
    area.show_run(loaded_run(diverged_history(), "diverged"))
    assert "clipped" in area.curves.loss_plot.getPlotItem().titleLabel.text
    area.curves.log_scale.setChecked(True)
    assert area.curves.loss_plot.getPlotItem().getAxis("left").logMode
    y_low, y_high = view_range(area.curves.loss_plot, 1)
    assert y_low < 0.4 < 19.5 < y_high  # log10 units: 2.5 and 3.5e19 both on the axis
    assert area.curves.loss_plot.getPlotItem().titleLabel.text == "Loss"
    area.curves.log_scale.setChecked(False)
    assert view_range(area.curves.loss_plot, 1)[1] < 11


def test_the_gradients_of_a_diverged_run_show_its_finite_probe_and_say_what_is_missing(area):
    area.show_run(loaded_run(diverged_history(), "diverged"))
    show_tab(area, "Gradients")
    trend = area.gradient_norms
    assert trend.curve_count == 3
    assert all(curve.opts["symbol"] == "o" for curve in trend._curves.values())  # a lone probe shows as a dot
    assert "Diverged at step 46." in trend.note.text() and trend.note.isVisibleTo(area)
    assert "From step 16 some norms are exactly 0" in trend.note.text()
    bars = area.gradient_flow
    assert bars.shown_title == "Gradient flow at step 8 (the newest probe above 0)"
    assert [label.toPlainText() for label in bars._labels] == ["1.6e7", "1.1e11", "1.5e11"]


def test_a_healthy_run_has_no_divergence_note(area):
    area.show_run(loaded_run(make_history(), "healthy"))
    show_tab(area, "Gradients")
    assert area.gradient_norms.note.isHidden()
    assert area.gradient_flow.shown_title == "Gradient flow (latest probe)"


def test_hovering_a_per_layer_plot_reads_each_layers_value(area):
    area.show_run(live_run(make_history()))
    show_tab(area, "Gradients")
    area.gradient_norms.show_values_at(2.05)
    text = area.gradient_norms.readout.text()
    assert text.startswith("epoch 2") and "layer 1 1e-6" in text and "output 1" in text


def test_the_smoothing_slider_resmooths_the_step_loss(area):
    history = make_history()
    area.show_run(live_run(history))
    curves = area.curves
    smoothed = curves._step_smooth.yData.copy()
    curves.smoothing.setValue(0)  # no smoothing: every step as it was
    assert curves.smoothing_value.text() == "0.00"
    np.testing.assert_allclose(curves._step_smooth.yData, history.step_loss.view()[:, 1])
    assert not np.allclose(curves._step_smooth.yData, smoothed)


def test_overlay_training_curves_are_thinner_paler_and_dashed(area):
    area.show_overlay([loaded_run(make_history(), "a"), loaded_run(make_history(), "b")])
    training, validation = (area.curves._run_curves[0][key].opts["pen"] for key in ("train_loss", "val_loss"))
    assert training.style() == Qt.PenStyle.DashLine and validation.style() == Qt.PenStyle.SolidLine
    assert training.widthF() < validation.widthF() / 2
    assert training.color().lightness() > validation.color().lightness()


def test_the_decision_boundary_has_a_key_of_its_classes(area):
    area.show_run(live_run(make_history(grid=True), points=150))
    show_tab(area, "Decision boundary")
    assert area.boundary.key.labels() == ["class 0", "class 1", "class 2"]
