"""The tooltip of every experiment setting: what it does, the values it takes and its default.

What a setting does is written here, once per key; the allowed values and the default are read from the
experiment file's validator (the pydantic fields of core.experiment.config), so the tooltip can never promise a
range the validator refuses.
"""

from __future__ import annotations

import typing
from typing import Any

import annotated_types
from pydantic.fields import FieldInfo

from workbench.core.experiment.config import ExperimentConfig
from workbench.ui import formatting

DESCRIPTIONS = {
    "data.dataset": "The data to learn: 2-D toy sets (generated), digit images and signals (offline), "
                    "torchvision image sets (need their files) or your own CSV file.",
    "data.n_samples": "Toy sets: how many points are generated.",
    "data.noise": "Toy sets: how much the points scatter around their ideal shape.",
    "data.path": "CSV data: the file to read.",
    "data.target": "CSV data: the name of the column that holds the labels.",
    "data.data_dir": "Torchvision sets: the folder their files are in (empty: the user cache folder).",
    "data.train_size": "Keep only this many training examples, to study learning from little data "
                       "(0: all of them).",
    "data.val_fraction": "The share of the training data held out to validate on.",
    "data.normalize": "Standardize the inputs with the training set's mean and spread; off leaves them "
                      "on their raw scale (pixels 0 to 255).",
    "data.shuffle": "Draw the training examples in a new order every epoch.",
    "data.order": "The order of the training examples: random, or sorted by label (one class after another).",
    "data.label_noise": "The share of training labels replaced by random ones.",
    "data.imbalance": "How many times more examples the largest class has than the smallest (1: balanced).",
    "data.augment": "Random changes to each training example: noise (also for toy sets), and for images "
                    "rotation, flips and crops.",
    "data.seed": "Seed of the data: the same seed gives the same points and the same split.",
    "model.kind": "A multi-layer perceptron, or a small convolutional network for images.",
    "model.channels": "Convolutional network: the channels of each block (3×3 convolution, activation, "
                      "optional normalization, 2×2 max-pooling).",
    "model.hidden": "The widths of the hidden layers (for a convolutional network: of its dense head).",
    "model.activation": "The nonlinearity after each hidden layer.",
    "model.init": "How the weights are drawn before training (default: PyTorch's own).",
    "model.init_std": "Initialization \"normal\": the standard deviation of the weights and biases.",
    "model.normalization": "Batch or layer normalization after each hidden layer.",
    "model.dropout": "The share of hidden units switched off at random in each training step.",
    "model.residual": "Skip connections around hidden layers of equal width.",
    "train.optimizer": "The update rule that turns gradients into weight changes.",
    "train.lr": "The learning rate: how far each update moves the weights.",
    "train.momentum": "Momentum and Nesterov: the share of the previous update carried into the next.",
    "train.batch_size": "Training examples per update step.",
    "train.epochs": "Passes over the training set.",
    "train.loss": "What training minimizes: cross-entropy, or the squared error between the softmax "
                  "probabilities and one-hot targets.",
    "train.weight_decay": "L2 regularization: pulls every weight towards 0 in proportion to its size.",
    "train.l1": "L1 regularization: pulls every weight towards 0 by the same amount, making many exactly 0.",
    "train.grad_clip": "The largest global gradient norm; larger gradients are scaled down to it (0: off).",
    "train.lr_schedule": "How the learning rate changes over the epochs.",
    "train.lr_decay": "Step, exponential and plateau schedules: the factor the rate is multiplied by.",
    "train.lr_step": "Step schedule: the epochs between two decays.",
    "train.early_stopping": "Stop after this many epochs without a better validation loss, and restore the "
                            "best weights (0: off).",
    "train.device": "Where training runs: auto picks CUDA, then MPS, then the CPU.",
    "train.seed": "Seed of the weights and the batch order: the same seed trains the same run again.",
}


def field_info(key: str) -> FieldInfo:
    table, _, name = key.partition(".")
    return ExperimentConfig.model_fields[table].annotation.model_fields[name]


def _bound_text(value: float) -> str:
    return formatting.number(value, 6) if isinstance(value, float) else f"{value:,}"


# pydantic's numeric constraints: which bound each sets, and whether the bound itself is allowed
BOUNDS = {annotated_types.Ge: ("ge", "lower", True), annotated_types.Gt: ("gt", "lower", False),
          annotated_types.Le: ("le", "upper", True), annotated_types.Lt: ("lt", "upper", False)}


def number_range(metadata: list) -> str:
    """"from 0 to 1", "above 0, up to 1000", "from 0 to below 1", from pydantic's constraint objects."""
    bounds = {}
    for constraint in metadata:
        for kind, (attribute, side, inclusive) in BOUNDS.items():
            if isinstance(constraint, kind):
                bounds[side] = (_bound_text(getattr(constraint, attribute)), inclusive)
    lower, upper = bounds.get("lower"), bounds.get("upper")
    if lower and upper:
        (low, low_included), (high, high_included) = lower, upper
        return {(True, True): f"from {low} to {high}", (True, False): f"from {low} to below {high}",
                (False, True): f"above {low}, up to {high}",
                (False, False): f"above {low} and below {high}"}[(low_included, high_included)]
    if lower:
        return f"{lower[0]} or more" if lower[1] else f"above {lower[0]}"
    if upper:
        return f"up to {upper[0]}" if upper[1] else f"below {upper[0]}"
    return "any value"


def _length_range(metadata: list) -> tuple[int | None, int | None]:
    shortest = next((item.min_length for item in metadata if isinstance(item, annotated_types.MinLen)), None)
    longest = next((item.max_length for item in metadata if isinstance(item, annotated_types.MaxLen)), None)
    return shortest, longest


def allowed_values(key: str) -> str:
    """The values the validator accepts for `key`, in words."""
    info = field_info(key)
    annotation = info.annotation
    if typing.get_origin(annotation) is typing.Literal:
        return "one of " + ", ".join(typing.get_args(annotation))
    if annotation is bool:
        return "on or off"
    if annotation is str:
        return "any text"
    if typing.get_origin(annotation) is list:
        (item,) = typing.get_args(annotation)
        shortest, longest = _length_range(info.metadata)
        count = (f"{shortest} to {longest}" if shortest else f"up to {longest}") if longest else "any number of"
        if typing.get_origin(item) is typing.Literal:
            return f"{count} of " + ", ".join(typing.get_args(item))
        width_constraints = next(arg for arg in typing.get_args(item) if isinstance(arg, FieldInfo)).metadata
        return f"{count} layers, each {number_range(width_constraints)}"
    kind = "a whole number" if annotation is int else "a number"
    return f"{kind} {number_range(info.metadata)}"


def default_value(key: str) -> Any:
    info = field_info(key)
    return info.default_factory() if info.default_factory is not None else info.default


def tooltip(key: str) -> str:
    """`key`: what it does; the values allowed; the default."""
    info = field_info(key)
    lines = [key, DESCRIPTIONS[key], f"Allowed: {allowed_values(key)}."]
    if not info.is_required():
        default = default_value(key)
        lines.append(f"Default: {formatting.setting(default) if default != '' else 'empty'}.")
    return "\n".join(lines)
