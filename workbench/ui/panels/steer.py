"""Steer the run that is training: its learning rate, weight decay and dropout, changed between two steps.

A row in the run toolbar, beside Run, Pause and Stop, holds the three settings that can change mid-run (and
only those: the experiment panel describes how the run started). Its controls show only while a run trains,
yet their room is always kept: the plots never change size at a run's start or end (a box above them that
came and went resized and repainted every plot in view, ~20 ms of the GUI thread each time). Apply (or Enter) asks the run's control for each changed value; the training loop applies it
before its next step, records it, and the plots mark it. A value the experiment file would refuse is named
in the status bar and nothing is sent.
"""

from __future__ import annotations

import math

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QSizePolicy, QWidget

from workbench.core.experiment import derived
from workbench.ui import formatting
from workbench.ui.language import Translated

FIELD_WIDTH = 64  # px: "0.0001" and "1e-05" with room to spare; the whole row fits between the docks


class SteerBox(Translated, QWidget):
    """The live settings of the training run; `controller` is the RunController (its steer() and signals)."""

    message = Signal(str)  # what was asked for, or why nothing was: for the status bar

    def __init__(self, controller, parent: QWidget | None = None):
        super().__init__(parent)
        self.controller = controller
        self.run = None
        self._sent: dict[str, float] = {}  # the values asked for so far (the run applies them at its next step)
        self.controls = QWidget()  # shown while a run trains; its room is kept while hidden
        policy = self.controls.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.controls.setSizePolicy(policy)
        self.title = QLabel()
        bold = QFont(self.title.font())
        bold.setBold(True)
        self.title.setFont(bold)
        self.labels = {key: QLabel() for key in derived.STEERABLE_KEYS}
        self.fields = {key: QLineEdit() for key in derived.STEERABLE_KEYS}
        row = QHBoxLayout(self.controls)
        row.setContentsMargins(0, 0, 4, 0)
        row.addWidget(self.title)
        for key in derived.STEERABLE_KEYS:
            field = self.fields[key]
            field.setFixedWidth(FIELD_WIDTH)
            field.returnPressed.connect(self.apply)
            self.labels[key].setBuddy(field)
            row.addWidget(self.labels[key])
            row.addWidget(field)
        self.apply_button = QPushButton()
        self.apply_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
        self.apply_button.clicked.connect(self.apply)
        row.addWidget(self.apply_button)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.controls)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)  # a toolbar stretches its last widget
        self.controls.setVisible(False)
        controller.run_started.connect(lambda run, _compare_with: self.bind(run))
        controller.run_ended.connect(lambda run, _outcome: self.bind(None) if run is self.run else None)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Steer live:"))
        self.controls.setToolTip(self.tr("Steer the running run (live)") + "\n"
                                 + self.tr("applies from the next step; marked on the plots; config.toml keeps "
                                           "the start"))
        for key, text in zip(derived.STEERABLE_KEYS, (self.tr("&Learning rate"), self.tr("&Weight decay"),
                                                      self.tr("&Dropout")), strict=True):
            self.labels[key].setText(text)
            self.fields[key].setToolTip(self.tr("{key} of the run that is training: a new value applies from its "
                                                "next step and is marked on every plot").format(key=key))
        self.apply_button.setText(self.tr("&Apply"))
        self.apply_button.setToolTip(self.tr("Change these settings of the training run from its next step"))

    def shown(self) -> bool:
        """Whether the controls are on screen (a run is training)."""
        return self.controls.isVisible()

    def bind(self, run) -> None:
        """Show the settings of `run` (a run now training), or hide the controls (None)."""
        self.run = run
        self._sent = {}
        self.controls.setVisible(run is not None)
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
        if problems:
            self.message.emit("; ".join(problems))
            return
        if not wanted:
            return
        if not all(self.controller.steer(key, value) for key, value in wanted.items()):
            self.message.emit(self.tr("The run has finished training: nothing is left to steer."))
            return
        self._sent.update(wanted)
        changes = ", ".join(f"{key} = {formatting.number(value)}" for key, value in wanted.items())
        self.message.emit(self.tr("From the next step: {changes}").format(changes=changes))
