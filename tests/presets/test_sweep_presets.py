"""The sweep presets: valid sweeps of a few dozen short trials over the two settings whose interplay they
teach. Their lessons were read off full runs (the README's Sweeps section shows one); the whole sweeps are
too long for CI's test budget, so here each trial's configuration is checked, not trained."""

import pytest

from workbench.core.experiment.presets import list_presets
from workbench.core.sweeps.plan import expand

SWEEP_PRESETS = {preset.key: preset.config for preset in list_presets() if preset.config.sweep is not None}
MAX_TRIALS = 24  # about half a minute on two cores: a preset that takes longer teaches nobody
TAUGHT = {"sweep-lr-optimizer": ["train.optimizer", "train.lr"], "sweep-batch-size-lr": ["train.batch_size", "train.lr"]}


def test_there_are_the_sweep_presets_the_readme_names():
    assert set(SWEEP_PRESETS) == set(TAUGHT)


@pytest.mark.parametrize("key", sorted(TAUGHT))
def test_a_sweep_preset_crosses_its_two_settings_over_seeds_in_a_few_dozen_short_trials(key):
    config = SWEEP_PRESETS[key]
    plan = expand(config)
    assert plan.keys == TAUGHT[key] and config.sweep.seeds >= 2  # a spread over seeds, not one lucky run
    assert len(plan.trials) <= MAX_TRIALS and config.train.epochs <= 10
    assert config.data.dataset == "digits" and config.meta.group == "learning_rate"
