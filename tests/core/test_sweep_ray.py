"""The Ray backend on a local Ray instance (loopback, usage statistics and dashboard off): the trials come
back as run directories in the sweep directory, with the same numbers as the same trials trained here."""

import json

import pytest
from tiny_experiment import TINY_TABLES

from workbench.core.experiment.config import apply_overrides, parse_experiment
from workbench.core.rundir.reader import load_run
from workbench.core.sweeps.plan import expand
from workbench.core.sweeps.runner import Sweep
from workbench.core.training.engine import Run

pytest.importorskip("ray", reason="the Ray backend needs the `ray` extra: pip install -e '.[ray]'")

from workbench.core.sweeps.ray_tune import RayBackend  # noqa: E402  (after the skip: it is no use without Ray)


def test_ray_tune_runs_the_trials_on_a_local_instance(tmp_path):
    plan = expand(parse_experiment(TINY_TABLES + '[sweep]\ngrid = { "train.lr" = [0.02, 0.05] }\nbackend = "ray"\n',
                                   default_name="tiny"))
    backend = RayBackend(parallel=2)
    backend.connect()
    try:
        sweep = Sweep(plan, tmp_path)
        sweep.run(backend)
    finally:
        backend.close()
    assert [result.status for result in sweep.results] == ["completed", "completed"]
    for result in sweep.results:
        run = load_run(tmp_path / result.run_dir)
        assert run.status == "completed" and run.problem == "" and len(run.history.epochs) == 2
        here = Run(apply_overrides(plan.base, result.trial.overrides)).fit()  # same seeds, same data order
        assert result.val_acc == pytest.approx(here.final_metrics["val_acc"])
    document = json.loads((tmp_path / "sweep.json").read_text())
    assert [trial["status"] for trial in document["trials"]] == ["completed", "completed"]
    assert not list(tmp_path.rglob(".workbench.lock"))
