"""What a run recorded, in capacity-doubling numpy buffers that the plots and the diagnosis read.

The engine appends; readers call `.view()` and get the filled part without copying. Appends and views
happen on different threads in the app: a view taken before a growth keeps pointing at the old (still
valid) array, so readers never see torn rows, at worst one append less.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from workbench.core.distributions import confusion_row_width, histogram_row_width

EPOCH_COLUMNS = ("epoch", "step", "train_loss", "train_acc", "val_loss", "val_acc", "lr", "seconds")
STEP_PHASES = ("data", "forward", "backward", "optimizer", "probes")
# Where each epoch's time went (training/timing.py measures it, timings.csv keeps it): the samples trained,
# the wall-clock seconds of the epoch's steps and their split by phase, the seconds of the epoch's end
# (evaluation, activation statistics, records), the CPU threads, and on a GPU the peak memory in MiB and
# the utilisation (0..1); NaN where not measured.
TIMING_COLUMNS = ("epoch", "samples", "steps_s", *(f"{phase}_s" for phase in STEP_PHASES), "evaluation_s",
                  "threads", "gpu_memory_mb", "gpu_utilization")
# Labels the model doubts, each epoch: the share of the evaluated training examples and of the validation
# examples whose label the model gives under half the probability of a guess (training/probes.py), and how
# many examples each share was taken over (how far the two may differ by chance).
DOUBT_COLUMNS = ("epoch", "train_share", "train_count", "val_share", "val_count")
PROBES_PER_EPOCH = 25  # per-layer probes per epoch: enough points for the gradient plots
MIN_PROBE_INTERVAL = 8  # never probe more often than every 8 steps: keeps probe cost within ~3%


def probe_interval(probe_every: int, steps_per_epoch: int) -> int:
    """Steps between per-layer probes: train.probe_every, or when it is 0 (automatic) about
    PROBES_PER_EPOCH per epoch, never more often than every MIN_PROBE_INTERVAL steps."""
    return probe_every or max(MIN_PROBE_INTERVAL, round(steps_per_epoch / PROBES_PER_EPOCH))


class GrowableArray:
    """A 2-D float buffer of fixed width whose capacity doubles as rows are appended."""

    def __init__(self, width: int, capacity: int = 256):
        self._data = np.full((max(1, capacity), width), np.nan)
        self._length = 0

    @property
    def width(self) -> int:
        return self._data.shape[1]

    def __len__(self) -> int:
        return self._length

    def append(self, row) -> None:
        self.extend(np.asarray(row, dtype=float).reshape(1, -1))

    def extend(self, rows) -> None:
        rows = np.asarray(rows, dtype=float).reshape(-1, self.width)
        needed = self._length + len(rows)
        if needed > len(self._data):
            capacity = len(self._data)
            while capacity < needed:
                capacity *= 2
            grown = np.full((capacity, self.width), np.nan)
            grown[: self._length] = self._data[: self._length]
            self._data = grown
        self._data[self._length : needed] = rows
        self._length = needed

    def view(self) -> np.ndarray:
        """The filled rows (a view: do not modify)."""
        return self._data[: self._length]

    def trim(self) -> None:
        """Give back the spare capacity (up to half the buffer) once nothing more will be appended."""
        if len(self._data) > max(1, self._length):
            self._data = self._data[: max(1, self._length)].copy()

    def truncate(self, length: int) -> None:
        self._length = min(self._length, max(0, length))


@dataclass
class LayerInfo:
    """One probed layer: a weight layer (Linear/Conv) and the activation that follows it, if any."""

    name: str  # "layer 1" ... "output"
    kind: str  # "linear" | "conv"
    activation: str  # registry activation name, or "none" for the output layer
    width: int  # units / channels


@dataclass(frozen=True)
class SettingChange:
    """A setting the user changed while the run trained (events.csv): it applies from optimizer step
    `step` + 1 on, in `epoch`. `key` is an experiment-file key (train.lr, train.weight_decay, model.dropout)."""

    step: int
    epoch: int
    key: str
    old: float
    new: float


@dataclass
class InputStats:
    """The training inputs as the model sees them (after normalization, if any)."""

    mean: float
    std: float
    min: float
    max: float
    feature_std_ratio: float  # largest / smallest per-feature std (features of different scales)
    label_counts: list[int] = field(default_factory=list)  # training examples per class


@dataclass
class RunHistory:
    """Everything recorded during one run; the single source for plots, diagnosis and exports.

    Tables (rows appended over time):
      step_loss:   (step, loss)                 every optimizer step, loss of that batch
      probe_steps: (step,)                      steps at which per-layer probes were taken
      grad_norm, weight_norm, update_ratio:     (n_probes, n_layers) per weight layer; update_ratio is
                                                ||delta W|| / ||W|| of that step's update
      activation_steps: (step,)                 steps at which activation statistics were taken
                                                (step 0 before training, then each epoch end)
      dead_share, saturated_share,
      act_mean, act_std:                        (n_activation_probes, n_layers) over the validation set;
                                                dead = unit output 0 for every validation input;
                                                saturated = share of pre-activations beyond +-5
                                                (sigmoid/tanh layers; NaN elsewhere)
      epochs:      EPOCH_COLUMNS                one row per finished epoch (epoch counts from 1)
      batch_label_diversity: (epoch, share)     mean distinct classes per batch / min(batch, classes)
      timings:     TIMING_COLUMNS               one row per finished epoch: where its time went
      doubted_labels: DOUBT_COLUMNS             one row per finished epoch: labels the model doubts
      val_confusion: per-epoch list of class-accuracy arrays (recall per class on validation)
      histograms:  one row per snapshot (step 0, then each epoch end): per layer, histograms of weights,
                   gradients, pre- and post-activations (layout in core/distributions.py)
      confusion:   one row per epoch end: (epoch, step, the validation confusion matrix); no columns
                   past distributions.MAX_CONFUSION_CLASSES classes
      time_step_grad: (step, norm at time step 1 .. T)  recurrent models only (else None), at probe steps:
                   the norm of d loss / d input at each step of the batch's sequences, how much of the
                   gradient reaches each step back in time (training/time_steps.py)
    class_names: the dataset's class names (for the confusion matrix), [] when not known.
    decision_grid: latest class-probability grid over the 2-D input plane (2-D datasets only).
    training_points: (inputs [n, 2], labels [n]) the model trains on (2-D datasets only), drawn under it.
    Scalars: initial_loss (step 0, training set, before any update), n_classes, input_stats,
    train_label_disagreement, test metrics, status, events, changes (settings steered mid-run).
    """

    layers: list[LayerInfo]
    n_classes: int
    steps_per_epoch: int
    step_loss: GrowableArray = field(default_factory=lambda: GrowableArray(2, 1024))
    probe_steps: GrowableArray = field(default_factory=lambda: GrowableArray(1))
    grad_norm: GrowableArray = None  # type: ignore[assignment]
    weight_norm: GrowableArray = None  # type: ignore[assignment]
    update_ratio: GrowableArray = None  # type: ignore[assignment]
    activation_steps: GrowableArray = field(default_factory=lambda: GrowableArray(1, 64))
    dead_share: GrowableArray = None  # type: ignore[assignment]
    saturated_share: GrowableArray = None  # type: ignore[assignment]
    act_mean: GrowableArray = None  # type: ignore[assignment]
    act_std: GrowableArray = None  # type: ignore[assignment]
    epochs: GrowableArray = field(default_factory=lambda: GrowableArray(len(EPOCH_COLUMNS), 64))
    batch_label_diversity: GrowableArray = field(default_factory=lambda: GrowableArray(2, 64))
    timings: GrowableArray = field(default_factory=lambda: GrowableArray(len(TIMING_COLUMNS), 64))
    doubted_labels: GrowableArray = field(default_factory=lambda: GrowableArray(len(DOUBT_COLUMNS), 64))
    class_recall: GrowableArray = None  # type: ignore[assignment]  (n_epochs, n_classes) on validation
    histograms: GrowableArray = None  # type: ignore[assignment]
    confusion: GrowableArray = None  # type: ignore[assignment]
    time_step_grad: GrowableArray | None = None
    class_names: list[str] = field(default_factory=list)
    initial_loss: float = math.nan
    input_stats: InputStats | None = None
    # share of training examples whose (possibly noisy) label disagrees with the model's confident
    # prediction, measured at the end on the training set: high when labels are noise
    train_label_disagreement: float = math.nan
    # 2-D datasets: (x_range, y_range, probabilities[grid, grid, n_classes]) refreshed while training
    decision_grid: tuple | None = None
    training_points: tuple[np.ndarray, np.ndarray] | None = None
    test_loss: float = math.nan
    test_acc: float = math.nan
    # examples in the validation and test sets: how far apart their accuracies may fall by chance alone
    # (0: not recorded, as in runs made before they were)
    val_count: int = 0
    test_count: int = 0
    # trained with balanced class weights or a balanced sampler: the model is meant to treat every class
    # alike, so "guessing" is 1/C for it, not the majority share
    balanced_training: bool = False
    status: str = "running"
    events: list[str] = field(default_factory=list)  # human-readable notes (divergence step, restores)
    changes: list[SettingChange] = field(default_factory=list)  # settings steered mid-run, in order
    # a fork's records up to this optimizer step are its parent's: their changes are in its configuration
    start_step: int = 0

    def __post_init__(self):
        n = len(self.layers)
        for name in ("grad_norm", "weight_norm", "update_ratio"):
            if getattr(self, name) is None:
                setattr(self, name, GrowableArray(n))
        for name in ("dead_share", "saturated_share", "act_mean", "act_std"):
            if getattr(self, name) is None:
                setattr(self, name, GrowableArray(n, 64))
        if self.class_recall is None:
            self.class_recall = GrowableArray(max(1, self.n_classes), 64)
        if self.histograms is None:
            self.histograms = GrowableArray(histogram_row_width(n), 32)
        if self.confusion is None:
            self.confusion = GrowableArray(max(1, confusion_row_width(self.n_classes)), 32)

    def prefix(self, epoch: int, step: int) -> RunHistory:
        """A copy of the records up to the end of `epoch` (at optimizer step `step`): where a variant
        that continues from that epoch starts."""
        copy = RunHistory(layers=list(self.layers), n_classes=self.n_classes, steps_per_epoch=self.steps_per_epoch,
                          initial_loss=self.initial_loss, input_stats=self.input_stats, events=list(self.events),
                          class_names=list(self.class_names),
                          changes=[change for change in self.changes if change.step <= step], start_step=step,
                          time_step_grad=None if self.time_step_grad is None else GrowableArray(self.time_step_grad.width))
        for name, value in vars(self).items():
            if not isinstance(value, GrowableArray) or not len(value):
                continue
            rows = value.view()
            if name == "step_loss" or name == "probe_steps" or name == "activation_steps":
                keep = int(np.searchsorted(rows[:, 0], step, side="right"))
            elif name in ("epochs", "class_recall"):
                keep = epoch
            elif name in ("histograms", "time_step_grad"):  # by step, in their first column
                keep = int(np.searchsorted(rows[:, 0], step, side="right"))
            elif name in ("batch_label_diversity", "confusion", "doubted_labels"):  # by epoch, in their first column
                keep = int(np.searchsorted(rows[:, 0], epoch, side="right"))
            else:  # per-probe and per-activation tables follow their step tables, set above or below
                continue
            getattr(copy, name).extend(rows[:keep])
        for steps_table, tables in (("probe_steps", ("grad_norm", "weight_norm", "update_ratio")),
                                    ("activation_steps", ("dead_share", "saturated_share", "act_mean", "act_std"))):
            for name in tables:
                getattr(copy, name).extend(getattr(self, name).view()[: len(getattr(copy, steps_table))])
        return copy

    def drop_partial_rows(self) -> None:
        """After an interruption in the middle of recording (a second Ctrl-C), cut each group of tables
        that gain one row together to the rows all of them have, so that they still line up."""
        for group in (("probe_steps", "grad_norm", "weight_norm", "update_ratio"),
                      ("activation_steps", "dead_share", "saturated_share", "act_mean", "act_std"),
                      ("epochs", "class_recall")):
            complete = min(len(getattr(self, name)) for name in group)
            for name in group:
                getattr(self, name).truncate(complete)

    def trim(self) -> None:
        """Cut every table to its rows: the run has ended and nothing more will be appended."""
        for table in vars(self).values():
            if isinstance(table, GrowableArray):
                table.trim()

    @property
    def own_changes(self) -> list[SettingChange]:
        """The changes made while this run itself trained (a fork's inherited ones are in its configuration)."""
        return [change for change in self.changes if change.step > self.start_step]

    @property
    def layer_names(self) -> list[str]:
        return [layer.name for layer in self.layers]

    def epoch_column(self, name: str) -> np.ndarray:
        return self.epochs.view()[:, EPOCH_COLUMNS.index(name)]

    @property
    def epochs_run(self) -> int:
        return len(self.epochs)

    @property
    def steps(self) -> int:
        rows = self.step_loss.view()
        return int(rows[-1, 0]) if len(rows) else 0

    def best_record(self) -> dict:
        """summary.json's `best`: the epoch of lowest finite validation loss and its metrics, or {}."""
        epoch = self.best_epoch()
        if epoch is None:
            return {}
        row = self.epochs.view()[epoch - 1]
        return {"epoch": epoch, "val_loss": float(row[EPOCH_COLUMNS.index("val_loss")]),
                "val_acc": float(row[EPOCH_COLUMNS.index("val_acc")])}

    def best_epoch(self) -> int | None:
        """1-based epoch with the lowest finite validation loss, or None."""
        if not len(self.epochs):
            return None
        val_loss = self.epoch_column("val_loss")
        finite = np.isfinite(val_loss)
        if not finite.any():
            return None
        index = int(np.nanargmin(np.where(finite, val_loss, np.nan)))
        return int(self.epoch_column("epoch")[index])
