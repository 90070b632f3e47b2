"""Name tables for every choice an experiment can make.

The config validator, the model/engine builders and the app's pickers all read their choices from
here, so a new activation or optimizer is added in exactly one place. Importing this module does not
import torch (the app paints its window before torch loads); the factories import it when called.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.core.i18n import _

TOY_DATASETS = ("spiral", "moons", "circles", "xor", "gaussians")
TORCHVISION_DATASETS = ("mnist", "fashion_mnist", "cifar10")
SEQUENCE_DATASETS = ("sequence_memory",)  # generated sequences, for recurrent models only
DATASETS = (*TOY_DATASETS, "digits", "mnist1d", *TORCHVISION_DATASETS, "csv", *SEQUENCE_DATASETS)
# What goes wrong in a preset (meta.group): the app's Presets menu groups by it, healthy baselines first.
PRESET_GROUPS = ("healthy", "data", "initialization", "learning_rate", "architecture", "regularization",
                 "speed")  # speed: a setting that wastes the machine's time, not a learning problem
ORDERS = ("random", "sorted")
SAMPLERS = ("random", "balanced")  # balanced: each class drawn equally often
CLASS_WEIGHTS = ("none", "balanced")  # balanced: the loss weighted by inverse class frequency
AUGMENTATIONS = ("noise", "rotate", "flip", "crop")
GEOMETRIC_AUGMENTATIONS = ("rotate", "flip", "crop")  # they move pixels: images only
IMAGE_DATASETS = ("digits", *TORCHVISION_DATASETS)
DATASETS_WITHOUT_TEST_SPLIT = ("csv",)  # a user's file is split into training and validation only

MODEL_KINDS = ("mlp", "cnn", "rnn")
RECURRENT_CELLS = ("rnn", "gru", "lstm")  # model.cell: torch.nn.RNN / GRU / LSTM
RNN_ACTIVATIONS = ("tanh", "relu")  # the nonlinearities torch.nn.RNN computes (model.cell = "rnn")


def dataset_descriptions() -> dict[str, str]:
    """Each dataset in a line, in the current language (the app's dataset picker)."""
    return {
        "spiral": _("Two interleaved spirals (2-D, generated)"),
        "moons": _("Two half-moons (2-D, generated)"),
        "circles": _("A circle inside a ring (2-D, generated)"),
        "xor": _("Points in a square, class = sign of x*y (2-D, generated)"),
        "gaussians": _("One Gaussian blob per class (2-D, generated)"),
        "digits": _("8x8 handwritten digits from scikit-learn (offline)"),
        "mnist1d": _("MNIST-1D: 40-sample 1-D digit signals (generated, offline)"),
        "mnist": _("MNIST 28x28 digits (torchvision; needs the files)"),
        "fashion_mnist": _("Fashion-MNIST 28x28 clothing (torchvision; needs the files)"),
        "cifar10": _("CIFAR-10 32x32 colour images (torchvision; needs the files)"),
        "csv": _("Your own CSV file: numeric columns and a target column"),
        "sequence_memory": _("Noise sequences whose class is their first element (recurrent models; generated)"),
    }


@dataclass(frozen=True)
class Activation:
    """What the rest of Workbench asks of an activation. The module is named, not built, so that this
    table loads without torch."""

    torch_module: str  # the class in torch.nn
    arguments: tuple = ()
    init_nonlinearity: str = "relu"  # torch.nn.init's gain for the weights in front of it
    init_slope: float = 0.0  # negative slope for that gain (leaky_relu)
    can_die: bool = False  # units can output exactly zero for every input and stop learning
    saturates: bool = False  # units can sit on a flat tail where the derivative vanishes


ACTIVATION_TABLE = {
    "relu": Activation("ReLU", can_die=True),
    "leaky_relu": Activation("LeakyReLU", (0.01,), "leaky_relu", 0.01),
    "prelu": Activation("PReLU", (), "leaky_relu", 0.25),  # PReLU's initial slope
    # torch defines no gain for these three; they are rectifier-shaped, so they get ReLU's.
    "elu": Activation("ELU"),
    "selu": Activation("SELU", init_nonlinearity="linear"),  # LeCun scaling (gain 1), as torch advises
    "gelu": Activation("GELU"),
    "softplus": Activation("Softplus"),
    "tanh": Activation("Tanh", init_nonlinearity="tanh", saturates=True),
    "sigmoid": Activation("Sigmoid", init_nonlinearity="sigmoid", saturates=True),
    "linear": Activation("Identity", init_nonlinearity="linear"),
}
ACTIVATIONS = tuple(ACTIVATION_TABLE)
RECTIFIERS = tuple(name for name, entry in ACTIVATION_TABLE.items() if entry.can_die)
SATURATING = tuple(name for name, entry in ACTIVATION_TABLE.items() if entry.saturates)
OUTPUT_ACTIVATION = "none"  # the output layer: logits, no activation
# The plain tables the model builder (and the exported script, which copies them) read.
ACTIVATION_MODULES = {name: (entry.torch_module, entry.arguments) for name, entry in ACTIVATION_TABLE.items()}
INIT_NONLINEARITIES = {name: (entry.init_nonlinearity, entry.init_slope)
                       for name, entry in ACTIVATION_TABLE.items()} | {OUTPUT_ACTIVATION: ("linear", 0.0)}

INITS = (
    "default", "zeros", "normal", "uniform", "xavier_uniform", "xavier_normal",
    "kaiming_uniform", "kaiming_normal", "orthogonal",
)
# The inits that pick the weights' spread from the layer width (the rest draw it fixed, or constant).
SCALED_INITS = ("default", "xavier_uniform", "xavier_normal", "kaiming_uniform", "kaiming_normal", "orthogonal")
NORMALIZATIONS = ("none", "batch", "layer")


@dataclass(frozen=True)
class Optimizer:
    torch_class: str  # the class in torch.optim
    typical_lr: float  # where people start (PyTorch docs; Karpathy's recipe: Adam 3e-4..1e-3)
    momentum: bool = False  # takes train.momentum
    nesterov: bool = False
    fused: bool = True  # torch has a fused kernel for it on CPU and CUDA


OPTIMIZER_TABLE = {
    "sgd": Optimizer("SGD", 0.1),
    "momentum": Optimizer("SGD", 0.01, momentum=True),
    "nesterov": Optimizer("SGD", 0.01, momentum=True, nesterov=True),
    "adagrad": Optimizer("Adagrad", 0.01),
    "rmsprop": Optimizer("RMSprop", 0.001, fused=False),
    "adam": Optimizer("Adam", 0.001),
    "adamw": Optimizer("AdamW", 0.001),
}
OPTIMIZERS = tuple(OPTIMIZER_TABLE)
OPTIMIZER_CLASSES = {name: (entry.torch_class, entry.momentum, entry.nesterov, entry.fused)
                     for name, entry in OPTIMIZER_TABLE.items()}
LOSSES = ("cross_entropy", "mse")
LR_SCHEDULES = ("constant", "step", "exponential", "cosine", "plateau")
DEVICES = ("auto", "cpu", "cuda", "mps")
SWEEP_BACKENDS = ("local", "ray")  # where a sweep's trials run: a process pool here, or Ray Tune


def activation_module(name: str):
    """A fresh nn.Module for an activation name; KeyError for a name that is not one."""
    from torch import nn

    class_name, arguments = ACTIVATION_MODULES[name]
    return getattr(nn, class_name)(*arguments)


def optimizer(name: str, params, lr: float, momentum: float, weight_decay: float):
    """The torch optimizer for a name; weight decay is the L2 term (decoupled for adamw).

    Fused kernels where torch has them for the parameters' device: one kernel per step instead of ~10
    per tensor. Measured here on the CPU (2-64-64-2 MLP, Adam): 1,536 -> 2,698 samples/s at batch size 1,
    54,600 -> 81,600 at 32, 378,000 -> 483,000 at 256. RMSprop has no fused kernel.
    """
    import torch

    class_name, uses_momentum, nesterov, fusable = OPTIMIZER_CLASSES[name]
    params = list(params)
    options = {"lr": lr, "weight_decay": weight_decay}
    if uses_momentum:
        options.update(momentum=momentum, nesterov=nesterov)
    if fusable and params and params[0].device.type in ("cpu", "cuda"):
        options["fused"] = True
    return getattr(torch.optim, class_name)(params, **options)


def lr_scheduler(name: str, optimizer, *, decay: float, step: int, epochs: int):
    """An epoch-level scheduler, or None for a constant rate. `plateau` steps on validation loss."""
    import torch

    schedulers = torch.optim.lr_scheduler
    if name == "constant":
        return None
    if name == "step":
        return schedulers.StepLR(optimizer, step_size=step, gamma=decay)
    if name == "exponential":
        return schedulers.ExponentialLR(optimizer, gamma=decay)
    if name == "cosine":
        return schedulers.CosineAnnealingLR(optimizer, T_max=max(1, epochs))
    if name == "plateau":
        return schedulers.ReduceLROnPlateau(optimizer, factor=decay, patience=2)
    raise KeyError(name)


# Stable diagnosis identifiers (CONTRACTS.md section 4); the rules in core/diagnosis produce them.
DIAGNOSIS_IDS = (
    "divergence", "exploding_gradients", "vanishing_gradients", "dead_relu", "saturated_activations",
    "lr_too_high", "lr_too_low", "loss_plateau", "underfitting", "overfitting", "late_collapse",
    "bad_initialization", "unnormalized_inputs", "unshuffled_data", "over_regularized",
    "small_batch_noise", "label_noise", "class_imbalance",
    "distribution_shift", "train_val_mismatch", "large_batch", "slow_training",
)
