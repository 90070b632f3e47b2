"""Synthetic run histories for the diagnosis tests: a healthy run by default, edited per test.

A test changes the numpy arrays of a `SyntheticRun` (curves per epoch, per-probe layer norms, per-snapshot
activation statistics, scalars) and calls `.history()` to get the RunHistory the engine would have
recorded; `.history(epochs=k)` gives the history as seen mid-run after k epochs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from workbench.core.experiment.config import ExperimentConfig, apply_overrides
from workbench.core.history import InputStats, LayerInfo, RunHistory


def experiment(**overrides) -> ExperimentConfig:
    """A spiral experiment of 20 epochs with `table__key=value` overrides (train__lr=0.1)."""
    base = ExperimentConfig.model_validate({"data": {"dataset": "spiral"}, "train": {"epochs": 20}})
    return apply_overrides(base, {key.replace("__", "."): value for key, value in overrides.items()})


@dataclass
class SyntheticRun:
    activation: str = "relu"
    hidden_layers: int = 2
    n_classes: int = 2
    epochs: int = 20
    steps_per_epoch: int = 40
    probe_every: int = 8
    seed: int = 0
    status: str = "completed"
    initial_loss: float = math.nan
    train_label_disagreement: float = 0.01
    test_acc: float = math.nan  # the final test metrics (NaN: no test split)
    test_loss: float = math.nan
    input_stats: InputStats = field(default=None)  # type: ignore[assignment]

    def __post_init__(self):
        rng = np.random.default_rng(self.seed)
        epochs, classes = self.epochs, self.n_classes
        chance = math.log(classes)
        progress = np.arange(1, epochs + 1) / epochs
        if math.isnan(self.initial_loss):
            self.initial_loss = chance + 0.02
        if self.input_stats is None:
            self.input_stats = InputStats(mean=0.0, std=1.0, min=-3.0, max=3.0, feature_std_ratio=1.0,
                                          label_counts=[400] * classes)
        # Per epoch: losses fall to a few percent of chance, accuracies rise to ~0.97.
        self.train_loss = chance * np.exp(-4 * progress) + 0.02
        self.val_loss = self.train_loss * 1.05 + 0.01
        self.train_acc = 1 - (1 - 1 / classes) * np.exp(-6 * progress) - 0.02
        self.val_acc = self.train_acc - 0.01
        self.lr = np.full(epochs, 0.001)
        # Per step: the epoch curve with 15% multiplicative batch noise.
        steps = epochs * self.steps_per_epoch
        curve = np.interp(np.arange(1, steps + 1) / self.steps_per_epoch, np.arange(0, epochs + 1),
                          np.concatenate([[self.initial_loss], self.train_loss]))
        self.step_loss = curve * rng.lognormal(0.0, 0.15, steps)
        # Per probe and layer: gradients shrinking as the loss falls, weights growing a little,
        # updates of ~2e-3 of the weights (Karpathy's healthy ~1e-3).
        n_layers = self.hidden_layers + 1
        self.probe_steps = np.arange(self.probe_every, steps + 1, self.probe_every)
        probe_progress = (self.probe_steps / steps)[:, None]
        layer_scale = np.linspace(0.3, 0.6, n_layers)[None, :]
        self.grad_norm = layer_scale * np.exp(-1.5 * probe_progress) * rng.lognormal(0, 0.2, (len(self.probe_steps),
                                                                                            n_layers))
        self.weight_norm = np.linspace(4.0, 3.0, n_layers)[None, :] * (1 + 0.3 * probe_progress)
        self.update_ratio = 2e-3 * rng.lognormal(0, 0.3, (len(self.probe_steps), n_layers))
        # Per activation snapshot (step 0, then each epoch end) and layer; the output column is NaN.
        snapshots = epochs + 1
        rectifier, saturating = self.activation == "relu", self.activation in ("tanh", "sigmoid")
        self.dead_share = self._hidden_columns(np.full((snapshots, n_layers), 0.05 if rectifier else np.nan))
        self.saturated_share = self._hidden_columns(np.full((snapshots, n_layers), 0.02 if saturating else np.nan))
        self.act_mean = self._hidden_columns(np.full((snapshots, n_layers), 0.3))
        self.act_std = self._hidden_columns(np.full((snapshots, n_layers), 0.5))
        self.batch_label_diversity = np.ones(epochs)
        self.class_recall = np.repeat(self.val_acc[:, None], classes, axis=1)
        # Per epoch: labels the model doubts, a little fewer of the training examples it fits than of the
        # validation ones, over 800 and 200 examples (history.DOUBT_COLUMNS).
        self.doubted_train = np.full(epochs, 0.02)
        self.doubted_val = np.full(epochs, 0.03)
        self.doubt_counts = (800, 200)

    @staticmethod
    def _hidden_columns(table: np.ndarray) -> np.ndarray:
        table[:, -1] = np.nan
        return table

    def history(self, epochs: int | None = None) -> RunHistory:
        """The RunHistory after `epochs` epochs (default: all of them, with the run's final status)."""
        done = self.epochs if epochs is None else epochs
        layers = [LayerInfo(f"layer {i + 1}", "linear", self.activation, 64) for i in range(self.hidden_layers)]
        layers.append(LayerInfo("output", "linear", "none", self.n_classes))
        history = RunHistory(layers=layers, n_classes=self.n_classes, steps_per_epoch=self.steps_per_epoch)
        last_step = done * self.steps_per_epoch
        history.step_loss.extend(np.column_stack([np.arange(1, last_step + 1), self.step_loss[:last_step]]))
        probes = self.probe_steps <= last_step
        history.probe_steps.extend(self.probe_steps[probes, None])
        history.grad_norm.extend(self.grad_norm[probes])
        history.weight_norm.extend(self.weight_norm[probes])
        history.update_ratio.extend(self.update_ratio[probes])
        history.activation_steps.extend(np.arange(done + 1)[:, None] * self.steps_per_epoch)
        history.dead_share.extend(self.dead_share[: done + 1])
        history.saturated_share.extend(self.saturated_share[: done + 1])
        history.act_mean.extend(self.act_mean[: done + 1])
        history.act_std.extend(self.act_std[: done + 1])
        epoch_numbers = np.arange(1, done + 1)
        history.epochs.extend(np.column_stack([
            epoch_numbers, epoch_numbers * self.steps_per_epoch, self.train_loss[:done], self.train_acc[:done],
            self.val_loss[:done], self.val_acc[:done], self.lr[:done], np.full(done, 0.1),
        ]))
        history.batch_label_diversity.extend(np.column_stack([epoch_numbers, self.batch_label_diversity[:done]]))
        history.class_recall.extend(self.class_recall[:done])
        train_count, val_count = self.doubt_counts
        history.doubted_labels.extend(np.column_stack([
            epoch_numbers, self.doubted_train[:done], np.full(done, train_count), self.doubted_val[:done],
            np.full(done, val_count)]))
        history.initial_loss = self.initial_loss
        history.input_stats = self.input_stats
        finished = done == self.epochs
        history.train_label_disagreement = self.train_label_disagreement if finished else math.nan
        history.test_acc, history.test_loss = (self.test_acc, self.test_loss) if finished else (math.nan, math.nan)
        history.status = self.status if finished else "running"
        return history
