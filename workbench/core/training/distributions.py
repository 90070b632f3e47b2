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

from workbench.core.distributions import BINS, confusion_row_width, encode_confusion_row, encode_histogram_row
from workbench.core.experiment import registry
from workbench.core.hooks import Callback, TrainingRun
from workbench.core.training.probes import EVAL_CHUNK, loss_value

GRADIENT_EXAMPLES = 512
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
        table[:, :2][~np.isfinite(table[:, :2])] = np.nan  # no finite value: no range
        shape = (len(model.weight_layers), len(cells) // len(model.weight_layers))
        low, high, nonfinite = (table[:, column].reshape(shape) for column in range(3))
        counts = table[:, 3:].reshape(*shape, BINS)
        run.history.histograms.append(encode_histogram_row(run.step, epoch, low, high, nonfinite, counts))


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
    """[low, high, non-finite count, BINS counts] of a tensor's values: BINS equal bins from its smallest to
    its largest finite value (all in the first bin when those are equal); low and high are inf and -inf
    when no value is finite."""
    flat = values.detach().reshape(-1).float()
    if not flat.numel():
        return torch.cat([flat.new_tensor([torch.inf, -torch.inf]), flat.new_zeros(BINS + 1)])
    low, high = torch.aminmax(flat)
    if not bool(torch.isfinite(low) & torch.isfinite(high)):  # NaN or inf among them: bin the rest
        finite = torch.isfinite(flat)
        low, high = torch.where(finite, flat, torch.inf).amin(), torch.where(finite, flat, -torch.inf).amax()
        flat = torch.where(finite, flat, torch.nan)
    scale = (BINS / (high - low)).clamp_max(torch.finfo(torch.float32).max)  # all equal: every value in bin 0
    position = ((flat - low) * scale).clamp_(0, BINS - 1)
    index = position.nan_to_num_(BINS).long()  # the non-finite ones in an extra last bin
    counts = torch.bincount(index, minlength=BINS + 1).float()
    return torch.cat([torch.stack([low, high, counts[BINS]]), counts[:BINS]])


class ConfusionRecorder(Callback):
    """The validation confusion matrix at each epoch end (and the class names it is labelled with)."""

    def on_fit_start(self, run: TrainingRun) -> None:
        run.history.class_names = list(run.data.class_names)

    def on_epoch_end(self, run: TrainingRun, epoch: int) -> None:
        classes = run.data.n_classes
        if not confusion_row_width(classes):
            return
        matrix = confusion_matrix(run.model, run.data.val_x, run.data.val_y, classes)
        run.history.confusion.append(encode_confusion_row(epoch, run.step, matrix))


@torch.no_grad()
def confusion_matrix(model, x: torch.Tensor, y: torch.Tensor, classes: int) -> np.ndarray:
    """(classes, classes) counts in eval mode: row = true class, column = predicted class."""
    was_training = model.training
    model.eval()
    try:
        predicted = torch.cat([model(x[start : start + EVAL_CHUNK]).argmax(dim=1)
                               for start in range(0, len(x), EVAL_CHUNK)]) if len(x) else y[:0]
    finally:
        model.train(was_training)
    cells = torch.bincount(y * classes + predicted, minlength=classes * classes)
    return cells.reshape(classes, classes).cpu().numpy()
