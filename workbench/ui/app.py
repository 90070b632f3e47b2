"""`workbench gui [FILE]`: the application object, its identity (for QSettings) and the main loop."""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from workbench.core.resources import resource_path
from workbench.ui.crash_log import record_crashes

ORGANIZATION = "Workbench"
APPLICATION = "workbench"
DISPLAY_NAME = "Workbench"
DESKTOP_FILE = "io.github.workbench.Workbench"  # packaging/<this>.desktop: the window icon on Wayland
ICON_PATH = resource_path("assets", "workbench.svg")
# --quit-after-paint is a smoke test: a window that never paints must fail it, not hang it
PAINT_TIMEOUT_MS = 60_000


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
    """The main window, in the app's language, with FILE (an experiment file or preset name) loaded, else
    the default preset."""
    from workbench.core.experiment.presets import DEFAULT_EXPERIMENT
    from workbench.ui import language
    from workbench.ui.main_window import MainWindow

    language.show_language(language.startup_language())
    window = MainWindow()
    if not (file and window.load_experiment_source(file)):
        window.load_experiment_source(DEFAULT_EXPERIMENT)
    return window


def quit_once_painted(app: QApplication, window) -> None:
    """Exit 0 right after the window's first paint, or 1 when it has not painted in PAINT_TIMEOUT_MS."""

    def give_up() -> None:
        print(QCoreApplication.translate("App", "error: the window did not paint within {seconds} s").format(
            seconds=PAINT_TIMEOUT_MS // 1000), file=sys.stderr)
        app.exit(1)

    deadline = QTimer(app, singleShot=True, interval=PAINT_TIMEOUT_MS, timeout=give_up)
    window.first_painted.connect(deadline.stop)
    # leave the loop at once, before the work queued after the first paint (torch loading on pool threads)
    # begins: an exit while those threads import torch prints their tracebacks. exit(), not quit(): quit()
    # also closes the window, in the middle of its paint, and the painted frame is never flushed.
    window.first_painted.connect(app.exit)
    deadline.start()


def main(file: str | None = None, platform: str | None = None, quit_after_paint: bool = False) -> int:
    """PLATFORM: a Qt platform plugin (`offscreen` needs no display); Qt's own choice when None."""
    record_crashes()
    app = create_application([*sys.argv[:1], "-platform", platform] if platform else None)
    window = build_window(file)
    if quit_after_paint:
        quit_once_painted(app, window)
    window.show()
    return app.exec()
