"""The callbacks that record a run's distributions (core/distributions.py has the rows they append):
per-layer histograms at step 0 and at each epoch end, and the validation confusion matrix at each epoch end.

What is binned, per weight layer (Linear/Conv, the output layer last):
  weights         the layer's weight (not its bias)
  gradients       the gradient of the loss (the metric's, without L1, class weights or smoothing) on the
                  first GRADIENT_EXAMPLES training examples: computed apart with torch.autograd.grad, so
                  the optimizer's gradients are not touched
  preactivations  the activation's input (after normalization) on the first ACTIVATION_EXAMPLES
                  validation inputs; the output layer's: its logits
  activations     the activation's output on the same inputs; the output layer's: its class probabilities
Both passes run in eval mode and draw no random numbers, so recording changes nothing in the run.
"""

from __future__ import annotations

import numpy as np
import torch

from workbench.core.distributions import (
    BINS,
    CELL_ARRAYS,
    TAIL_SHARE,
    confusion_row_width,
    encode_confusion_row,
    encode_histogram_row,
)
from workbench.core.experiment import registry
from workbench.core.hooks import Callback, TrainingRun
from workbench.core.training.probes import loss_value

GRADIENT_EXAMPLES = 512
NARROWING_PASSES = 3  # how often a snapshot's range may be narrowed to where its values crowd
ACTIVATION_EXAMPLES = 512


class HistogramRecorder(Callback):
    """Per layer: weight, gradient, pre- and post-activation histograms at step 0 and each epoch end."""

    def on_fit_start(self, run: TrainingRun) -> None:
        if not run.step:  # a variant continuing a parent has the parent's snapshots up to its epoch
            self._record(run, 0)

    def on_epoch_end(self, run: TrainingRun, epoch: int) -> None:
        self._record(run, epoch)

    @staticmethod
    def _record(run: TrainingRun, epoch: int) -> None:
        model, data = run.model, run.data
        was_training = model.training
        model.eval()
        try:
            gradients = loss_gradients(model, data.train_x[:GRADIENT_EXAMPLES], data.train_y[:GRADIENT_EXAMPLES],
                                       run.config.train.loss, data.n_classes)
            with torch.no_grad():
                logits, preactivations = model.forward_with_preactivations(data.val_x[:ACTIVATION_EXAMPLES])
                hidden = [info.activation for info in model.layer_infos[:-1]]
                activations = [registry.activation_module(name).to(z.device)(z)
                               for z, name in zip(preactivations, hidden, strict=True)]
        finally:
            model.train(was_training)
        cells = []
        for index, layer in enumerate(model.weight_layers):
            output_layer = index == len(model.weight_layers) - 1
            pre = logits if output_layer else preactivations[index]
            post = logits.softmax(dim=1) if output_layer else activations[index]
            cells += [layer.weight, gradients[index], pre, post]
        table = torch.stack([histogram(values) for values in cells]).cpu().double().numpy()
        ranges = table[:, : len(CELL_ARRAYS) - 1]
        ranges[~np.isfinite(ranges)] = np.nan  # no finite value: no range
        shape = (len(model.weight_layers), len(cells) // len(model.weight_layers))
        arrays = {key: table[:, column].reshape(shape) for column, key in enumerate(CELL_ARRAYS)}
        counts = table[:, len(CELL_ARRAYS):].reshape(*shape, BINS)
        run.history.histograms.append(encode_histogram_row(run.step, epoch, arrays, counts))


def loss_gradients(model, x: torch.Tensor, y: torch.Tensor, loss: str, n_classes: int) -> list[torch.Tensor]:
    """The gradient of the mean loss over (x, y) for each weight layer's weight."""
    weights = [layer.weight for layer in model.weight_layers]
    if not len(y):
        return [torch.full_like(weight, float("nan")) for weight in weights]
    # cuDNN's recurrent layers refuse a backward pass in eval mode; the native kernels do not
    with torch.enable_grad(), torch.backends.cudnn.flags(enabled=False):
        value = loss_value(model(x).float(), y, loss, n_classes)
        return list(torch.autograd.grad(value, weights, allow_unused=True, materialize_grads=True))


@torch.no_grad()
def histogram(values: torch.Tensor) -> torch.Tensor:
    """[low, high, minimum, maximum, non-finite count, BINS counts] of a tensor's values (the row layout and
    how the range [low, high] is narrowed: core/distributions.py); all in the first bin when every value is
    the same; ranges inf and -inf when no value is finite."""
    flat = values.detach().reshape(-1).float()
    if not flat.numel():
        return torch.cat([flat.new_tensor([torch.inf, -torch.inf] * 2), flat.new_zeros(BINS + 1)])
    minimum, maximum = torch.aminmax(flat)
    if not bool(torch.isfinite(minimum) & torch.isfinite(maximum)):  # NaN or inf among them: bin the rest
        finite = torch.isfinite(flat)
        minimum = torch.where(finite, flat, torch.inf).amin()
        maximum = torch.where(finite, flat, -torch.inf).amax()
        flat = torch.where(finite, flat, torch.nan)
    low, high = minimum, maximum
    counts = _bin(flat, low, high)
    for _ in range(NARROWING_PASSES):
        shares = counts[:BINS].cumsum(0) / counts[:BINS].sum().clamp_min(1)
        first = int(torch.searchsorted(shares, TAIL_SHARE, right=True))
        last = min(BINS - 1, int(torch.searchsorted(shares, 1 - TAIL_SHARE)))
        if last - first + 1 >= BINS // 4 or not bool(high > low):
            break
        width = (high - low) / BINS
        low, high = low + first * width, low + (last + 1) * width
        counts = _bin(flat, low, high)
        if first == last:  # (nearly) all in one bin, as a dead layer's zeros: more would only magnify it
            break
    return torch.cat([torch.stack([low, high, minimum, maximum, counts[BINS]]), counts[:BINS]])


def _bin(flat: torch.Tensor, low: torch.Tensor, high: torch.Tensor) -> torch.Tensor:
    """BINS + 1 counts: BINS equal bins over [low, high] (values beyond it in the edge bins), then NaN."""
    scale = (BINS / (high - low)).clamp_max(torch.finfo(torch.float32).max)  # all equal: every value in bin 0
    position = ((flat - low) * scale).clamp_(0, BINS - 1)
    index = position.nan_to_num_(BINS).long()
    return torch.bincount(index, minlength=BINS + 1).float()


class ConfusionRecorder(Callback):
    """The validation confusion matrix at each epoch end, from the predictions of the epoch end's own
    evaluation (no second pass over the validation set), and the class names it is labelled with."""

    def on_fit_start(self, run: TrainingRun) -> None:
        run.history.class_names = list(run.data.class_names)

    def on_epoch_end(self, run: TrainingRun, epoch: int) -> None:
        classes = run.data.n_classes
        if confusion_row_width(classes):
            matrix = confusion_matrix(run.data.val_y, run.evaluation.val_predicted, classes)
            run.history.confusion.append(encode_confusion_row(epoch, run.step, matrix))


def confusion_matrix(labels: torch.Tensor, predicted: torch.Tensor, classes: int) -> np.ndarray:
    """(classes, classes) counts: row = true class, column = predicted class."""
    cells = torch.bincount(labels * classes + predicted.to(labels.device), minlength=classes * classes)
    return cells.reshape(classes, classes).cpu().numpy()
