"""The `[model]` table turned into a network: an MLP or a small CNN whose hidden layers can be probed.

Layout. Every hidden layer is a `HiddenBlock`: weight layer → [norm] → activation → [dropout]
→ (+ its input, when `residual` and the widths match) → [2x2 max-pool, conv blocks only]. An MLP flattens
any input and stacks dense blocks; a CNN runs conv blocks (`channels`), flattens, then a dense head
(`hidden`). The output layer is a plain Linear giving logits.

Random numbers are consumed in one documented order, so a standalone export reproduces the weights bit
for bit from the same `torch.manual_seed`: modules are created in forward order (each weight layer draws
PyTorch's default init as it is created), then `init_weights` re-initializes the weight layers one by one
in forward order, the weight before the bias. `init = "default"` draws nothing in that second pass.
The initializations are in initialization.py; kind = "rnn" is built by models_rnn.py.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn

from workbench.core.experiment import registry
from workbench.core.experiment.registry import OUTPUT_ACTIVATION
from workbench.core.experiment.schema import ConfigError, ModelConfig
from workbench.core.history import LayerInfo
from workbench.core.i18n import _
from workbench.core.training.initialization import init_weights
from workbench.core.training.models_rnn import build_recurrent_model, describe_recurrent

# A sigmoid/tanh unit counts as saturated when |pre-activation| exceeds this: the derivative is then
# below 0.007 (sigmoid) / 2e-4 (tanh). Threshold taken from DeepDiagnosis (Wardat et al., ICSE 2022).
SATURATION_THRESHOLD = 5.0
POOL_SIZE = 2
CONV_KERNEL_SIZE = 3


class HiddenBlock(nn.Module):
    """weight layer → norm → activation → dropout → (+ input if residual) → pool; also returns the
    pre-activation (the activation's input, after norm) for the dead/saturated-unit probes."""

    def __init__(
        self, layer: nn.Module, norm: nn.Module, activation: nn.Module, dropout: float, residual: bool,
        pool: bool,
    ):
        super().__init__()
        self.layer = layer
        self.norm = norm
        self.activation = activation
        self.dropout = nn.Dropout(dropout) if dropout > 0 else nn.Identity()
        self.residual = residual
        # ceil_mode keeps a 1-pixel map at 1 pixel, so six blocks still fit an 8x8 image.
        self.pool = nn.MaxPool2d(POOL_SIZE, ceil_mode=True) if pool else nn.Identity()

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        preactivation = self.norm(self.layer(x))
        out = self.dropout(self.activation(preactivation))
        if self.residual:
            out = out + x
        return self.pool(out), preactivation

    def extra_repr(self) -> str:
        return "residual" if self.residual else ""


class ProbedModel(nn.Module):
    """The network plus what the probes need: its weight layers in forward order and their descriptions."""

    def __init__(
        self, image_shape: tuple[int, int, int] | None, conv_blocks: list[HiddenBlock],
        dense_blocks: list[HiddenBlock], output: nn.Linear, layer_infos: list[LayerInfo],
    ):
        super().__init__()
        self.image_shape = image_shape
        self.conv_blocks = nn.ModuleList(conv_blocks)
        self.dense_blocks = nn.ModuleList(dense_blocks)
        self.output = output
        # A plain list (not registered twice): the same modules the blocks hold, the output layer last.
        self.weight_layers: list[nn.Module] = [block.layer for block in (*conv_blocks, *dense_blocks)]
        self.weight_layers.append(output)
        self.layer_infos = layer_infos

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_with_preactivations(x)[0]

    def forward_with_preactivations(self, x: torch.Tensor) -> tuple[torch.Tensor, list[torch.Tensor]]:
        """Logits and, per hidden layer, its activation's input: (batch, units) or (batch, C, H, W)."""
        preactivations = []
        if self.image_shape is not None:
            x = x.reshape(x.shape[0], *self.image_shape)
        for block in self.conv_blocks:
            x, preactivation = block(x)
            preactivations.append(preactivation)
        x = x.flatten(1)
        for block in self.dense_blocks:
            x, preactivation = block(x)
            preactivations.append(preactivation)
        return self.output(x), preactivations


def build_model(config: ModelConfig, input_shape: tuple[int, ...], n_classes: int) -> ProbedModel:
    """The network for `config` on inputs of `input_shape` (one example, no batch axis), initialized."""
    if config.kind == "rnn":
        return build_recurrent_model(config, input_shape, n_classes)
    image_shape = _image_shape(input_shape) if config.kind == "cnn" else None
    layer_infos: list[LayerInfo] = []

    def hidden_block(layer: nn.Module, width: int, width_in: int, conv: bool) -> HiddenBlock:
        layer_infos.append(LayerInfo(f"layer {len(layer_infos) + 1}", "conv" if conv else "linear",
                                     config.activation, width))
        return HiddenBlock(
            layer, _norm(config.normalization, width, conv), registry.activation_module(config.activation),
            config.dropout, residual=config.residual and width == width_in, pool=conv,
        )

    conv_blocks = []
    if image_shape is None:
        features = math.prod(input_shape)
    else:
        channels_in, rows, columns = image_shape
        for channels in config.channels:
            conv = nn.Conv2d(channels_in, channels, CONV_KERNEL_SIZE, padding=CONV_KERNEL_SIZE // 2)
            conv_blocks.append(hidden_block(conv, channels, channels_in, conv=True))
            channels_in, rows, columns = channels, _pooled(rows), _pooled(columns)
        features = channels_in * rows * columns
    dense_blocks = []
    for width in config.hidden:
        dense_blocks.append(hidden_block(nn.Linear(features, width), width, features, conv=False))
        features = width
    output = nn.Linear(features, n_classes)
    layer_infos.append(LayerInfo("output", "linear", OUTPUT_ACTIVATION, n_classes))

    model = ProbedModel(image_shape, conv_blocks, dense_blocks, output, layer_infos)
    for layer, info in zip(model.weight_layers, model.layer_infos, strict=True):
        init_weights(layer, config.init, config.init_std, info.activation)
    return model


def _image_shape(input_shape: tuple[int, ...]) -> tuple[int, int, int]:
    """(channels, height, width) for a CNN; a 2-D shape is one grey channel."""
    if len(input_shape) == 3:
        return input_shape  # type: ignore[return-value]
    if len(input_shape) == 2:
        return (1, *input_shape)
    raise ConfigError([
        _("model.kind: 'cnn' needs image inputs (channels, height, width), but this data has shape {shape}; use "
          "kind = \"mlp\"").format(shape=tuple(input_shape))
    ])


def _pooled(size: int) -> int:
    return math.ceil(size / POOL_SIZE)


def _norm(normalization: str, width: int, conv: bool) -> nn.Module:
    if normalization == "batch":
        return nn.BatchNorm2d(width) if conv else nn.BatchNorm1d(width)
    if normalization == "layer":
        # GroupNorm with one group normalizes each example over all channels and positions, like LayerNorm.
        return nn.GroupNorm(1, width) if conv else nn.LayerNorm(width)
    if normalization == "none":
        return nn.Identity()
    raise KeyError(f"unknown normalization {normalization!r}")


def parameter_count(model: nn.Module) -> int:
    return sum(parameter.numel() for parameter in model.parameters())


def describe(config: ModelConfig, input_shape: tuple[int, ...], n_classes: int) -> str:
    """One line for the app, e.g. "MLP 2 → 64 → 64 → 2 (4,418 parameters)".

    The model is built on the meta device: no memory, no init work and no draw from the RNG.
    """
    with torch.device("meta"):
        model = build_model(config, input_shape, n_classes)
    if config.kind == "rnn":
        stages = describe_recurrent(model, config, n_classes)
    else:
        if model.image_shape is None:
            stages = [str(math.prod(input_shape))]
        else:
            stages = ["×".join(str(size) for size in model.image_shape)]
            stages += [f"conv {channels}" for channels in config.channels]
        stages += [str(width) for width in (*config.hidden, n_classes)]
    return _("{kind} {stages} ({count:,} parameters)").format(kind=config.kind.upper(), stages=" → ".join(stages),
                                                            count=parameter_count(model))


@torch.no_grad()
def activation_stats(preactivations: list[torch.Tensor], activations: list[str]) -> dict[str, np.ndarray]:
    """Per hidden layer: dead_share, saturated_share, and mean/std of the activation outputs.

    dead_share (ReLU only, else NaN): the share of units (conv: channels) that output zero for every
    input in the batch (and every position). saturated_share (sigmoid/tanh only, else NaN): the share of
    pre-activations beyond ±SATURATION_THRESHOLD. PReLU outputs use the initial slope, since only the
    activation's name is known here.
    """
    rows = []
    for preactivation, name in zip(preactivations, activations, strict=True):
        z = preactivation.detach().float()
        output = registry.activation_module(name).to(z.device)(z)
        nan = z.new_tensor(float("nan"))
        rows.append(torch.stack([
            _dead_share(z) if name in registry.RECTIFIERS else nan,
            (z.abs() > SATURATION_THRESHOLD).float().mean() if name in registry.SATURATING else nan,
            output.mean(),
            output.std(correction=0),
        ]))
    table = torch.stack(rows).cpu().double().numpy() if rows else np.empty((0, 4))
    return {key: table[:, column].copy() for column, key in
            enumerate(("dead_share", "saturated_share", "mean", "std"))}


def _dead_share(z: torch.Tensor) -> torch.Tensor:
    """Share of units (dim 1) whose ReLU input is <= 0 for every example and position."""
    never_active = (z <= 0).transpose(0, 1).flatten(1).all(dim=1)
    return never_active.float().mean()
