"""The gradient through time of a recurrent model: at probe steps, how much of the loss gradient reaches
each step of the sequence.

At a probe step the first recurrent layer's input (the batch's sequences) is made to require a gradient
for that one forward pass; after the backward pass its gradient holds d loss / d x_t for every step t,
and the norm of each step's slice over the batch and the features is recorded in
`history.time_step_grad`. The input weights are the same at every step, so the ratio between the first
and the last steps' norms is how much the gradient shrank (or grew) on its way back through the
sequence. Only the probe steps pay for it (one extra matrix product in the backward pass); the
parameters' gradients, the update and every random draw stay exactly as without the probe.
"""

from __future__ import annotations

import torch

from workbench.core.history import GrowableArray
from workbench.core.hooks import Callback, TrainingRun


class TimeStepRecorder(Callback):
    """Records the per-step gradient norms of recurrent models (a no-op for the others)."""

    def __init__(self):
        self._first_layer: torch.nn.Module | None = None
        self._sequence: torch.Tensor | None = None
        self._hook = None

    def on_fit_start(self, run: TrainingRun) -> None:
        layers = getattr(run.model, "recurrent_layers", None)
        if not layers:
            return
        self._first_layer = layers[0]
        history = run.history
        if history.time_step_grad is None:  # a variant continuing a parent already has the parent's
            history.time_step_grad = GrowableArray(1 + run.model.time_steps, 64)

    def on_probe_step_start(self, run: TrainingRun) -> None:
        if self._first_layer is not None:
            self._hook = self._first_layer.register_forward_pre_hook(self._capture)

    def _capture(self, _module, inputs: tuple) -> tuple:
        """The step's forward pass reaches the first recurrent layer: its input sequence becomes a leaf that
        keeps its gradient. Once only: the hook removes itself."""
        self._hook.remove()
        self._hook = None
        self._sequence = inputs[0].detach().requires_grad_()
        return (self._sequence, *inputs[1:])

    def on_before_update(self, run: TrainingRun) -> None:
        if self._sequence is None:
            return
        gradient = self._sequence.grad
        self._sequence = None
        if gradient is None:
            return
        norms = torch.linalg.vector_norm(gradient.float(), dim=(0, 2))
        run.history.time_step_grad.append([run.step, *norms.tolist()])

    def on_train_end(self, run: TrainingRun) -> None:
        if self._hook is not None:  # stopped between the probe step's start and its forward pass
            self._hook.remove()
            self._hook = None
