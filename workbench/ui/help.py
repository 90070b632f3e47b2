"""The Help menu's windows: every keyboard shortcut of the window, and the About box with the versions
that matter when a result is reported (Workbench, PyTorch, Qt)."""

from __future__ import annotations

import importlib.metadata
import platform
import re

import PySide6
from PySide6.QtCore import QCoreApplication, QObject, Qt, qVersion
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMenu,
    QMenuBar,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

import workbench
from workbench.ui.actions import describe, new_action


def shortcut_rows(menu_bar: QMenuBar) -> list[tuple[str, str, str]]:
    """(menu, action, shortcuts) for every action of the menus that has a keyboard shortcut, in menu
    order: the menus hold every command of the window, so this is the complete list."""
    rows = []

    def visit(menu: QMenu, path: str) -> None:
        for action in menu.actions():
            if action.menu() is not None:
                visit(action.menu(), f"{path} → {_plain(action.text())}")
            elif action.shortcuts():
                keys = ", ".join(key.toString(QKeySequence.SequenceFormat.NativeText) for key in action.shortcuts())
                rows.append((path, _plain(action.text()), keys))

    for action in menu_bar.actions():
        if action.menu() is not None:
            visit(action.menu(), _plain(action.text()))
    return rows


def _plain(text: str) -> str:
    """A menu text without its mnemonic marks: "&Open…" -> "Open…", "打开(&O)…" -> "打开…" (the letter
    written after a Chinese text is only the mnemonic), "&&" -> "&"."""
    text = re.sub(r"\(&[^&\s]\)", "", text.replace("&&", "\0"))
    return text.replace("&", "").replace("\0", "&")


class ShortcutsDialog(QDialog):
    """A table of the window's keyboard shortcuts, by menu."""

    def __init__(self, menu_bar: QMenuBar, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        rows = shortcut_rows(menu_bar)
        self.table = QTableWidget(len(rows), 3)
        self.table.setHorizontalHeaderLabels([self.tr("Menu"), self.tr("Command"), self.tr("Shortcut")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        for row, texts in enumerate(rows):
            for column, text in enumerate(texts):
                self.table.setItem(row, column, QTableWidgetItem(text))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(520, 420)

    def rows(self) -> list[tuple[str, str, str]]:
        return [tuple(self.table.item(row, column).text() for column in range(3))
                for row in range(self.table.rowCount())]


def installed_version(distribution: str) -> str:
    """A package's version from its metadata: no import (torch would take seconds to load)."""
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return QCoreApplication.translate("Help", "not installed")


def about_text() -> str:
    what = QCoreApplication.translate("Help", "Train small neural networks, watch them fail, and see why.")
    return (f"<h3>Workbench {workbench.__version__}</h3><p>{what}</p>"
            f"<p>PyTorch {installed_version('torch')}<br>"
            f"Qt {qVersion()} (PySide6 {PySide6.__version__})<br>"
            f"Python {platform.python_version()}</p>")


def about_box(parent: QWidget) -> QMessageBox:
    """The About box, window-modal and not blocking (the app keeps running behind it)."""
    box = QMessageBox(QMessageBox.Icon.NoIcon, QCoreApplication.translate("Help", "About Workbench"), about_text(),
                      QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setIconPixmap(parent.windowIcon().pixmap(64, 64))
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


class HelpActions(QObject):
    """Help → Keyboard shortcuts (F1) and Help → About."""

    def __init__(self, parent: QWidget, menu_bar: QMenuBar):
        super().__init__(parent)

        def show_shortcuts() -> None:
            dialog = ShortcutsDialog(menu_bar, parent)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.open()

        self.shortcuts = new_action(parent, show_shortcuts, [QKeySequence.StandardKey.HelpContents])
        self.about = new_action(parent, lambda: about_box(parent))
        self.retranslate()

    def retranslate(self) -> None:
        describe(self.shortcuts, self.tr("&Keyboard shortcuts"), self.tr("List every keyboard shortcut of the window"))
        describe(self.about, self.tr("&About Workbench"), self.tr("The versions of Workbench, PyTorch and Qt"))
