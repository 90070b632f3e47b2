"""The Presets menu groups the presets by what goes wrong in them, the healthy baselines first, each failure
followed by its cure."""

from __future__ import annotations

from workbench.core.experiment.presets import list_presets
from workbench.ui.panels.presets import CURE_MARK, PresetsMenu


def test_presets_are_grouped_healthy_first_with_each_cure_below_its_failure(qtbot):
    menu = PresetsMenu()
    qtbot.addWidget(menu)
    presets = list_presets()
    menu.set_presets(presets)
    assert [action.text() for action in menu.actions()] == [
        "&Healthy baselines", "&Data", "&Initialization", "&Learning rate", "&Architecture", "&Regularization",
        "&Speed"]
    by_key = {preset.key: preset for preset in presets}
    shown = [action.data() for action in menu.preset_actions()]
    assert sorted(shown) == sorted(by_key)  # every preset, once
    healthy = [action.data() for action in menu.actions()[0].menu().actions()]
    assert {by_key[key].config.meta.group for key in healthy} == {"healthy"} and "spiral" in healthy
    for submenu in (action.menu() for action in menu.actions()):
        keys = [action.data() for action in submenu.actions()]
        assert len({by_key[key].config.meta.group for key in keys}) == 1
        for index, key in enumerate(keys):
            cure = by_key[key].config.meta.fixed_by
            if cure and cure not in keys[:index]:  # a cure two failures share sits below the first
                assert keys[index + 1] == cure
                assert submenu.actions()[index + 1].text().startswith(CURE_MARK)


def test_choosing_an_entry_asks_for_that_preset(qtbot):
    menu = PresetsMenu()
    qtbot.addWidget(menu)
    menu.set_presets(list_presets())
    (deep_sigmoid,) = [action for action in menu.preset_actions() if action.data() == "deep-sigmoid"]
    assert "vanishing_gradients" in deep_sigmoid.toolTip()
    with qtbot.waitSignal(menu.preset_chosen) as chosen:
        deep_sigmoid.trigger()
    assert chosen.args == ["deep-sigmoid"]
