"""A crash of the app (a fatal signal in Qt or torch) leaves every thread's stack in the crash log."""

import os
import subprocess
import sys

CRASHING = """
import faulthandler
from workbench.ui.crash_log import record_crashes

def paint_the_plots():
    faulthandler._sigsegv()  # what a use-after-free in Qt does

print(record_crashes())
paint_the_plots()
"""


def test_a_segmentation_fault_writes_the_stacks_to_the_crash_log_and_nothing_to_the_terminal(tmp_path):
    log = tmp_path / "state" / "crash.log"
    env = {**os.environ, "WORKBENCH_CRASH_LOG": str(log)}
    crashed = subprocess.run([sys.executable, "-c", CRASHING], env=env, capture_output=True, text=True, timeout=120)
    assert crashed.returncode != 0
    assert crashed.stdout.strip() == str(log) and "Traceback" not in crashed.stderr
    written = log.read_text()
    assert "Fatal Python error: Segmentation fault" in written and "in paint_the_plots" in written
    # a second crash is appended, not written over the first
    subprocess.run([sys.executable, "-c", CRASHING], env=env, capture_output=True, timeout=120)
    assert log.read_text().count("Fatal Python error") == 2


def test_a_log_that_cannot_be_opened_leaves_the_app_running_without_it(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("")
    env = {**os.environ, "WORKBENCH_CRASH_LOG": str(blocked / "crash.log")}  # a folder that is a file
    opened = subprocess.run([sys.executable, "-c", "from workbench.ui.crash_log import record_crashes; "
                             "print(record_crashes())"], env=env, capture_output=True, text=True, timeout=120)
    assert opened.returncode == 0 and opened.stdout.strip() == "None"
