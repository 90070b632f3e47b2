"""Run directories: written as the run goes, read back whole, damaged ones listed with a warning."""

import json
import os
import stat

import numpy as np
import pytest
from tiny_experiment import tiny as tiny_experiment

from workbench.core.experiment.config import load_experiment
from workbench.core.rundir.layout import new_run_dir, slug
from workbench.core.rundir.reader import list_runs, load_run
from workbench.core.rundir.writer import save_run
from workbench.core.training.engine import Run
from workbench.core.training.runtime import EpochReport, RunControl


def tiny(**overrides):
    return tiny_experiment("tiny", **{"model.hidden": [8], "train.epochs": 3, **overrides})


def test_a_run_directory_holds_every_contract_file_and_loads_back(tmp_path):
    run = Run(tiny(), run_dir=tmp_path / "run").fit()
    directory = tmp_path / "run"
    assert {p.name for p in directory.iterdir()} >= {"config.toml", "metrics.csv", "steps.csv", "summary.json"}
    summary = json.loads((directory / "summary.json").read_text())
    assert summary["status"] == "completed" and summary["epochs_run"] == 3
    assert set(summary["final"]) >= {"train_loss", "train_acc", "val_loss", "val_acc", "test_loss", "test_acc"}
    assert summary["best"]["epoch"] in (1, 2, 3) and isinstance(summary["diagnosis"], list)
    header = (directory / "metrics.csv").read_text().splitlines()[0]
    assert header == "epoch,step,train_loss,train_acc,val_loss,val_acc,lr,seconds"
    assert load_experiment(directory / "config.toml") == run.config  # reproduces the run
    loaded = load_run(directory)
    assert loaded.problem == ""
    np.testing.assert_allclose(loaded.history.epochs.view(), run.history.epochs.view())
    np.testing.assert_allclose(loaded.history.step_loss.view(), run.history.step_loss.view(), rtol=1e-12)
    np.testing.assert_allclose(loaded.history.grad_norm.view(), run.history.grad_norm.view())
    np.testing.assert_allclose(loaded.history.dead_share.view(), run.history.dead_share.view())
    assert loaded.history.initial_loss == pytest.approx(run.history.initial_loss)


def test_summary_is_current_at_every_epoch_end(tmp_path):
    directory = tmp_path / "run"
    run = Run(tiny(**{"train.epochs": 3}), run_dir=directory)
    seen = []
    for report in run.iter_fit():
        if isinstance(report, EpochReport):
            summary = json.loads((directory / "summary.json").read_text())
            seen.append((summary["status"], summary["epochs_run"]))
    assert seen == [("running", 1), ("running", 2), ("running", 3)]
    assert not list(directory.glob(".*.tmp"))  # no temporary files left behind


def test_a_run_left_running_by_a_dead_process_reads_back_interrupted(tmp_path):
    directory = tmp_path / "run"
    control = RunControl()
    run = Run(tiny(**{"train.epochs": 5}), run_dir=directory, control=control)
    reports = run.iter_fit()
    for report in reports:
        if isinstance(report, EpochReport):
            break
    summary = json.loads((directory / "summary.json").read_text())
    summary["pid"] = 2**22 + 12345  # a process id that does not exist
    (directory / "summary.json").write_text(json.dumps(summary))
    loaded = load_run(directory)
    assert loaded.status == "interrupted" and loaded.history.epochs_run == 1
    reports.close()


def test_damaged_runs_are_listed_with_a_warning_and_do_not_hide_the_others(tmp_path):
    good = tmp_path / "b-good"
    Run(tiny(**{"train.epochs": 1}), run_dir=good).fit()
    broken = tmp_path / "a-broken"
    broken.mkdir()
    (broken / "summary.json").write_text("{ not json")
    (broken / "config.toml").write_text("[data\n")
    half = tmp_path / "c-half"
    half.mkdir()
    (half / "summary.json").write_text(json.dumps({"name": "half", "status": "completed", "history": {"layers": 3}}))
    runs = {run.directory.name: run for run in list_runs(tmp_path)}
    assert set(runs) == {"a-broken", "b-good", "c-half"}
    assert runs["b-good"].problem == "" and runs["b-good"].status == "completed"
    assert "summary.json unreadable" in runs["a-broken"].problem
    assert "history unreadable" in runs["c-half"].problem


def test_run_names_cannot_escape_the_runs_folder(tmp_path):
    assert slug("../../x") == "x"
    assert slug("/etc/passwd") == "etc-passwd"
    assert slug("") == "run"
    directory = new_run_dir("../../escape", root=tmp_path)
    assert directory.parent == tmp_path


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_an_unwritable_run_directory_keeps_training_in_memory(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
    _unwritable_then_saved_elsewhere(locked / "run", tmp_path)


def test_a_failing_disk_keeps_training_in_memory_and_the_run_can_be_saved_elsewhere(tmp_path, monkeypatch):
    from workbench.core.rundir import writer

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writer, "write_text_atomic", disk_full)
    run = Run(tiny(), run_dir=tmp_path / "full").fit()
    monkeypatch.undo()
    assert run.status == "completed" and run.history.epochs_run == 3
    warnings = [event for event in run.history.events if "cannot write the run directory" in event]
    assert len(warnings) == 1 and "No space left on device" in warnings[0]
    save_run(run, tmp_path / "elsewhere")
    loaded = load_run(tmp_path / "elsewhere")
    assert loaded.status == "completed" and loaded.history.epochs_run == 3


def _unwritable_then_saved_elsewhere(target, tmp_path):
    run = Run(tiny(), run_dir=target).fit()
    assert run.status == "completed"
    assert sum("cannot write" in event for event in run.history.events) == 1
    save_run(run, tmp_path / "elsewhere")
    assert load_run(tmp_path / "elsewhere").history.epochs_run == 3
