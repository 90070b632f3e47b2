"""Live plots move seldom (an axis that moves, or a plot resized, repaints whole plots on the GUI thread)
and still show every point."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtGui import QImage, QPainter
from test_plots import PROBE_EVERY, STEPS_PER_EPOCH, VAL_LOSS, live_run, make_history, show_tab, view_range

from workbench.ui.plots import PlotsArea, style
from workbench.ui.plots.decimation import MAX_BUCKETS
from workbench.ui.plots.layer_bars import bar_range
from workbench.ui.plots.ranges import FIT_PADDING, ROUND_MANTISSAS, round_down, round_up


@pytest.fixture
def area(qtbot):
    widget = PlotsArea()
    qtbot.addWidget(widget)
    widget.resize(900, 700)
    return widget


def is_round(value: float) -> bool:
    return any(np.isclose(value, mantissa * 10.0**exponent) for mantissa in ROUND_MANTISSAS
               for exponent in range(-3, 4))


def axis_end(widget, axis: int) -> float:
    """Where the axis' data room ends: its shown end less the padding left for the end labels."""
    low, high = view_range(widget, axis)
    return high - FIT_PADDING * (high - low) / (1 + 2 * FIT_PADDING)


def train_one_step_at_a_time(history, steps: int):
    """What the 30 ms timer sees while a run trains: a few new steps each tick, an epoch row at each end."""
    for _ in range(steps):
        step = history.steps + 1
        history.step_loss.append([step, 0.5 + 0.1 * np.sin(step)])
        if step % STEPS_PER_EPOCH == 0:
            epoch = step // STEPS_PER_EPOCH
            history.epochs.append([epoch, step, 0.5, 0.7, VAL_LOSS[(epoch - 1) % len(VAL_LOSS)], 0.6, 0.1, 0.2])
        yield step / STEPS_PER_EPOCH


def test_round_numbers_bound_a_value_within_one_step():
    assert [round_up(value) for value in (0.013, 1.0, 1.01, 2.25, 4.5, 7.0, 1234.0)] == [
        0.015, 1.0, 1.2, 2.5, 5.0, 8.0, 1500.0]
    assert round_down(0.7) == 0.6 and round_down(-0.7) == -0.8 and round_up(-0.7) == -0.6
    assert round_up(0.0) == 0.0 == round_down(0.0)


def test_a_live_epoch_axis_spans_the_first_epoch_from_the_first_step(area):
    history = make_history(epochs=0, steps=2)
    area.show_run(live_run(history, epochs=50))
    assert axis_end(area.curves.loss_plot, 0) == pytest.approx(1.0)  # not a hundredth of an epoch


def test_a_live_epoch_axis_grows_to_round_numbers_a_few_times_and_always_shows_every_step(area):
    history = make_history(epochs=0, steps=1)
    area.show_run(live_run(history, epochs=200))
    ends = []
    for epochs_done in train_one_step_at_a_time(history, 40 * STEPS_PER_EPOCH):
        area.refresh()
        assert epochs_done <= view_range(area.curves.loss_plot, 0)[1]  # the newest step is on the axis
        end = axis_end(area.curves.loss_plot, 0)
        if not ends or end != ends[-1]:
            ends.append(end)
    assert all(is_round(end) for end in ends)
    assert len(ends) <= 9  # 1, 1.5, 2.5, 4, 6, 10, 15, 25, 40 epochs: not one move per 1.5x from step 1
    assert ends[-1] <= 2 * 40  # the data still fills half of the axis or more
    assert view_range(area.curves.accuracy_plot, 0) == view_range(area.curves.loss_plot, 0)


def test_the_gradient_plots_epoch_axis_grows_the_same_way(area):
    history = make_history(epochs=0, steps=16)  # two probes, in the first epoch
    area.show_run(live_run(history, epochs=200))
    show_tab(area, "Gradients")
    end = axis_end(area.gradient_norms.plot, 0)
    assert is_round(end) and 1.0 <= end <= 1.5


def test_a_move_of_the_axis_keeps_every_reduced_step_drawn_up_to_the_newest(area):
    history = make_history(epochs=3, steps=20_000)
    area.show_run(live_run(history, epochs=400))
    curve = area.curves._step_smooth
    before = view_range(area.curves.loss_plot, 0)
    history.step_loss.extend(np.column_stack([np.arange(20_001, 40_001), np.full(20_000, 0.3)]))
    area.refresh()
    assert view_range(area.curves.loss_plot, 0) != before  # the new steps moved the axis
    x, y = curve.getData()  # what is drawn
    assert len(x) == len(curve.xData) <= MAX_BUCKETS
    assert x[-1] == pytest.approx(40_000 / STEPS_PER_EPOCH, rel=1e-3)
    assert np.isfinite(y[-1])


def test_a_run_of_many_epochs_is_downsampled_by_the_plot_and_a_short_one_is_not(area):
    area.show_run(live_run(make_history(epochs=MAX_BUCKETS + 1)))
    long_curve = area.curves._run_curves[0]["val_loss"]
    assert long_curve.opts["autoDownsample"] and long_curve.opts["clipToView"]
    area.show_run(live_run(make_history(epochs=6), name="short"))
    short_curve = area.curves._run_curves[0]["val_loss"]
    assert not short_curve.opts["autoDownsample"] and not short_curve.opts["clipToView"]


def test_the_plots_do_not_move_when_the_key_names_the_first_best_epoch(area):
    area.resize(520, 700)  # narrow: the key's four entries wrap onto a second line
    area.show()
    history = make_history(epochs=0, steps=STEPS_PER_EPOCH - 1)
    area.show_run(live_run(history, epochs=50))
    area.curves.layout().activate()
    plot_top = area.curves.loss_plot.geometry().top()
    assert not any(label.startswith("best epoch") for label in area.curves.key.labels())
    list(train_one_step_at_a_time(history, 1))  # the first epoch ends
    area.refresh()
    area.curves.layout().activate()
    assert area.curves.key.labels()[-1] == "best epoch 1 (lowest val loss)"
    assert area.curves.key.height() > area.curves.key.fontMetrics().height() * 1.5  # it did wrap
    assert area.curves.loss_plot.geometry().top() == plot_top


def test_a_live_runs_bar_axis_only_grows_and_closes_in_once_the_run_has_ended(area):
    history = make_history(epochs=2)
    area.show_run(live_run(history))
    show_tab(area, "Gradients")
    bars = area.gradient_flow.widget.getPlotItem().getViewBox()
    ranges = []
    for norms in ([1e-9, 1e-4, 1e-2, 1.0], [1e-8, 1e-4, 1e-2, 1.0], [1e-3, 1e-2, 1e-1, 1.0]):  # batch-1 jumps
        history.probe_steps.append([history.steps + len(ranges) + 1])
        history.grad_norm.append(norms)
        area.refresh()
        ranges.append(bars.viewRange()[1])
    assert ranges[1] == ranges[0] == ranges[2]  # the first probe grew it; the others fit
    assert ranges[0][0] <= -9.5  # the smallest bar still shows
    history.status = "completed"
    area.refresh()
    assert bars.viewRange()[1][0] > -5  # fitted to the last probe's bars, from 1e-3


def test_the_bar_axis_rule_grows_live_and_fits_an_ended_run():
    shown = bar_range(None, -6.0, 0.0)
    assert bar_range(shown, -3.0, 0.0, live=True) == shown  # live: room to spare is kept
    assert bar_range(shown, -3.0, 0.0) != shown  # ended: it closes in
    grown = bar_range(shown, -8.0, 0.0, live=True)
    assert grown[0] <= -8.5 and grown[1] == shown[1]  # grows on the side that needs it only


def test_live_refreshes_leave_the_plot_titles_alone(area, monkeypatch):
    history = make_history(epochs=2)
    area.show_run(live_run(history))
    show_tab(area, "Gradients")
    titles_set = []
    for view in (area.gradient_norms.plot, area.gradient_flow.widget):
        label = view.getPlotItem().titleLabel
        monkeypatch.setattr(label, "setText", lambda *args, **kwargs: titles_set.append(args))
    for _ in train_one_step_at_a_time(history, 3 * PROBE_EVERY):  # a title set again relayouts its plot
        history.probe_steps.append([history.steps])
        history.grad_norm.append([1e-6, 1e-4, 1e-2, 1.0])
        area.refresh()
    assert titles_set == []


def test_an_ended_run_is_fitted_on_the_next_event_loop_turn(area, qtbot):
    history = make_history(epochs=3)
    run = live_run(history, epochs=400)
    area.show_run(run)
    live_end = view_range(area.curves.loss_plot, 0)[1]
    history.status = run.status = "completed"
    area._run_updated(run)  # what the session's `updated` signal calls at a run's end
    assert view_range(area.curves.loss_plot, 0)[1] == live_end  # not in the turn that ended the run
    qtbot.waitUntil(lambda: view_range(area.curves.loss_plot, 0)[1] < 3.2)  # then fitted to its 3 epochs


def test_a_plot_narrower_than_its_title_stays_inside_its_view(qtbot):
    """pyqtgraph made a title's width the plot's minimum: the per-class accuracy overflowed its view (its
    last classes and the end of its title cut off), and an axis cached as a pixmap that overflows its view
    is redrawn only in part by Qt, keeping tick labels of an earlier size (under xcb, not offscreen)."""
    widget = style.make_plot()
    qtbot.addWidget(widget)
    style.title_plot(widget, "Accuracy per class (all classes: 97.5%), a title wider than the plot")
    widget.resize(220, 300)
    widget.show()
    qtbot.waitExposed(widget)
    assert widget.getPlotItem().geometry().width() <= widget.viewport().width()


def test_a_title_wider_than_its_plot_is_elided_in_the_middle_and_whole_again_when_there_is_room(qtbot):
    """Cut at both ends (it is centred), a compared run's name lost its start and the end that told it from its
    twin, the run of a fix named after it (Compare, under xcb: "OR, PReLU, normal init of std 1 + fix for bad_")."""
    widget = style.make_plot()
    qtbot.addWidget(widget)
    name = "XOR, PReLU, normal init of std 1 + fix for bad_initialization"
    style.title_plot(widget, name)
    widget.resize(220, 200)
    widget.show()
    qtbot.waitExposed(widget)
    title = widget.getPlotItem().titleLabel
    shown = title.item.document().toPlainText()
    assert "…" in shown and shown.startswith("XOR") and shown.endswith("ation")
    assert title.item.boundingRect().width() <= title.width() and title.toolTip() == name
    widget.resize(900, 200)
    qtbot.waitUntil(lambda: title.item.document().toPlainText() == name)
    assert title.toolTip() == ""
    style.title_plot(widget, "Loss")  # a new title replaces the whole one kept for the next resize
    widget.resize(880, 200)
    qtbot.waitUntil(lambda: title.width() < 890)
    assert title.item.document().toPlainText() == "Loss"


@pytest.mark.parametrize("height", [110, 160, 400])
def test_a_log_axis_labels_only_as_many_values_between_powers_of_ten_as_have_room(qtbot, height):
    """pyqtgraph labels every one of 1-9 x each power of ten on an axis spanning under three of them: on the
    gradient plot of a run whose norms spanned 0.04-0.6, "0.09" over "0.08" and "0.07", and in Compare's small
    plots every label over the others."""
    widget = style.make_plot(log_y=True)
    qtbot.addWidget(widget)
    widget.setMinimumSize(120, 100)
    widget.resize(300, height)
    plot = widget.getPlotItem()
    plot.plot([0.0, 1.0, 2.0], [0.04, 0.2, 0.6])
    widget.show()
    painted(qtbot, widget)
    image = QImage(10, 10, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        labels = [rect for rect, _flags, text in plot.getAxis("left").generateDrawSpecs(painter)[2] if text]
    finally:
        painter.end()
    assert len(labels) >= 2
    assert not any(a.intersects(b) for index, a in enumerate(labels) for b in labels[index + 1:])


def test_an_axis_keeps_the_room_of_its_widest_labels_so_a_run_start_lays_nothing_out_again(qtbot):
    """At a run start the plots are emptied (no tick labels) and the first epoch brings labels back: an axis
    that gave up its label room in between made its plot lay itself out and repaint two to four times."""
    widget = style.make_plot()
    qtbot.addWidget(widget)
    widget.resize(400, 300)
    widget.show()
    plot = widget.getPlotItem()
    left = plot.getAxis("left")
    curve = plot.plot([0.0, 1000.0], [-1234.5, 98765.0])
    painted(qtbot, widget)  # the axes measured their tick labels, and the plot was laid out for them
    wide = left.width()
    curve.setData([], [])
    plot.setRange(xRange=(0, 1), yRange=(0, 1), padding=0)  # labels "0.2", not "-20000"
    painted(qtbot, widget)
    assert left.width() == wide


def painted(qtbot, widget) -> None:
    """Paint the widget, then let the layout its axes asked for while painting take effect."""
    widget.grab()
    qtbot.wait(20)
    widget.grab()


def test_a_plots_context_menu_is_built_at_its_first_right_click_and_still_offers_every_view_action(qtbot):
    """Strips and per-layer rows are made while a run starts or a tab is first shown: pyqtgraph built each
    plot's view menu then (~2.6 ms of ~9). Built on demand, it is the same menu."""
    widget = style.make_plot()
    qtbot.addWidget(widget)
    view = widget.getPlotItem().getViewBox()
    assert view.menu is None and view.menuEnabled()
    menu = view.getMenu(None)
    texts = [action.text() for action in menu.actions()]
    assert "View All" in texts and any("X axis" in text for text in texts)
    assert view.getMenu(None) is menu and view.getContextMenus(None) == menu.actions()
    view.setMenuEnabled(False)
    assert view.menu is None and view.getMenu(None) is None and view.getContextMenus(None) == []
