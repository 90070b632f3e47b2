"""Which settings apply when: the table the experiment panel hides rows by, checked without a window."""

from __future__ import annotations

import itertools

import pytest
from tiny_experiment import tiny

from workbench.core.experiment import registry
from workbench.core.experiment.applicability import APPLIES_WHEN, applies
from workbench.core.experiment.config import apply_overrides


def flat(**overrides) -> dict:
    return apply_overrides(tiny(), overrides).flat()


def test_every_conditional_key_is_a_setting_of_the_experiment_file():
    assert set(APPLIES_WHEN) <= set(tiny().flat())


@pytest.mark.parametrize(("key", "applies_here", "not_here"), [
    ("data.noise", {"data.dataset": "spiral"}, {"data.dataset": "digits"}),
    ("data.n_samples", {"data.dataset": "xor"}, {"data.dataset": "mnist1d"}),
    ("data.data_dir", {"data.dataset": "fashion_mnist"}, {"data.dataset": "moons"}),
    ("model.channels", {"model.kind": "cnn", "data.dataset": "digits"}, {"model.kind": "mlp"}),
    ("model.init_std", {"model.init": "normal"}, {"model.init": "kaiming_normal"}),
    ("train.momentum", {"train.optimizer": "nesterov"}, {"train.optimizer": "adam"}),
    ("train.lr_decay", {"train.lr_schedule": "plateau"}, {"train.lr_schedule": "cosine"}),
    ("train.lr_step", {"train.lr_schedule": "step"}, {"train.lr_schedule": "exponential"}),
    ("data.test_shift_strength", {"data.test_shift": ["noise"]}, {"data.test_shift": []}),
])
def test_a_conditional_key_applies_only_where_it_means_something(key, applies_here, not_here):
    assert applies(key, flat(**applies_here))
    assert not applies(key, flat(**not_here))


def test_csv_settings_apply_to_csv_data_only():
    csv = {**flat(), "data.dataset": "csv", "data.path": "points.csv", "data.target": "label"}
    assert applies("data.path", csv) and applies("data.target", csv)
    assert not applies("data.path", flat()) and not applies("data.target", flat())
    assert applies("data.test_shift", flat()) and not applies("data.test_shift", csv)  # no test split


def test_keys_without_a_condition_always_apply():
    assert applies("train.lr", flat()) and applies("data.augment", flat(**{"data.dataset": "digits"}))


def test_every_choice_of_dataset_model_init_optimizer_and_schedule_has_an_answer():
    base = flat()
    for dataset, kind, init, optimizer, schedule in itertools.product(
            registry.DATASETS, registry.MODEL_KINDS, registry.INITS, registry.OPTIMIZERS, registry.LR_SCHEDULES):
        values = {**base, "data.dataset": dataset, "model.kind": kind, "model.init": init,
                  "train.optimizer": optimizer, "train.lr_schedule": schedule}
        assert all(isinstance(applies(key, values), bool) for key in APPLIES_WHEN)
