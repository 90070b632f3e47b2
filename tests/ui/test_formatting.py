"""The app's one way of writing numbers: short, readable, never "nan" or twenty digits."""

from __future__ import annotations

import math

import pytest

from workbench.core.reports import comparison as compare
from workbench.ui import formatting


@pytest.mark.parametrize(("value", "digits", "text"), [
    (4.772361500884992e18, 2, "4.8e18"), (1e-6, 2, "1e-6"), (5.25e-7, 2, "5.2e-7"), (0.0001, 2, "0.0001"),
    (0.012345, 4, "0.01235"), (0.0, 2, "0"), (1e9, 6, "1e9"), (123456.0, 4, "1.235e5"), (-2.5e20, 2, "-2.5e20"),
    (math.nan, 4, "–"), (math.inf, 4, "–"), (None, 4, "–")])
def test_numbers_are_short_and_a_non_finite_one_is_a_dash(value, digits, text):
    assert formatting.number(value, digits) == text


def test_losses_keep_four_decimals_until_they_explode():
    assert formatting.loss(0.054) == "0.0540"
    assert formatting.loss(4772361500884992000.0) == "4.8e18"  # printed as 4772361500884992000.0000 before
    assert formatting.loss(math.nan) == formatting.MISSING


def test_the_missing_dash_is_the_exported_tables_own():
    assert formatting.MISSING == compare.MISSING
    assert formatting.metric("final_val_acc", None) == compare.format_metric("final_val_acc", None)


@pytest.mark.parametrize("value", [0.1, 1.0, 5, True, [64, 64], "relu", 1e-05])
def test_settings_read_as_the_exported_comparison_shows_them(value):
    assert formatting.setting(value) == compare.display_value(value)


def test_durations_rates_and_shares():
    assert (formatting.duration(62), formatting.duration(3723), formatting.duration(-4)) == ("1:02", "1:02:03", "0:00")
    assert formatting.steps_per_second(12345.6) == "12,346 steps/s"
    assert (formatting.percent(0.9567), formatting.percent(None)) == ("95.7%", "–")
