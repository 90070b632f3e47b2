"""Steer the run that is training: its learning rate, weight decay and dropout, changed between two steps.

A box above the plots, shown only while a run trains, holds the three settings that can change mid-run
(and only those: the experiment panel describes how the run started). Apply (or Enter) asks the run's
control for each changed value; the training loop applies it before its next step, records it, and the
plots mark it. A value the experiment file would refuse is named under the fields and nothing is sent.
"""

from __future__ import annotations

import math

from PySide6.QtCore import Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from workbench.core.experiment import derived
from workbench.ui import formatting
from workbench.ui.language import Translated
from workbench.ui.plots.key import wrapped_line_policy

FIELD_WIDTH = 64  # px: "0.0001" and "1e-05" with room to spare; the whole box fits between the docks


class SteerBox(Translated, QGroupBox):
    """The live settings of the training run; `controller` is the RunController (its steer() and signals)."""

    message = Signal(str)  # what was asked for, for the status bar

    def __init__(self, controller, parent: QWidget | None = None):
        super().__init__(parent)
        self.controller = controller
        self.run = None
        self._sent: dict[str, float] = {}  # the values asked for so far (the run applies them at its next step)
        self.labels = {key: QLabel() for key in derived.STEERABLE_KEYS}
        self.fields = {key: QLineEdit() for key in derived.STEERABLE_KEYS}
        row = QHBoxLayout()
        for key in derived.STEERABLE_KEYS:
            field = self.fields[key]
            field.setFixedWidth(FIELD_WIDTH)
            field.returnPressed.connect(self.apply)
            self.labels[key].setBuddy(field)
            row.addWidget(self.labels[key])
            row.addWidget(field)
        self.apply_button = QPushButton()
        self.apply_button.clicked.connect(self.apply)
        row.addWidget(self.apply_button)
        self.note = QLabel()
        self.note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.note.setWordWrap(True)  # a line of its own, never wider than the room: the box shown while a
        self.note.setSizePolicy(wrapped_line_policy())  # run trains must not squeeze the docks or widen the window
        row.addStretch(1)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #D55E00")  # the plots' change colour: vermillion reads on both themes
        self.problem.setVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 4)
        layout.addLayout(row)
        layout.addWidget(self.note)
        layout.addWidget(self.problem)
        self.setVisible(False)
        controller.run_started.connect(lambda run, _compare_with: self.bind(run))
        controller.run_ended.connect(lambda run, _outcome: self.bind(None) if run is self.run else None)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Steer the running run (live)"))
        for key, text in zip(derived.STEERABLE_KEYS, (self.tr("&Learning rate"), self.tr("&Weight decay"),
                                                      self.tr("&Dropout")), strict=True):
            self.labels[key].setText(text)
            self.fields[key].setToolTip(self.tr("{key} of the run that is training: a new value applies from its "
                                                "next step and is marked on every plot").format(key=key))
        self.apply_button.setText(self.tr("&Apply"))
        self.apply_button.setToolTip(self.tr("Change these settings of the training run from its next step"))
        self.note.setText(self.tr("applies from the next step; marked on the plots; config.toml keeps the start"))

    def bind(self, run) -> None:
        """Show the settings of `run` (a run now training), or hide the box (None)."""
        self.run = run
        self._sent = {}
        self.problem.setVisible(False)
        self.setVisible(run is not None)
        if run is not None:
            for key, value in self._settings().items():
                self.fields[key].setText(formatting.number(value))

    def _settings(self) -> dict[str, float]:
        history = self.run.history
        settings = derived.settings_at(self.run.config, history.own_changes if history is not None else [], math.inf)
        return {**settings, **self._sent}

    def apply(self) -> None:
        """Ask the run for every field whose value differs from the one in effect; none if one is refused."""
        if self.run is None:
            return
        from workbench.core.experiment.config import ConfigError
        from workbench.core.training.steering import check_change  # torch is loaded: a run is training

        current, wanted, problems = self._settings(), {}, []
        for key, field in self.fields.items():
            try:
                value = float(field.text().strip())
            except ValueError:
                problems.append(self.tr("{key}: \"{text}\" is not a number").format(key=key, text=field.text()))
                continue
            if value == current[key]:
                continue
            try:
                wanted[key] = check_change(self.run.config, key, value)
            except ConfigError as error:
                problems += error.problems
        self.problem.setText("\n".join(problems))
        self.problem.setVisible(bool(problems))
        if problems or not wanted:
            return
        if not all(self.controller.steer(key, value) for key, value in wanted.items()):
            self.problem.setText(self.tr("The run has finished training: nothing is left to steer."))
            self.problem.setVisible(True)
            return
        self._sent.update(wanted)
        changes = ", ".join(f"{key} = {formatting.number(value)}" for key, value in wanted.items())
        self.message.emit(self.tr("From the next step: {changes}").format(changes=changes))
