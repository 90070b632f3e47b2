"""The status bar's permanent fields: device, training speed, epoch and time left."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from workbench.ui import formatting

PAUSED_TEXT = "paused"
ETA_SUSPENDED = "ETA: paused"  # no time left can be promised while nothing trains


class RunStatusBar(QStatusBar):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.device = QLabel("device: loading PyTorch…")
        self.speed = QLabel()
        self.epoch = QLabel()
        self.eta = QLabel()
        for label in (self.speed, self.epoch, self.eta, self.device):
            self.addPermanentWidget(label)

    def set_device(self, device: str) -> None:
        self.device.setText(f"device: {device}")

    def show_progress(self, run, step_report, *, paused: bool = False) -> None:
        """The newest step report of a run under way: speed, epoch and the time left at this speed.
        A paused run's last speed and ETA would read as frozen numbers: it says "paused" instead."""
        epochs = run.config.train.epochs
        if step_report is None or run.history is None:
            self.speed.setText(PAUSED_TEXT if paused else "starting…")
            self.epoch.setText(f"epoch 0/{epochs}")
            self.eta.clear()
            return
        self.epoch.setText(f"epoch {step_report.epoch}/{epochs}")
        if paused:
            self.speed.setText(PAUSED_TEXT)
            self.eta.setText(ETA_SUSPENDED)
            return
        steps_per_s = step_report.steps_per_s
        total_steps = epochs * run.history.steps_per_epoch
        self.speed.setText(formatting.rate(steps_per_s, "steps"))
        left = (total_steps - step_report.step) / steps_per_s if steps_per_s > 0 else 0.0
        self.eta.setText(f"ETA {formatting.duration(left)}")

    def show_finished(self, run) -> None:
        history = run.history
        epochs_run = history.epochs_run if history is not None else 0
        self.speed.clear()
        self.epoch.setText(f"epoch {epochs_run}/{run.config.train.epochs}")
        self.eta.setText(f"{run.status} in {formatting.duration(run.duration_s)}")
