"""Fork from epoch…: a new run that continues the selected run from the end of one of its epochs, with a
changed learning rate, weight decay, dropout or number of epochs (or nothing changed), trained overlaid
on the original. From the last epoch with more epochs it is "continue this run".

The epoch states live in memory (core/training/forking.py: a budget per run, the oldest epochs dropped
first; the app's newest runs only). The dialog says what is kept and how much memory it takes; an epoch
whose state was dropped is answered with the nearest kept one, one click away.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QObject
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from workbench.core.experiment import derived
from workbench.core.i18n import join_sentences
from workbench.ui import formatting
from workbench.ui.actions import describe, new_action
from workbench.ui.dialogs import bulleted

MORE_EPOCHS = 10  # forking the last epoch: "continue for this many more" unless the user says otherwise
MAX_EPOCHS = 100_000


class ForkDialog(QDialog):
    """Choose the epoch and what changes; `overrides()` is what the fork changes (experiment-file keys)."""

    def __init__(self, run, keeper, parent: QWidget | None = None):
        super().__init__(parent)
        self.run, self.keeper = run, keeper
        self.setWindowTitle(self.tr("Fork {run} from an epoch").format(run=run.name))
        epochs_run = run.history.epochs_run if run.history is not None else 0
        self.kept = QLabel(self._kept_text())
        self.kept.setWordWrap(True)
        self.epoch = QSpinBox()
        self.epoch.setRange(1, max(1, epochs_run))
        self.epoch.setValue(max(keeper.states) if keeper is not None and keeper.states else max(1, epochs_run))
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #D55E00")
        self.use_nearest = QPushButton()
        self.use_nearest.clicked.connect(lambda: self.epoch.setValue(self._nearest))
        self._nearest = 0
        self.fields = {key: QLineEdit() for key in derived.STEERABLE_KEYS}
        self.epochs = QSpinBox()
        self.epochs.setRange(1, MAX_EPOCHS)
        form = QFormLayout()
        form.addRow(self.tr("From the end of &epoch"), self.epoch)
        for key, text in zip(derived.STEERABLE_KEYS, (self.tr("&Learning rate"), self.tr("&Weight decay"),
                                                      self.tr("&Dropout")), strict=True):
            form.addRow(text, self.fields[key])
            self.fields[key].setToolTip(key)
        form.addRow(self.tr("Train until epoc&h"), self.epochs)
        nearest_row = QHBoxLayout()
        nearest_row.addWidget(self.problem, 1)
        nearest_row.addWidget(self.use_nearest)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("&Fork"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.kept)
        layout.addLayout(form)
        layout.addLayout(nearest_row)
        layout.addWidget(self.buttons)
        self.epoch.valueChanged.connect(self._epoch_chosen)
        self._epoch_chosen()

    def _kept_text(self) -> str:
        from workbench.core.training.forking import megabytes

        keeper = self.keeper
        if keeper is None or not keeper.states:
            return self.tr("No epoch of this run is kept in memory.")
        text = self.tr("Kept in memory: epochs {first}–{last} of this run, {used} MB of the {budget} MB per run "
                       "(the oldest epochs are dropped first).").format(
            first=min(keeper.states), last=max(keeper.states), used=megabytes(keeper.kept_bytes),
            budget=megabytes(keeper.budget_bytes or 0))
        if keeper.dropped:
            text = join_sentences(text, self.tr("Dropped: epochs {first}–{last}.").format(
                first=min(keeper.dropped), last=max(keeper.dropped)))
        return text

    @property
    def state(self):
        from workbench.core.training.forking import ForkError, kept_state

        try:
            return kept_state(self.keeper, self.epoch.value())
        except ForkError:
            return None

    def _epoch_chosen(self) -> None:
        """Fill the fields with the settings in effect at that epoch, or say why it cannot be forked."""
        from workbench.core.training.forking import ForkError, kept_state

        try:
            state = kept_state(self.keeper, self.epoch.value())
        except ForkError as error:
            self.problem.setText(str(error))
            self._nearest = error.nearest or 0
            self.use_nearest.setText(self.tr("&Use epoch {epoch}").format(epoch=self._nearest))
            self.use_nearest.setVisible(error.nearest is not None)
            self.problem.setVisible(True)
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
            return
        self.problem.setVisible(False)
        self.use_nearest.setVisible(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(True)
        for key, value in state.settings.items():
            self.fields[key].setText(formatting.number(value))
        last = self.run.history.epochs_run
        planned = self.run.config.train.epochs
        self.epochs.setMinimum(state.epoch + 1)
        self.epochs.setValue(last + MORE_EPOCHS if state.epoch == last and planned <= last else planned)

    def overrides(self) -> dict:
        """What the fork changes against the parent at that epoch; ValueError naming a field that is no number."""
        state = self.state
        overrides = {}
        for key, field in self.fields.items():
            try:
                value = float(field.text().strip())
            except ValueError:
                raise ValueError(self.tr("{key}: \"{text}\" is not a number").format(key=key, text=field.text())) \
                    from None
            if not math.isclose(value, state.settings[key], rel_tol=1e-12, abs_tol=0.0):
                overrides[key] = value
        if self.epochs.value() != self.run.config.train.epochs:
            overrides["train.epochs"] = self.epochs.value()
        return overrides


class ForkAction(QObject):
    """Run → Fork from epoch… (and the runs list's context menu) for the shown run when it is not training."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.action = new_action(self, self.fork_shown, ["Ctrl+Shift+F"])
        window.session.selection_changed.connect(lambda _runs: self.update())
        window.controller.state_changed.connect(lambda _state: self.update())
        self.update()

    def retranslate(self) -> None:
        describe(self.action, self.tr("&Fork from epoch…"),
                 self.tr("Continue the selected run from the end of one of its epochs, with changed settings or "
                         "none, overlaid on it"))

    def update(self) -> None:
        run = self.window.session.shown
        self.action.setEnabled(run is not None and run is not self.window.controller.active_run
                               and run.config is not None and run.history is not None
                               and run.history.epochs_run > 0)

    def fork_shown(self) -> None:
        run, controller = self.window.session.shown, self.window.controller
        if run is None or run.config is None:
            return
        keeper = controller.epoch_states.of(run) if controller.epoch_states is not None else None
        dialog = ForkDialog(run, keeper, self.window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.start(run, dialog)

    def start(self, run, dialog: ForkDialog) -> None:
        from workbench.core.experiment.config import ConfigError
        from workbench.core.training.forking import fork_config

        try:
            overrides = dialog.overrides()
            config = fork_config(run.config, dialog.state, overrides)
        except ConfigError as error:
            self.window.dialogs.error(self.tr("This fork cannot start"), bulleted(error.problems))
            return
        except ValueError as error:
            self.window.dialogs.error(self.tr("This fork cannot start"), str(error))
            return
        self.window.controller.start(config, compare_with=run, start_state=dialog.state)
