"""`workbench gui [FILE]`: the application object, its identity (for QSettings) and the main loop."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

ORGANIZATION = "Workbench"
APPLICATION = "workbench"
DISPLAY_NAME = "Workbench"
DESKTOP_FILE = "io.github.workbench.Workbench"  # packaging/<this>.desktop: the window icon on Wayland
ICON_PATH = Path(__file__).resolve().parents[2] / "assets" / "workbench.svg"


def set_identity(app: QCoreApplication) -> None:
    """Names under which QSettings keeps the window state (the tests point QSettings elsewhere)."""
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    if isinstance(app, QApplication):
        app.setApplicationDisplayName(DISPLAY_NAME)
        app.setDesktopFileName(DESKTOP_FILE)
        app.setWindowIcon(QIcon(str(ICON_PATH)))


def create_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    set_identity(app)
    return app


def build_window(file: str | None = None):
    """The main window with FILE (an experiment file or preset name) loaded, else the default preset."""
    from workbench.core.presets import DEFAULT_EXPERIMENT
    from workbench.ui.main_window import MainWindow

    window = MainWindow()
    if not (file and window.load_experiment_source(file)):
        window.load_experiment_source(DEFAULT_EXPERIMENT)
    return window


def main(file: str | None = None) -> int:
    app = create_application()
    window = build_window(file)
    window.show()
    return app.exec()
