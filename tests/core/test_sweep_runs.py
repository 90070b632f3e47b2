"""A sweep in its directory: every trial a normal run directory, a failing trial recorded while the others
go on, sweep.csv's columns, and --resume running only what is missing, unfinished or changed. The trials
train in this process (tiny_experiment.InProcess): the pool and Ray backends have their own tests."""

import csv
import json

from tiny_experiment import TINY_TABLES, InProcess

from workbench.core.experiment.config import parse_experiment
from workbench.core.rundir.reader import load_run
from workbench.core.sweeps.plan import expand
from workbench.core.sweeps.runner import Sweep

# A CNN on 2-D points is refused by the data only, when its trial starts: the failing trial.
SWEEP = '[sweep]\ngrid = { "model.kind" = ["mlp", "cnn"], "train.lr" = [0.02, 0.05] }\n'


def plan_of(tables: str = TINY_TABLES, sweep: str = SWEEP):
    return expand(parse_experiment(tables + sweep, default_name="tiny"))


def test_a_failing_trial_is_recorded_and_the_sweep_goes_on(tmp_path):
    plan = plan_of()
    sweep = Sweep(plan, tmp_path)
    sweep.run(InProcess())
    by_kind = {}
    for result in sweep.results:
        by_kind.setdefault(result.trial.settings["model.kind"], []).append(result)
    assert [result.status for result in by_kind["mlp"]] == ["completed", "completed"]
    assert all(result.failed and "needs image inputs" in result.error and result.run_dir == ""
               for result in by_kind["cnn"])
    for result in by_kind["mlp"]:
        run = load_run(tmp_path / result.run_dir)  # a normal run directory, its config a plain experiment
        assert run.status == "completed" and run.config.sweep is None and run.problem == ""
        assert run.config.model.kind == "mlp" and run.config.train.lr == result.trial.settings["train.lr"]
    with open(tmp_path / "sweep.csv", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert list(rows[0]) == ["trial", "seed", "model.kind", "train.lr", "status", "final_val_acc", "final_val_loss",
                             "best_val_acc", "best_val_loss", "best_epoch", "first_finding", "run_dir"]
    assert [row["trial"] for row in rows] == [trial.id for trial in plan.trials]
    completed = [row for row in rows if row["status"] == "completed"]
    assert len(completed) == 2 and all(0.5 < float(row["final_val_acc"]) <= 1 for row in completed)
    document = json.loads((tmp_path / "sweep.json").read_text())
    assert document["keys"] == ["model.kind", "train.lr"] and document["sweep"]["grid"]["train.lr"] == [0.02, 0.05]
    assert [trial["status"] for trial in document["trials"]] == [row["status"] for row in rows]
    assert all("needs image inputs" in trial["error"] for trial in document["trials"] if trial["model.kind"] == "cnn")


def test_resume_runs_only_the_trials_missing_unfinished_or_changed(tmp_path):
    first = plan_of(sweep='[sweep]\ngrid = { "train.lr" = [0.02, 0.05] }\n')
    Sweep(first, tmp_path).run(InProcess())
    stopped = first.trials[1]
    summary = json.loads((tmp_path / stopped.id / "summary.json").read_text())
    (tmp_path / stopped.id / "summary.json").write_text(json.dumps({**summary, "status": "stopped"}))

    more = plan_of(sweep='[sweep]\ngrid = { "train.lr" = [0.02, 0.05, 0.1] }\nseeds = 2\n')
    backend = InProcess()
    resumed = Sweep(more, tmp_path, resume=True)
    resumed.run(backend)
    assert first.trials[0].id not in backend.given  # finished: kept as it was
    assert stopped.id in backend.given and len(backend.given) == 5
    assert [result.status for result in resumed.results] == ["completed"] * 6

    longer = plan_of(tables=TINY_TABLES.replace("epochs = 2", "epochs = 1"),
                     sweep='[sweep]\ngrid = { "train.lr" = [0.02, 0.05, 0.1] }\nseeds = 2\n')
    assert [trial.id for trial in longer.trials] == [trial.id for trial in more.trials]
    assert len(Sweep(longer, tmp_path, resume=True).to_run) == 6  # the base changed: every trial is another run
