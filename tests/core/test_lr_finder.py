"""The learning-rate finder: fastai's range test on a fresh copy of the network."""

from __future__ import annotations

import math

import numpy as np
import pytest
from tiny_experiment import tiny

from workbench.core.experiment.config import apply_overrides
from workbench.core.experiment.presets import load_named_experiment
from workbench.core.reports.lr_curve import CurveFileError, write_curve
from workbench.core.training.lr_finder import (
    END_LR,
    START_LR,
    find_learning_rate,
    rate_schedule,
    steepest_rate,
    valley_rate,
)


@pytest.mark.parametrize("name", ["digits", "spiral"])
def test_the_suggestion_is_within_a_factor_of_10_of_a_healthy_presets_rate(name):
    config = apply_overrides(load_named_experiment(name), {"train.device": "cpu"})
    result = find_learning_rate(config)
    assert result.suggestion is not None and result.rule in ("valley", "steepest")
    assert 0.1 <= result.suggestion / config.train.lr <= 10, (result.suggestion, config.train.lr)
    assert result.diverged_at is not None and len(result.lrs) < 100  # it stopped on the blow-up
    assert result.message.startswith("Suggested learning rate: ") and "rule: " in result.message
    assert result.marked is not None and result.marked[0] == result.suggestion


def test_the_schedule_grows_exponentially_from_1e_7_to_10():
    rates = rate_schedule()
    assert len(rates) == 100 and rates[0] == pytest.approx(START_LR) and rates[-1] == pytest.approx(END_LR)
    assert np.allclose(rates[1:] / rates[:-1], rates[1] / rates[0])


def test_the_rules_on_a_known_curve():
    lrs = np.logspace(-5, 0, 51)
    losses = 2 - 1.5 / (1 + np.exp(-(np.log10(lrs) + 2.5) * 4))  # falls fastest at 10^-2.5
    losses[-5:] = [1.0, 2.0, 4.0, 8.0, 16.0]
    assert steepest_rate(lrs[:-5], losses[:-5]) == pytest.approx(10 ** -2.5, rel=0.3)
    valley = valley_rate(lrs, losses)
    assert 1e-5 < valley < lrs[np.argmin(losses)]
    assert valley_rate(lrs, np.linspace(1, 2, 51)) is None  # a loss that only rises has no valley


def test_a_network_that_diverges_at_the_first_step_says_that_every_rate_diverged():
    config = tiny(**{"model.init": "normal", "model.init_std": 100.0, "model.hidden": [256] * 12})  # logits overflow
    result = find_learning_rate(config)
    assert result.suggestion is None and result.all_diverged and result.rule == ""
    assert result.message.startswith("Every rate tried diverged: the loss was ")
    assert "at a learning rate of 1e-07" in result.message


def test_the_curve_is_written_as_csv_and_png(tmp_path):
    result = find_learning_rate(tiny())
    csv_text = write_curve(result, tmp_path / "curve.csv").read_text()
    lines = csv_text.splitlines()
    assert lines[0] == "lr,loss,smoothed" and len(lines) == len(result.lrs) + 1
    lr, loss, smoothed = (float(value) for value in lines[1].split(","))
    assert lr == START_LR and math.isclose(loss, result.losses[0]) and math.isclose(smoothed, result.smoothed[0])
    png = write_curve(result, tmp_path / "curve.png", "tiny").read_bytes()
    assert png.startswith(b"\x89PNG")
    with pytest.raises(CurveFileError, match="unknown format"):
        write_curve(result, tmp_path / "curve.txt")


def test_a_first_loss_far_above_a_uniform_guess_is_blamed_on_the_initial_weights():
    config = apply_overrides(load_named_experiment("exploding-gradients"), {"train.device": "cpu"})
    result = find_learning_rate(config)
    assert result.uniform_guess_loss == pytest.approx(math.log(10), rel=1e-4)
    assert "times that of a uniform guess: the initial weights are far too large" in result.message
