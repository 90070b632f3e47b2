"""Every way a run ends writes a true status: Ctrl-C and SIGTERM end a CLI run as "stopped" with every
file complete, wherever in a step the interrupt lands, and never show a traceback."""

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from tiny_experiment import tiny, tiny_toml

from workbench.core.rundir.reader import load_run
from workbench.core.training.engine import Run

ROOT = Path(__file__).resolve().parents[2]
SLOW = {"data.n_samples": 300, "model.hidden": [16], "train.epochs": 500, "train.batch_size": 1, "train.lr": 0.01}


def start_slow_run(tmp_path):
    experiment = tmp_path / "slow.toml"
    experiment.write_text(tiny_toml("slow", **SLOW))
    directory = tmp_path / "run"
    process = subprocess.Popen([sys.executable, "-m", "workbench", "run", str(experiment), "--out", str(directory)],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    while not ((directory / "metrics.csv").exists()
               and len((directory / "metrics.csv").read_text().splitlines()) >= 2):
        if time.time() > deadline or process.poll() is not None:
            process.kill()
            pytest.fail("the run never finished an epoch")
        time.sleep(0.1)
    return process, directory


@pytest.mark.parametrize(("sent", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_stops_the_cli_run_with_every_file_complete(tmp_path, sent, code):
    process, directory = start_slow_run(tmp_path)
    process.send_signal(sent)
    out, err = process.communicate(timeout=60)
    assert process.returncode == code, err
    assert "Traceback" not in err and "slow: stopped" in out and f"Run directory: {directory}" in out
    summary = json.loads((directory / "summary.json").read_text())
    assert summary["status"] == "stopped" and summary["epochs_run"] >= 1
    loaded = load_run(directory)
    assert loaded.status == "stopped" and loaded.problem == ""
    assert not (directory / ".workbench.lock").exists()


def test_a_second_ctrl_c_stops_at_once_and_still_writes_a_true_status(tmp_path):
    process, directory = start_slow_run(tmp_path)
    process.send_signal(signal.SIGINT)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130 and "Traceback" not in err
    assert load_run(directory).status == "stopped" and load_run(directory).problem == ""


class InterruptAtLine:
    """A trace function raising KeyboardInterrupt at the n-th line the engine, its callbacks, the training
    steps, the probes or the history execute after the first step: a Ctrl-C landing exactly there."""

    FILES = ("engine.py", "callbacks.py", "steps.py", "probes.py", "history.py")

    def __init__(self, line_number: int):
        self.remaining = line_number
        self.armed = False

    def __call__(self, frame, event, arg):
        if not frame.f_code.co_filename.endswith(self.FILES):
            return None
        if event == "line" and frame.f_code.co_name == "_train" and frame.f_locals["self"].step >= 1:
            self.armed = True
        if self.armed and event == "line":
            self.remaining -= 1
            if self.remaining == 0:
                raise KeyboardInterrupt
        return self


@pytest.mark.parametrize("line_number", range(1, 200, 3))
def test_a_ctrl_c_anywhere_in_a_step_leaves_aligned_records_and_a_stopped_run(tmp_path, line_number):
    directory = tmp_path / "run"
    run = Run(tiny("tiny", **{"model.hidden": [8], "train.batch_size": 8}), run_dir=directory)
    tracer = InterruptAtLine(line_number)
    sys.settrace(tracer)
    try:
        with pytest.raises(KeyboardInterrupt):
            run.fit()
    finally:
        sys.settrace(None)
    assert run.status == "stopped"
    history = run.history
    assert len(history.probe_steps) == len(history.grad_norm) == len(history.weight_norm) \
        == len(history.update_ratio)
    assert len(history.activation_steps) == len(history.dead_share)
    loaded = load_run(directory)
    assert loaded.status == "stopped" and loaded.problem == ""
    np.testing.assert_allclose(loaded.history.grad_norm.view(), history.grad_norm.view())
