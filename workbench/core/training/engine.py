"""The training engine: `Run.iter_fit()` is a generator a worker thread drives.

It yields a StepReport at every probe point and an EpochReport at every epoch end. Between yields the
only per-step work beyond forward/backward/step is storing the batch loss, so the loop runs at the
speed of a bare PyTorch loop. Pause and stop are flags checked every step (runtime.RunControl).
"""

from __future__ import annotations

import math
import time
from collections.abc import Generator, Iterable
from functools import partial
from pathlib import Path

import numpy as np
import torch

from workbench.core.diagnosis.finding import Finding
from workbench.core.experiment import registry
from workbench.core.experiment.config import ExperimentConfig
from workbench.core.history import EPOCH_COLUMNS, RunHistory, probe_interval
from workbench.core.hooks import Callback, FixTest
from workbench.core.i18n import _
from workbench.core.rundir.history_store import HistoryStore
from workbench.core.rundir.reader import load_history
from workbench.core.rundir.summary import FixFor
from workbench.core.rundir.writer import RunWriter
from workbench.core.status import RunStatus
from workbench.core.training import probes, steering
from workbench.core.training.callbacks import DivergenceGuard, EarlyStopping, LiveDiagnosis, ProbeRecorder
from workbench.core.training.distributions import ConfusionRecorder, HistogramRecorder
from workbench.core.training.runtime import (
    EpochReport,
    RunControl,
    StepReport,
    TrainingLoop,
    choose_device,
    cpu_threads_for,
    device_label,
    freeze_torch_objects_once,
)
from workbench.core.training.state import TrainingState
from workbench.core.training.steps import evaluate_splits, step_scheduler, train_step
from workbench.core.training.time_steps import TimeStepRecorder
from workbench.core.training.timing import PhaseClock
from workbench.core.training.trained import SaveWeights
from workbench.core.training.verify import verify_findings


class Run:
    """One training run: its config, data, model, history, findings and status."""

    def __init__(self, config: ExperimentConfig, *, run_dir: Path | None = None,
                 control: RunControl | None = None, callbacks: Iterable[Callback] = (),
                 start: TrainingState | None = None, verify_under_s: float | None = None,
                 fix_for: FixFor | None = None):
        self.config = config
        self.fix_for = fix_for  # the run this one trains the fix of, with the finding it cures
        self.start = start  # a parent's kept state to continue from (a variant), or None: from step 0
        # verify the fixes of a run that took at most this long even without train.verify_fixes (the app)
        self.verify_under_s = verify_under_s
        self.parent = start.directory if start is not None else None
        self.fork_epoch = start.epoch if start is not None else None
        self.loop: TrainingLoop | None = None
        self.directory = Path(run_dir) if run_dir is not None else None
        self.control = control or RunControl()
        self.callbacks: list[Callback] = list(callbacks)
        self._history = HistoryStore(load_history)
        self._released = False  # release_training_state() ran: the run directory is complete
        self.findings: list[Finding] = []
        self.status = RunStatus.RUNNING
        self.error = ""
        self.device_name = ""
        self.model = None
        self.data = None
        self.evaluation = None  # the newest epoch end's SplitEvaluation (its validation predictions)
        self.problem = ""  # why the run directory could not be written (set by its writer) or read back
        self._best: dict = {}  # summary.json's `best`, kept for when the history leaves memory
        self.final_metrics: dict[str, float] = {}
        self.samples_per_s = 0.0
        self.duration_s = 0.0
        self.started_at = time.time()
        self.step = 0  # optimizer steps taken
        self.testing: FixTest | None = None  # the fix a short run tests after training (verified diagnosis)

    # -- memory: what a finished run keeps -----------------------------------------------------
    @property
    def history(self) -> RunHistory | None:
        """What the run recorded; an evicted history is read back from the run directory here."""
        history = self._history.get()
        self.problem = self.problem or self._history.read_problem
        return history

    @history.setter
    def history(self, history: RunHistory | None) -> None:
        self._history.set(history)

    @property
    def history_resident(self) -> bool:
        return self._history.resident

    @property
    def name(self) -> str:
        return self.config.name

    @property
    def best(self) -> dict:
        """The epoch of lowest validation loss and its metrics (summary.json's `best`), or {}."""
        if self._history.resident:
            self._best = self._history.get().best_record()
        return self._best

    def release_training_state(self) -> None:
        """Once the run has ended, drop what only training needed: the model, the data tensors and the
        callbacks (early stopping's copy of the best weights). The history (its buffers cut to their
        rows), findings and metrics stay."""
        self.model = self.data = self.loop = self.start = self.evaluation = None
        self.callbacks = []
        self._released = True
        if self._history.resident:
            self._history.get().trim()
            self._best = self._history.get().best_record()

    def evict_history(self) -> bool:
        """Drop a finished run's history from memory when its run directory holds all of it; the next
        read of `history` loads it back. Returns whether it was dropped."""
        if not self._released or self.directory is None or self.problem:
            return False
        return self._history.evict(self.directory)

    # -- training -------------------------------------------------------------------------------
    def fit(self) -> Run:
        for _report in self.iter_fit():
            pass
        return self

    def iter_fit(self) -> Generator[StepReport | EpochReport, None, None]:
        from workbench.core.data.bundle import load_data
        from workbench.core.training.models import build_model

        config, train = self.config, self.config.train
        try:
            device = choose_device(train.device)
            self.device_name = device_label(device)
            torch.manual_seed(train.seed)
            self.data = data = load_data(config.data, device)
            self.model = model = build_model(config.model, data.input_shape, data.n_classes).to(device)
        except Exception as error:  # bad data or a model the data cannot feed: nothing was trained
            self.status, self.error = RunStatus.FAILED, str(error)
            raise
        threads_before = torch.get_num_threads()
        if device.type == "cpu":
            torch.set_num_threads(train.threads or min(threads_before, cpu_threads_for(model, train.batch_size)))
        self.history = RunHistory(
            layers=list(model.layer_infos), n_classes=data.n_classes,
            steps_per_epoch=math.ceil(len(data.train_x) / train.batch_size),
        )
        if self.start is not None:  # a variant continues the parent's records
            self.history = self.start.history.prefix(self.start.epoch, self.start.step)
        self.history.balanced_training = "balanced" in (train.class_weights, config.data.sampler)
        self.history.val_count = len(data.val_y)
        self.history.test_count = 0 if data.test_y is None else len(data.test_y)
        if data.kind == "points":  # drawn under the decision boundary; kept after release_training_state()
            self.history.training_points = (data.train_x.cpu().numpy(), data.train_y.cpu().numpy())
        self.callbacks = self._standard_callbacks() + self.callbacks
        if train.early_stopping:
            self.callbacks.append(EarlyStopping(train.early_stopping))
        self.callbacks.append(LiveDiagnosis())
        try:
            yield from self._train(device)
        except (KeyboardInterrupt, GeneratorExit):  # a second Ctrl-C, or the driver closed the generator
            self.status = RunStatus.STOPPED
            self.history.drop_partial_rows()  # it may have landed between two tables of one record
            self.history.events.append(_("stopped by the user in the middle of a step"))
            raise
        except torch.cuda.OutOfMemoryError:
            self._fail(_("out of GPU memory at batch size {batch_size}: lower train.batch_size (e.g. {smaller}) "
                         'or use train.device = "cpu"').format(batch_size=train.batch_size,
                                                               smaller=max(1, train.batch_size // 4)))
        except Exception as error:  # a run that crashes ends "failed" with its records kept
            self._fail(f"{type(error).__name__}: {error}")
            raise
        finally:
            torch.set_num_threads(threads_before)
            self._finish()

    def _standard_callbacks(self) -> list[Callback]:
        """What every run records and guards, before the caller's callbacks: probes first (the writer
        writes what they recorded), then the run directory, then the divergence guard."""
        standard: list[Callback] = [ProbeRecorder(), TimeStepRecorder(), HistogramRecorder(), ConfusionRecorder()]
        if self.directory is not None:  # the weights first: written while the writer still holds the folder
            standard += [SaveWeights(self.directory), RunWriter(self.directory)]
        standard.append(DivergenceGuard())
        return standard

    def _fail(self, message: str) -> None:
        self.status, self.error = RunStatus.FAILED, message
        self.history.events.append(message)

    def _each(self, hook: str, *args) -> bool:
        """Call `hook` on every callback; True when one of them asks the run to stop (its status set)."""
        for callback in self.callbacks:
            getattr(callback, hook)(self, *args)
        stopper = next((callback for callback in self.callbacks if callback.should_stop), None)
        if stopper is not None:
            self.status = stopper.stop_status
        return stopper is not None

    def _train(self, device: torch.device):
        config, train, data, model, history = self.config, self.config.train, self.data, self.model, self.history
        weights = probes.weight_tensors(model.weight_layers)
        optimizer = registry.optimizer(train.optimizer, model.parameters(), train.lr, train.momentum,
                                       train.weight_decay)
        scheduler = registry.lr_scheduler(train.lr_schedule, optimizer, decay=train.lr_decay,
                                          step=train.lr_step, epochs=train.epochs)
        order_generator = torch.Generator(device="cpu").manual_seed(config.data.seed + train.seed)
        augment_generator = torch.Generator(device=device).manual_seed(train.seed + 1)
        self.loop = TrainingLoop(optimizer, scheduler, order_generator, augment_generator)
        first_epoch = 1
        if self.start is not None:
            self.start.restore(self, self.loop)
            first_epoch = self.start.epoch + 1
        probe_every = probe_interval(train.probe_every, history.steps_per_epoch)
        min_batch = 2 if config.model.normalization == "batch" else 1  # batch norm needs two examples
        class_weights = data.balanced_class_weights() if train.class_weights == "balanced" else None
        clock = PhaseClock(device)  # where each step's time goes (history.timings)
        after_forward, after_backward = partial(clock.lap, "forward"), partial(clock.lap, "backward")

        def probe_before_update() -> None:
            clock.lap("backward")
            self._each("on_before_update")
            clock.lap("probes")

        if self._each("on_fit_start"):
            return
        train_seconds, samples = 0.0, 0
        for epoch in range(first_epoch, train.epochs + 1):
            epoch_start = time.perf_counter()
            clock.start_epoch()
            model.train()
            batches = data.batch_indices(epoch, train.batch_size, order_generator, min_batch)
            clock.lap("data")
            self._each("on_epoch_start", epoch, batches)
            clock.lap("probes")
            batch_losses = torch.empty(len(batches), device=device)
            recorded = done = 0  # batch losses of this epoch copied into history / batches trained
            for batch in batches:
                if self.control.stop_requested:
                    break
                paused = self.control.wait_while_paused()
                if paused:  # a pause is no training time: neither the step time nor the speed counts it
                    clock.exclude_pause(paused)
                    epoch_start += paused
                if self.control.changes_pending:  # settings steered from the GUI, between two steps
                    steering.apply_pending(self, epoch)
                self.step += 1
                probing = self.step % probe_every == 0
                if probing:
                    self._each("on_probe_step_start")
                clock.start_step(probing)
                inputs, targets = data.train_x[batch], data.train_y[batch]
                if config.data.augment:
                    inputs = data.augment(inputs, augment_generator)
                clock.lap("data")
                loss = train_step(model, optimizer, weights, inputs, targets, train, data.n_classes, class_weights,
                                  probe_before_update if probing else after_backward, after_forward)
                clock.lap("optimizer")
                batch_losses[done] = loss
                done += 1
                freeze_torch_objects_once()
                if probing:
                    recorded = self._record_losses(batch_losses, recorded, done)
                    if self._each("on_probe"):
                        return
                    elapsed = train_seconds + time.perf_counter() - epoch_start
                    yield StepReport(self.step, epoch, float(history.step_loss.view()[-1, 1]),
                                     self.step / max(elapsed, 1e-9))
                clock.lap("probes")  # probing or not: recording the batch loss is part of it
            epoch_samples = sum(len(batch) for batch in batches[:done])
            samples += epoch_samples
            self._record_losses(batch_losses, recorded, done)
            clock.end_steps()
            train_seconds += time.perf_counter() - epoch_start
            if self._each("on_train_epoch_end", epoch):
                return
            if self.control.stop_requested:
                self.status = RunStatus.STOPPED
                return
            metrics = self._end_epoch(epoch, optimizer, time.perf_counter() - epoch_start)
            step_scheduler(scheduler, train.lr_schedule, metrics["val_loss"])
            self.samples_per_s = samples / max(train_seconds, 1e-9)
            stopping = self._each("on_epoch_end", epoch)
            clock.end_epoch(history, epoch, epoch_samples)
            yield EpochReport(epoch, metrics, list(self.findings))
            if stopping:
                return
        self.status = RunStatus.COMPLETED

    def _fix_test_started(self, test: FixTest) -> None:
        self.testing = test
        for callback in self.callbacks:
            callback.on_fix_test_start(self, test)

    def _record_losses(self, batch_losses: torch.Tensor, start: int, end: int) -> int:
        """Copy batch losses [start, end) of this epoch into history (one device sync)."""
        if end <= start:
            return start
        values = batch_losses[start:end].cpu().numpy().astype(float)
        steps = np.arange(self.step - (end - start) + 1, self.step + 1)
        self.history.step_loss.extend(np.column_stack([steps, values]))
        return end

    def _end_epoch(self, epoch: int, optimizer, seconds: float) -> dict:
        evaluation = evaluate_splits(self.model, self.data, self.config.train.loss)
        metrics = {"epoch": epoch, "step": self.step, **evaluation.metrics,
                   "lr": optimizer.param_groups[0]["lr"], "seconds": seconds}
        self.history.epochs.append([metrics[column] for column in EPOCH_COLUMNS])
        self.history.class_recall.append(evaluation.val_recall)
        train_y = self.data.train_y[: probes.TRAIN_EVAL_LIMIT]
        self.history.doubted_labels.append(
            [epoch, probes.doubted_share(evaluation.train_probabilities, train_y), len(train_y),
             probes.doubted_share(evaluation.val_probabilities, self.data.val_y), len(self.data.val_y)])
        self.evaluation = evaluation
        return metrics

    def _finish(self) -> None:
        """Callbacks' end of training (early stopping restores the best weights), final metrics,
        the diagnosis, then the callbacks' end of the run."""
        from workbench.core.diagnosis import diagnose

        history = self.history
        self.duration_s = time.time() - self.started_at
        if history is None:
            return
        for callback in self.callbacks:
            callback.on_train_end(self)
        if not self.status.failed and len(history.epochs):
            evaluation = evaluate_splits(self.model, self.data, self.config.train.loss, test=True)
            self.final_metrics = evaluation.metrics
            history.train_label_disagreement = probes.label_disagreement(
                evaluation.train_probabilities, self.data.train_y[: probes.TRAIN_EVAL_LIMIT])
            history.test_loss = evaluation.metrics.get("test_loss", math.nan)
            history.test_acc = evaluation.metrics.get("test_acc", math.nan)
        elif len(history.epochs):
            self.final_metrics = dict(zip(("train_loss", "train_acc", "val_loss", "val_acc"),
                                          history.epochs.view()[-1, 2:6].tolist(), strict=True))
        history.status = self.status
        self.findings = diagnose(history, self.config)
        self.control.take_changes()  # asked for after the last step: the fix probes below share the control
        quick = self.verify_under_s is not None and self.duration_s <= self.verify_under_s
        if (self.config.train.verify_fixes or quick) and self.status not in (RunStatus.STOPPED, RunStatus.FAILED):
            try:
                self.findings = verify_findings(self, lambda config: Run(config, control=self.control),
                                                report=self._fix_test_started)
            finally:
                self.testing = None
        for callback in self.callbacks:
            callback.on_fit_end(self)
