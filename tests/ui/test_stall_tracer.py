"""The soak's stall tracer (tests/bench/stall_probe.py, `soak_gui.py --trace-stalls`): a stall of the GUI
thread is reported with the place the GUI thread was sampled at. pytest does not collect tests/bench, so
the module is loaded by path."""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path

from PySide6.QtCore import QTimer

_spec = importlib.util.spec_from_file_location("stall_probe", Path(__file__).parents[1] / "bench" / "stall_probe.py")
stall_probe = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(stall_probe)


def hold_the_gui_thread() -> None:
    time.sleep(0.12)  # a stall of ~110 ms past the probe's 10 ms tick


def test_a_long_stall_is_traced_to_where_the_gui_thread_was(qtbot):
    probe = stall_probe.StallProbe()
    tracer = stall_probe.StallTracer(probe, threshold_ms=40)
    probe.start()
    tracer.start()
    qtbot.wait(100)
    QTimer.singleShot(0, hold_the_gui_thread)
    qtbot.wait(200)
    tracer.stop()
    probe.stop()
    assert probe.all_stalls().max() >= 100
    # each traced stall is a header line and the places sampled in it; on a loaded machine the event loop
    # itself may stall longer than the sleep, so the sleep's stall is looked for, not assumed the worst
    blocks, header = {}, ""
    for line in tracer.report():
        if line.startswith("    "):
            blocks[header].append(line)
        else:
            header = line
            blocks[header] = []
    held = [header for header, places in blocks.items() if any("hold_the_gui_thread" in place for place in places)]
    assert held, blocks
    assert "while training" in held[0]  # neither after a marked change nor on a window marked idle
    assert float(held[0].split(" ms")[0]) >= 60
