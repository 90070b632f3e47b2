"""Weight initialization by name (`model.init`): one home for the MLP, CNN and recurrent builders.

Both functions use only torch so that the exported script can copy them with inspect.getsource.
"""

from __future__ import annotations

import math

from torch import nn

from workbench.core.experiment.registry import INIT_NONLINEARITIES


def init_nonlinearity(activation: str) -> tuple[str, float]:
    """torch.nn.init's nonlinearity name and negative slope for an activation, for the init gains."""
    return INIT_NONLINEARITIES[activation]


def init_weights(layer: nn.Module, init: str, init_std: float, activation: str) -> None:
    """Re-initialize one Linear/Conv2d in place for `init`, drawing the weight first, then the bias.

    normal: N(0, init_std) for weights and biases. uniform: U(-a, a) with a = init_std * sqrt(3), so it
    has the same standard deviation as normal. xavier/kaiming/orthogonal scale the weight by the gain of
    the activation that follows the layer and zero the bias. default keeps PyTorch's own init.
    """
    if init == "default":
        return
    nonlinearity, slope = init_nonlinearity(activation)
    gain = nn.init.calculate_gain(nonlinearity, slope)
    weight, bias = layer.weight, layer.bias
    if init == "zeros":
        nn.init.zeros_(weight)
        nn.init.zeros_(bias)
    elif init == "normal":
        nn.init.normal_(weight, 0.0, init_std)
        nn.init.normal_(bias, 0.0, init_std)
    elif init == "uniform":
        bound = init_std * math.sqrt(3.0)
        nn.init.uniform_(weight, -bound, bound)
        nn.init.uniform_(bias, -bound, bound)
    else:
        scaled_inits = {
            "xavier_uniform": lambda: nn.init.xavier_uniform_(weight, gain=gain),
            "xavier_normal": lambda: nn.init.xavier_normal_(weight, gain=gain),
            "kaiming_uniform": lambda: nn.init.kaiming_uniform_(weight, a=slope, nonlinearity=nonlinearity),
            "kaiming_normal": lambda: nn.init.kaiming_normal_(weight, a=slope, nonlinearity=nonlinearity),
            "orthogonal": lambda: nn.init.orthogonal_(weight, gain=gain),
        }
        scaled_inits[init]()
        nn.init.zeros_(bias)
