"""`workbench gui` starting, or saying in one sentence why it cannot, and `workbench --version`."""

import os
import subprocess
import sys

import pytest

# the variables that name a display or a Qt platform: each test sets the ones it wants
DISPLAY_VARIABLES = ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")


def workbench(*args: str, tmp_path, **variables: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in DISPLAY_VARIABLES}
    # QSettings under the test's folder: the window state is never the user's
    env.update(XDG_CONFIG_HOME=str(tmp_path / "config"), OMP_NUM_THREADS="1", **variables)
    return subprocess.run([sys.executable, "-m", "workbench", *args], capture_output=True, text=True, timeout=120,
                          env=env, cwd=tmp_path, check=False)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a display server is a Linux (X11/Wayland) matter")
def test_no_display_exits_2_with_one_sentence_and_no_qt_abort(tmp_path):
    result = workbench("gui", tmp_path=tmp_path)
    assert result.returncode == 2  # not -6: Qt never started, so it could not abort
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "error: workbench gui needs a display, and neither DISPLAY nor WAYLAND_DISPLAY is set; "
        "`workbench gui --platform offscreen` runs without one"]


def test_quit_after_paint_opens_the_window_without_a_display(tmp_path):
    result = workbench("gui", "--platform", "offscreen", "--quit-after-paint", "digits", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr


def test_version_names_workbench_torch_and_qt(tmp_path):
    import PySide6
    import torch

    from workbench import __version__

    result = workbench("--version", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    (line,) = result.stdout.splitlines()
    assert line.startswith(f"workbench {__version__}, torch {torch.__version__}, Qt 6.")
    assert line.endswith(f" (PySide6 {PySide6.__version__})")
