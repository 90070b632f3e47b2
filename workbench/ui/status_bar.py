"""The status bar's permanent fields: device, training speed, epoch and time left."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QStatusBar, QWidget


def format_duration(seconds: float) -> str:
    """1:02:03 or 2:03 (no hours), never negative."""
    seconds = max(0, round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


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

    def show_progress(self, run, step_report) -> None:
        """The newest step report of a run under way: speed, epoch and the time left at this speed."""
        epochs = run.config.train.epochs
        if step_report is None or run.history is None:
            self.speed.setText("starting…")
            self.epoch.setText(f"epoch 0/{epochs}")
            self.eta.clear()
            return
        steps_per_s = step_report.steps_per_s
        total_steps = epochs * run.history.steps_per_epoch
        self.speed.setText(f"{steps_per_s:,.0f} steps/s")
        self.epoch.setText(f"epoch {step_report.epoch}/{epochs}")
        left = (total_steps - step_report.step) / steps_per_s if steps_per_s > 0 else 0.0
        self.eta.setText(f"ETA {format_duration(left)}")

    def show_finished(self, run) -> None:
        history = run.history
        epochs_run = history.epochs_run if history is not None else 0
        self.speed.clear()
        self.epoch.setText(f"epoch {epochs_run}/{run.config.train.epochs}")
        self.eta.setText(f"{run.status} in {format_duration(run.duration_s)}")
