"""The pieces of training that the engine and the exported script share, so that a change to how a
step, an evaluation or early stopping works is made once. export.py copies them into the script with
inspect.getsource: they use only torch and what the script also copies."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import torch
import torch.nn.functional as F

from workbench.core.training.probes import TRAIN_EVAL_LIMIT, evaluate


def training_loss(logits, targets, settings, n_classes: int, class_weights=None):
    """The loss the optimizer minimizes: the experiment's loss with its label smoothing and class weights
    (the metrics are measured without them, by loss_value)."""
    if settings.loss != "mse":
        return F.cross_entropy(logits, targets, weight=class_weights, label_smoothing=settings.label_smoothing)
    target = F.one_hot(targets, n_classes).to(logits.dtype)
    target = target * (1.0 - settings.label_smoothing) + settings.label_smoothing / n_classes
    per_example = ((logits.softmax(dim=1) - target) ** 2).mean(dim=1)
    if class_weights is None:
        return per_example.mean()
    example_weights = class_weights[targets]
    return (per_example * example_weights).sum() / example_weights.sum()


def train_step(model, optimizer, weights, inputs, targets, settings, n_classes: int, class_weights=None,
               before_update=None, after_forward=None):
    """One optimizer step on a batch; returns the batch's loss (without the L1 term), still on the device.
    `before_update`, when given, runs once the gradients exist and before clipping and the update;
    `after_forward` once the loss is computed (the engine times the step's phases with them)."""
    loss = training_loss(model(inputs), targets, settings, n_classes, class_weights)
    objective = loss + settings.l1 * sum(w.abs().sum() for w in weights) if settings.l1 else loss
    if after_forward is not None:
        after_forward()
    optimizer.zero_grad(set_to_none=True)
    objective.backward()
    if before_update is not None:
        before_update()
    if settings.grad_clip:
        torch.nn.utils.clip_grad_norm_(model.parameters(), settings.grad_clip)
    optimizer.step()
    return loss.detach()


def step_scheduler(scheduler, schedule: str, val_loss: float) -> None:
    if scheduler is not None:
        scheduler.step(val_loss) if schedule == "plateau" else scheduler.step()


@dataclass
class SplitEvaluation:
    metrics: dict[str, float]  # train_loss, train_acc, val_loss, val_acc (+ test_loss, test_acc)
    val_recall: Any  # recall per class on validation
    train_probabilities: Any  # predicted probabilities of the evaluated training examples
    val_predicted: Any = None  # the predicted class of each validation example (the confusion matrix)
    val_probabilities: Any = None  # predicted probabilities of the validation examples


def evaluate_splits(model, data, loss_name: str, *, test: bool = False) -> SplitEvaluation:
    """Loss and accuracy in eval mode on the first TRAIN_EVAL_LIMIT training examples and on validation
    (and on the test set, when asked and there is one)."""
    train_loss, train_acc, _, train_probabilities = evaluate(
        model, data.train_x[:TRAIN_EVAL_LIMIT], data.train_y[:TRAIN_EVAL_LIMIT], loss_name, data.n_classes)
    val_loss, val_acc, val_recall, val_probabilities = evaluate(model, data.val_x, data.val_y, loss_name,
                                                                data.n_classes)
    metrics = {"train_loss": train_loss, "train_acc": train_acc, "val_loss": val_loss, "val_acc": val_acc}
    if test and data.test_x is not None:
        test_loss, test_acc, _, _ = evaluate(model, data.test_x, data.test_y, loss_name, data.n_classes)
        metrics.update(test_loss=test_loss, test_acc=test_acc)
    return SplitEvaluation(metrics, val_recall, train_probabilities, val_probabilities.argmax(dim=1),
                           val_probabilities)


class BestWeights:
    """Early stopping's memory: patience in epochs on validation loss, and the weights of the best epoch."""

    def __init__(self, patience: int):
        self.patience = patience
        self.best_loss = math.inf
        self.best_epoch = 0
        self.state: dict | None = None

    def update(self, model, epoch: int, val_loss: float) -> bool:
        """Record this epoch; True when validation loss has not improved for `patience` epochs."""
        if math.isfinite(val_loss) and val_loss < self.best_loss:
            self.best_loss, self.best_epoch = val_loss, epoch
            self.state = {key: value.detach().clone() for key, value in model.state_dict().items()}
            return False
        return epoch - self.best_epoch >= self.patience

    def restore(self, model) -> bool:
        if self.state is None:
            return False
        model.load_state_dict(self.state)
        return True
