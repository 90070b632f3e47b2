"""The training loop of an exported script: the engine's `Run._train` without probes, history or callbacks,
built from the same pieces (training/steps.py).

export.py copies these functions into the standalone script with inspect.getsource; the imports below
name the copies that sit beside them there. Random numbers are drawn exactly as the engine draws them
(torch seed before the data and the model, the order and augmentation generators, dropout in forward
order), so on the CPU the script prints the run's own metrics.
"""

from __future__ import annotations

import math
from types import SimpleNamespace

import torch

from workbench.core.data.bundle import load_data
from workbench.core.experiment.registry import lr_scheduler as make_lr_scheduler
from workbench.core.experiment.registry import optimizer as make_optimizer
from workbench.core.training.models import build_model
from workbench.core.training.steps import BestWeights, evaluate_splits, step_scheduler, train_step


def print_metrics(label: str, metrics: dict[str, float]) -> None:
    print(label + "".join(f"  {name} {value:.6f}" for name, value in metrics.items()), flush=True)


def train(config: dict, device: torch.device) -> dict[str, float]:
    """Train the experiment `config` (the [data], [model], [train] tables as dicts); prints one line per
    epoch and a final line, and returns the final metrics (after restoring the best weights when early
    stopping)."""
    data_config = SimpleNamespace(**config["data"])
    model_config = SimpleNamespace(**config["model"])
    settings = SimpleNamespace(**config["train"])
    torch.manual_seed(settings.seed)
    data = load_data(data_config, device)
    model = build_model(model_config, data.input_shape, data.n_classes).to(device)
    weights = [layer.weight for layer in model.weight_layers]
    optimizer = make_optimizer(settings.optimizer, model.parameters(), settings.lr, settings.momentum,
                               settings.weight_decay)
    scheduler = make_lr_scheduler(settings.lr_schedule, optimizer, decay=settings.lr_decay,
                                  step=settings.lr_step, epochs=settings.epochs)
    order_generator = torch.Generator(device="cpu").manual_seed(data_config.seed + settings.seed)
    augment_generator = torch.Generator(device=device).manual_seed(settings.seed + 1)
    min_batch = 2 if model_config.normalization == "batch" else 1  # batch norm needs two examples
    class_weights = data.balanced_class_weights() if settings.class_weights == "balanced" else None
    best = BestWeights(settings.early_stopping) if settings.early_stopping else None
    status, last_metrics = "completed", {}
    for epoch in range(1, settings.epochs + 1):
        model.train()
        for batch in data.batch_indices(epoch, settings.batch_size, order_generator, min_batch):
            inputs, targets = data.train_x[batch], data.train_y[batch]
            if data_config.augment:
                inputs = data.augment(inputs, augment_generator)
            loss = train_step(model, optimizer, weights, inputs, targets, settings, data.n_classes, class_weights)
            if not math.isfinite(loss.item()):
                status = "diverged"
                break
        if status == "diverged":  # the epoch of the first NaN/inf batch loss gets no metrics
            break
        last_metrics = evaluate_splits(model, data, settings.loss).metrics
        print_metrics(f"epoch {epoch}", {**last_metrics, "lr": optimizer.param_groups[0]["lr"]})
        step_scheduler(scheduler, settings.lr_schedule, last_metrics["val_loss"])
        stop_early = best is not None and best.update(model, epoch, last_metrics["val_loss"])
        if not math.isfinite(last_metrics["train_loss"]):
            status = "diverged"
            break
        if stop_early:
            status = "early_stopped"
            break
    final = last_metrics
    if status != "diverged":
        if best is not None and best.restore(model):
            print(f"restored the weights of epoch {best.best_epoch} (best validation loss)")
        final = evaluate_splits(model, data, settings.loss, test=True).metrics
    print(f"status {status}")
    print_metrics("final", final)
    return final
