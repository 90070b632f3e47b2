"""Augmentations, vectorized over the batch on its device (no Python loop over samples): applied to training
batches (data.augment, at strength 1) and, once, to the test set (data.test_shift, at data.test_shift_strength).

`strength` scales each transformation: the noise's std, the largest rotation and shift (in whole pixels),
and the share of images flipped (capped at all of them)."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as functional

NOISE_SCALE = 0.1  # Gaussian noise std as a share of the training data's std
FLIP_PROBABILITY = 0.5
ROTATION_MAX_DEGREES = 15.0  # "small": digits stay readable
SHIFT_MAX_PIXELS = 2  # the classic CIFAR pad-and-crop amount (scaled to 28-32 px images)


def _uniform(count: int, low: float, high: float, generator: torch.Generator, device) -> torch.Tensor:
    draw = torch.rand(count, generator=generator, device=generator.device)
    return (low + (high - low) * draw).to(device)


def _resample(images: torch.Tensor, theta: torch.Tensor, mode: str) -> torch.Tensor:
    """Apply one affine map per image; edges repeat the border pixel (background for digits and clothes)."""
    grid = functional.affine_grid(theta, list(images.shape), align_corners=False)
    return functional.grid_sample(images, grid, mode=mode, padding_mode="border", align_corners=False)


def add_noise(x: torch.Tensor, data_std: torch.Tensor, generator: torch.Generator,
              strength: float = 1.0) -> torch.Tensor:
    noise = torch.randn(x.shape, generator=generator, device=generator.device).to(x.device)
    return x + strength * NOISE_SCALE * data_std * noise


def flip_horizontal(images: torch.Tensor, generator: torch.Generator, strength: float = 1.0) -> torch.Tensor:
    flip = _uniform(len(images), 0.0, 1.0, generator, images.device) < min(1.0, strength * FLIP_PROBABILITY)
    return torch.where(flip[:, None, None, None], images.flip(-1), images)


def shift(images: torch.Tensor, generator: torch.Generator, strength: float = 1.0) -> torch.Tensor:
    """Move each image by a whole number of pixels (up to strength x SHIFT_MAX_PIXELS each way): pad-and-crop."""
    most = round(strength * SHIFT_MAX_PIXELS)
    pixels = torch.randint(-most, most + 1, (len(images), 2),
                           generator=generator, device=generator.device).to(images.device)
    height, width = images.shape[-2:]
    theta = torch.zeros(len(images), 2, 3, device=images.device)
    theta[:, 0, 0] = theta[:, 1, 1] = 1.0
    # affine_grid works in [-1, 1] coordinates, where one pixel is 2 / size wide.
    theta[:, 0, 2] = pixels[:, 0] * 2.0 / width
    theta[:, 1, 2] = pixels[:, 1] * 2.0 / height
    return _resample(images, theta, mode="nearest")


def rotate(images: torch.Tensor, generator: torch.Generator, strength: float = 1.0) -> torch.Tensor:
    limit = math.radians(strength * ROTATION_MAX_DEGREES)
    angle = _uniform(len(images), -limit, limit, generator, images.device)
    cos, sin = torch.cos(angle), torch.sin(angle)
    theta = torch.zeros(len(images), 2, 3, device=images.device)
    theta[:, 0, 0], theta[:, 0, 1], theta[:, 1, 0], theta[:, 1, 1] = cos, -sin, sin, cos
    return _resample(images, theta, mode="bilinear")


def augment_batch(x: torch.Tensor, names: tuple[str, ...], kind: str, data_std: torch.Tensor,
                  generator: torch.Generator, strength: float = 1.0) -> torch.Tensor:
    """The batch with the named augmentations applied: geometry first (images only), then noise."""
    if kind == "image":
        if "flip" in names:
            x = flip_horizontal(x, generator, strength)
        if "crop" in names:
            x = shift(x, generator, strength)
        if "rotate" in names:
            x = rotate(x, generator, strength)
    if "noise" in names:
        x = add_noise(x, data_std, generator, strength)
    return x
