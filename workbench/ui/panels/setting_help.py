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
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from workbench.core.experiment.config import ExperimentConfig
from workbench.ui import formatting

DESCRIPTIONS = {
    "data.dataset": QT_TRANSLATE_NOOP("SettingHelp", "The data to learn: 2-D toy sets (generated), digit "
                                                     "images and signals (offline), torchvision image sets "
                                                     "(need their files) or your own CSV file."),
    "data.n_samples": QT_TRANSLATE_NOOP("SettingHelp", "Toy sets: how many points are generated."),
    "data.noise": QT_TRANSLATE_NOOP("SettingHelp", "Toy sets: how much the points scatter around their ideal "
                                                   "shape."),
    "data.seq_len": QT_TRANSLATE_NOOP("SettingHelp", "Sequence memory: the steps in each sequence; only the "
                                                     "first one says the class."),
    "data.path": QT_TRANSLATE_NOOP("SettingHelp", "CSV data: the file to read."),
    "data.target": QT_TRANSLATE_NOOP("SettingHelp", "CSV data: the name of the column that holds the labels."),
    "data.data_dir": QT_TRANSLATE_NOOP("SettingHelp", "Torchvision sets: the folder their files are in "
                                                      "(empty: the user cache folder)."),
    "data.train_size": QT_TRANSLATE_NOOP("SettingHelp", "Keep only this many training examples, to study "
                                                        "learning from little data (0: all of them)."),
    "data.val_fraction": QT_TRANSLATE_NOOP("SettingHelp", "The share of the training data held out to "
                                                          "validate on."),
    "data.normalize": QT_TRANSLATE_NOOP("SettingHelp", "Standardize the inputs with the training set's mean "
                                                       "and spread; off leaves them on their raw scale "
                                                       "(pixels 0 to 255)."),
    "data.shuffle": QT_TRANSLATE_NOOP("SettingHelp", "Draw the training examples in a new order every epoch."),
    "data.order": QT_TRANSLATE_NOOP("SettingHelp", "The order of the training examples: random, or sorted by "
                                                   "label (one class after another)."),
    "data.label_noise": QT_TRANSLATE_NOOP("SettingHelp", "The share of training labels replaced by random "
                                                         "ones."),
    "data.imbalance": QT_TRANSLATE_NOOP("SettingHelp", "How many times more examples the largest class has "
                                                       "than the smallest (1: balanced)."),
    "data.augment": QT_TRANSLATE_NOOP("SettingHelp", "Random changes to each training example: noise (also "
                                                     "for toy sets), and for images rotation, flips and "
                                                     "crops."),
    "data.test_shift": QT_TRANSLATE_NOOP("SettingHelp", "The same changes made once to the test set only, so "
                                                        "that it differs from what training and validation "
                                                        "show."),
    "data.test_shift_strength": QT_TRANSLATE_NOOP("SettingHelp", "How strong the test set's changes are (1: "
                                                                 "as the augmentation makes them)."),
    "data.seed": QT_TRANSLATE_NOOP("SettingHelp", "Seed of the data: the same seed gives the same points and "
                                                  "the same split."),
    "model.kind": QT_TRANSLATE_NOOP("SettingHelp", "A multi-layer perceptron, a small convolutional "
                                                   "network for images, or a recurrent network that reads "
                                                   "its input as a sequence (images row by row)."),
    "model.cell": QT_TRANSLATE_NOOP("SettingHelp", "Recurrent network: a plain RNN, or a gated GRU or LSTM "
                                                   "that carries its memory, and its gradient, across many "
                                                   "steps."),
    "model.bidirectional": QT_TRANSLATE_NOOP("SettingHelp", "Recurrent network: each layer reads the sequence "
                                                            "forwards and backwards."),
    "model.channels": QT_TRANSLATE_NOOP("SettingHelp", "Convolutional network: the channels of each block "
                                                       "(3×3 convolution, activation, optional "
                                                       "normalization, 2×2 max-pooling)."),
    "model.hidden": QT_TRANSLATE_NOOP("SettingHelp", "The widths of the hidden layers (for a convolutional "
                                                     "network: of its dense head)."),
    "model.activation": QT_TRANSLATE_NOOP("SettingHelp", "The nonlinearity after each hidden layer."),
    "model.init": QT_TRANSLATE_NOOP("SettingHelp", "How the weights are drawn before training (default: "
                                                   "PyTorch's own)."),
    "model.init_std": QT_TRANSLATE_NOOP("SettingHelp", "Initialization \"normal\": the standard deviation of "
                                                       "the weights and biases."),
    "model.normalization": QT_TRANSLATE_NOOP("SettingHelp", "Batch or layer normalization after each hidden "
                                                            "layer."),
    "model.dropout": QT_TRANSLATE_NOOP("SettingHelp", "The share of hidden units switched off at random in "
                                                      "each training step."),
    "model.residual": QT_TRANSLATE_NOOP("SettingHelp", "Skip connections around hidden layers of equal "
                                                       "width."),
    "train.optimizer": QT_TRANSLATE_NOOP("SettingHelp", "The update rule that turns gradients into weight "
                                                        "changes."),
    "train.lr": QT_TRANSLATE_NOOP("SettingHelp", "The learning rate: how far each update moves the weights."),
    "train.momentum": QT_TRANSLATE_NOOP("SettingHelp", "Momentum and Nesterov: the share of the previous "
                                                       "update carried into the next."),
    "train.batch_size": QT_TRANSLATE_NOOP("SettingHelp", "Training examples per update step."),
    "train.epochs": QT_TRANSLATE_NOOP("SettingHelp", "Passes over the training set."),
    "train.loss": QT_TRANSLATE_NOOP("SettingHelp", "What training minimizes: cross-entropy, or the squared "
                                                   "error between the softmax probabilities and one-hot "
                                                   "targets."),
    "train.weight_decay": QT_TRANSLATE_NOOP("SettingHelp", "L2 regularization: pulls every weight towards 0 "
                                                           "in proportion to its size."),
    "train.l1": QT_TRANSLATE_NOOP("SettingHelp", "L1 regularization: pulls every weight towards 0 by the "
                                                 "same amount, making many exactly 0."),
    "train.grad_clip": QT_TRANSLATE_NOOP("SettingHelp", "The largest global gradient norm; larger gradients "
                                                        "are scaled down to it (0: off)."),
    "train.lr_schedule": QT_TRANSLATE_NOOP("SettingHelp", "How the learning rate changes over the epochs."),
    "train.lr_decay": QT_TRANSLATE_NOOP("SettingHelp", "Step, exponential and plateau schedules: the factor "
                                                       "the rate is multiplied by."),
    "train.lr_step": QT_TRANSLATE_NOOP("SettingHelp", "Step schedule: the epochs between two decays."),
    "train.early_stopping": QT_TRANSLATE_NOOP("SettingHelp", "Stop after this many epochs without a better "
                                                             "validation loss, and restore the best weights "
                                                             "(0: off)."),
    "train.device": QT_TRANSLATE_NOOP("SettingHelp", "Where training runs: auto picks CUDA, then MPS, then "
                                                     "the CPU."),
    "train.seed": QT_TRANSLATE_NOOP("SettingHelp", "Seed of the weights and the batch order: the same seed "
                                                   "trains the same run again."),
    "data.sampler": QT_TRANSLATE_NOOP("SettingHelp", "How training batches are drawn: random (each example "
                                                     "once per epoch) or balanced (every class equally often, "
                                                     "for rare classes)."),
    "train.class_weights": QT_TRANSLATE_NOOP("SettingHelp", "Weight the loss by inverse class frequency "
                                                            "(balanced), so that rare classes count as much "
                                                            "as common ones."),
    "train.label_smoothing": QT_TRANSLATE_NOOP("SettingHelp", "Train toward targets softened by this much, "
                                                              "so that no label is trusted fully: a less "
                                                              "overconfident model. It did not help noisy labels "
                                                              "on this app's benchmark."),
    "train.probe_every": QT_TRANSLATE_NOOP("SettingHelp", "Steps between the per-layer probes (gradient and "
                                                          "weight norms, update sizes); 0 picks about 25 per "
                                                          "epoch, never more often than every 8 steps. "
                                                          "Probing every step can cost more than training."),
    "train.threads": QT_TRANSLATE_NOOP("SettingHelp", "CPU threads torch may use; 0 picks one for small "
                                                      "models (extra threads only wait on each other there) "
                                                      "and every core for large ones."),
    "train.verify_fixes": QT_TRANSLATE_NOOP("SettingHelp", "After training, test the fixes of the leading "
                                                           "findings in short runs of the same experiment (same "
                                                           "seeds): a fix that measurably helps marks its finding "
                                                           "verified, one that makes things worse is not offered. "
                                                           "Costs up to half the run's time again."),
}


def field_info(key: str) -> FieldInfo:
    table, _, name = key.partition(".")
    return ExperimentConfig.model_fields[table].annotation.model_fields[name]


def _bound_text(value: float) -> str:
    return formatting.number(value, 6) if isinstance(value, float) else f"{value:,}"


# pydantic's numeric constraints: which bound each sets, and whether the bound itself is allowed
BOUNDS = {annotated_types.Ge: ("ge", "lower", True), annotated_types.Gt: ("gt", "lower", False),
          annotated_types.Le: ("le", "upper", True), annotated_types.Lt: ("lt", "upper", False)}
# A range in words, by whether its lower and upper bounds are allowed themselves
BOTH_BOUNDS = {(True, True): QT_TRANSLATE_NOOP("SettingHelp", "from {low} to {high}"),
               (True, False): QT_TRANSLATE_NOOP("SettingHelp", "from {low} to below {high}"),
               (False, True): QT_TRANSLATE_NOOP("SettingHelp", "above {low}, up to {high}"),
               (False, False): QT_TRANSLATE_NOOP("SettingHelp", "above {low} and below {high}")}
LOWER_BOUND = {True: QT_TRANSLATE_NOOP("SettingHelp", "{low} or more"),
               False: QT_TRANSLATE_NOOP("SettingHelp", "above {low}")}
UPPER_BOUND = {True: QT_TRANSLATE_NOOP("SettingHelp", "up to {high}"),
               False: QT_TRANSLATE_NOOP("SettingHelp", "below {high}")}
# A list's allowed values, by whether it has a shortest and a longest length: names to pick from, or layers
# (`items`: the names, or the allowed width of each layer)
LIST_LENGTHS = {(True, True): QT_TRANSLATE_NOOP("SettingHelp", "{shortest} to {longest} of {items}"),
                (False, True): QT_TRANSLATE_NOOP("SettingHelp", "up to {longest} of {items}"),
                (True, False): QT_TRANSLATE_NOOP("SettingHelp", "at least {shortest} of {items}"),
                (False, False): QT_TRANSLATE_NOOP("SettingHelp", "any number of {items}")}
LAYER_COUNTS = {(True, True): QT_TRANSLATE_NOOP("SettingHelp", "{shortest} to {longest} layers, each {items}"),
                (False, True): QT_TRANSLATE_NOOP("SettingHelp", "up to {longest} layers, each {items}"),
                (True, False): QT_TRANSLATE_NOOP("SettingHelp", "at least {shortest} layers, each {items}"),
                (False, False): QT_TRANSLATE_NOOP("SettingHelp", "any number of layers, each {items}")}


def number_range(metadata: list) -> str:
    """"from 0 to 1", "above 0, up to 1000", "from 0 to below 1", from pydantic's constraint objects."""
    bounds = {}
    for constraint in metadata:
        for kind, (attribute, side, inclusive) in BOUNDS.items():
            if isinstance(constraint, kind):
                bounds[side] = (_bound_text(getattr(constraint, attribute)), inclusive)
    lower, upper = bounds.get("lower"), bounds.get("upper")
    if lower and upper:
        template = BOTH_BOUNDS[(lower[1], upper[1])]
    elif lower or upper:
        template = LOWER_BOUND[lower[1]] if lower else UPPER_BOUND[upper[1]]
    else:
        template = QT_TRANSLATE_NOOP("SettingHelp", "any value")
    return QCoreApplication.translate("SettingHelp", template).format(low=lower and lower[0], high=upper and upper[0])


def _length_range(metadata: list) -> tuple[int | None, int | None]:
    shortest = next((item.min_length for item in metadata if isinstance(item, annotated_types.MinLen)), None)
    longest = next((item.max_length for item in metadata if isinstance(item, annotated_types.MaxLen)), None)
    return shortest, longest


def allowed_values(key: str) -> str:
    """The values the validator accepts for `key`, in words."""
    info = field_info(key)
    annotation = info.annotation
    if typing.get_origin(annotation) is typing.Literal:
        return QCoreApplication.translate("SettingHelp", "one of {choices}").format(
            choices=", ".join(typing.get_args(annotation)))
    if annotation is bool:
        return QCoreApplication.translate("SettingHelp", "on or off")
    if annotation is str:
        return QCoreApplication.translate("SettingHelp", "any text")
    if typing.get_origin(annotation) is list:
        (item,) = typing.get_args(annotation)
        shortest, longest = _length_range(info.metadata)
        if typing.get_origin(item) is typing.Literal:
            template = LIST_LENGTHS[(bool(shortest), longest is not None)]
            what = ", ".join(typing.get_args(item))
        else:
            template = LAYER_COUNTS[(bool(shortest), longest is not None)]
            what = number_range(next(arg for arg in typing.get_args(item) if isinstance(arg, FieldInfo)).metadata)
        return QCoreApplication.translate("SettingHelp", template).format(shortest=shortest, longest=longest,
                                                                           items=what)
    if annotation is int:
        return QCoreApplication.translate("SettingHelp", "a whole number {range}").format(
            range=number_range(info.metadata))
    return QCoreApplication.translate("SettingHelp", "a number {range}").format(range=number_range(info.metadata))


def default_value(key: str) -> Any:
    info = field_info(key)
    return info.default_factory() if info.default_factory is not None else info.default


def tooltip(key: str) -> str:
    """`key`: what it does; the values allowed; the default."""
    info = field_info(key)
    lines = [key, QCoreApplication.translate("SettingHelp", DESCRIPTIONS[key]),
             QCoreApplication.translate("SettingHelp", "Allowed: {values}.").format(values=allowed_values(key))]
    if not info.is_required():
        default = default_value(key)
        shown = formatting.setting(default) if default != "" else QCoreApplication.translate("SettingHelp", "empty")
        lines.append(QCoreApplication.translate("SettingHelp", "Default: {value}.").format(value=shown))
    return "\n".join(lines)
