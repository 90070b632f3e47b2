"""GUI responsiveness (not a test: these machines are noisy). Run with QT_QPA_PLATFORM=offscreen.

1. Launch: time from process start to the first painted main window, in fresh subprocesses that do what
   `workbench gui` does (budget 1.0 s: torch must not load before the window paints).
2. Stalls: the spiral preset trains on the worker thread at batch size 1 and 256 while the plots refresh
   every 30 ms; a 10 ms QTimer on the GUI thread records how late each tick is, from half a second after
   the tab is shown. Prints the worst and the 99th-percentile stall per batch size and plot tab (budget:
   worst <= 20 ms).

    QT_QPA_PLATFORM=offscreen python tests/bench/bench_gui.py [--launches 5] [--seconds 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

PROBE_INTERVAL_MS = 10
WORST_STALL_BUDGET_MS = 20
LAUNCH_BUDGET_S = 1.0
BATCH_SIZES = (1, 256)
# every tab a spiral run shows (Filters is for CNNs only)
TABS = ("Loss && accuracy", "Gradients", "Activations", "Weight updates", "Distributions", "Confusion", "Speed",
        "Decision boundary", "Neurons")
# A tab's first draw after it is shown is a tab switch, which soak_gui.py holds to its own budget (50 ms):
# the steady-training probe starts this long after the switch
TAB_SETTLE_MS = 500
SPIRAL_SAMPLES = {1: 2_000, 256: 50_000}  # enough steps that every batch size trains for the whole window
# planned epochs: a live run's epoch axis spans them, so they decide how much of the plot the curves cover
# (and cost to draw). About 20 s of training on a 2-core CPU: each 5 s window sees a good part of the run,
# as a user watching a preset would, rather than a sliver at the start of thousands of planned epochs.
SPIRAL_EPOCHS = {1: 15, 256: 100}

LAUNCH_CHILD = """
import time
from workbench.ui.app import create_application, build_window

app = create_application()
window = build_window(None)
window.first_painted.connect(lambda: (print(time.time(), flush=True), app.quit()))
window.show()
app.exec()
"""


def measure_launches(count: int, scratch: str) -> list[float]:
    """Seconds from spawning the process to its first paint event, one per launch. Python may write its
    bytecode caches (a user's launches do; PYTHONDONTWRITEBYTECODE, set on some CI machines, would make
    every launch compile the app again), and one untimed launch writes them first."""
    env = {**os.environ, "XDG_CONFIG_HOME": scratch, "WORKBENCH_RUNS_DIR": os.path.join(scratch, "runs")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([sys.executable, "-c", LAUNCH_CHILD], env=env, capture_output=True, check=True, timeout=60)
    times = []
    for _ in range(count):
        start = time.time()
        output = subprocess.run([sys.executable, "-c", LAUNCH_CHILD], env=env, capture_output=True, text=True,
                                check=True, timeout=60).stdout
        times.append(float(output.split()[-1]) - start)
    return times


def measure_stalls(window, batch_size: int, tab: str, seconds: float) -> np.ndarray:
    """Lateness (ms) of each 10 ms probe tick while the run trains; the run is stopped afterwards."""
    from PySide6.QtCore import QElapsedTimer, QEventLoop, Qt, QTimer

    from workbench.core.experiment.config import apply_overrides
    from workbench.core.experiment.presets import load_named_experiment

    config = apply_overrides(load_named_experiment("spiral"), {
        "train.batch_size": batch_size, "train.epochs": SPIRAL_EPOCHS[batch_size],
        "data.n_samples": SPIRAL_SAMPLES[batch_size],
        "meta.name": f"bench batch {batch_size}"})
    window.set_experiment(config)
    loop = QEventLoop()
    window.controller.run_ended.connect(loop.quit)
    window.run_action.trigger()
    tabs = window.plots.tabs
    clock, ticks = QElapsedTimer(), []
    probe = QTimer(interval=PROBE_INTERVAL_MS, timerType=Qt.TimerType.PreciseTimer)
    probe.timeout.connect(lambda: ticks.append(clock.nsecsElapsed() / 1e6))

    def begin_measuring():  # once the first steps trained: data loading is not the GUI's concern
        texts = [tabs.tabText(index) for index in range(tabs.count())]
        if tab not in texts or not tabs.isTabVisible(texts.index(tab)):
            raise SystemExit(f"no {tab!r} tab shown for this run: {texts}")
        tabs.setCurrentIndex(texts.index(tab))
        QTimer.singleShot(TAB_SETTLE_MS, start_probe)

    def start_probe():
        clock.start()
        probe.start()
        QTimer.singleShot(int(seconds * 1000), lambda: (probe.stop(), window.controller.stop()))

    def wait_for_steps():
        if window.controller.latest_step is None:
            QTimer.singleShot(50, wait_for_steps)
        else:
            begin_measuring()

    wait_for_steps()
    loop.exec()
    window.controller.run_ended.disconnect(loop.quit)
    return np.maximum(np.diff(ticks) - PROBE_INTERVAL_MS, 0.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--launches", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    scratch = tempfile.mkdtemp(prefix="workbench-bench-")
    os.environ["WORKBENCH_RUNS_DIR"] = os.path.join(scratch, "runs")

    launches = measure_launches(args.launches, scratch)
    print(f"launch to first paint: median {statistics.median(launches):.2f} s, best {min(launches):.2f} s, "
          f"worst {max(launches):.2f} s over {len(launches)} launches (budget {LAUNCH_BUDGET_S:.1f} s)")

    from soak_gui import open_window  # the same isolated, warmed-up window the soak uses

    app, window = open_window(scratch)
    print(f"GUI stalls while training spiral (10 ms probe, {args.seconds:.0f} s each, device "
          f"{window.controller.device}):")
    for batch_size in BATCH_SIZES:
        for tab in TABS:
            stalls = measure_stalls(window, batch_size, tab, args.seconds)
            verdict = "ok" if stalls.max() <= WORST_STALL_BUDGET_MS else "OVER BUDGET"
            print(f"  batch {batch_size:>3}, tab {tab.replace('&&', '&'):<18} worst {stalls.max():5.1f} ms, "
                  f"p99 {np.percentile(stalls, 99):5.1f} ms, median {np.median(stalls):4.1f} ms over "
                  f"{len(stalls)} ticks  [{verdict}]")
    window.close()
    app.processEvents()


if __name__ == "__main__":
    main()
