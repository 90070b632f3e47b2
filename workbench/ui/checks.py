"""Run → Sanity check and Run → Find learning rate…: the checks to make before training, on a pool thread.

The sanity check's verdict arrives as a message (passed, or what the curve did and the finding it
suggests); the learning-rate finder's curve opens in a dialog whose "Use this rate" sets train.lr in the
experiment panel. Both check the experiment as edited in the panel, and one check runs at a time. The
core does the work (core/training/sanity.py, lr_finder.py); this module only starts it and shows it.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from workbench.ui.actions import describe, new_action
from workbench.ui.lr_finder_dialog import LrFinderDialog
from workbench.ui.worker import call_in_background


def _sanity_check(config):
    from workbench.core.training.sanity import sanity_check

    return sanity_check(config)


def _find_learning_rate(config):
    from workbench.core.training.lr_finder import find_learning_rate

    return find_learning_rate(config)


class PreTrainingChecks(QObject):
    """The two actions, their background work and what they show."""

    message = Signal(str)  # progress and outcomes for the status bar

    def __init__(self, window: QWidget, experiment_panel, dialogs):
        super().__init__(window)
        self.window = window
        self.experiment = experiment_panel
        self.dialogs = dialogs
        self.sanity_action = new_action(window, self.run_sanity_check)
        self.lr_find_action = new_action(window, self.find_learning_rate)
        self.running = ""  # the check running now ("sanity" | "lr-find"), "" when none
        self.valid = True  # the experiment panel holds a valid experiment
        self.sanity_box: QMessageBox | None = None  # the last verdict shown
        self.lr_dialog: LrFinderDialog | None = None  # the last curve shown

    def retranslate(self) -> None:
        describe(self.sanity_action, self.tr("Sanity c&heck"),
                 self.tr("Check that the network can overfit one small batch before training it"))
        describe(self.lr_find_action, self.tr("Find le&arning rate…"),
                 self.tr("Try learning rates from 1e-7 to 10 and suggest one (fastai's range test)"))

    def set_experiment_valid(self, valid: bool) -> None:
        self.valid = valid
        self._update_actions()

    def _update_actions(self) -> None:
        for action in (self.sanity_action, self.lr_find_action):
            action.setEnabled(self.valid and not self.running)

    def _start(self, kind: str, work, on_result) -> None:
        config = self.experiment.config
        if config is None or self.running:
            return
        self.running = kind
        self._update_actions()
        call_in_background(lambda: work(config), self, lambda result: self._finish(on_result, config, result),
                           self._failed)

    def _finish(self, on_result, config, result) -> None:
        self.running = ""
        self._update_actions()
        on_result(config, result)

    def _failed(self, error: Exception) -> None:
        from workbench.core.data.bundle import DatasetError
        from workbench.core.experiment.config import ConfigError

        kind, self.running = self.running, ""
        self._update_actions()
        title = self.tr("The sanity check could not run") if kind == "sanity" else self.tr(
            "The learning-rate finder could not run")
        if isinstance(error, ConfigError):
            text = "\n".join(error.problems)
        elif isinstance(error, DatasetError):
            text = str(error)
        else:
            text = f"{type(error).__name__}: {error}"
        self.message.emit(title)
        self.dialogs.error(title, text)

    # -- sanity check ---------------------------------------------------------------------------
    def run_sanity_check(self) -> None:
        config = self.experiment.config
        if config is not None and not self.running:
            self.message.emit(self.tr("Sanity check: overfitting one small batch of {experiment}…").format(
                experiment=config.name))
        self._start("sanity", _sanity_check, self._show_sanity)

    def _show_sanity(self, config, result) -> None:
        if result.passed:
            title = self.tr("Sanity check passed")
            icon = QMessageBox.Icon.Information
            text = result.reason
        else:
            title = self.tr("Sanity check failed")
            icon = QMessageBox.Icon.Warning
            text = self.tr("{reason}\n\nWhat it suggests: {finding}").format(reason=result.reason,
                                                                              finding=result.suggests)
        if result.note:
            text = f"{result.note}\n\n{text}"
        self.message.emit(self.tr("{experiment}: {verdict}").format(experiment=config.name, verdict=title))
        box = QMessageBox(icon, title, title, QMessageBox.StandardButton.Ok, self.window)
        box.setObjectName("sanity_result")
        box.setInformativeText(text)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()  # window-modal, never blocking: the app keeps running
        self.sanity_box = box

    # -- learning-rate finder -------------------------------------------------------------------
    def find_learning_rate(self) -> None:
        config = self.experiment.config
        if config is not None and not self.running:
            self.message.emit(self.tr("Finding a learning rate for {experiment}: about 100 short steps…").format(
                experiment=config.name))
        self._start("lr-find", _find_learning_rate, self._show_curve)

    def _show_curve(self, config, result) -> None:
        self.message.emit(result.message)
        dialog = LrFinderDialog(result, config.name, config.train.lr, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.rate_chosen.connect(self.use_rate)
        dialog.open()
        self.lr_dialog = dialog

    def use_rate(self, lr: float) -> None:
        self.experiment.set_setting("train.lr", lr)
        self.message.emit(self.tr("Learning rate set to {lr:g}").format(lr=lr))
