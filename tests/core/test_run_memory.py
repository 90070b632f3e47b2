"""A finished run gives back what only training needed, and its history can leave memory and be read
back from its run directory unchanged (the app keeps a day of runs listed in bounded memory)."""

import shutil

import numpy as np
import pytest
from tiny_experiment import tiny as tiny_experiment

from workbench.core.rundir import writer
from workbench.core.rundir.reader import list_runs, load_run
from workbench.core.training.engine import Run


def tiny(name: str, **overrides):
    return tiny_experiment(name, **{"model.hidden": [8], "train.epochs": 4, **overrides})


TABLES = ("step_loss", "probe_steps", "grad_norm", "weight_norm", "update_ratio", "activation_steps",
          "dead_share", "epochs", "class_recall", "batch_label_diversity", "doubted_labels")


def finished(tmp_path, **overrides) -> Run:
    config = tiny("tiny", **overrides)
    run = Run(config, run_dir=tmp_path / "run").fit()
    run.release_training_state()
    return run


def test_a_released_run_keeps_history_findings_and_points_but_not_model_or_data(tmp_path):
    config = tiny("tiny", **{"train.early_stopping": 2})
    run = Run(config, run_dir=tmp_path / "run").fit()
    losses = run.history.step_loss.view().copy()
    train_examples = len(run.data.train_y)
    run.release_training_state()
    assert run.model is None and run.data is None and run.callbacks == []  # early stopping's weights too
    np.testing.assert_array_equal(run.history.step_loss.view(), losses)
    assert run.history.step_loss.view().base.shape[0] == len(losses)  # no spare capacity kept
    inputs, labels = run.history.training_points  # drawn under the decision boundary
    assert inputs.shape == (train_examples, 2) and labels.shape == (train_examples,)
    assert run.final_metrics["val_acc"] > 0.5


def test_an_evicted_history_reads_back_as_it_was(tmp_path):
    run = finished(tmp_path)
    kept = {name: getattr(run.history, name).view().copy() for name in TABLES}
    (x_range, y_range, probabilities), points = run.history.decision_grid, run.history.training_points
    best_epoch = run.history.best_epoch()
    assert run.evict_history()
    assert not run.history_resident
    history = run.history  # read back here
    assert run.history_resident
    for name in TABLES:
        np.testing.assert_allclose(getattr(history, name).view(), kept[name], rtol=1e-12, err_msg=name)
    assert history.decision_grid[:2] == (x_range, y_range)  # from boundary.npz
    np.testing.assert_array_equal(history.decision_grid[2], probabilities)
    for read_back, kept_points in zip(history.training_points, points, strict=True):
        np.testing.assert_array_equal(read_back, kept_points)
    assert history.best_epoch() == best_epoch and history.status == "completed"


def test_a_history_stays_in_memory_unless_its_run_directory_holds_all_of_it(tmp_path, monkeypatch):
    config = tiny("tiny")
    in_memory_only = Run(config).fit()
    in_memory_only.release_training_state()
    assert not in_memory_only.evict_history()

    not_released = Run(config, run_dir=tmp_path / "unreleased").fit()
    assert not not_released.evict_history()  # the writer may still be due to write

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writer, "write_text_atomic", disk_full)
    unwritten = finished(tmp_path)
    monkeypatch.undo()
    assert "No space left on device" in unwritten.problem
    assert not unwritten.evict_history() and unwritten.history.epochs_run == 4


def test_a_run_directory_deleted_meanwhile_leaves_no_history_and_says_why(tmp_path):
    run = finished(tmp_path)
    assert run.evict_history()
    shutil.rmtree(tmp_path / "run")
    assert run.history is None
    assert "can no longer be read" in run.problem and str(tmp_path / "run") in run.problem
    assert not run.evict_history()


@pytest.mark.parametrize("rows", [0, 1, 300, 1024, 1025])
def test_trimming_a_table_keeps_its_rows(rows):
    from workbench.core.history import GrowableArray

    table = GrowableArray(2, 4)
    table.extend(np.arange(rows * 2, dtype=float).reshape(rows, 2))
    table.trim()
    np.testing.assert_array_equal(table.view(), np.arange(rows * 2, dtype=float).reshape(rows, 2))
    table.append([1.0, 2.0])  # a trimmed table still grows
    assert len(table) == rows + 1


def test_runs_listed_without_history_read_it_on_first_use(tmp_path):
    run = Run(tiny("listed"), run_dir=tmp_path / "runs" / "a").fit()
    (listed,) = list_runs(tmp_path / "runs", with_history=False)
    assert not listed.history_resident and listed.name == "listed" and listed.status == "completed"
    np.testing.assert_allclose(listed.history.epochs.view(), run.history.epochs.view())
    assert listed.history_resident and listed.problem == ""
    assert listed.evict_history() and not listed.history_resident


def test_a_listed_run_whose_history_is_damaged_says_so_when_first_used(tmp_path):
    Run(tiny("damaged"), run_dir=tmp_path / "runs" / "a").fit()
    (tmp_path / "runs" / "a" / "metrics.csv").unlink()
    (listed,) = list_runs(tmp_path / "runs", with_history=False)
    assert listed.problem == ""  # nothing read yet
    assert listed.history is None
    assert "can no longer be read" in listed.problem and "metrics.csv" in listed.problem


def test_a_damaged_boundary_file_loses_only_the_decision_boundary(tmp_path):
    finished(tmp_path)
    (tmp_path / "run" / "boundary.npz").write_bytes(b"PK\x03\x04 truncated")
    loaded = load_run(tmp_path / "run")
    assert loaded.problem == "" and loaded.history.epochs_run == 4
    assert loaded.history.decision_grid is None and loaded.history.training_points is None
    assert any("boundary.npz unreadable" in event for event in loaded.history.events)
