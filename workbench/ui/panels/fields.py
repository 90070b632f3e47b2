"""Editors for single experiment keys: each maps one `table.key` to a widget, both ways.

Numbers are typed, not spun: the text is read as a TOML literal (what `--set` accepts), so a value out
of range or a typo reaches the validator and the user reads the file loader's own message for it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLineEdit, QWidget

from workbench.core.experiment.config import parse_override
from workbench.core.experiment.values import format_value

NUMBER_FIELD_WIDTH = 110
INVALID_STYLE = "border: 1px solid #d62728;"


def panel_text(text: str) -> str:
    """A field's own text (a check box's label, a placeholder), marked for translation by the experiment
    panel that names it, in its context."""
    return QCoreApplication.translate("ExperimentPanel", text)


class Field:
    """One editable key. Subclasses set `widget` and implement value/set_value/on_change."""

    key: str
    widget: QWidget

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def on_change(self, callback: Callable[[], None]) -> None:
        raise NotImplementedError

    def mark_invalid(self, invalid: bool) -> None:
        self.widget.setStyleSheet(INVALID_STYLE if invalid else "")

    def retranslate(self) -> None:
        """Set the field's own texts in the current language; most fields show only values, which stay."""


class ChoiceField(Field):
    def __init__(self, key: str, choices: tuple[str, ...], descriptions: Callable[[], dict[str, str]] | None = None):
        """DESCRIPTIONS: each choice's tooltip in the current language, asked again when the language changes."""
        self.key = key
        self.descriptions = descriptions
        self.widget = QComboBox()
        self.widget.setObjectName(key)
        self.widget.addItems(choices)

    def retranslate(self) -> None:
        described = self.descriptions() if self.descriptions else {}
        for index in range(self.widget.count()):
            if self.widget.itemText(index) in described:
                self.widget.setItemData(index, described[self.widget.itemText(index)], Qt.ItemDataRole.ToolTipRole)

    def value(self) -> str:
        return self.widget.currentText()

    def set_value(self, value: str) -> None:
        self.widget.setCurrentText(value)

    def on_change(self, callback):
        self.widget.currentIndexChanged.connect(lambda _index: callback())


class BoolField(Field):
    def __init__(self, key: str, label: str):
        self.key, self.label = key, label
        self.widget = QCheckBox()
        self.widget.setObjectName(key)

    def retranslate(self) -> None:
        self.widget.setText(panel_text(self.label))

    def value(self) -> bool:
        return self.widget.isChecked()

    def set_value(self, value: bool) -> None:
        self.widget.setChecked(bool(value))

    def on_change(self, callback):
        self.widget.toggled.connect(lambda _checked: callback())


class NumberField(Field):
    def __init__(self, key: str):
        self.key = key
        self.widget = QLineEdit()
        self.widget.setObjectName(key)
        self.widget.setMaximumWidth(NUMBER_FIELD_WIDTH)
        self.widget.setAlignment(Qt.AlignmentFlag.AlignRight)

    def value(self) -> Any:
        return parse_override(f"{self.key}={self.widget.text()}")[1]

    def set_value(self, value: Any) -> None:
        self.widget.setText(format_value(value))

    def on_change(self, callback):
        self.widget.textEdited.connect(lambda _text: callback())


class TextField(Field):
    def __init__(self, key: str, placeholder: str):
        self.key, self.placeholder = key, placeholder
        self.widget = QLineEdit()
        self.widget.setObjectName(key)

    def retranslate(self) -> None:
        self.widget.setPlaceholderText(panel_text(self.placeholder))

    def value(self) -> str:
        return self.widget.text()

    def set_value(self, value: str) -> None:
        self.widget.setText(value)

    def on_change(self, callback):
        self.widget.textEdited.connect(lambda _text: callback())


class MultiChoiceField(Field):
    """A list of names picked with one check box each (e.g. the augmentations)."""

    def __init__(self, key: str, choices: tuple[str, ...]):
        self.key = key
        self.widget = QWidget()
        self.widget.setObjectName(key)
        layout = QHBoxLayout(self.widget)
        layout.setContentsMargins(0, 0, 0, 0)
        self.boxes = {choice: QCheckBox(choice) for choice in choices}
        for box in self.boxes.values():
            layout.addWidget(box)
        layout.addStretch(1)

    def value(self) -> list[str]:
        return [choice for choice, box in self.boxes.items() if box.isChecked()]

    def set_value(self, value: list[str]) -> None:
        for choice, box in self.boxes.items():
            box.setChecked(choice in value)

    def on_change(self, callback):
        for box in self.boxes.values():
            box.toggled.connect(lambda _checked: callback())
