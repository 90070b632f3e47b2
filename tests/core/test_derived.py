"""A fixed or hand-edited run says what it is: never the failure's name, expectation or cure."""

from workbench.core.experiment.derived import edited, twin, with_fix
from workbench.core.experiment.presets import load_named_experiment


def test_a_fixed_run_is_named_for_its_fix_and_expects_nothing():
    failure = load_named_experiment("deep-sigmoid")
    fixed = with_fix(failure, "vanishing_gradients", {"model.activation": "relu"})
    assert fixed.name == "Deep sigmoid MLP + fix for vanishing_gradients"
    assert fixed.meta.expect == [] and fixed.meta.fixed_by == "" and fixed.meta.group == ""
    assert 'model.activation = "relu"' in fixed.meta.description
    assert fixed.model.activation == "relu" and fixed.train.seed == failure.train.seed


def test_a_hand_edited_preset_is_named_for_what_changed():
    spiral = load_named_experiment("spiral")
    changed = spiral.model_copy(update={
        "model": spiral.model.model_copy(update={"activation": "sigmoid"}),
        "train": spiral.train.model_copy(update={"lr": 5.0})})
    result = edited(changed, spiral)
    assert result.name == f"{spiral.name} (edited: model.activation, train.lr)"
    assert "train.lr = 5.0" in result.meta.description and result.meta.group == ""
    assert edited(spiral, spiral) is spiral


def test_a_twin_is_suffixed_once():
    spiral = load_named_experiment("spiral")
    assert twin(twin(spiral)).name == spiral.name + " (twin)"
