"""Measurements taken on the model: cheap per-layer norms at the probe interval, and costlier
evaluation passes (metrics, activation statistics, decision boundary) at epoch ends only.

Cockpit measured 5x slowdowns from per-sample statistics computed often; here the only per-step cost is
storing the batch loss, and everything else runs at intervals chosen to stay within a few percent.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from workbench.core.history import InputStats

EVAL_CHUNK = 4096  # examples per forward pass when evaluating a whole split
TRAIN_EVAL_LIMIT = 10_000  # train metrics are measured on (at most) this many fixed training examples
DECISION_GRID_SIZE = 64  # points per side of the 2-D decision-boundary grid
CONFIDENT = 0.9  # probability above which a prediction counts as confident (label disagreement)
# A model doubts a label it gives under this share of a guess's probability (1 / classes): a model that
# learned the true classes gives a wrong label about (1 - p(true class)) / (classes - 1), far under it.
DOUBTED = 0.5


def weight_tensors(weight_layers) -> list[torch.Tensor]:
    return [layer.weight for layer in weight_layers]


def norms(tensors: list[torch.Tensor]) -> list[float]:
    """L2 norm of each tensor, in one fused call and one device sync."""
    if not tensors:
        return []
    return torch.stack(torch._foreach_norm(tensors)).tolist()


def gradient_norms(weights: list[torch.Tensor]) -> list[float]:
    grads = [w.grad if w.grad is not None else torch.zeros_like(w) for w in weights]
    return norms(grads)


def update_ratios(before: list[torch.Tensor], weights: list[torch.Tensor]) -> list[float]:
    """||W_after - W_before|| / ||W_before|| per layer (DeepDiagnosis judges lr by this ratio)."""
    with torch.no_grad():
        deltas = torch._foreach_sub([w.detach() for w in weights], before)
        delta_norms = torch.stack(torch._foreach_norm(deltas))
        base = torch.stack(torch._foreach_norm(before)).clamp_min(1e-12)
        return (delta_norms / base).tolist()


def loss_value(logits: torch.Tensor, targets: torch.Tensor, loss: str, n_classes: int) -> torch.Tensor:
    """Mean loss of a batch: cross entropy, or MSE between softmax probabilities and one-hot targets."""
    if loss == "mse":
        return F.mse_loss(logits.softmax(dim=1), F.one_hot(targets, n_classes).to(logits.dtype))
    return F.cross_entropy(logits, targets)


@torch.no_grad()
def evaluate(model, x: torch.Tensor, y: torch.Tensor, loss: str, n_classes: int):
    """(mean loss, accuracy, recall per class, predicted probabilities) over a split, in eval mode."""
    was_training = model.training
    model.eval()
    probabilities = []
    for start in range(0, len(x), EVAL_CHUNK):
        logits = model(x[start : start + EVAL_CHUNK]).float()
        probabilities.append(logits)
    model.train(was_training)
    logits = torch.cat(probabilities) if probabilities else torch.empty(0, n_classes)
    mean_loss = float(loss_value(logits, y, loss, n_classes)) if len(y) else float("nan")
    predicted = logits.argmax(dim=1)
    correct = predicted == y
    accuracy = float(correct.float().mean()) if len(y) else float("nan")
    per_class_total = torch.bincount(y, minlength=n_classes).clamp_min(1)
    per_class_correct = torch.bincount(y[correct], minlength=n_classes)
    recall = (per_class_correct / per_class_total).cpu().numpy()
    return mean_loss, accuracy, recall, logits.softmax(dim=1)


@torch.no_grad()
def preactivation_stats(model, x: torch.Tensor) -> dict[str, np.ndarray]:
    """Dead / saturated shares and activation mean/std per hidden layer over validation inputs."""
    from workbench.core.training.models import activation_stats

    was_training = model.training
    model.eval()
    _, preactivations = model.forward_with_preactivations(x[:EVAL_CHUNK])
    model.train(was_training)
    hidden = [info.activation for info in model.layer_infos[:-1]]
    return activation_stats(preactivations, hidden)


@torch.no_grad()
def decision_grid(model, x: torch.Tensor, margin: float = 0.5):
    """Class probabilities over a square grid covering the 2-D training inputs (for the boundary plot)."""
    low = x.min(dim=0).values - margin
    high = x.max(dim=0).values + margin
    points = plane_points((float(low[0]), float(high[0])), (float(low[1]), float(high[1])), DECISION_GRID_SIZE,
                          x.device)
    was_training = model.training
    model.eval()
    probabilities = model(points).softmax(dim=1)
    model.train(was_training)
    shape = (DECISION_GRID_SIZE, DECISION_GRID_SIZE, probabilities.shape[1])
    return (float(low[0]), float(high[0])), (float(low[1]), float(high[1])), probabilities.reshape(shape).cpu().numpy()


def plane_points(x_range: tuple[float, float], y_range: tuple[float, float], size: int,
                 device: torch.device | str = "cpu") -> torch.Tensor:
    """(size * size, 2) points of a square grid over the plane, row by row from the lowest y: the decision
    grid's points, and the neuron heatmaps' (inside.py)."""
    xs = torch.linspace(x_range[0], x_range[1], size, device=device)
    ys = torch.linspace(y_range[0], y_range[1], size, device=device)
    grid_y, grid_x = torch.meshgrid(ys, xs, indexing="ij")
    return torch.stack([grid_x.reshape(-1), grid_y.reshape(-1)], dim=1)


def label_disagreement(probabilities: torch.Tensor, labels: torch.Tensor) -> float:
    """Share of examples the model confidently assigns to a class other than their label."""
    if not len(labels):
        return float("nan")
    confidence, predicted = probabilities.max(dim=1)
    disagree = (predicted != labels) & (confidence > CONFIDENT)
    return float(disagree.float().mean())


def doubted_share(probabilities: torch.Tensor, labels: torch.Tensor) -> float:
    """Share of examples whose label the model gives under DOUBTED / classes of probability. Compared
    between training and validation examples: wrong training labels raise it on training examples only,
    while a model that fits its training set lowers it there (history.DOUBT_COLUMNS)."""
    if not len(labels):
        return float("nan")
    given = probabilities[torch.arange(len(labels)), labels]
    return float((given < DOUBTED / probabilities.shape[1]).float().mean())


def batch_label_diversity(batches: list[torch.Tensor], labels: torch.Tensor, n_classes: int) -> float:
    """Mean share of distinct classes per batch, relative to the most a batch of that size can hold."""
    if not batches:
        return float("nan")
    labels_cpu = labels.cpu()
    shares = []
    for index in batches[:: max(1, len(batches) // 200)]:  # a sample of batches is plenty
        batch_labels = labels_cpu[index.cpu()]
        possible = min(len(batch_labels), n_classes)
        shares.append(len(torch.unique(batch_labels)) / possible)
    return float(np.mean(shares))


def input_statistics(x: torch.Tensor, y: torch.Tensor, n_classes: int) -> InputStats:
    """Scale of the inputs as the model sees them; per-feature spread for 'features of different scales'."""
    flat = x.reshape(len(x), -1).float()
    feature_std = flat.std(dim=0) if len(flat) > 1 else torch.ones(flat.shape[1])
    varying = feature_std[feature_std > 1e-8]
    ratio = float(varying.max() / varying.min()) if len(varying) else 1.0
    return InputStats(
        mean=float(flat.mean()), std=float(flat.std()) if flat.numel() > 1 else 0.0,
        min=float(flat.min()), max=float(flat.max()), feature_std_ratio=ratio,
        label_counts=torch.bincount(y, minlength=n_classes).tolist(),
    )
