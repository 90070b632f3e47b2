"""Screenshots of the runs list (start time, sorting, derived and renamed runs), of the app after View →
Language → 简体中文, and of the app in a dark palette (as a desktop in dark mode gives it), for the README;
taken from the screen of a real X server, as a user sees them.

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python packaging/take_runs_and_language_screenshots.py

Trains a failure preset, its one-click fix, a hand-edited healthy preset and a diverging one in the app,
renames one run, sorts the list by best validation accuracy, then switches the language, then back to
English in a dark palette. Writes assets/screenshot-runs-list.png, assets/screenshot-zh.png and
assets/screenshot-dark.png. Runs go to a temporary folder and the
window state to a temporary QSettings file, so the user's own runs and settings are not touched.
"""

from __future__ import annotations

import os
import subprocess
import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication
from take_screenshots import ASSETS, open_isolated_window, settle, wait_for

WINDOW_SIZE = (1600, 1000)  # the whole virtual screen
RUNS_DOCK_HEIGHT = 260  # room for every row
SETTLE_MS = 800
# A dark palette such as a desktop in dark mode gives Qt's Fusion style
DARK_COLORS = {QPalette.ColorRole.Window: "#2d2d2d", QPalette.ColorRole.WindowText: "#e6e6e6",
               QPalette.ColorRole.Base: "#1e1e1e", QPalette.ColorRole.AlternateBase: "#2d2d2d",
               QPalette.ColorRole.Text: "#e6e6e6", QPalette.ColorRole.Button: "#353535",
               QPalette.ColorRole.ButtonText: "#e6e6e6", QPalette.ColorRole.Highlight: "#2a6cb8",
               QPalette.ColorRole.HighlightedText: "#ffffff", QPalette.ColorRole.ToolTipBase: "#2d2d2d",
               QPalette.ColorRole.ToolTipText: "#e6e6e6", QPalette.ColorRole.PlaceholderText: "#a8a8a8"}
DISABLED_TEXT = "#7a7a7a"


def grab_screen(name: str) -> None:
    """The X server's whole screen, as `import` (ImageMagick) reads it: what a user would see."""
    subprocess.run(["import", "-window", "root", str(ASSETS / name)], check=True, env=os.environ)


def train(window) -> object:
    window.run_action.trigger()
    runs = []
    window.controller.run_ended.connect(lambda run, _outcome: runs.append(run))
    wait_for(window.controller.run_ended)
    return runs[0]


def main() -> int:
    app, window = open_isolated_window("deep-sigmoid", WINDOW_SIZE)
    window.move(0, 0)
    failure = train(window)
    vanishing = next(finding for finding in failure.findings if finding.fix)
    window.apply_fix(vanishing)  # starts the fix run, overlaid on the failure
    wait_for(window.controller.run_ended)
    window.load_experiment_source("spiral")
    window.experiment.fields["train.lr"].widget.setText("0.03")
    window.experiment.fields["train.lr"].widget.textEdited.emit("0.03")
    edited = train(window)
    window.load_experiment_source("lr-too-high")
    train(window)
    window.runs.rename(edited, "Spiral at lr 0.03, the good one")
    window.resizeDocks([window.dock_layout.docks[2]], [RUNS_DOCK_HEIGHT], Qt.Orientation.Vertical)
    window.runs.view.sortByColumn(3, Qt.SortOrder.DescendingOrder)  # best validation accuracy first
    window.session.select([edited])
    window.runs.view.setFocus()
    settle(SETTLE_MS)
    grab_screen("screenshot-runs-list.png")

    chinese = next(action for action in window.language_menu.actions() if action.text() == "简体中文")
    chinese.trigger()
    settle(SETTLE_MS)  # the language change reaches the widgets as events
    window.view_menu.popup(window.menuBar().mapToGlobal(window.menuBar().actionGeometry(
        window.view_menu.menuAction()).bottomLeft()))
    window.language_menu.popup(window.view_menu.mapToGlobal(window.view_menu.actionGeometry(
        window.language_menu.menuAction()).topRight()))
    settle(SETTLE_MS)
    grab_screen("screenshot-zh.png")
    window.language_menu.close()
    window.view_menu.close()

    english = next(action for action in window.language_menu.actions() if action.text() == "English")
    english.trigger()
    dark = QPalette(QApplication.palette())
    for role, color in DARK_COLORS.items():
        dark.setColor(role, QColor(color))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        dark.setColor(QPalette.ColorGroup.Disabled, role, QColor(DISABLED_TEXT))
    QApplication.setPalette(dark)
    window.session.select([failure, edited])  # an overlay: the runs' colours and the paler training curves
    window.views.setCurrentWidget(window.plots)
    settle(SETTLE_MS)
    grab_screen("screenshot-dark.png")
    window.close()
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
