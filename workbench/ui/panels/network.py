"""The network builder: a list of layer widths to add to, remove from and reorder."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout, QWidget

from workbench.ui.panels.fields import INVALID_STYLE, Field, panel_text

NEW_LAYER_WIDTH = 64  # width of an added layer when the list is empty (else it copies the last one)
# The spin box lets any width through: the validator, not the widget, says what is allowed and why.
WIDTH_BOX_MAXIMUM = 1_000_000
ROW_BUTTON_WIDTH = 28


class WidthListField(Field):
    """`model.hidden` or `model.channels`: one row per layer with its width, ↑ ↓ and ✕ buttons."""

    def __init__(self, key: str, unit: str):
        self.key = key
        self.unit = unit  # "units" or "channels" (marked by the experiment panel), shown after each width
        self.widths: list[int] = []
        self._callbacks = []
        self.widget = QWidget()
        self.widget.setObjectName(key)
        outer = QVBoxLayout(self.widget)
        outer.setContentsMargins(0, 0, 0, 0)
        self._rows = QWidget()
        self._grid = QGridLayout(self._rows)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self.add_button = QPushButton()
        self.add_button.clicked.connect(self.add_layer)
        outer.addWidget(self._rows)
        outer.addWidget(self.add_button)

    # -- Field ----------------------------------------------------------------------------------
    def value(self) -> list[int]:
        return list(self.widths)

    def set_value(self, value: list[int]) -> None:
        widths = [int(width) for width in value]
        if widths == self.widths and self._grid.count():
            return  # loading an experiment sets every field: rebuilding unchanged rows cost 6-8 ms
        self.widths = widths
        self._rebuild()

    def on_change(self, callback):
        self._callbacks.append(callback)

    def retranslate(self) -> None:
        self.add_button.setText(QCoreApplication.translate("WidthListField", "+ Add layer"))
        self._rebuild()

    def mark_invalid(self, invalid: bool) -> None:
        for box in self._rows.findChildren(QSpinBox):
            box.setStyleSheet(INVALID_STYLE if invalid else "")

    # -- edits ----------------------------------------------------------------------------------
    def add_layer(self) -> None:
        self.widths.append(self.widths[-1] if self.widths else NEW_LAYER_WIDTH)
        self._edited(rebuild=True)

    def remove_layer(self, index: int) -> None:
        del self.widths[index]
        self._edited(rebuild=True)

    def move_layer(self, index: int, offset: int) -> None:
        target = index + offset
        if 0 <= target < len(self.widths):
            self.widths[index], self.widths[target] = self.widths[target], self.widths[index]
            self._edited(rebuild=True)

    def set_width(self, index: int, width: int) -> None:
        self.widths[index] = width
        self._edited(rebuild=False)

    def _edited(self, rebuild: bool) -> None:
        if rebuild:
            self._rebuild()
        for callback in self._callbacks:
            callback()

    def _rebuild(self) -> None:
        while self._grid.count():
            old = self._grid.takeAt(0).widget()
            old.hide()
            old.deleteLater()
        last = len(self.widths) - 1
        for index, width in enumerate(self.widths):
            box = QSpinBox()
            box.setRange(1, WIDTH_BOX_MAXIMUM)
            box.setValue(width)
            box.setSuffix(" " + panel_text(self.unit))
            box.setAccessibleName(QCoreApplication.translate("WidthListField", "layer {layer} width").format(
                layer=index + 1))
            box.valueChanged.connect(lambda value, i=index: self.set_width(i, value))
            self._grid.addWidget(QLabel(f"{index + 1}"), index, 0)
            self._grid.addWidget(box, index, 1)
            for column, (text, tip, action, enabled) in enumerate((
                ("↑", QCoreApplication.translate("WidthListField", "move this layer up"),
                 lambda _=False, i=index: self.move_layer(i, -1), index > 0),
                ("↓", QCoreApplication.translate("WidthListField", "move this layer down"),
                 lambda _=False, i=index: self.move_layer(i, 1), index < last),
                ("✕", QCoreApplication.translate("WidthListField", "remove this layer"),
                 lambda _=False, i=index: self.remove_layer(i), True),
            ), start=2):
                button = QPushButton(text)
                button.setToolTip(tip)
                button.setFixedWidth(ROW_BUTTON_WIDTH)
                button.setEnabled(enabled)
                button.clicked.connect(action)
                self._grid.addWidget(button, index, column)
        self._grid.setColumnStretch(1, 1)
