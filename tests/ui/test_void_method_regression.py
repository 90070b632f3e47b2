"""PySide6 6.12.0 on CPython 3.11 dropped a reference to None on every call of a void Qt method: after a
few thousand calls the interpreter aborted with "none_dealloc" (DESIGN.md, dependencies). The app calls
such methods constantly (`update()` on every plot refresh), so a release with that bug must fail here.
"""

import os
import subprocess
import sys

CALLS = 100_000
# Other code takes and drops references to None too; the bug lost one per call, i.e. CALLS of them.
NONE_REFCOUNT_TOLERANCE = 1_000

PROGRAM = f"""
import sys
from PySide6.QtWidgets import QApplication, QWidget

app = QApplication([])
widget = QWidget()
before = sys.getrefcount(None)
for _ in range({CALLS}):
    widget.update()
    app.processEvents()
print(before, sys.getrefcount(None))
"""


def test_calling_void_qt_methods_100000_times_keeps_the_interpreter_alive():
    # A separate interpreter: the failure mode is an abort, which must not take the test session down.
    result = subprocess.run([sys.executable, "-c", PROGRAM], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr[-2000:]
    before, after = map(int, result.stdout.split())
    assert after >= before - NONE_REFCOUNT_TOLERANCE
