"""The window's dialogs in one place, so that tests can replace the blocking ones (file choosers, the
question before a deletion) with answers of their own."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget


def experiment_filter() -> str:
    return QCoreApplication.translate("Dialogs", "Experiment files (*.toml)")


def bulleted(problems: list[str]) -> str:
    """One problem per paragraph, so a file with several problems reads as a list."""
    return "\n".join(f"• {problem}" for problem in problems)


class Dialogs:
    """File choosers and messages of a window. Messages never block: they open window-modal and return
    at once, and the app keeps running."""

    def __init__(self, parent: QWidget):
        self.parent = parent

    def open_path(self, folder: str) -> str:
        return QFileDialog.getOpenFileName(self.parent, QCoreApplication.translate("Dialogs", "Open experiment"),
                                           folder, experiment_filter())[0]

    def save_path(self, suggested: str) -> str:
        return QFileDialog.getSaveFileName(self.parent, QCoreApplication.translate("Dialogs", "Save experiment"),
                                           suggested, experiment_filter())[0]

    def open_folder(self, caption: str, start: str) -> str:
        return QFileDialog.getExistingDirectory(self.parent, caption, start)

    def export_file(self, parent: QWidget, caption: str, start: str, filters: str) -> tuple[str, str]:
        return QFileDialog.getSaveFileName(parent, caption, start, filters)

    def export_folder(self, parent: QWidget, caption: str, start: str) -> str:
        return QFileDialog.getExistingDirectory(parent, caption, start)

    def export_failed(self, _parent: QWidget, message: str) -> QMessageBox:
        return self.error(QCoreApplication.translate("Dialogs", "Export failed"), message)

    def confirm(self, title: str, text: str, action: str) -> bool:
        """Ask before something that cannot be undone; `action` names the button that does it. Blocks until
        answered (the answer decides what happens next); Cancel is the default."""
        box = QMessageBox(QMessageBox.Icon.Question, title, title, QMessageBox.StandardButton.Cancel, self.parent)
        box.setInformativeText(text)
        confirm = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is confirm

    def error(self, title: str, text: str) -> QMessageBox:
        box = QMessageBox(QMessageBox.Icon.Warning, title, title, QMessageBox.StandardButton.Ok, self.parent)
        box.setInformativeText(text)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box
