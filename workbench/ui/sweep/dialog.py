"""Run → Sweep…: the settings to vary, each with a list of values or a (log) range to draw from, the
number of seeds and of random draws; the trial count, from the core's own expansion of the plan, is shown
before anything starts, with every problem in the file loader's words.

The rows make the experiment file's [sweep] table (a list is a `grid` entry, a range a `random` one) and
the core validates and expands it exactly as it does a file's.
"""

from __future__ import annotations

import tomllib
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from workbench.core.experiment.config import ConfigError, ExperimentConfig, experiment_from_dict
from workbench.core.experiment.schema import SWEEPABLE_TABLES, TABLES
from workbench.core.sweeps.plan import SweepPlan, expand, parse_grid_option
from workbench.ui import formatting
from workbench.ui.dialogs import bulleted
from workbench.ui.language import Translated
from workbench.ui.panels import setting_help

LIST, RANGE, LOG_RANGE = "list", "range", "log"
DEFAULT_KEYS = ("train.lr", "train.optimizer", "train.batch_size", "model.activation")  # new rows take the first free
DEFAULT_SEEDS = 2
MAX_SEEDS = 1000
MAX_DRAWS = 10_000
MAX_PARALLEL = 256
PROBLEM_STYLE = "color: #d62728;"


def sweepable_keys() -> list[str]:
    """Every setting a sweep may vary, as `table.key`, in the file's order."""
    return [f"{table}.{field}" for table in SWEEPABLE_TABLES for field in TABLES[table].model_fields]


def _number(text: str) -> float | None:
    try:
        value = tomllib.loads(f"v = {text.strip()}")["v"]
    except tomllib.TOMLDecodeError:
        return None
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


class SettingRow(QWidget):
    """One swept setting: its key, how its values are given, and the values."""

    changed = Signal()
    removed = Signal(object)

    def __init__(self, key: str, base: ExperimentConfig, parent: QWidget | None = None):
        super().__init__(parent)
        self.base = base
        self.key_choice = QComboBox()
        self.key_choice.addItems(sweepable_keys())
        self.mode = QComboBox()
        self.values = QLineEdit()
        self.low, self.high = QLineEdit(), QLineEdit()
        self.remove = QToolButton()
        self.remove.setText("✕")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget, stretch in ((self.key_choice, 0), (self.mode, 0), (self.values, 1), (self.low, 1),
                                (self.high, 1), (self.remove, 0)):
            layout.addWidget(widget, stretch)
        self.retranslate()
        self.set_list(key, [getattr(getattr(base, key.split(".")[0]), key.split(".")[1])])
        self.key_choice.currentTextChanged.connect(self._key_changed)
        self.mode.currentIndexChanged.connect(self._mode_changed)
        for edit in (self.values, self.low, self.high):
            edit.textChanged.connect(self.changed)
        self.remove.clicked.connect(lambda: self.removed.emit(self))

    def retranslate(self) -> None:
        current = self.mode.currentIndex()
        self.mode.blockSignals(True)
        self.mode.clear()
        for mode, text in ((LIST, self.tr("list of values")), (RANGE, self.tr("range")), (LOG_RANGE, self.tr("log range"))):
            self.mode.addItem(text, mode)
        self.mode.setCurrentIndex(max(0, current))
        self.mode.blockSignals(False)
        self.values.setPlaceholderText(self.tr("values, separated by commas"))
        self.low.setPlaceholderText(self.tr("low"))
        self.high.setPlaceholderText(self.tr("high"))
        self.remove.setToolTip(self.tr("Do not sweep this setting"))
        self._show_help()

    @property
    def key(self) -> str:
        return self.key_choice.currentText()

    @property
    def kind(self) -> str:
        return self.mode.currentData()

    def set_list(self, key: str, values: list[Any]) -> None:
        self.key_choice.setCurrentText(key)
        self.mode.setCurrentIndex(0)
        self.values.setText(", ".join(formatting.setting(value) for value in values))
        self._mode_changed()

    def set_range(self, key: str, low: float, high: float, log: bool) -> None:
        self.key_choice.setCurrentText(key)
        self.mode.setCurrentIndex(2 if log else 1)
        self.low.setText(formatting.setting(low))
        self.high.setText(formatting.setting(high))
        self._mode_changed()

    def _key_changed(self, key: str) -> None:
        table, _dot, field = key.partition(".")
        self.values.setText(formatting.setting(getattr(getattr(self.base, table), field)))
        self._show_help()
        self.changed.emit()

    def _mode_changed(self) -> None:
        listed = self.kind == LIST
        self.values.setVisible(listed)
        self.low.setVisible(not listed)
        self.high.setVisible(not listed)
        self.changed.emit()

    def _show_help(self) -> None:
        tip = setting_help.tooltip(self.key)
        self.key_choice.setToolTip(tip)
        self.values.setToolTip(tip)

    def entry(self) -> tuple[str, dict | list, list[str]]:
        """("grid" or "random", its value for this key, problems)."""
        if self.kind == LIST:
            try:
                return "grid", parse_grid_option(f"{self.key}={self.values.text()}")[1], []
            except ConfigError as error:
                return "grid", [], [self.tr("{key}: give at least one value").format(key=self.key)] if \
                    not self.values.text().strip() else error.problems
        low, high = _number(self.low.text()), _number(self.high.text())
        if low is None or high is None:
            return "random", {}, [self.tr("{key}: a range needs a number for low and for high").format(key=self.key)]
        return "random", {"low": low, "high": high, "log": self.kind == LOG_RANGE}, []


class SweepDialog(Translated, QDialog):
    """Choose the sweep over the experiment `base`; prefilled from its [sweep] table when it has one."""

    def __init__(self, base: ExperimentConfig, parent: QWidget | None = None):
        super().__init__(parent)
        self.base = base
        self.plan: SweepPlan | None = None
        self.problems: list[str] = []
        self.rows: list[SettingRow] = []
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.rows_box = QVBoxLayout()
        self.add_button = QPushButton()
        self.add_button.clicked.connect(lambda: self.add_row(self._free_key()))
        self.seeds, self.draws, self.parallel = QSpinBox(), QSpinBox(), QSpinBox()
        self.seeds.setRange(1, MAX_SEEDS)
        self.draws.setRange(0, MAX_DRAWS)
        self.parallel.setRange(0, MAX_PARALLEL)
        self.count = QLabel()
        self.count.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.form = QFormLayout()
        self.labels = {}  # each number's label, by the spin box it names
        for spin in (self.seeds, self.draws, self.parallel):
            label = self.labels[spin] = QLabel()
            label.setBuddy(spin)
            self.form.addRow(label, spin)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.rows_box)
        layout.addWidget(self.add_button)
        layout.addLayout(self.form)
        layout.addWidget(self.count)
        layout.addWidget(self.buttons)
        self._prefill(base)
        for spin in (self.seeds, self.draws, self.parallel):
            spin.valueChanged.connect(self.update_plan)
        self.retranslate()
        self.resize(720, 360)

    def _prefill(self, base: ExperimentConfig) -> None:
        sweep = base.sweep
        self.seeds.setValue(sweep.seeds if sweep is not None else DEFAULT_SEEDS)
        self.draws.setValue(sweep.samples if sweep is not None else 0)
        self.parallel.setValue(sweep.parallel if sweep is not None else 0)
        if sweep is None:
            self.add_row(DEFAULT_KEYS[0])
            return
        for key, values in sweep.grid.items():
            self.add_row(key).set_list(key, values)
        for key, bounds in sweep.random.items():
            self.add_row(key).set_range(key, bounds.low, bounds.high, bounds.log)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Sweep {name}").format(name=self.base.name))
        self.intro.setText(self.tr(
            "Train <b>{name}</b> once for every combination of the values below, each with several seeds, on "
            "this machine (for a Ray cluster, use <tt>workbench sweep --backend ray</tt>). A list is tried "
            "value by value; a range is drawn from, as many times as the random draws say.").format(
            name=self.base.name))
        self.add_button.setText(self.tr("&Add a setting"))
        for field, text in ((self.seeds, self.tr("&Seeds per configuration")), (self.draws, self.tr("Random &draws")),
                            (self.parallel, self.tr("Trials at &once"))):
            self.labels[field].setText(text)
        self.parallel.setSpecialValueText(self.tr("one per core"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("S&tart sweep"))
        for row in self.rows:
            row.retranslate()
        self.update_plan()

    def _free_key(self) -> str:
        used = {row.key for row in self.rows}
        return next((key for key in [*DEFAULT_KEYS, *sweepable_keys()] if key not in used), DEFAULT_KEYS[0])

    def add_row(self, key: str) -> SettingRow:
        row = SettingRow(key, self.base)
        row.changed.connect(self.update_plan)
        row.removed.connect(self._remove_row)
        self.rows.append(row)
        self.rows_box.addWidget(row)
        self.update_plan()
        return row

    def _remove_row(self, row: SettingRow) -> None:
        self.rows.remove(row)
        row.deleteLater()
        self.update_plan()

    def sweep_table(self) -> tuple[dict, list[str]]:
        """The [sweep] table the rows and numbers make, and the problems found before the core checks it."""
        table: dict[str, Any] = {"grid": {}, "random": {}, "samples": self.draws.value(), "seeds": self.seeds.value(),
                                 "parallel": self.parallel.value()}
        problems = []
        for row in self.rows:
            place, value, row_problems = row.entry()
            if row.key in table["grid"] or row.key in table["random"]:
                row_problems = [self.tr("{key} is listed twice; sweep each setting in one row").format(key=row.key)]
            problems += row_problems
            if not row_problems:
                table[place][row.key] = value
        return table, problems

    def update_plan(self) -> None:
        """Expand the sweep as the core will, and show its trial count or its problems."""
        table, self.problems = self.sweep_table()
        self.plan = None
        self.draws.setEnabled(bool(table["random"]) or bool(table["samples"]))
        if not self.problems:
            try:
                self.plan = expand(experiment_from_dict({**self.base.model_dump(), "sweep": table}))
            except ConfigError as error:
                self.problems = error.problems
        if self.plan is not None:
            sweep = self.plan.base.sweep
            self.count.setStyleSheet("")
            self.count.setText(self.tr("<b>{trials} trials</b>: {configurations} configurations × {seeds} seeds").format(
                trials=len(self.plan.trials), configurations=sweep.configurations, seeds=sweep.seeds))
        else:
            self.count.setStyleSheet(PROBLEM_STYLE)
            self.count.setText(bulleted(self.problems))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(self.plan is not None)
