"""A sweep directory read back as the app's Sweep window shows it: the same trials and numbers the sweep
recorded, each trial's validation curve (a torn last line skipped), and a folder that holds no usable
sweep as one sentence naming it."""

import json
import re

import pytest
from tiny_experiment import InProcess, tiny_sweep_plan

from workbench.core.sweeps.errors import SweepError
from workbench.core.sweeps.reader import load_sweep, validation_curve
from workbench.core.sweeps.runner import Sweep
from workbench.core.sweeps.summary import format_summary

SWEEP = '[sweep]\ngrid = { "train.lr" = [0.02, 0.2] }\nseeds = 2\n'


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    directory = tmp_path_factory.mktemp("sweep")
    sweep = Sweep(tiny_sweep_plan(SWEEP), directory)
    sweep.run(InProcess())
    return sweep


def test_a_sweep_reads_back_as_it_was_recorded(finished):
    loaded = load_sweep(finished.directory)
    assert [trial.id for trial in loaded.plan.trials] == [trial.id for trial in finished.plan.trials]
    assert [(result.status, result.val_acc, result.first_finding) for result in loaded.results] == [
        (result.status, result.val_acc, result.first_finding) for result in finished.results]
    assert format_summary(loaded.plan, loaded.results) == format_summary(finished.plan, finished.results)
    curve = validation_curve(finished.directory / loaded.results[0].run_dir)
    assert curve[:, 0].tolist() == [1.0, 2.0] and 0 < curve[-1, 1] == pytest.approx(loaded.results[0].val_acc)


def test_a_torn_last_line_of_a_curve_is_skipped(tmp_path):
    (tmp_path / "metrics.csv").write_text("epoch,step,train_loss,train_acc,val_loss,val_acc,lr,seconds\n"
                                          "1,10,0.5,0.8,0.6,0.75,0.01,0.1\n2,20,0.4")
    assert validation_curve(tmp_path).tolist() == [[1.0, 0.75]]
    assert validation_curve(tmp_path / "missing").shape == (0, 2)


@pytest.mark.parametrize(("damage", "expected"), [
    (None, "holds no Workbench sweep (no sweep.json)"),
    ("{not json", "sweep.json cannot be read"),
    ('{"format": 1, "trials": []}', "sweep.json is damaged"),
    ('{"format": 99, "base": {}, "trials": []}', "format 99, which this Workbench cannot read"),
    ('{"format": 1, "base": {"data": {"dataset": "nope"}}, "trials": []}', "the experiment in sweep.json is not valid"),
])
def test_a_folder_without_a_usable_sweep_is_one_sentence(tmp_path, damage, expected):
    if damage is not None:
        (tmp_path / "sweep.json").write_text(damage)
    with pytest.raises(SweepError, match=re.escape(expected)) as raised:
        load_sweep(tmp_path)
    assert str(tmp_path) in str(raised.value) and "\n" not in str(raised.value)


def test_a_trial_without_a_run_directory_keeps_the_status_sweep_json_gave_it(finished, tmp_path):
    document = json.loads((finished.directory / "sweep.json").read_text())
    document["trials"][0].update(status="failed", error="the data refused it")
    (tmp_path / "sweep.json").write_text(json.dumps(document))
    results = load_sweep(tmp_path).results
    assert (results[0].status, results[0].error) == ("failed", "the data refused it")
    assert {result.status for result in results[1:]} == {"pending"}
