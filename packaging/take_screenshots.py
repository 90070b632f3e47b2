"""Screenshots of the main window mid-training, for the README and the app metadata.

    xvfb-run -s "-screen 0 1600x1000x24" .venv/bin/python packaging/take_screenshots.py

Writes assets/screenshot-spiral.png and assets/screenshot-digits.png. Runs go to a temporary folder and
the window state to a temporary QSettings file, so the user's own runs and settings are not touched.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSettings, QTimer

ASSETS = Path(__file__).resolve().parents[1] / "assets"
WINDOW_SIZE = (1500, 940)
# (preset, epoch to wait for, experiment tab, plot tab): mid-training, with enough history to read
SHOTS = (("spiral", 12, "Network", "Decision boundary"), ("digits", 6, "Data", "Loss && accuracy"))


def wait_for(signal) -> None:
    """Run the event loop until `signal` fires once."""
    loop = QEventLoop()
    signal.connect(loop.quit)
    loop.exec()
    signal.disconnect(loop.quit)


def settle(milliseconds: int) -> None:
    """Let a few refresh ticks pass, so the plots show the newest rows."""
    loop = QEventLoop()
    QTimer.singleShot(milliseconds, loop.quit)
    loop.exec()


def open_isolated_window(source: str | None, size: tuple[int, int]):
    """(app, window) shown and warmed up, with runs and settings in a temporary folder."""
    scratch = tempfile.mkdtemp(prefix="workbench-screenshots-")
    os.environ["WORKBENCH_RUNS_DIR"] = str(Path(scratch) / "runs")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, scratch)
    from workbench.ui.app import build_window, create_application

    app = create_application()  # the caller holds it until the end: the window needs it alive
    window = build_window(source)
    window.resize(*size)
    window.show()
    wait_for(window.controller.ready)
    return app, window


def main() -> int:
    _app, window = open_isolated_window(None, WINDOW_SIZE)
    for preset, epoch, panel_tab, plot_tab in SHOTS:
        window.load_experiment_source(preset)
        waiting = QEventLoop()

        def on_epoch(_run, report, wanted=epoch, loop=waiting):
            if report.epoch >= wanted:
                loop.quit()

        window.controller.epoch_ended.connect(on_epoch)
        window.run_action.trigger()
        waiting.exec()
        window.controller.epoch_ended.disconnect(on_epoch)
        for tabs, title in ((window.experiment.tabs, panel_tab), (window.plots.tabs, plot_tab)):
            tabs.setCurrentIndex(next(i for i in range(tabs.count()) if tabs.tabText(i) == title))
        settle(500)
        window.grab().save(str(ASSETS / f"screenshot-{preset}.png"))
        window.controller.stop()
        wait_for(window.controller.run_ended)
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
