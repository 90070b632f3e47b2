"""The status bar's permanent fields: device, training speed, epoch and time left."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from workbench.ui import formatting
from workbench.ui.language import Translated


class RunStatusBar(Translated, QStatusBar):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.device = QLabel()
        self.speed = QLabel()
        self.epoch = QLabel()
        self.eta = QLabel()
        for label in (self.speed, self.epoch, self.eta, self.device):
            self.addPermanentWidget(label)
        self._device = ""  # "" until torch has loaded and said which device `auto` picks
        self._finished = None  # the run whose end the fields show, until the next run reports progress
        self.retranslate()

    def retranslate(self) -> None:
        """The device's line and a finished run's; a run under way's follow at its next progress report."""
        self.device.setText(self.tr("device: {device}").format(device=self._device) if self._device
                            else self.tr("device: loading PyTorch…"))
        if self._finished is not None:
            self.show_finished(self._finished)

    def set_device(self, device: str) -> None:
        self._device = device
        self.retranslate()

    def show_progress(self, run, step_report, *, paused: bool = False) -> None:
        """The newest step report of a run under way: speed, epoch and the time left at this speed.
        A paused run's last speed and ETA would read as frozen numbers: it says "paused" instead."""
        self._finished = None
        epochs = run.config.train.epochs
        paused_text = formatting.status_label(formatting.PAUSED)
        if step_report is None or run.history is None:
            self.speed.setText(paused_text if paused else self.tr("starting…"))
            self.epoch.setText(self.tr("epoch {epoch}/{epochs}").format(epoch=0, epochs=epochs))
            self.eta.clear()
            return
        self.epoch.setText(self.tr("epoch {epoch}/{epochs}").format(epoch=step_report.epoch, epochs=epochs))
        if run.testing is not None:  # training is over; a short run of a fix trains, of unknown speed
            self.speed.setText(self.tr("testing fix {index} of {total}").format(index=run.testing.index,
                                                                                 total=run.testing.total))
            self.eta.clear()
            return
        if paused:
            self.speed.setText(paused_text)
            self.eta.setText(self.tr("ETA: paused"))  # no time left can be promised while nothing trains
            return
        steps_per_s = step_report.steps_per_s
        total_steps = epochs * run.history.steps_per_epoch
        self.speed.setText(formatting.steps_per_second(steps_per_s))
        left = (total_steps - step_report.step) / steps_per_s if steps_per_s > 0 else 0.0
        self.eta.setText(self.tr("ETA {duration}").format(duration=formatting.duration(left)))

    def show_finished(self, run) -> None:
        self._finished = run
        history = run.history
        epochs_run = history.epochs_run if history is not None else 0
        self.speed.clear()
        self.epoch.setText(self.tr("epoch {epoch}/{epochs}").format(epoch=epochs_run, epochs=run.config.train.epochs))
        self.eta.setText(self.tr("{status} in {duration}").format(status=formatting.status_label(run.status),
                                                                   duration=formatting.duration(run.duration_s)))
