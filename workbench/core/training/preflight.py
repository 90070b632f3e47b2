"""What the checks made before training share (the one-batch sanity check, the learning-rate finder): the
experiment's device, data, network and optimizer, built by the same functions and in the same order as
the engine builds them for a run, so that the checks train the network the run would train."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

import torch

from workbench.core.data.bundle import DataBundle, load_data
from workbench.core.experiment import registry
from workbench.core.experiment.config import ExperimentConfig
from workbench.core.training import probes
from workbench.core.training.models import ProbedModel, build_model
from workbench.core.training.runtime import choose_device, cpu_threads_for
from workbench.core.training.steps import train_step


@dataclass
class Preflight:
    """The experiment's data and freshly initialized network, ready for a check to train."""

    config: ExperimentConfig
    device: torch.device
    data: DataBundle
    model: ProbedModel

    @property
    def min_batch(self) -> int:
        return 2 if self.config.model.normalization == "batch" else 1  # batch norm needs two examples

    @property
    def hidden_activations(self) -> list[str]:
        return [info.activation for info in self.model.layer_infos[:-1]]

    def new_optimizer(self, lr: float):
        """The experiment's optimizer (momentum, weight decay) over the network, at `lr`."""
        train = self.config.train
        return registry.optimizer(train.optimizer, self.model.parameters(), lr, train.momentum, train.weight_decay)

    def stepper(self, optimizer):
        """A function (inputs, targets) -> batch loss taking one step of `optimizer` as the engine does
        (the experiment's loss, label smoothing, class weights, L1 term and gradient clipping)."""
        train, data = self.config.train, self.data
        weights = probes.weight_tensors(self.model.weight_layers)
        class_weights = data.balanced_class_weights() if train.class_weights == "balanced" else None

        def step(inputs: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
            return train_step(self.model, optimizer, weights, inputs, targets, train, data.n_classes, class_weights)

        return step

    @contextlib.contextmanager
    def cpu_threads(self, batch_size: int):
        """The engine's choice of torch CPU threads for this network and batch size, restored after."""
        before = torch.get_num_threads()
        if self.device.type == "cpu":
            torch.set_num_threads(min(before, cpu_threads_for(self.model, batch_size)))
        try:
            yield
        finally:
            torch.set_num_threads(before)


def prepare(config: ExperimentConfig) -> Preflight:
    """The experiment's device, data and network, seeded as a run of it is (the same initial weights).
    Raises ConfigError (an unavailable device, a network the data cannot feed) or DatasetError."""
    device = choose_device(config.train.device)
    torch.manual_seed(config.train.seed)
    data = load_data(config.data, device)
    model = build_model(config.model, data.input_shape, data.n_classes).to(device)
    model.train()
    return Preflight(config, device, data, model)


def uniform_guess_loss(targets: torch.Tensor, loss: str, n_classes: int) -> float:
    """The loss of a network that gives every class the same probability (ln 10 for ten classes)."""
    targets = targets.cpu()
    return float(probes.loss_value(torch.zeros(len(targets), n_classes), targets, loss, n_classes))


def order_generator(config: ExperimentConfig) -> torch.Generator:
    """The random stream the engine draws its batch order from, seeded the same way."""
    return torch.Generator(device="cpu").manual_seed(config.data.seed + config.train.seed)
