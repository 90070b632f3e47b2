"""The views render the runs session and follow its events, without a main window: the runs list's rows,
the selection both ways, the plots, the diagnosis panel and the selection actions."""

from __future__ import annotations

import pytest
from tiny_experiment import tiny

from workbench.core.rundir.reader import load_run
from workbench.core.session import RunsSession
from workbench.core.status import RunStatus
from workbench.core.training.engine import Run
from workbench.ui.dialogs import Dialogs
from workbench.ui.panels.diagnosis import DiagnosisPanel
from workbench.ui.panels.runs import RunsList
from workbench.ui.panels.runs_model import STATUS
from workbench.ui.plots import PlotsArea
from workbench.ui.selected_runs import SelectedRunActions

SMALL = {"data.n_samples": 120, "model.hidden": [4], "train.epochs": 2, "train.batch_size": 32}


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    """Three finished runs, oldest first, their training state released as the app's are."""
    folder = tmp_path_factory.mktemp("session-views")
    runs = []
    for name in ("first", "second", "third"):
        run = Run(tiny(name, **SMALL), run_dir=folder / name).fit()
        run.release_training_state()
        runs.append(run)
    return runs


@pytest.fixture
def session(finished):
    session = RunsSession()
    for run in finished[:2]:
        session.add(run)  # newest first: second, first
    return session


@pytest.fixture
def runs_list(qtbot, session):
    widget = RunsList(session, Dialogs(None))
    qtbot.addWidget(widget)
    return widget


def shown_names(runs_list: RunsList) -> list[str]:
    rows = runs_list.rows
    return [rows.index(row, 0).data() for row in range(rows.rowCount())]


def selected_names(runs_list: RunsList) -> list[str]:
    rows = sorted(index.row() for index in runs_list.view.selectionModel().selectedRows())
    return [runs_list.rows.index(row, 0).data() for row in rows]


def test_the_rows_follow_runs_added_updated_and_removed(runs_list, session, finished):
    assert shown_names(runs_list) == ["second", "first"]
    third = load_run(finished[2].directory)
    session.add_from_disk([load_run(finished[0].directory), third])
    assert shown_names(runs_list) == ["second", "first", "third"]  # below; a directory listed already is skipped
    assert runs_list.row_texts(third)[STATUS] == "completed"
    third.summary["status"], third.problem = "stopped", "metrics.csv unreadable"
    session.update(third)
    assert runs_list.row_texts(third)[STATUS] == "⚠ stopped"
    session.remove(finished[1])
    assert shown_names(runs_list) == ["first", "third"]


def test_selecting_rows_selects_runs_in_the_session_and_back(runs_list, session, finished):
    first, second = finished[:2]
    runs_list.view.selectAll()
    assert [run.name for run in session.selected] == ["second", "first"] and session.shown is second
    session.select([first])
    assert selected_names(runs_list) == ["first"]
    assert runs_list.view.currentIndex().data() == "first"  # the keyboard goes on from there
    session.remove(first)
    assert selected_names(runs_list) == [] and session.selected == []


def test_a_paused_run_says_so_in_its_row(qtbot, session, finished):
    live = finished[0]
    status = live.status
    widget = RunsList(session, Dialogs(None), is_paused=lambda run: run is live)
    qtbot.addWidget(widget)
    try:
        live.status = RunStatus.RUNNING
        session.update(live)
        assert widget.row_texts(live)[STATUS] == "paused"
    finally:
        live.status = status
    session.update(live)
    assert widget.row_texts(live)[STATUS] == "completed"


def test_the_plots_show_the_selected_runs(qtbot, session, finished):
    plots = PlotsArea()
    qtbot.addWidget(plots)
    plots.follow(session)
    session.select([finished[0]])
    assert plots.curve_point_counts()["val_loss"] == 2
    session.select(finished[:2])  # an overlay, oldest first
    assert plots.curves.key.labels()[:2] == ["first", "second"]
    assert plots.curve_point_counts()["second / val_acc"] == 2
    session.select([])
    assert plots.curve_point_counts() == {}


def test_a_run_that_has_just_started_is_plotted_on_the_next_turn(qtbot, session, finished, tmp_path):
    """Nothing to draw yet but empty plots, which repaint whole: not in the same turn as the rest of a run's
    start. A selection made meanwhile wins over the one still to bind."""
    plots = PlotsArea()
    qtbot.addWidget(plots)
    plots.follow(session)
    session.select([finished[0]])
    started = Run(tiny("started", **SMALL), run_dir=tmp_path / "started")  # no history until it trains
    session.add(started)
    session.select([started])
    assert plots.shows(finished[0]) and not plots.shows(started)
    qtbot.waitUntil(lambda: plots.shows(started))
    session.select([finished[0]])
    session.select([started])  # bound on the next turn, unless another run is shown first
    plots.show_run(finished[1])
    qtbot.wait(20)
    assert plots.shows(finished[1]) and not plots.shows(started)


def test_the_diagnosis_panel_shows_the_shown_run_and_follows_its_updates(qtbot, session, finished):
    panel = DiagnosisPanel()
    qtbot.addWidget(panel)
    panel.follow(session)
    second = finished[1]
    session.select([second])
    assert [card.finding.id for card in panel.cards] == [finding.id for finding in second.findings]
    findings = second.findings
    try:
        second.findings = []
        session.update(second)
        assert panel.cards == [] and panel.message.text().startswith("No problems found")
    finally:
        second.findings = findings
    session.select([])
    assert panel.message.text().startswith("The diagnosis of a run appears here")


def test_the_selection_actions_follow_the_selection_and_a_run_that_ends(qtbot, session, finished):
    host = DiagnosisPanel()  # any widget: the actions' parent
    qtbot.addWidget(host)
    actions = SelectedRunActions(host, Dialogs(host))
    actions.follow(session)
    first, second = finished[:2]
    session.select([second, first])
    assert actions.compare.isEnabled() and actions.export_script.isEnabled()
    try:
        second.status = RunStatus.RUNNING
        session.update(second)
        assert not actions.compare.isEnabled() and not actions.export_script.isEnabled()
    finally:
        second.status = RunStatus.COMPLETED
    session.update(second)  # it ended: it can be compared and exported again
    assert actions.compare.isEnabled() and actions.export_script.isEnabled()
