"""The Gradients tab's gradient through time: shown for recurrent runs, once their recorder has made its
table, with the first and the newest probe over the time steps; hidden for the others."""

from __future__ import annotations

import numpy as np
import pytest
from test_plots import live_run, make_history, show_tab

from workbench.core.history import GrowableArray
from workbench.ui.plots import PlotsArea

STEPS = 50


@pytest.fixture
def area(qtbot):
    widget = PlotsArea()
    qtbot.addWidget(widget)
    widget.resize(900, 900)
    widget.show()
    return widget


def vanishing_table() -> GrowableArray:
    """Two probes whose gradient falls geometrically from the last step back to the first."""
    table = GrowableArray(1 + STEPS)
    decay = 0.7 ** np.arange(STEPS - 1, -1, -1)  # step 50 gets 1, step 1 gets 0.7^49 = 2.6e-8
    table.extend([[8, *(0.5 * decay)], [16, *decay]])
    return table


def test_a_recurrent_run_shows_the_gradient_at_each_time_step(area):
    history = make_history()
    area.show_run(live_run(history))
    show_tab(area, "Gradients")
    view = area.gradient_through_time
    assert not view.widget.isVisible()  # bound before the run's recorder made its table
    history.time_step_grad = vanishing_table()
    area.refresh()
    assert view.widget.isVisible()
    first, newest = (curve.getData() for curve in (view._first, view._newest))  # y as the log axis draws it
    assert list(newest[0]) == list(range(1, STEPS + 1))
    assert 10 ** newest[1][-1] == pytest.approx(1.0) and 10 ** newest[1][0] == pytest.approx(0.7**49)
    assert 10 ** first[1][-1] == pytest.approx(0.5)
    assert view.shown_title == "Gradient through time: step 1 gets 2.6e-8 of step 50's"
    assert [label.text for _sample, label in view._key.items] == ["step 8 (first probe)", "step 16 (newest probe)"]


def test_a_feedforward_run_has_no_gradient_through_time(area):
    area.show_run(live_run(make_history()))
    show_tab(area, "Gradients")
    assert not area.gradient_through_time.widget.isVisible()
    assert area.gradient_norms.widget.isVisible()
