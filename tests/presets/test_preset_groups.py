"""Every preset says what goes wrong in it (meta.group), and a cure sits in its failure's group."""

from workbench.core.experiment.presets import list_presets
from workbench.core.experiment.registry import PRESET_GROUPS


def test_every_preset_has_a_group_and_its_cure_shares_it():
    presets = {preset.key: preset.config for preset in list_presets()}
    assert presets and all(config.meta.group in PRESET_GROUPS for config in presets.values())
    for key, config in presets.items():
        if config.meta.fixed_by:
            assert presets[config.meta.fixed_by].meta.group == config.meta.group, key
    healthy = [key for key, config in presets.items() if config.meta.group == "healthy"]
    assert set(healthy) >= {"spiral", "digits"}
    assert all(not presets[key].meta.expect for key in healthy)
