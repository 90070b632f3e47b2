"""The training loop of an exported script: the engine's `Run._train` without probes, history or callbacks.

export.py copies these functions into the standalone script with inspect.getsource; the imports below
name the copies that sit beside them there. Random numbers are drawn exactly as the engine draws them
(torch seed before the data and the model, the order and augmentation generators, dropout in forward
order), so on the CPU the script prints the run's own metrics.
"""

from __future__ import annotations

import math
from types import SimpleNamespace

import torch

from workbench.core.data import load_data
from workbench.core.models import build_model
from workbench.core.probes import TRAIN_EVAL_LIMIT, evaluate, loss_value
from workbench.core.registry import lr_scheduler as make_lr_scheduler
from workbench.core.registry import optimizer as make_optimizer


def epoch_metrics(model, data, loss_name: str) -> dict[str, float]:
    """Loss and accuracy in eval mode on the first TRAIN_EVAL_LIMIT training examples and on validation."""
    train_loss, train_acc, _, _ = evaluate(model, data.train_x[:TRAIN_EVAL_LIMIT], data.train_y[:TRAIN_EVAL_LIMIT],
                                           loss_name, data.n_classes)
    val_loss, val_acc, _, _ = evaluate(model, data.val_x, data.val_y, loss_name, data.n_classes)
    return {"train_loss": train_loss, "train_acc": train_acc, "val_loss": val_loss, "val_acc": val_acc}


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
    best_loss, best_epoch, best_state = math.inf, 0, None
    status, last_metrics = "completed", {}
    for epoch in range(1, settings.epochs + 1):
        model.train()
        batches = data.batch_indices(epoch, settings.batch_size, order_generator)
        if model_config.normalization == "batch" and len(batches) > 1 and len(batches[-1]) < 2:
            batches = batches[:-1]  # batch norm cannot train on a single example
        for batch in batches:
            inputs, targets = data.train_x[batch], data.train_y[batch]
            if data_config.augment:
                inputs = data.augment(inputs, augment_generator)
            loss = loss_value(model(inputs), targets, settings.loss, data.n_classes)
            objective = loss + settings.l1 * sum(w.abs().sum() for w in weights) if settings.l1 else loss
            optimizer.zero_grad(set_to_none=True)
            objective.backward()
            if settings.grad_clip:
                torch.nn.utils.clip_grad_norm_(model.parameters(), settings.grad_clip)
            optimizer.step()
            if not math.isfinite(loss.item()):
                status = "diverged"
                break
        if status == "diverged":  # the epoch of the first NaN/inf batch loss gets no metrics
            break
        last_metrics = epoch_metrics(model, data, settings.loss)
        print_metrics(f"epoch {epoch}", {**last_metrics, "lr": optimizer.param_groups[0]["lr"]})
        if scheduler is not None:
            if settings.lr_schedule == "plateau":
                scheduler.step(last_metrics["val_loss"])
            else:
                scheduler.step()
        stop_early = False
        if settings.early_stopping:  # patience on validation loss; the best weights are kept
            val_loss = last_metrics["val_loss"]
            if math.isfinite(val_loss) and val_loss < best_loss:
                best_loss, best_epoch = val_loss, epoch
                best_state = {key: value.detach().clone() for key, value in model.state_dict().items()}
            elif epoch - best_epoch >= settings.early_stopping:
                stop_early = True
        if not math.isfinite(last_metrics["train_loss"]):
            status = "diverged"
            break
        if stop_early:
            status = "early_stopped"
            break
    final = last_metrics
    if status != "diverged":
        if best_state is not None:
            model.load_state_dict(best_state)
            print(f"restored the weights of epoch {best_epoch} (best validation loss)")
        final = epoch_metrics(model, data, settings.loss)
        if data.test_x is not None:
            test_loss, test_acc, _, _ = evaluate(model, data.test_x, data.test_y, settings.loss, data.n_classes)
            final.update(test_loss=test_loss, test_acc=test_acc)
    print(f"status {status}")
    print_metrics("final", final)
    return final
