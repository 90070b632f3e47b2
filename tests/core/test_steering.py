"""Steering a run while it trains: a learning rate, weight decay or dropout changed from another thread
applies between two steps, is recorded in the history and in events.csv (read back, never raising), and
the diagnosis names the change when it explains a finding."""

import threading

import pytest
from tiny_experiment import tiny

from workbench.core.experiment.config import ConfigError
from workbench.core.history import SettingChange
from workbench.core.hooks import Callback
from workbench.core.rundir.events_file import EVENTS_HEADER
from workbench.core.rundir.layout import EVENTS
from workbench.core.rundir.reader import load_run
from workbench.core.training.engine import Run
from workbench.core.training.runtime import RunControl, StepReport
from workbench.core.training.steering import check_change

EPOCHS = 6


def steered_run(changes: dict, at_epoch: int = 3, run_dir=None, **overrides) -> Run:
    """A tiny run whose `changes` are asked for, from another thread, at the first probe of `at_epoch`."""
    control = RunControl()
    run = Run(tiny("steered", **{"train.epochs": EPOCHS, **overrides}), control=control, run_dir=run_dir)
    asked = False
    for report in run.iter_fit():
        if isinstance(report, StepReport) and report.epoch == at_epoch and not asked:
            asker = threading.Thread(target=lambda: [control.request_change(k, v) for k, v in changes.items()])
            asker.start()
            asker.join()
            asked = True
    return run


@pytest.fixture(scope="module")
def raised(tmp_path_factory):
    """The learning rate raised from 0.02 to 5 at the first probe of epoch 3, written to a run directory."""
    return steered_run({"train.lr": 5.0}, run_dir=tmp_path_factory.mktemp("steer") / "raised")


def test_a_mid_run_change_is_recorded_where_it_applied(raised):
    history = raised.history
    steps_per_epoch = history.steps_per_epoch
    [change] = history.changes
    assert (change.key, change.old, change.new, change.epoch) == ("train.lr", 0.02, 5.0, 3)
    assert 2 * steps_per_epoch < change.step < 3 * steps_per_epoch  # between two steps of epoch 3
    lr = history.epoch_column("lr")
    assert list(lr[:2]) == [0.02, 0.02] and list(lr[2:]) == [5.0] * (EPOCHS - 2)  # metrics.csv: one row per epoch
    assert raised.config.train.lr == 0.02  # config.toml stays the starting configuration


def test_events_csv_holds_the_change_and_reads_back(raised):
    lines = (raised.directory / EVENTS).read_text().splitlines()
    change = raised.history.changes[0]
    assert lines == [",".join(EVENTS_HEADER), f"{change.step},3,train.lr,0.02,5.0"]
    loaded = load_run(raised.directory)
    assert loaded.history.changes == [change] and not loaded.problem
    assert loaded.config.train.lr == 0.02


def test_a_damaged_events_csv_loses_only_its_bad_rows(raised, tmp_path):
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(raised.directory, copy)
    good = f"{raised.history.changes[0].step},3,train.lr,0.02,5.0"
    (copy / EVENTS).write_text(",".join(EVENTS_HEADER) + "\n" + good + "\n12,x,train.lr,1,2\n7,1,train.lr,nan\n")
    history = load_run(copy).history
    assert [change.new for change in history.changes] == [5.0]
    assert any("2 damaged rows skipped" in event for event in history.events)
    (copy / EVENTS).write_bytes(b"\xff\xfe not a csv")
    loaded = load_run(copy)
    assert loaded.history.changes == [] and loaded.history.epochs_run == EPOCHS
    (copy / EVENTS).unlink()  # a run from before steering
    assert load_run(copy).history.changes == []


def test_the_diagnosis_says_the_loss_rose_after_the_users_change(raised):
    finding = next(f for f in raised.findings if f.id == "lr_too_high")
    step = raised.history.changes[0].step
    assert f"your change of train.lr from 0.02 to 5 at step {step} (epoch 3)" in finding.evidence
    assert finding.fix == {"train.lr": 0.02}  # undo the change


def test_the_same_run_unsteered_has_no_such_finding():
    run = Run(tiny("plain", **{"train.epochs": EPOCHS})).fit()
    assert not {"lr_too_high", "divergence"} & {finding.id for finding in run.findings}


def test_weight_decay_and_dropout_steer_the_optimizer_and_the_model():
    run = steered_run({"train.weight_decay": 0.01, "model.dropout": 0.3}, at_epoch=2, **{"train.epochs": 3})
    assert [(c.key, c.old, c.new) for c in run.history.changes] == [
        ("train.weight_decay", 0.0, 0.01), ("model.dropout", 0.0, 0.3)]
    assert run.status == "completed"


def test_a_change_to_the_current_value_records_nothing():
    run = steered_run({"train.lr": 0.02}, at_epoch=2, **{"train.epochs": 2})
    assert run.history.changes == []


@pytest.mark.parametrize(("key", "value", "message"), [
    ("train.lr", -1.0, "train.lr: -1"),
    ("model.dropout", 1.5, "model.dropout: 1.5"),
    ("train.batch_size", 8, "train.batch_size cannot change while a run trains"),
    ("train.lr", "fast", "train.lr: 'fast' is not a number"),
])
def test_a_change_that_cannot_apply_is_one_sentence(key, value, message):
    with pytest.raises(ConfigError) as error:
        check_change(tiny(), key, value)
    assert len(error.value.problems) == 1 and message in error.value.problems[0]


def test_setting_change_is_what_events_csv_rows_are():
    assert [field for field in SettingChange.__dataclass_fields__] == EVENTS_HEADER


def test_a_change_asked_for_after_the_last_step_is_dropped_not_left_for_the_fix_probes():
    class LateAsker(Callback):
        def on_train_end(self, run):
            run.control.request_change("train.lr", 1.0)

    run = Run(tiny("late"), callbacks=[LateAsker()]).fit()
    assert run.history.changes == [] and not run.control.changes_pending


def test_weight_decay_raised_mid_run_explains_over_regularization_first():
    run = steered_run({"train.weight_decay": 0.5}, at_epoch=4, **{"train.epochs": 8})
    first = run.findings[0]
    assert first.id == "over_regularized" and first.fix == {"train.weight_decay": 0.0}
    assert "your change of train.weight_decay from 0 to 0.5" in first.evidence


def test_a_finding_that_showed_before_the_change_is_not_blamed_on_it():
    run = steered_run({"train.lr": 2.0}, at_epoch=4, **{"train.epochs": 8, "train.lr": 1.0})
    finding = next(f for f in run.findings if f.id == "lr_too_high")
    # the rate it ended with, 2.0, is 2000x Adam's usual one: the fix goes back to 3x that
    assert "your change" not in finding.evidence and finding.fix == {"train.lr": 0.003}
