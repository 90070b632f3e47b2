"""Exported scripts retrain the run: executed in a fresh interpreter, they print the run's own numbers."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.core.experiment.config import apply_overrides, parse_experiment
from workbench.core.reports.script import ExportError, export_script, script_text
from workbench.core.reports.tensorboard import write_tensorboard
from workbench.core.rundir.reader import load_run
from workbench.core.training.engine import Run

TOLERANCE = 1e-4
METRICS = ("train_loss", "train_acc", "val_loss", "val_acc")
# Runs the script with `import workbench` made impossible: the script must stand alone.
RUN_WITHOUT_WORKBENCH = ("import runpy, sys; sys.modules['workbench'] = None; "
                         "runpy.run_path(sys.argv[1], run_name='__main__')")

MOONS = """
[meta]
name = "moons for export"
[data]
dataset = "moons"
n_samples = 200
[model]
hidden = [16, 16]
dropout = 0.1
[train]
lr = 0.02
batch_size = 16
epochs = 3
device = "cpu"
seed = 3
"""


def experiment(text: str = MOONS, **overrides):
    return apply_overrides(parse_experiment(text, default_name="export"), overrides)


def train_run(config, run_dir: Path) -> Path:
    Run(config, run_dir=run_dir).fit()
    return run_dir


def run_script(script: Path, cwd: Path) -> dict:
    """Per-epoch and final metrics printed by the script: {"epoch 1": {...}, ..., "final": {...}}."""
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    result = subprocess.run([sys.executable, "-c", RUN_WITHOUT_WORKBENCH, str(script)], capture_output=True,
                            text=True, timeout=120, cwd=cwd, env=env)
    assert result.returncode == 0, result.stderr
    printed = {}
    for line in result.stdout.splitlines():
        label, _, rest = line.partition("  ")
        if label.startswith(("epoch", "final")):
            pairs = re.findall(r"(\w+) (\S+)", rest)
            printed[label] = {name: float(value) for name, value in pairs}
        elif label.startswith("status"):
            printed["status"] = label.split()[1]
    return printed


def assert_script_reproduces(run_dir: Path, tmp_path: Path) -> dict:
    script = export_script(run_dir, tmp_path / "retrain.py")
    printed = run_script(script, tmp_path)
    summary = json.loads((run_dir / "summary.json").read_text())
    with open(run_dir / "metrics.csv", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert [label for label in printed if label.startswith("epoch")] == [f"epoch {r['epoch']}" for r in rows]
    for row in rows:
        for name in (*METRICS, "lr"):
            assert printed[f"epoch {row['epoch']}"][name] == pytest.approx(float(row[name]), abs=TOLERANCE), name
    for name, value in summary["final"].items():
        assert printed["final"][name] == pytest.approx(value, abs=TOLERANCE), name
    assert printed["status"] == summary["status"]
    return summary


def test_a_toy_set_run_is_reproduced_by_its_script(tmp_path):
    run_dir = train_run(experiment(), tmp_path / "run")
    summary = assert_script_reproduces(run_dir, tmp_path)
    assert set(summary["final"]) >= {*METRICS, "test_loss", "test_acc"}


def test_a_digits_cnn_run_with_augmentation_is_reproduced(tmp_path):
    config = experiment(**{"data.dataset": "digits", "data.augment": ["noise", "flip", "crop"],
                           "model.kind": "cnn", "model.channels": [4], "model.hidden": [16],
                           "model.normalization": "batch", "train.epochs": 2, "train.batch_size": 64})
    assert_script_reproduces(train_run(config, tmp_path / "run"), tmp_path)


def test_a_shifted_test_set_is_reproduced(tmp_path):
    config = experiment(**{"data.dataset": "digits", "data.test_shift": ["rotate", "noise"],
                           "data.test_shift_strength": 1.5, "train.epochs": 2, "train.batch_size": 64})
    summary = assert_script_reproduces(train_run(config, tmp_path / "run"), tmp_path)
    assert summary["final"]["test_acc"] < summary["final"]["val_acc"]


def test_early_stopping_and_messy_data_are_reproduced(tmp_path):
    config = experiment(**{"data.label_noise": 0.2, "data.imbalance": 3.0, "data.order": "sorted",
                           "data.shuffle": False, "train.epochs": 8, "train.early_stopping": 1,
                           "train.lr": 0.2, "train.optimizer": "momentum", "train.lr_schedule": "step",
                           "train.lr_step": 2, "train.l1": 1e-4, "train.grad_clip": 1.0,
                           "model.init": "kaiming_normal"})
    summary = assert_script_reproduces(train_run(config, tmp_path / "run"), tmp_path)
    assert summary["status"] == "early_stopped"


@pytest.mark.parametrize("cell", ["lstm", "rnn"])
def test_a_recurrent_run_is_reproduced_by_its_script(cell, tmp_path):
    """A stacked recurrent network on sequence_memory: the LSTM bidirectional with layer norm and dropout
    between its layers, the plain RNN with gradient clipping."""
    overrides = {"data.dataset": "sequence_memory", "data.seq_len": 10, "model.kind": "rnn", "model.cell": cell,
                 "model.hidden": [8, 8], "model.activation": "tanh", "train.epochs": 2}
    if cell == "lstm":
        overrides.update({"model.bidirectional": True, "model.normalization": "layer", "model.dropout": 0.2,
                          "model.init": "orthogonal"})
    else:
        overrides.update({"train.grad_clip": 0.5, "train.optimizer": "momentum", "train.lr": 0.1})
    assert_script_reproduces(train_run(experiment(**overrides), tmp_path / "run"), tmp_path)


def test_digits_read_row_by_row_are_reproduced(tmp_path):
    config = experiment(**{"data.dataset": "digits", "data.train_size": 300, "model.kind": "rnn",
                           "model.cell": "gru", "model.hidden": [12], "train.epochs": 2})
    assert_script_reproduces(train_run(config, tmp_path / "run"), tmp_path)


@pytest.mark.parametrize("dataset", ["spiral", "mnist1d", "mnist", "csv", "sequence_memory"])
def test_every_dataset_family_gives_a_script_with_every_name_defined(dataset, tmp_path):
    overrides = {"data.dataset": dataset}
    if dataset == "sequence_memory":
        overrides.update({"model.kind": "rnn", "model.hidden": [8]})
    if dataset == "csv":
        overrides.update({"data.path": "points.csv", "data.target": "label"})
    script = tmp_path / "script.py"
    script.write_text(script_text(experiment(**overrides)))
    # pyflakes' checks: every name the copied code uses is defined in the script, nothing is unused
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--isolated", "--select", "F",
                             str(script)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
    assert not re.search(r"^\s*(from|import) workbench", script.read_text(), flags=re.MULTILINE)


def test_the_script_names_the_run_and_holds_its_config(tmp_path):
    text = script_text(experiment(**{"meta.name": "two\nlines \"quoted\""}))
    assert text.startswith('# Standalone PyTorch script of the Workbench run "two lines "quoted"".')
    assert "'lr': 0.02," in text and "'dataset': 'moons'," in text
    for section in ("# -------------------- data", "# -------------------- model", "# -------------------- training"):
        assert section in text


def test_a_directory_without_a_config_cannot_be_exported(tmp_path):
    with pytest.raises(ExportError, match="cannot be exported"):
        export_script(tmp_path, tmp_path / "out.py")


def test_tensorboard_files_hold_the_run_scalars(tmp_path):
    pytest.importorskip("tensorboard")
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    run_dir = train_run(experiment(), tmp_path / "run")
    log_dir = write_tensorboard(load_run(run_dir), tmp_path / "tb")
    events = EventAccumulator(str(log_dir), size_guidance={"scalars": 0, "histograms": 0})
    events.Reload()
    val_acc = [event.value for event in events.Scalars("epoch/val_acc")]
    with open(run_dir / "metrics.csv", newline="") as stream:
        expected = [float(row["val_acc"]) for row in csv.DictReader(stream)]
    assert val_acc == pytest.approx(expected)
    assert "gradient_norm/layer 1" in events.Tags()["scalars"]
    assert "gradient_norm_histogram/output" in events.Tags()["histograms"]


def test_tensorboard_without_the_package_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "torch.utils.tensorboard", None)
    with pytest.raises(ExportError, match="pip install tensorboard"):
        write_tensorboard(load_run(tmp_path), tmp_path / "tb")
