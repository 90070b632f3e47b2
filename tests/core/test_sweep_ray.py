"""The Ray backend on a local Ray instance (loopback, usage statistics and dashboard off): the trials come
back as run directories in the sweep directory, with the same numbers as the same trials trained here.

The sweep runs in its own `workbench sweep` process, as a user starts it: a Ray driver leaves threads and
native libraries (gRPC, Arrow) in the process that started it, which must not share one with the app's Qt
tests that follow in the suite."""

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest
from tiny_experiment import TINY_TABLES

from workbench.core.experiment.config import apply_overrides, parse_experiment
from workbench.core.rundir.reader import load_run
from workbench.core.sweeps.plan import expand
from workbench.core.training.engine import Run

# found, never imported here: importing ray loads its native libraries and threads into this process
pytestmark = pytest.mark.skipif(importlib.util.find_spec("ray") is None,
                                reason="the Ray backend needs the `ray` extra: pip install -e '.[ray]'")

ROOT = Path(__file__).resolve().parents[2]
SWEEP = TINY_TABLES + '[sweep]\ngrid = { "train.lr" = [0.02, 0.05] }\nbackend = "ray"\nparallel = 2\n'


def test_ray_tune_runs_the_trials_on_a_local_instance(tmp_path):
    experiment = tmp_path / "tiny.toml"
    experiment.write_text(SWEEP)
    directory = tmp_path / "sweep"
    result = subprocess.run([sys.executable, "-m", "workbench", "sweep", str(experiment), "--out", str(directory)],
                            capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-2000:]
    document = json.loads((directory / "sweep.json").read_text())
    assert [trial["status"] for trial in document["trials"]] == ["completed", "completed"]
    plan = expand(parse_experiment(SWEEP, default_name="tiny"))
    rows = {row["trial"]: row for row in document["trials"]}
    for trial in plan.trials:
        run = load_run(directory / rows[trial.id]["run_dir"])
        assert run.status == "completed" and run.problem == "" and len(run.history.epochs) == 2
        here = Run(apply_overrides(plan.base, trial.overrides)).fit()  # same seeds, same data order
        assert run.summary["final"]["val_acc"] == pytest.approx(here.final_metrics["val_acc"])
    assert not list(directory.rglob(".workbench.lock"))
