"""Forking a run from an epoch: the states kept within a memory budget (oldest dropped first), a fork
with nothing changed continuing bit-identically (data order, dropout, augmentation, a schedule and a
setting steered before the fork included), its summary naming its parent and epoch, and a dropped epoch
answered with the nearest kept one."""

import numpy as np
import pytest
from tiny_experiment import tiny

from workbench.core.experiment.config import ConfigError
from workbench.core.rundir.reader import load_run
from workbench.core.training.engine import Run
from workbench.core.training.forking import EpochStatesByRun, ForkError, fork, fork_config, kept_state
from workbench.core.training.runtime import RunControl, StepReport
from workbench.core.training.state import KeepEpochStates

EPOCHS = 5


@pytest.fixture(scope="module")
def parent(tmp_path_factory):
    """5 epochs with dropout, noise augmentation and a step schedule (all draw random numbers or change
    the rate), its learning rate steered at epoch 2, every epoch kept."""
    config = tiny("parent", **{"train.epochs": EPOCHS, "model.dropout": 0.2, "data.augment": ["noise"],
                               "train.lr_schedule": "step", "train.lr_step": 2, "train.lr_decay": 0.5})
    control, keeper = RunControl(), KeepEpochStates()
    run = Run(config, run_dir=tmp_path_factory.mktemp("fork") / "parent", control=control, callbacks=[keeper])
    for report in run.iter_fit():
        if isinstance(report, StepReport) and report.epoch == 2 and not run.history.changes:
            control.request_change("train.lr", 0.01)
            control.request_change("model.dropout", 0.1)
    return run, keeper


def per_epoch(run) -> np.ndarray:
    return run.history.epochs.view()[:, [0, 1, 2, 3, 4, 5, 6]]  # epoch, step, losses, accuracies, lr


@pytest.mark.parametrize("epoch", [2, 4])
def test_a_fork_with_nothing_changed_continues_bit_identically(parent, tmp_path, epoch):
    run, keeper = parent
    child = fork(run.config, kept_state(keeper, epoch), {}, run_dir=tmp_path / "child").fit()
    np.testing.assert_array_equal(per_epoch(child), per_epoch(run))
    np.testing.assert_array_equal(child.history.step_loss.view(), run.history.step_loss.view())
    assert child.history.changes == [c for c in run.history.changes if c.step <= keeper.states[epoch].step]
    summary = load_run(tmp_path / "child").summary
    assert summary["parent"] == str(run.directory) and summary["fork_epoch"] == epoch
    assert summary["name"] == f"parent (from epoch {epoch})"


def test_a_fork_starts_from_the_settings_steered_by_its_epoch(parent):
    run, keeper = parent
    assert fork_config(run.config, kept_state(keeper, 1), {}).train.lr == 0.02
    steered = fork_config(run.config, kept_state(keeper, 3), {})
    assert (steered.train.lr, steered.model.dropout) == (0.01, 0.1)


def test_a_fork_with_a_change_differs_only_from_its_epoch_on(parent):
    run, keeper = parent
    child = fork(run.config, kept_state(keeper, 3), {"train.lr": 1e-6}).fit()
    assert child.name == "parent (from epoch 3: train.lr = 1e-06)"
    np.testing.assert_array_equal(per_epoch(child)[:3], per_epoch(run)[:3])
    assert not np.array_equal(per_epoch(child)[3:, 2], per_epoch(run)[3:, 2])
    assert child.history.epoch_column("lr")[3] == 1e-6


def test_forking_the_last_epoch_with_more_epochs_continues_the_run(parent):
    run, keeper = parent
    child = fork(run.config, kept_state(keeper, EPOCHS), {"train.epochs": EPOCHS + 2}).fit()
    assert child.name == f"parent (continued from epoch {EPOCHS})"
    assert child.history.epochs_run == EPOCHS + 2 and child.fork_epoch == EPOCHS


def test_a_fork_cannot_change_the_network(parent):
    run, keeper = parent
    with pytest.raises(ConfigError, match="model.hidden: changes the network or the data"):
        fork(run.config, kept_state(keeper, 2), {"model.hidden": [4]})


def test_the_memory_budget_drops_the_oldest_epochs_first(parent):
    run, keeper = parent
    per_state = keeper.states[1].size_bytes
    assert per_state > 0 and keeper.kept_bytes == sum(state.size_bytes for state in keeper.states.values())
    small = KeepEpochStates(budget_bytes=int(2.5 * per_state))
    Run(run.config, callbacks=[small]).fit()
    assert sorted(small.states) == [EPOCHS - 1, EPOCHS] and small.dropped == [1, 2, 3]
    assert small.kept_bytes <= small.budget_bytes


def test_a_dropped_epoch_says_so_and_offers_the_nearest_kept_one(parent):
    run, _keeper = parent
    small = KeepEpochStates(budget_bytes=1)  # nothing fits: every state is dropped as soon as it is made
    Run(tiny("one", **{"train.epochs": 3}), callbacks=[small]).fit()
    with pytest.raises(ForkError, match="No epoch of this run is kept"):
        kept_state(small, 1)
    kept = KeepEpochStates(budget_bytes=200 * 2**20)
    kept.states, kept.dropped = {4: object(), 7: object()}, [1, 2, 3]
    with pytest.raises(ForkError) as error:
        kept_state(kept, 2)
    assert error.value.nearest == 4
    assert str(error.value) == ("The state of epoch 2 was dropped to stay within the 200 MB kept per run (oldest "
                                "epochs first); the nearest kept epoch is 4.")
    with pytest.raises(ForkError) as error:
        kept_state(kept, 9)
    assert error.value.nearest == 7 and "Epoch 9 has no kept state" in str(error.value)


def test_the_app_keeps_states_for_its_newest_runs_only():
    by_run = EpochStatesByRun(max_runs=2)
    runs = [object() for _ in range(3)]
    for run in runs:
        by_run.add(run, by_run.new_keeper())
    assert by_run.of(runs[0]) is None and by_run.of(runs[2]).budget_bytes == by_run.budget_bytes


def test_a_forks_inherited_changes_are_marked_but_its_own_settings_rule(parent, tmp_path):
    run, keeper = parent
    own_states = KeepEpochStates()
    child = fork(run.config, kept_state(keeper, 3), {"train.lr": 0.001}, run_dir=tmp_path / "child",
                 callbacks=[own_states]).fit()
    assert child.history.changes == run.history.changes and child.history.own_changes == []
    assert own_states.states[4].settings["train.lr"] == 0.001  # not the parent's steered 0.01 again
    loaded = load_run(tmp_path / "child").history
    assert loaded.start_step == keeper.states[3].step and loaded.changes == run.history.changes
    assert loaded.own_changes == []
