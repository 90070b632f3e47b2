import inspect
import math
import textwrap

import numpy as np
import pytest
import torch

from workbench.core.experiment import registry
from workbench.core.experiment.schema import ConfigError, ModelConfig
from workbench.core.training.initialization import init_nonlinearity, init_weights
from workbench.core.training.models import (
    SATURATION_THRESHOLD,
    activation_stats,
    build_model,
    describe,
    parameter_count,
)

torch.set_num_threads(1)

BATCH = 4
IMAGE = (1, 8, 8)


def tiny(kind: str, **model_keys) -> ModelConfig:
    return ModelConfig(kind=kind, hidden=[6, 6], channels=[3, 3], **model_keys)


def input_shape_for(kind: str) -> tuple[int, ...]:
    return IMAGE if kind == "cnn" else (5,)


def seeded_model(config: ModelConfig, input_shape: tuple[int, ...], n_classes: int = 3, seed: int = 0):
    torch.manual_seed(seed)
    return build_model(config, input_shape, n_classes)


def run_forward(config: ModelConfig, training: bool = True) -> tuple[torch.Tensor, list[torch.Tensor]]:
    shape = input_shape_for(config.kind)
    model = seeded_model(config, shape)
    model.train(training)
    return model.forward_with_preactivations(torch.randn(BATCH, *shape))


def hidden_count(config: ModelConfig) -> int:
    return len(config.hidden) + (len(config.channels) if config.kind == "cnn" else 0)


@pytest.mark.parametrize("kind", registry.MODEL_KINDS)
@pytest.mark.parametrize("activation", registry.ACTIVATIONS)
def test_every_activation_builds_and_gives_finite_logits(kind, activation):
    logits, preactivations = run_forward(tiny(kind, activation=activation))
    assert logits.shape == (BATCH, 3)
    assert torch.isfinite(logits).all()
    assert len(preactivations) == hidden_count(tiny(kind))


@pytest.mark.parametrize("kind", registry.MODEL_KINDS)
@pytest.mark.parametrize("init", registry.INITS)
@pytest.mark.parametrize("activation", ["relu", "prelu", "selu", "tanh"])
def test_every_init_builds_and_gives_finite_logits(kind, init, activation):
    logits, _ = run_forward(tiny(kind, init=init, activation=activation, init_std=0.5))
    assert logits.shape == (BATCH, 3)
    assert torch.isfinite(logits).all()


@pytest.mark.parametrize("kind", registry.MODEL_KINDS)
@pytest.mark.parametrize("normalization", registry.NORMALIZATIONS)
@pytest.mark.parametrize("dropout", [0.0, 0.5])
@pytest.mark.parametrize("residual", [False, True])
def test_norm_dropout_residual_combinations_run_in_train_and_eval(kind, normalization, dropout, residual):
    config = tiny(kind, normalization=normalization, dropout=dropout, residual=residual)
    for training in (True, False):
        logits, preactivations = run_forward(config, training)
        assert logits.shape == (BATCH, 3)
        assert torch.isfinite(logits).all()
    if kind == "cnn":
        assert [tuple(z.shape) for z in preactivations] == [(BATCH, 3, 8, 8), (BATCH, 3, 4, 4), (BATCH, 6),
                                                            (BATCH, 6)]
    elif kind == "rnn":  # every step of every example: a vector of 5 values read as 5 steps
        assert [tuple(z.shape) for z in preactivations] == [(BATCH * 5, 6), (BATCH * 5, 6)]
    else:
        assert [tuple(z.shape) for z in preactivations] == [(BATCH, 6), (BATCH, 6)]


def test_mlp_flattens_any_input_shape():
    model = seeded_model(tiny("mlp"), (2, 3, 4))
    assert model(torch.randn(BATCH, 2, 3, 4)).shape == (BATCH, 3)
    assert model.weight_layers[0].in_features == 24


def test_cnn_accepts_grey_images_without_channel_axis_and_deep_stacks_on_small_images():
    model = seeded_model(ModelConfig(kind="cnn", channels=[2] * 6, hidden=[4]), (8, 8))
    assert model(torch.randn(BATCH, 8, 8)).shape == (BATCH, 3)
    assert model.weight_layers[-2].in_features == 2  # 8 → 4 → 2 → 1 → 1 → 1 → 1 pixels, 2 channels


def test_cnn_on_flat_data_is_refused_naming_the_key():
    with pytest.raises(ConfigError, match="model.kind") as error:
        build_model(ModelConfig(kind="cnn"), (2,), 2)
    assert "(2,)" in str(error.value)


def test_zeros_init_makes_every_weight_and_bias_zero():
    model = seeded_model(tiny("cnn", init="zeros"), IMAGE)
    for layer in model.weight_layers:
        assert layer.weight.abs().sum() == 0
        assert layer.bias.abs().sum() == 0


def test_normal_init_uses_init_std_for_weights_and_biases():
    model = seeded_model(ModelConfig(hidden=[400], init="normal", init_std=1.0), (100,))
    layer = model.weight_layers[0]
    assert layer.weight.std().item() == pytest.approx(1.0, abs=0.02)
    assert layer.weight.mean().item() == pytest.approx(0.0, abs=0.02)
    assert layer.bias.std().item() == pytest.approx(1.0, abs=0.15)


def test_uniform_init_has_init_std_and_stays_in_its_bounds():
    model = seeded_model(ModelConfig(hidden=[400], init="uniform", init_std=0.1), (100,))
    weight = model.weight_layers[0].weight
    assert weight.std().item() == pytest.approx(0.1, rel=0.02)
    assert weight.abs().max().item() <= 0.1 * math.sqrt(3)


def test_kaiming_normal_scales_by_fan_in_and_zeroes_biases():
    model = seeded_model(ModelConfig(hidden=[400], init="kaiming_normal", activation="relu"), (100,))
    layer = model.weight_layers[0]
    assert layer.weight.std().item() == pytest.approx(math.sqrt(2 / 100), rel=0.03)
    assert layer.bias.abs().sum() == 0


def test_orthogonal_init_uses_the_activation_gain():
    model = seeded_model(ModelConfig(hidden=[20], init="orthogonal", activation="tanh"), (20,))
    weight = model.weight_layers[0].weight
    gain = 5 / 3  # torch's gain for tanh
    assert torch.allclose(weight @ weight.T, gain**2 * torch.eye(20), atol=1e-4)


def test_default_init_keeps_pytorch_weights():
    torch.manual_seed(0)
    expected = torch.nn.Linear(5, 6).weight
    assert torch.equal(seeded_model(tiny("mlp"), (5,)).weight_layers[0].weight, expected)


def test_same_seed_gives_same_weights_and_another_seed_does_not():
    for init in ("default", "normal", "orthogonal"):
        config = tiny("cnn", init=init, normalization="batch", activation="prelu")
        first = seeded_model(config, IMAGE, seed=7).state_dict()
        second = seeded_model(config, IMAGE, seed=7).state_dict()
        other = seeded_model(config, IMAGE, seed=8).state_dict()
        assert all(torch.equal(first[key], second[key]) for key in first)
        assert not torch.equal(first["output.weight"], other["output.weight"])


def test_residual_changes_outputs_where_widths_match():
    config = ModelConfig(hidden=[5, 5], init="normal", init_std=0.5)
    plain = seeded_model(config, (5,))
    residual = seeded_model(config.model_copy(update={"residual": True}), (5,))
    assert all(block.residual for block in residual.dense_blocks)
    inputs = torch.randn(BATCH, 5)
    assert not torch.allclose(plain(inputs), residual(inputs))


def test_residual_is_skipped_where_widths_differ():
    config = ModelConfig(hidden=[6, 7], residual=True)
    residual = seeded_model(config, (5,))
    plain = seeded_model(config.model_copy(update={"residual": False}), (5,))
    inputs = torch.randn(BATCH, 5)
    assert torch.equal(plain(inputs), residual(inputs))
    mixed = seeded_model(ModelConfig(hidden=[5, 6, 6], residual=True), (5,))
    assert [block.residual for block in mixed.dense_blocks] == [True, False, True]


def test_layer_infos_name_kind_activation_and_width_in_forward_order():
    model = seeded_model(ModelConfig(kind="cnn", channels=[4, 8], hidden=[16], activation="tanh"), IMAGE, 10)
    infos = [(info.name, info.kind, info.activation, info.width) for info in model.layer_infos]
    assert infos == [
        ("layer 1", "conv", "tanh", 4),
        ("layer 2", "conv", "tanh", 8),
        ("layer 3", "linear", "tanh", 16),
        ("output", "linear", "none", 10),
    ]
    assert [type(layer).__name__ for layer in model.weight_layers] == ["Conv2d", "Conv2d", "Linear", "Linear"]
    assert model.weight_layers[-1] is model.output


def test_forward_with_preactivations_matches_forward_and_changes_no_state():
    model = seeded_model(tiny("cnn", normalization="batch", dropout=0.3), IMAGE)
    inputs = torch.randn(BATCH, *IMAGE)
    model(inputs)  # one training pass so the batch-norm running statistics are not at their start values
    model.eval()
    before = {key: value.clone() for key, value in model.state_dict().items()}
    logits, preactivations = model.forward_with_preactivations(inputs)
    assert torch.equal(logits, model(inputs))
    assert len(preactivations) == len(model.layer_infos) - 1
    assert all(torch.equal(before[key], value) for key, value in model.state_dict().items())


def test_preactivation_is_the_activation_input_after_norm():
    model = seeded_model(ModelConfig(hidden=[6], normalization="layer", activation="sigmoid"), (5,))
    inputs = torch.randn(BATCH, 5)
    _, (preactivation,) = model.forward_with_preactivations(inputs)
    block = model.dense_blocks[0]
    assert torch.allclose(preactivation, block.norm(block.layer(inputs)))
    assert torch.allclose(preactivation.mean(dim=1), torch.zeros(BATCH), atol=1e-5)


def test_a_relu_layer_forced_dead_reports_dead_share_one():
    model = seeded_model(ModelConfig(hidden=[8, 8]), (5,))
    with torch.no_grad():
        model.weight_layers[1].bias.fill_(-100.0)
    model.eval()
    _, preactivations = model.forward_with_preactivations(torch.randn(64, 5))
    stats = activation_stats(preactivations, ["relu", "relu"])
    assert stats["dead_share"][1] == 1.0
    assert stats["mean"][1] == 0.0
    assert stats["dead_share"][0] < 1.0


def test_relu_units_zero_on_some_inputs_are_not_dead():
    preactivation = torch.randn(10, 4).abs() + 0.1
    preactivation[:3] = -1.0  # every unit is zero on 30% of the inputs
    stats = activation_stats([preactivation], ["relu"])
    assert stats["dead_share"][0] == 0.0
    half_dead = preactivation.clone()
    half_dead[:, :2] = -1.0
    assert activation_stats([half_dead], ["relu"])["dead_share"][0] == 0.5


def test_conv_channel_is_dead_only_when_zero_at_every_position():
    preactivation = -torch.ones(3, 4, 5, 5)
    preactivation[1, 0, 2, 2] = 1.0  # channel 0 fires at one pixel of one example
    stats = activation_stats([preactivation], ["relu"])
    assert stats["dead_share"][0] == 0.75


def test_huge_sigmoid_weights_report_saturation():
    model = seeded_model(ModelConfig(hidden=[32], activation="sigmoid", init="normal", init_std=100.0), (5,))
    _, preactivations = model.forward_with_preactivations(torch.randn(64, 5))
    stats = activation_stats(preactivations, ["sigmoid"])
    assert stats["saturated_share"][0] > 0.95
    assert np.isnan(stats["dead_share"][0])


def test_stats_are_nan_where_they_do_not_apply_and_mean_std_are_of_outputs():
    preactivation = torch.tensor([[-1.0, 1.0], [3.0, -3.0]])
    stats = activation_stats([preactivation, preactivation * SATURATION_THRESHOLD],
                             ["relu", "tanh"])
    assert np.isnan(stats["saturated_share"][0])
    assert np.isnan(stats["dead_share"][1])
    assert stats["saturated_share"][1] == 0.5  # |z| = 15 twice, |z| = 5 is not beyond the threshold
    assert stats["mean"][0] == pytest.approx(1.0)  # relu outputs 0, 1, 3, 0
    assert stats["std"][0] == pytest.approx(np.std([0.0, 1.0, 3.0, 0.0]))
    assert all(len(values) == 2 for values in stats.values())


def test_activation_stats_of_a_model_without_hidden_layers_are_empty():
    stats = activation_stats([], [])
    assert set(stats) == {"dead_share", "saturated_share", "mean", "std"}
    assert all(len(values) == 0 for values in stats.values())


def test_describe_reads_like_the_architecture():
    assert describe(ModelConfig(), (2,), 2) == "MLP 2 → 64 → 64 → 2 (4,482 parameters)"
    assert describe(ModelConfig(kind="cnn", channels=[4], hidden=[]), (1, 8, 8), 10) == (
        "CNN 1×8×8 → conv 4 → 10 (690 parameters)"  # conv 4*9+4, dense 4*4*4*10+10
    )


@pytest.mark.parametrize("config", [
    ModelConfig(hidden=[]),
    ModelConfig(activation="prelu", normalization="batch", init="orthogonal"),
    ModelConfig(kind="cnn", normalization="layer", activation="prelu", residual=True, channels=[3, 3]),
])
def test_describe_counts_the_parameters_of_the_built_model_without_drawing_random_numbers(config):
    shape = (1, 8, 8)
    rng_before = torch.random.get_rng_state()
    line = describe(config, shape, 4)
    assert torch.equal(rng_before, torch.random.get_rng_state())
    assert line.endswith(f"({parameter_count(build_model(config, shape, 4)):,} parameters)")


def test_init_functions_run_standalone_and_reproduce_the_built_weights():
    """The run export copies these two functions, and the table they read, into a script that has only
    torch, nn and math."""
    namespace = {"math": math, "nn": torch.nn, "INIT_NONLINEARITIES": registry.INIT_NONLINEARITIES}
    for function in (init_nonlinearity, init_weights):
        exec(textwrap.dedent(inspect.getsource(function)), namespace)
    config = ModelConfig(hidden=[6], activation="leaky_relu", init="kaiming_uniform")
    built = seeded_model(config, (5,), seed=3)
    torch.manual_seed(3)
    hidden, output = torch.nn.Linear(5, 6), torch.nn.Linear(6, 3)
    namespace["init_weights"](hidden, "kaiming_uniform", 0.01, "leaky_relu")
    namespace["init_weights"](output, "kaiming_uniform", 0.01, "none")
    assert torch.equal(hidden.weight, built.weight_layers[0].weight)
    assert torch.equal(output.weight, built.weight_layers[1].weight)


def test_an_unknown_name_is_an_error_never_a_silent_identity():
    from workbench.core.training.models import _norm

    with pytest.raises(KeyError):
        _norm("groupish", 8, conv=False)
    with pytest.raises(KeyError):
        registry.activation_module("swishy")
    with pytest.raises(KeyError):
        registry.optimizer("adamish", [torch.nn.Parameter(torch.zeros(1))], 0.1, 0.9, 0.0)


def test_one_registry_entry_per_activation_carries_everything_asked_of_it():
    assert tuple(registry.ACTIVATION_TABLE) == registry.ACTIVATIONS
    assert registry.RECTIFIERS == ("relu",) and registry.SATURATING == ("tanh", "sigmoid")
    for name in registry.ACTIVATIONS:
        assert isinstance(registry.activation_module(name), torch.nn.Module)
        nonlinearity, slope = init_nonlinearity(name)
        torch.nn.init.calculate_gain(nonlinearity, slope)  # a gain torch knows
    momentum = registry.optimizer("nesterov", [torch.nn.Parameter(torch.zeros(1))], 0.1, 0.9, 0.0)
    assert momentum.defaults["momentum"] == 0.9 and momentum.defaults["nesterov"]
