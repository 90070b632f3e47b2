"""`workbench sanity` and `workbench lr-find` as a user types them: exit codes, the printed reason, --out."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from tiny_experiment import tiny_toml

ROOT = Path(__file__).resolve().parents[2]


def workbench(*args, timeout=180):
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    return subprocess.run([sys.executable, "-m", "workbench", *args], capture_output=True, text=True,
                          timeout=timeout, env=env, cwd=ROOT)


def test_sanity_passes_on_a_healthy_preset_with_exit_0():
    result = workbench("sanity", "digits")
    assert result.returncode == 0, result.stderr
    assert "Sanity check of Digits, healthy: overfit 16 training examples with adam at lr 0.002" in result.stdout
    assert "passed: The loss fell from" in result.stdout


def test_sanity_fails_on_a_learning_rate_of_10_with_exit_1_and_the_reason(tmp_path):
    experiment = tmp_path / "lr10.toml"
    experiment.write_text('[data]\ndataset = "digits"\n[train]\nlr = 10.0\ndevice = "cpu"\n')
    result = workbench("sanity", str(experiment))
    assert result.returncode == 1, result.stderr
    assert "failed (" in result.stdout and "suggests lr_too_high" in result.stdout
    assert "learning rate (10) is likely too high" in result.stdout


def test_bad_input_exits_2_with_one_sentence_and_no_traceback(tmp_path):
    missing = workbench("sanity", str(tmp_path / "missing.toml"))
    assert missing.returncode == 2 and "missing.toml" in missing.stderr and "Traceback" not in missing.stderr
    cnn_on_points = tmp_path / "cnn.toml"
    cnn_on_points.write_text(tiny_toml(**{"model.kind": "cnn", "model.channels": [4]}))
    refused = workbench("lr-find", str(cnn_on_points))
    assert refused.returncode == 2 and "Traceback" not in refused.stderr and refused.stderr.startswith("error: ")
    wrong_suffix = workbench("lr-find", "spiral", "--out", str(tmp_path / "curve.txt"))
    assert wrong_suffix.returncode == 2
    assert "error: --out: " in wrong_suffix.stderr and "unknown format (.txt)" in wrong_suffix.stderr


def test_lr_find_prints_the_suggestion_and_its_rule_and_writes_the_curve(tmp_path):
    out = tmp_path / "curve.csv"
    result = workbench("lr-find", "digits", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "Suggested learning rate: " in result.stdout and "(rule: valley" in result.stdout
    assert "the experiment's train.lr: 0.002" in result.stdout
    assert out.read_text().startswith("lr,loss,smoothed\n1e-07,")


def test_lr_find_exits_1_when_every_rate_diverged(tmp_path):
    experiment = tmp_path / "overflow.toml"
    experiment.write_text(tiny_toml(**{"model.init": "normal", "model.init_std": 100.0, "model.hidden": [256] * 12}))
    result = workbench("lr-find", str(experiment))
    assert result.returncode == 1, result.stderr
    assert "Every rate tried diverged" in result.stdout


def test_ctrl_c_stops_the_check_with_exit_130(tmp_path):
    slow = tmp_path / "slow.toml"  # wide layers and large batches: each step takes long enough to be interrupted
    slow.write_text(tiny_toml(**{"data.dataset": "digits", "model.hidden": [1024] * 4, "train.batch_size": 256}))
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    process = subprocess.Popen([sys.executable, "-m", "workbench", "lr-find", str(slow)], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen = ""
    while "step" not in seen:  # the progress bar: the range test is training
        character = process.stderr.read(1)
        assert character, (seen, process.stdout.read())
        seen += character
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, (stdout, stderr)
    assert "stopped by the user" in stderr and "Traceback" not in stderr
