"""Screenshot of the main window's Compare tab: a failure preset beside its cure, for the README.

    xvfb-run -a -s "-screen 0 1920x1200x24" .venv/bin/python packaging/take_compare_screenshot.py

Trains both presets in the app, selects the two runs in the runs list (which opens the Compare tab) and
writes assets/screenshot-compare.png. Runs go to a temporary folder and the window state to a temporary
QSettings file, so the user's own runs and settings are not touched.
"""

from __future__ import annotations

import sys

from take_screenshots import ASSETS, open_isolated_window, settle, wait_for

WINDOW_SIZE = (1920, 1200)  # the whole virtual screen: the comparison needs the room
PRESETS = ("deep-sigmoid", "deep-sigmoid-fixed")  # the failure, then its cure (meta.fixed_by)
SETTLE_MS = 800  # the runs are read on a pool thread; then the plots lay out


def main() -> int:
    _app, window = open_isolated_window(PRESETS[0], WINDOW_SIZE)
    runs = []
    window.controller.run_ended.connect(lambda run, _outcome: runs.append(run))
    for preset in PRESETS:
        window.load_experiment_source(preset)
        window.run_action.trigger()
        wait_for(window.controller.run_ended)
    window.session.select(runs)
    settle(SETTLE_MS)
    window.grab().save(str(ASSETS / "screenshot-compare.png"))
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
