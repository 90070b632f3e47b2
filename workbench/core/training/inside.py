"""What a trained network computes inside, as numpy arrays for the app's views: a CNN's first-layer filters
and the feature maps of each conv block for one input, and (for 2-D data) what each unit of the first
hidden layers responds to over the input plane, TensorFlow Playground's per-neuron heatmaps.

Everything runs in eval mode under no_grad and draws no random numbers, so it may look at a copy of a
training run's weights at any time without changing the run.
"""

from __future__ import annotations

import numpy as np
import torch

from workbench.core.training.probes import plane_points

NEURON_LAYERS = 2  # heatmaps of the first hidden layers only: Playground's view of how the plane is cut
NEURON_UNITS = 16  # at most this many units per layer get a tile


def is_cnn(model) -> bool:
    return bool(getattr(model, "conv_blocks", None))


@torch.no_grad()
def first_filters(model) -> np.ndarray:
    """The first conv layer's kernels: (filters, input channels, height, width)."""
    return model.conv_blocks[0].layer.weight.detach().float().cpu().numpy()


@torch.no_grad()
def feature_maps(model, example: torch.Tensor) -> list[np.ndarray]:
    """For one input (the model's input shape, no batch axis): each conv block's activation output, before
    its pooling, as (channels, height, width)."""
    was_training = model.training
    model.eval()
    x = example.reshape(1, *model.image_shape).float()
    maps = []
    for block in model.conv_blocks:
        x, preactivation = block(x)
        maps.append(block.activation(preactivation)[0].cpu().numpy())
    model.train(was_training)
    return maps


@torch.no_grad()
def neuron_maps(model, x_range: tuple[float, float], y_range: tuple[float, float], size: int) -> list[np.ndarray]:
    """For 2-D inputs: the output of each unit of the first NEURON_LAYERS dense hidden layers (at most
    NEURON_UNITS each) over the grid of the decision boundary, one (units, size, size) array per layer,
    rows from the lowest y. A network without hidden layers has none."""
    was_training = model.training
    model.eval()
    x = plane_points(x_range, y_range, size, next(model.parameters()).device)
    maps = []
    for block in list(model.dense_blocks)[:NEURON_LAYERS]:
        x, preactivation = block(x)
        units = block.activation(preactivation)[:, :NEURON_UNITS]
        maps.append(units.T.reshape(-1, size, size).float().cpu().numpy())
    model.train(was_training)
    return maps

