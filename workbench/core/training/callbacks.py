"""The callbacks every run has: what it records (probes), when it must end (divergence, early stopping)
and the live diagnosis. The run-directory writer (rundir.writer) is one too; the hooks are in
core/hooks.py."""

from __future__ import annotations

import math
import time

import numpy as np
import torch

from workbench.core.diagnosis import live_findings
from workbench.core.hooks import Callback, TrainingRun
from workbench.core.i18n import _
from workbench.core.status import RunStatus
from workbench.core.training import probes
from workbench.core.training.steps import BestWeights


class ProbeRecorder(Callback):
    """Per-layer measurements into the history: step-0 statistics, gradient/weight norms and update ratios
    at probe steps, class diversity of each epoch's batches, activation statistics (and the decision grid
    of 2-D data) at step 0 and at each epoch end."""

    def __init__(self):
        self._weights: list[torch.Tensor] = []
        self._gradient_norms: list[float] = []
        self._before: list[torch.Tensor] = []

    def on_fit_start(self, run: TrainingRun) -> None:
        data, history = run.data, run.history
        self._weights = probes.weight_tensors(run.model.weight_layers)
        if run.step:  # a variant continuing a parent: its step-0 records are the parent's
            return
        history.initial_loss, *_accuracy_and_outputs = probes.evaluate(
            run.model, data.train_x[: probes.TRAIN_EVAL_LIMIT], data.train_y[: probes.TRAIN_EVAL_LIMIT],
            run.config.train.loss, data.n_classes)
        history.input_stats = probes.input_statistics(data.train_x, data.train_y, data.n_classes)
        self._record_activations(run)

    def on_epoch_start(self, run: TrainingRun, epoch: int, batches: list[torch.Tensor]) -> None:
        diversity = probes.batch_label_diversity(batches, run.data.train_y, run.data.n_classes)
        run.history.batch_label_diversity.append([epoch, diversity])

    def on_before_update(self, run: TrainingRun) -> None:
        self._gradient_norms = probes.gradient_norms(self._weights)
        self._before = [weight.detach().clone() for weight in self._weights]

    def on_probe(self, run: TrainingRun) -> None:
        history = run.history
        weight_norms = probes.norms(self._before)
        ratios = probes.update_ratios(self._before, self._weights)
        history.probe_steps.append([run.step])  # one record: its four rows are appended together
        history.grad_norm.append(self._gradient_norms)
        history.weight_norm.append(weight_norms)
        history.update_ratio.append(ratios)

    def on_epoch_end(self, run: TrainingRun, epoch: int) -> None:
        self._record_activations(run)

    def _record_activations(self, run: TrainingRun) -> None:
        stats = probes.preactivation_stats(run.model, run.data.val_x)
        history = run.history
        history.activation_steps.append([run.step])
        for key, buffer in (("dead_share", history.dead_share), ("saturated_share", history.saturated_share),
                            ("mean", history.act_mean), ("std", history.act_std)):
            buffer.append(np.append(stats[key], np.nan))  # the output layer has no activation
        if run.data.kind == "points":
            history.decision_grid = probes.decision_grid(run.model, run.data.train_x)


class DivergenceGuard(Callback):
    """Ends the run "diverged" at the first NaN/inf batch loss (seen at the next probe or epoch end) or
    a non-finite training loss at an epoch end (e.g. inf gradients at the epoch's last step)."""

    def __init__(self):
        self._checked = 0  # step_loss rows already looked at

    def on_probe(self, run: TrainingRun) -> None:
        self._check_losses(run)

    def on_train_epoch_end(self, run: TrainingRun, epoch: int) -> None:
        self._check_losses(run)

    def on_epoch_end(self, run: TrainingRun, epoch: int) -> None:
        train_loss = float(run.history.epoch_column("train_loss")[-1])
        if not math.isfinite(train_loss):
            run.history.events.append(_("the training loss became {loss} at the end of epoch {epoch}").format(
                loss=train_loss, epoch=epoch))
            self.stop(RunStatus.DIVERGED)

    def _check_losses(self, run: TrainingRun) -> None:
        rows = run.history.step_loss.view()[self._checked :]
        self._checked += len(rows)
        bad = ~np.isfinite(rows[:, 1])
        if bad.any() and not self.should_stop:
            first = int(np.argmax(bad))
            run.history.events.append(_("the loss became {loss} at step {step}").format(
                loss=rows[first, 1], step=int(rows[first, 0])))
            self.stop(RunStatus.DIVERGED)


class EarlyStopping(Callback):
    """Stops when validation loss has not improved for `patience` epochs; when the run ends well, the
    weights of the best epoch are put back before the final evaluation."""

    def __init__(self, patience: int):
        self.best = BestWeights(patience)

    def on_epoch_end(self, run: TrainingRun, epoch: int) -> None:
        if self.best.update(run.model, epoch, float(run.history.epoch_column("val_loss")[-1])):
            self.stop(RunStatus.EARLY_STOPPED)

    def on_train_end(self, run: TrainingRun) -> None:
        if run.status.finished_well and self.best.restore(run.model):
            run.history.events.append(
                _("restored the weights of epoch {epoch} (best validation loss)").format(epoch=self.best.best_epoch))


class LiveDiagnosis(Callback):
    """Runs the live rules at epoch ends and at probes (at most every LIVE_INTERVAL_S); keeps new ids."""

    LIVE_INTERVAL_S = 0.5  # a person cannot read faster; keeps the rules' cost negligible

    def __init__(self):
        self._last_check = -math.inf

    def on_fit_start(self, run: TrainingRun) -> None:
        self._check(run)

    def on_probe(self, run: TrainingRun) -> None:
        now = time.perf_counter()
        if now - self._last_check >= self.LIVE_INTERVAL_S:
            self._last_check = now
            self._check(run)

    def on_epoch_end(self, run: TrainingRun, epoch: int) -> None:
        self._check(run)

    def _check(self, run: TrainingRun) -> None:
        run.findings = live_findings(run.history, run.config)
