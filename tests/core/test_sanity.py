"""The one-batch sanity check: healthy presets pass, broken ones fail with the curve and the finding."""

from __future__ import annotations

import pytest
from tiny_experiment import tiny

from workbench.core.experiment.config import apply_overrides
from workbench.core.experiment.presets import load_named_experiment
from workbench.core.training.sanity import SANITY_BATCH, sanity_check


def preset(name: str, **overrides):
    return apply_overrides(load_named_experiment(name), {"train.device": "cpu", **overrides})


@pytest.mark.parametrize("name", ["spiral", "digits"])
def test_a_healthy_preset_overfits_one_batch(name):
    result = sanity_check(preset(name))
    assert result.passed and result.curve == "passed" and not result.suggests
    assert result.final_accuracy == 1.0 and result.final_loss <= result.target_loss
    assert result.batch_size == SANITY_BATCH and result.steps < 300  # it stops once it has passed
    assert "batch accuracy reached 100%" in result.reason


def test_zero_init_fails_because_its_units_can_never_differ():
    result = sanity_check(preset("zero-init"))
    assert not result.passed and result.suggests == "bad_initialization"
    assert result.curve == "never_fell"
    assert "All 128 units of hidden layer 1 have identical weights" in result.reason
    assert result.final_accuracy < 0.5


def test_a_learning_rate_of_10_fails_and_blames_the_learning_rate():
    result = sanity_check(preset("digits", **{"train.lr": 10.0}))
    assert not result.passed and result.suggests == "lr_too_high"
    assert "learning rate (10)" in result.reason


def test_a_loss_that_overflows_at_once_blames_the_initial_weights():
    result = sanity_check(preset("exploding-gradients"))
    assert result.curve == "diverged" and result.suggests == "bad_initialization"
    assert "not a number at step" in result.reason and "times that of a uniform guess" in result.reason


@pytest.mark.parametrize(("name", "finding"), [("lr-too-low", "lr_too_low"), ("linear-spiral", "underfitting"),
                                               ("deep-sigmoid", "vanishing_gradients"),
                                               ("over-regularized", "over_regularized")])
def test_each_broken_preset_points_at_its_own_finding(name, finding):
    result = sanity_check(preset(name))
    assert not result.passed and result.suggests == finding, result.reason


def test_a_training_set_smaller_than_the_batch_is_used_whole_and_said_so():
    result = sanity_check(tiny(**{"data.train_size": 8}))
    assert result.batch_size == 8
    assert result.note == ("The training set has only 8 examples, fewer than the 16 asked for: the check used all "
                           "of them.")


def test_a_check_stopped_by_the_user_says_so():
    from workbench.core.training.runtime import RunControl

    control = RunControl()
    control.request_stop()
    result = sanity_check(tiny(), control=control)
    assert result.stopped and not result.passed and result.steps == 0
