"""The runs session without a window: order, selection, events and the memory policy, for live runs and
runs read from disk alike."""

import pytest
from tiny_experiment import tiny

from workbench.core.rundir.reader import load_run
from workbench.core.session import RunsSession, best_val_acc, diagnosis_text
from workbench.core.status import RunStatus
from workbench.core.training.engine import Run

SMALL = {"data.n_samples": 120, "model.hidden": [4], "train.epochs": 1, "train.batch_size": 32}


def finished_run(tmp_path, name: str) -> Run:
    run = Run(tiny(name, **SMALL), run_dir=tmp_path / name).fit()
    run.release_training_state()
    return run


class Recorder:
    def __init__(self, session: RunsSession):
        self.events = []
        session.added.connect(lambda run, index: self.events.append(("added", run.name, index)))
        session.updated.connect(lambda run: self.events.append(("updated", run.name)))
        session.removed.connect(lambda run: self.events.append(("removed", run.name)))
        session.selection_changed.connect(lambda runs: self.events.append(("selected", [r.name for r in runs])))


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("session")
    return [finished_run(folder, f"run{i}") for i in range(4)]


def test_live_and_loaded_runs_answer_the_same_questions(runs):
    live = runs[0]
    loaded = load_run(live.directory)
    for record in (live, loaded):
        assert record.name == "run0" and record.directory == live.directory
        assert record.status == RunStatus.COMPLETED and record.problem == ""
        assert record.best["epoch"] == 1 and best_val_acc(record) == pytest.approx(best_val_acc(live))
        assert record.started_at == pytest.approx(live.started_at)
        assert diagnosis_text(record) in ("healthy", ", ".join(f.id for f in live.findings))


def test_runs_are_ordered_newest_first_and_disk_runs_below_without_duplicates(runs):
    session = RunsSession()
    recorder = Recorder(session)
    session.add(runs[0])
    session.add(runs[1])
    session.add_from_disk([load_run(runs[0].directory), load_run(runs[2].directory)])
    assert [run.name for run in session.runs] == ["run1", "run0", "run2"]
    assert recorder.events == [("added", "run0", 0), ("added", "run1", 0), ("added", "run2", 2)]


def test_selection_follows_the_list_order_and_the_newest_selected_is_shown(runs):
    session = RunsSession()
    for run in runs[:3]:
        session.add(run)
    recorder = Recorder(session)
    session.select([runs[0], runs[2]])
    assert [run.name for run in session.selected] == ["run2", "run0"] and session.shown is runs[2]
    session.select([runs[2], runs[0]])  # the same selection: no event
    session.remove(runs[2])
    assert session.shown is runs[0] and runs[2] not in session
    assert recorder.events == [("selected", ["run2", "run0"]), ("selected", ["run0"]), ("removed", "run2")]


def test_only_the_newest_finished_histories_and_the_selected_ones_stay_in_memory(tmp_path):
    runs = [finished_run(tmp_path, f"run{i}") for i in range(4)]
    session = RunsSession(resident_histories=2)
    for run in runs:
        session.add(run)  # newest first: run3, run2, run1, run0
    assert [run.history_resident for run in session.runs] == [True, True, False, False]
    session.select([runs[0]])
    assert runs[0].history.epochs_run == 1  # read back from its directory when shown
    assert [run.history_resident for run in session.runs] == [True, True, False, True]
    session.select([])  # run0 is neither selected nor among the newest two any more
    assert [run.history_resident for run in session.runs] == [True, True, False, False]


def test_a_running_run_keeps_its_history_and_updates_are_told(tmp_path):
    session = RunsSession(resident_histories=0)
    recorder = Recorder(session)
    run = Run(tiny("live", **SMALL), run_dir=tmp_path / "live")
    session.add(run)
    for _ in run.iter_fit():
        session.update(run)
        assert run.history_resident
    run.release_training_state()
    session.update(run)
    assert not run.history_resident  # finished: its directory holds every record
    assert recorder.events[0] == ("added", "live", 0) and recorder.events[-1] == ("updated", "live")
