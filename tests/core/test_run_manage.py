"""Renaming and deleting runs: a rename lands where every reader gets the name and survives a relaunch; a
deletion removes a Workbench run directory and nothing else, and neither touches a run still training."""

from __future__ import annotations

import json

import pytest
from tiny_experiment import tiny

from workbench.core.experiment.config import load_experiment
from workbench.core.rundir.manage import RunChangeRefused, delete_run, rename_run
from workbench.core.rundir.reader import load_run
from workbench.core.status import RunStatus
from workbench.core.training.engine import Run

SMALL = {"data.n_samples": 120, "model.hidden": [4], "train.epochs": 1, "train.batch_size": 32}


def finished_run(directory, name: str = "original") -> Run:
    run = Run(tiny(name, **SMALL), run_dir=directory).fit()
    run.release_training_state()
    return run


def test_a_renamed_run_is_renamed_in_every_file_and_comes_back_renamed(tmp_path):
    run = finished_run(tmp_path / "run")
    rename_run(run, "  lr 0.02,\n the good one ")
    assert run.name == "lr 0.02, the good one"  # one line, as typed
    summary = json.loads((run.directory / "summary.json").read_text(encoding="utf-8"))
    assert summary["name"] == summary["config"]["meta"]["name"] == "lr 0.02, the good one"
    assert summary["status"] == "completed" and summary["config"]["train"] == run.config.train.model_dump()
    assert load_experiment(run.directory / "config.toml").name == "lr 0.02, the good one"
    loaded = load_run(run.directory)  # as the next launch reads it
    assert loaded.name == loaded.config.name == "lr 0.02, the good one" and loaded.problem == ""
    rename_run(loaded, "again")
    assert loaded.name == "again" and load_run(run.directory, with_history=False).name == "again"


def test_a_rename_is_refused_while_training_without_a_name_or_a_workbench_summary(tmp_path):
    run = finished_run(tmp_path / "run")
    with pytest.raises(RunChangeRefused, match="needs a name"):
        rename_run(run, "   ")
    run.status = RunStatus.RUNNING
    with pytest.raises(RunChangeRefused, match="still training"):
        rename_run(run, "new")
    run.status = RunStatus.COMPLETED
    (run.directory / "summary.json").write_text("{ damaged", encoding="utf-8")
    with pytest.raises(RunChangeRefused, match="no summary.json that Workbench wrote"):
        rename_run(run, "new")
    assert run.name == "original"


def test_deleting_removes_a_workbench_run_directory(tmp_path):
    run = finished_run(tmp_path / "run")
    delete_run(run)
    assert not run.directory.exists() and tmp_path.exists()
    delete_run(run)  # gone already: nothing to do


@pytest.mark.parametrize("folder", [False, True])
def test_a_folder_holding_anything_else_is_not_deleted(tmp_path, folder):
    run = finished_run(tmp_path / "run")
    if folder:
        (run.directory / "data").mkdir()
    else:
        (run.directory / "notes.txt").write_text("mine", encoding="utf-8")
    files = sorted(path.name for path in run.directory.iterdir())
    with pytest.raises(RunChangeRefused, match="files that Workbench did not write"):
        delete_run(run)
    assert sorted(path.name for path in run.directory.iterdir()) == files


def test_a_run_still_training_a_link_or_a_folder_of_the_users_is_not_deleted(tmp_path):
    run = finished_run(tmp_path / "run")
    run.status = RunStatus.RUNNING
    with pytest.raises(RunChangeRefused, match="still training"):
        delete_run(run)
    run.status = RunStatus.COMPLETED
    link = tmp_path / "link"
    link.symlink_to(run.directory)
    run.directory = link
    with pytest.raises(RunChangeRefused, match="no run that Workbench wrote"):
        delete_run(run)
    own = tmp_path / "own"
    own.mkdir()
    (own / "config.toml").write_text("[train]\nlr = 0.1\n", encoding="utf-8")  # an experiment file, not a run
    with pytest.raises(RunChangeRefused):
        delete_run(load_run(own, with_history=False))
    assert (own / "config.toml").exists() and (tmp_path / "run" / "summary.json").exists()
