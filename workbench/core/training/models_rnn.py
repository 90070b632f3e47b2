"""`model.kind = "rnn"`: stacked recurrent layers (torch's RNN, GRU or LSTM) over a sequence view of the
data, then a Linear on the last step's state.

Sequence views: a vector of F values (MNIST-1D, sequence_memory, a CSV row) is F steps of 1 feature; an
image (C, H, W) is read row by row, H steps of C*W features (digits: 8 rows of 8; MNIST: 28 rows of 28).

Layout. Every width in `model.hidden` is one `RecurrentLayer`: a one-layer torch RNN/GRU/LSTM (both ways
when `bidirectional`) → [layer norm] → [dropout] → (+ its input, when `residual` and the widths match).
The output Linear reads the last layer at the last step (bidirectional: the forward direction's last
step beside the backward direction's first, each the end of its own reading).

Random numbers are drawn as models.py draws them: modules created in forward order (torch's own init,
U(-1/sqrt(width), 1/sqrt(width)) for every recurrent tensor), then `model.init` applied layer by layer,
each direction's input weights and bias before its recurrent ones, the weight before the bias; an LSTM's
forget-gate biases are then set to FORGET_BIAS (open_forget_gates, no random draw). Only torch
is used, so the exported script copies this file's functions with inspect.getsource.
"""

from __future__ import annotations

import math
from types import SimpleNamespace

import torch
from torch import nn

from workbench.core.experiment.registry import OUTPUT_ACTIVATION
from workbench.core.experiment.schema import ModelConfig
from workbench.core.history import LayerInfo
from workbench.core.training.initialization import init_weights

RECURRENT_MODULES = {"rnn": "RNN", "gru": "GRU", "lstm": "LSTM"}  # model.cell -> the class in torch.nn
# The activation a layer's units are probed as: a plain RNN computes model.activation (tanh or relu); the
# state of a GRU or LSTM is a gated mix of tanh values, probed as it is (no dead or saturated share).
GATED_CELL_ACTIVATION = "linear"
# An LSTM's forget gates start at sigmoid(2) = 0.88: it keeps 88% of its memory per step instead of half
# (torch's biases average 0), so from the first update the gradient reaches ~50 steps back (0.88^50 = 2e-3,
# against 0.5^50 = 1e-15). A positive forget bias is the standard remedy (Gers, Schmidhuber and Cummins
# 2000; Jozefowicz, Zaremba and Sutskever 2015 use 1). Measured on sequence_memory (50 steps, noise 0.25,
# LSTM of 32, Adam 3e-3): at 1, chance for 9 epochs and then a jump, on some seeds never; at 2, 96-100%
# after the first epoch on every seed tried.
FORGET_BIAS = 2.0


def sequence_shape(input_shape: tuple[int, ...]) -> tuple[int, int]:
    """(steps, features per step) of the sequence view of one example of `input_shape`."""
    if len(input_shape) == 1:
        return input_shape[0], 1
    if len(input_shape) == 3:
        channels, rows, columns = input_shape
        return rows, channels * columns
    return input_shape[0], math.prod(input_shape[1:])


class RecurrentLayer(nn.Module):
    """One recurrent layer over a whole sequence; `weight` and `bias` are its recurrent (hidden-to-hidden)
    weights of the forward direction, the matrix the gradient is multiplied by at every step back in time."""

    def __init__(self, cell: str, features: int, width: int, activation: str, bidirectional: bool,
                 normalization: str, dropout: float, residual: bool):
        super().__init__()
        options = {"nonlinearity": activation} if cell == "rnn" else {}
        self.recurrent = getattr(nn, RECURRENT_MODULES[cell])(
            features, width, batch_first=True, bidirectional=bidirectional, **options)
        outputs = width * (2 if bidirectional else 1)
        self.norm = nn.LayerNorm(outputs) if normalization == "layer" else nn.Identity()
        self.dropout = nn.Dropout(dropout) if dropout > 0 else nn.Identity()
        self.residual = residual and outputs == features

    @property
    def weight(self) -> nn.Parameter:
        return self.recurrent.weight_hh_l0

    @property
    def bias(self) -> nn.Parameter:
        return self.recurrent.bias_hh_l0

    def weight_pairs(self) -> list[SimpleNamespace]:
        """(weight, bias) of each direction's input and recurrent weights, in the order they are initialized."""
        suffixes = ("", "_reverse") if self.recurrent.bidirectional else ("",)
        return [SimpleNamespace(weight=getattr(self.recurrent, f"weight_{kind}_l0{suffix}"),
                                bias=getattr(self.recurrent, f"bias_{kind}_l0{suffix}"))
                for suffix in suffixes for kind in ("ih", "hh")]

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(batch, steps, features) -> this layer's output sequence, and its state at every step (before
        norm and dropout) for the activation probes."""
        states, _ = self.recurrent(x)
        out = self.dropout(self.norm(states))
        if self.residual:
            out = out + x
        return out, states

    def extra_repr(self) -> str:
        return "residual" if self.residual else ""


class RecurrentModel(nn.Module):
    """The recurrent network plus what the probes need: its weight layers in forward order (each
    recurrent layer, then the output Linear) and their descriptions."""

    def __init__(self, input_shape: tuple[int, ...], layers: list[RecurrentLayer], output: nn.Linear,
                 layer_infos: list[LayerInfo], bidirectional: bool):
        super().__init__()
        self.sequence_shape = sequence_shape(input_shape)
        self.recurrent_layers = nn.ModuleList(layers)
        self.output = output
        self.bidirectional = bidirectional
        self.weight_layers: list[nn.Module] = [*layers, output]
        self.layer_infos = layer_infos

    @property
    def time_steps(self) -> int:
        return self.sequence_shape[0]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.sequence_view(x)
        for layer in self.recurrent_layers:
            x, _states = layer(x)
        return self.output(self.last_state(x))

    def sequence_view(self, x: torch.Tensor) -> torch.Tensor:
        """A batch of examples as (batch, steps, features): images row by row, vectors value by value."""
        if x.dim() == 4 and x.shape[1] > 1:
            x = x.permute(0, 2, 1, 3)  # (batch, C, H, W) -> (batch, H, C, W): one row of every channel a step
        return x.reshape(x.shape[0], *self.sequence_shape)

    def forward_with_preactivations(self, x: torch.Tensor) -> tuple[torch.Tensor, list[torch.Tensor]]:
        """Logits and, per recurrent layer, what its units' activation received at every step of every
        example, (batch * steps, units): a tanh RNN's state read back through atanh (+-inf where tanh is
        at +-1 in float precision, which counts as saturated), a ReLU RNN's or a gated cell's state as is."""
        x = self.sequence_view(x)
        preactivations = []
        for layer, info in zip(self.recurrent_layers, self.layer_infos, strict=False):
            x, states = layer(x)
            states = states.reshape(-1, states.shape[-1])
            preactivations.append(torch.atanh(states.clamp(-1.0, 1.0)) if info.activation == "tanh" else states)
        return self.output(self.last_state(x)), preactivations

    def last_state(self, outputs: torch.Tensor) -> torch.Tensor:
        """The end of each direction's reading: the last step forward, the first step backward."""
        if not self.bidirectional:
            return outputs[:, -1]
        width = outputs.shape[-1] // 2
        return torch.cat([outputs[:, -1, :width], outputs[:, 0, width:]], dim=1)


def build_recurrent_model(config: ModelConfig, input_shape: tuple[int, ...], n_classes: int) -> RecurrentModel:
    """The recurrent network for `config` on inputs of `input_shape` (one example, no batch axis), initialized."""
    activation = config.activation if config.cell == "rnn" else GATED_CELL_ACTIVATION
    directions = 2 if config.bidirectional else 1
    features = sequence_shape(input_shape)[1]
    layers, layer_infos = [], []
    for width in config.hidden:
        layers.append(RecurrentLayer(config.cell, features, width, activation, config.bidirectional,
                                     config.normalization, config.dropout, config.residual))
        layer_infos.append(LayerInfo(f"layer {len(layer_infos) + 1}", config.cell, activation, width * directions))
        features = width * directions
    output = nn.Linear(features, n_classes)
    layer_infos.append(LayerInfo("output", "linear", OUTPUT_ACTIVATION, n_classes))
    model = RecurrentModel(input_shape, layers, output, layer_infos, config.bidirectional)
    for layer in layers:
        for pair in layer.weight_pairs():
            init_weights(pair, config.init, config.init_std, activation)
        if config.cell == "lstm":
            open_forget_gates(layer.recurrent)
    init_weights(output, config.init, config.init_std, OUTPUT_ACTIVATION)
    return model


@torch.no_grad()
def open_forget_gates(lstm: nn.LSTM) -> None:
    """Forget-gate biases of FORGET_BIAS (the input and recurrent biases summing to it): the cell starts out
    holding its memory, so the gradient reaches far back before training has learnt to hold it."""
    width = lstm.hidden_size
    for suffix in ("", "_reverse") if lstm.bidirectional else ("",):
        getattr(lstm, f"bias_ih_l0{suffix}")[width : 2 * width] = FORGET_BIAS  # torch orders the gates i, f, g, o
        getattr(lstm, f"bias_hh_l0{suffix}")[width : 2 * width] = 0.0


def describe_recurrent(model: RecurrentModel, config: ModelConfig, n_classes: int) -> list[str]:
    """The stages of a recurrent network for models.describe: "8 steps × 8", "lstm 64", ..., classes."""
    steps, features = model.sequence_shape
    direction = "bi-" if config.bidirectional else ""
    return [f"{steps}×{features}", *(f"{direction}{config.cell} {width}" for width in config.hidden), str(n_classes)]
