"""Running a variant of a run: from step 0 it replays the parent exactly, from a kept epoch it continues
the parent exactly, an override changes only what it names, and it can be cancelled like any run."""

import numpy as np
import pytest
from tiny_experiment import tiny

from workbench.core.experiment.config import ConfigError
from workbench.core.rundir.reader import load_run
from workbench.core.status import RunStatus
from workbench.core.training.engine import Run
from workbench.core.training.runtime import RunControl
from workbench.core.training.state import KeepEpochStates
from workbench.core.training.variants import variant

EPOCHS = 4


@pytest.fixture(scope="module")
def parent(tmp_path_factory):
    """A 4-epoch run with dropout and augmentation (both draw random numbers) that kept epoch 2."""
    config = tiny("parent", **{"train.epochs": EPOCHS, "model.dropout": 0.2, "data.augment": ["noise"]})
    keeper = KeepEpochStates([2])
    run = Run(config, run_dir=tmp_path_factory.mktemp("variants") / "parent", callbacks=[keeper]).fit()
    return run, keeper.states[2]


def metrics(run) -> np.ndarray:
    return run.history.epochs.view()[:, 2:6]  # train/val loss and accuracy per epoch


def test_a_variant_from_step_0_without_overrides_replays_the_parent(parent):
    run, _ = parent
    replay = variant(run.config, {}).fit()
    np.testing.assert_array_equal(metrics(replay), metrics(run))


def test_a_variant_from_a_kept_epoch_continues_the_parent_exactly(parent, tmp_path):
    run, state = parent
    continued = variant(run.config, {}, start=state, run_dir=tmp_path / "child").fit()
    assert continued.status == RunStatus.COMPLETED and continued.history.epochs_run == EPOCHS
    np.testing.assert_array_equal(metrics(continued), metrics(run))
    np.testing.assert_array_equal(continued.history.step_loss.view(), run.history.step_loss.view())
    assert len(continued.history.activation_steps) == len(run.history.activation_steps)
    summary = load_run(tmp_path / "child").summary
    assert summary["parent"] == str(run.directory) and summary["fork_epoch"] == 2


def test_an_override_from_a_kept_epoch_changes_only_what_follows(parent):
    run, state = parent
    slower = variant(run.config, {"train.lr": 1e-5}, start=state).fit()
    np.testing.assert_array_equal(metrics(slower)[:2], metrics(run)[:2])
    assert not np.array_equal(metrics(slower)[2:], metrics(run)[2:])
    # with a rate 2000x smaller the weights barely move after the fork
    assert abs(metrics(slower)[3, 0] - metrics(run)[1, 0]) < 0.01


def test_a_change_to_the_network_cannot_start_mid_run(parent):
    run, state = parent
    with pytest.raises(ConfigError, match="model.hidden: changes the network or the data"):
        variant(run.config, {"model.hidden": [4]}, start=state)


def test_a_variant_is_cancelled_through_its_control(parent):
    run, _ = parent
    control = RunControl()
    cancelled = variant(run.config, {"train.epochs": 50}, control=control)
    for _report in cancelled.iter_fit():
        control.request_stop()
    assert cancelled.status == RunStatus.STOPPED and cancelled.history.epochs_run < 50
