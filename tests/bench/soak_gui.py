"""Soak benchmark of the app (not a test): does the GUI stay smooth and its memory flat over long use?

The real main window trains one preset after another for --minutes (default 30), as a user pressing Run
again and again would: spiral at batch size 1 (thousands of steps a second), the digits, a run that
diverges (lr-too-high), one that stops early and XOR at batch size 1. The Training view stays in front
with its refresh timer live, and the plot tabs are switched every TAB_SWITCH_S. After each run the window
stays idle for IDLE_GAP_S, as a user reading it would. A 10 ms QTimer on the GUI thread records how late
each tick is (a stall, stall_probe.py). Every --log-every seconds it prints the resident memory (VmRSS),
the runs finished, the steps logged by the run training and the stalls since the last line; at the end
the memory growth since the warm-up (WARM_UP_RUNS, then every tab shown once; budget: <= 50 MB), how much
of it the runs kept in the Runs list hold, the trend of the memory measured between runs once every kind
has run once, and the stalls: overall; while runs train (budget: p99.9 <= 20 ms); in the second after a run
starts or ends or a tab is switched, when whole plots are rebuilt (budget: worst <= 50 ms); and on the
idle window, the same probe with no run training: this machine's noise floor, measured in the same run.

--quick-runs trains short runs back to back instead (QUICK_RUNS), to find what breaks at run starts and ends.

--one-long-run instead trains spiral at batch size 1 until it has logged --steps (default 1,000,000)
steps, then reports the stalls of its last minutes and what each refresh() of the plots cost then.

Settings go to a temporary ini file and runs to a temporary WORKBENCH_RUNS_DIR, deleted at the end.

    QT_QPA_PLATFORM=offscreen python tests/bench/soak_gui.py [--minutes 30] [--log-every 60] [--trace-stalls MS]
    QT_QPA_PLATFORM=offscreen python tests/bench/soak_gui.py --quick-runs [--minutes 10]
    QT_QPA_PLATFORM=offscreen python tests/bench/soak_gui.py --one-long-run [--steps 1000000]
"""

from __future__ import annotations

import argparse
import gc
import os
import tempfile
import time
from itertools import cycle

import numpy as np
from soak_core import GROWTH_BUDGET_MB, MILLION_STEPS, rss_mb
from stall_probe import AFTER_CHANGE_MS, CollectorPauses, StallProbe, StallTracer, describe, worst_by_change

TRAINING_STALL_BUDGET_MS = 20  # for the p99.9 while a run trains (bench_gui.py's budget for 5 s' worst)
TRAINING_PERCENTILE = 99.9
# A run starting or ending, or another tab shown, rebuilds and repaints whole plots: the stalls in the
# second after such a change are reported apart, against 50 ms (the RAIL model's budget for handling a
# user's input, within which the response to an action feels immediate).
CHANGE_STALL_BUDGET_MS = 50
TAB_SWITCH_S = 20
IDLE_GAP_S = 5  # after each run the window stays idle this long (a user reading it): the noise floor
LAST_MINUTES = 2  # --one-long-run: the stalls and refresh costs of this many final minutes are reported
# Trained once before measuring; after the spiral run, whose 2-D data shows every plot tab, each tab is shown
# once (WARM_UP_TAB_MS each): a tab's first drawing is start-up too (2-3.5 MB a tab, 10 MB for Neurons).
WARM_UP_RUNS = (("digits", {}), ("spiral", {"train.epochs": 5}))
WARM_UP_TAB_MS = 600
# The back-to-back mix: (preset, overrides). Spiral at batch size 1 logs ~1,600 steps per epoch.
SOAK_RUNS = (
    ("spiral", {"train.batch_size": 1, "train.epochs": 40, "meta.name": "soak spiral batch 1"}),
    ("digits", {}),
    ("lr-too-high", {}),
    ("overfitting-early-stopping", {}),
    ("batch-size-one", {}),
)
# --quick-runs: short runs back to back, a run start every ~0.7 s and a tab switch every 2 s. The crash at a
# run start that superqt's workers caused (README, Dependencies) showed within 1.5 minutes of this mix,
# against 2-15 minutes of the one above; the stall figures of this mix are not the budgets' (runs pile up
# in the Runs list 50 times faster than a person makes them).
QUICK_RUNS = (
    ("spiral", {"train.epochs": 3, "meta.name": "quick spiral"}),
    ("digits", {"train.epochs": 2}),
    ("lr-too-high", {"train.epochs": 3}),
    ("deep-sigmoid", {"train.epochs": 2}),
)
QUICK_IDLE_GAP_S = 0.3
QUICK_TAB_SWITCH_S = 2
LONG_RUN_EPOCHS = 100_000  # the long run is stopped by step count, never by its epochs


def array_bytes(value) -> int:
    """Bytes of the numpy arrays and tensors in `value` (a history buffer counts its whole capacity)."""
    import torch

    from workbench.core.history import GrowableArray

    if isinstance(value, GrowableArray):
        value = value.view().base  # the buffer's capacity, not only its filled rows
    if isinstance(value, np.ndarray):
        return value.nbytes
    if isinstance(value, torch.Tensor):
        return value.element_size() * value.numel()
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list | tuple):
        return sum(map(array_bytes, value))
    return 0


def kept_by_run_mb(run) -> float:
    """What a finished run in the Runs list still holds: history (unless evicted to its run directory),
    data, model and callback state."""
    history = run.history if run.history_resident else None  # reading an evicted one would load it
    parts = [vars(part) for part in (history, run.data, *run.callbacks) if part is not None]
    model = run.model.state_dict() if run.model is not None else {}
    return array_bytes([*parts, model]) / 2**20


def experiment(preset: str, overrides: dict):
    from workbench.core.experiment.config import apply_overrides
    from workbench.core.experiment.presets import load_named_experiment

    return apply_overrides(load_named_experiment(preset), overrides)


class Soak:
    """Drives the window: Run again at each run's end, a status line every log_every_s, tab switches.
    Ends after `seconds`, or with target_steps once the run training has logged that many steps
    (the run under way is stopped, as the Stop button does)."""

    def __init__(self, window, experiments, *, seconds: float, log_every_s: float, target_steps: int = 0,
                 idle_gap_s: float = IDLE_GAP_S, tab_switch_s: float = TAB_SWITCH_S, kinds: int = len(SOAK_RUNS)):
        from PySide6.QtCore import QEventLoop, QTimer

        from workbench.ui.plots.turns import NextTurn

        self.window, self.experiments = window, experiments
        self._next_turn = NextTurn(window)
        self.idle_gap_ms = int(idle_gap_s * 1000)
        self.target_steps = target_steps
        self.probe = StallProbe()
        self.loop = QEventLoop()
        self.runs_finished, self.statuses = 0, set()
        self.first_pass_mb: float | None = None
        # resident memory at the same moment of every run's cycle: after its idle gap, before the next one
        # loads (the quietest moment: no run training, the last one's training state released)
        self.rss_between_runs: list[float] = []
        self.refresh_ms: list[tuple[str, float]] = []  # (tab, cost) of each refresh() while timing them
        self._ending = False
        self._log_timer = QTimer(interval=int(log_every_s * 1000))
        self._log_timer.timeout.connect(self._log)
        self._tab_timer = QTimer(interval=int(tab_switch_s * 1000))
        self.kinds = kinds  # kinds of run in the mix: after that many, each has been trained once
        self._tab_timer.timeout.connect(self._next_tab)
        self._step_timer = QTimer(interval=1000)
        self._step_timer.timeout.connect(self._check_steps)
        self._end_timer = QTimer(singleShot=True, interval=int(seconds * 1000))
        self._end_timer.timeout.connect(self._end)

    def run(self) -> None:
        self.window.controller.run_ended.connect(self._on_run_ended)
        self.started = time.monotonic()
        self.probe.start()
        self._log_timer.start()
        self._tab_timer.start()
        if self.target_steps:
            self._step_timer.start()
        else:
            self._end_timer.start()
        self._load_next()
        self.loop.exec()
        for timer in (self._log_timer, self._tab_timer, self._step_timer):
            timer.stop()
        self.probe.stop()
        self.window.controller.run_ended.disconnect(self._on_run_ended)

    @property
    def elapsed_min(self) -> float:
        return (time.monotonic() - self.started) / 60

    def _load_next(self) -> None:
        """Choose the next experiment, then press Run on a later turn of the event loop, as a person
        does with two clicks (not both inside the handler of the previous run's end). A zero-delay
        single shot would press it in the same turn (plots/turns.py): one stall for two clicks."""
        if self.runs_finished:
            self.rss_between_runs.append(rss_mb())
        self.probe.mark_idle(False)
        self.probe.mark_change("experiment loaded")
        self.window.set_experiment(next(self.experiments))
        self._next_turn.call(self._press_run)

    def _press_run(self) -> None:
        self.probe.mark_change("run start")
        window = self.window
        window.views.setCurrentWidget(window.plots)
        if not window.run_action.isEnabled():
            raise RuntimeError(f"Run is disabled: {window.experiment.problems}")
        window.run_action.trigger()

    def _on_run_ended(self, run, _outcome) -> None:
        from PySide6.QtCore import QTimer

        self.probe.mark_change("run end")
        self.runs_finished += 1
        if self.runs_finished == self.kinds:
            self.first_pass_mb = rss_mb()  # each kind of run has been trained once
        self.statuses.add(run.status)
        if self._ending:
            self.loop.quit()
        else:  # the window idle for a while: the same probe, with no run training, is the noise floor
            self.probe.mark_idle(True)
            QTimer.singleShot(self.idle_gap_ms, self._load_next)

    def _end(self) -> None:
        """Time is up: stop the run under way (as the Stop button does) and finish when it has ended."""
        self._ending = True
        self.window.controller.stop()

    def current_steps(self) -> int | None:
        """Steps logged by the run training now (None between runs and while its data loads)."""
        run = self.window.controller.active_run
        return run.history.steps if run is not None and run.history is not None else None

    def _check_steps(self) -> None:
        if (self.current_steps() or 0) >= self.target_steps and not self._ending:
            self._end()

    def _next_tab(self) -> None:
        tabs = self.window.plots.tabs
        visible = [index for index in range(tabs.count()) if tabs.isTabVisible(index)]
        after = [index for index in visible if index > tabs.currentIndex()]
        shown = (after or visible)[0]
        self.probe.mark_change(f"tab {tabs.tabText(shown).replace('&&', '&')}")
        tabs.setCurrentIndex(shown)

    def _log(self) -> None:
        steps = self.current_steps()
        shown = f"{steps:>9,}" if steps is not None else f"{'–':>9}"
        print(f"{self.elapsed_min:5.1f} min  RSS {rss_mb():7.1f} MB  {self.runs_finished:4d} runs finished  "
              f"steps {shown}  stalls {describe(self.probe.take())}", flush=True)

    def time_refreshes(self) -> None:
        """From now on, record what each refresh() of the plots costs and on which tab."""
        plots, clock = self.window.plots, time.perf_counter
        untimed = plots.refresh

        def timed() -> None:
            began = clock()
            untimed()
            self.refresh_ms.append((plots.tabs.tabText(plots.tabs.currentIndex()), (clock() - began) * 1000))

        plots.refresh = timed  # the refresh timer's slot looks it up on each tick


def open_window(scratch: str):
    from PySide6.QtCore import QEventLoop, QSettings

    from workbench.ui.app import build_window, create_application

    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, os.path.join(scratch, "settings"))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    app = create_application()
    window = build_window(None)
    ready = QEventLoop()
    window.controller.ready.connect(ready.quit)
    window.show()
    ready.exec()
    return app, window


def warm_up(window) -> float:
    """Train the warm-up runs and show every plot tab once before measuring (torch's lazy imports and pools,
    and each tab's first drawing, are start-up, not growth); returns the resident memory after it."""
    from PySide6.QtCore import QEventLoop, QTimer

    done = QEventLoop()
    window.controller.run_ended.connect(done.quit)
    for preset, overrides in WARM_UP_RUNS:
        window.set_experiment(experiment(preset, {**overrides, "meta.name": f"soak warm-up {preset}"}))
        window.run_action.trigger()
        done.exec()
        # idle as after every soak run, so each warm-up run starts as the soak's runs do
        QTimer.singleShot(IDLE_GAP_S * 1000, done.quit)
        done.exec()
    window.controller.run_ended.disconnect(done.quit)
    gc.collect()
    trained_mb = rss_mb()
    tabs = window.plots.tabs
    for index in [*(index for index in range(tabs.count()) if tabs.isTabVisible(index)), 0]:
        tabs.setCurrentIndex(index)
        QTimer.singleShot(WARM_UP_TAB_MS, done.quit)
        done.exec()
    gc.collect()
    start_mb = rss_mb()
    print(f"start: RSS {start_mb:.1f} MB: {trained_mb:.1f} after the warm-up runs "
          f"({', '.join(preset for preset, _ in WARM_UP_RUNS)}), {start_mb - trained_mb:+.1f} MB for every tab's "
          f"first drawing; device {window.controller.device}, load average {os.getloadavg()[0]:.2f}", flush=True)
    return start_mb


def soak(window, minutes: float, log_every_s: float, quick: bool = False, trace_ms: float = 0) -> None:
    start_mb = warm_up(window)
    mix = QUICK_RUNS if quick else SOAK_RUNS
    pace = {"idle_gap_s": QUICK_IDLE_GAP_S, "tab_switch_s": QUICK_TAB_SWITCH_S} if quick else {}
    runs = Soak(window, cycle([experiment(preset, overrides) for preset, overrides in mix]),
                seconds=minutes * 60, log_every_s=log_every_s, kinds=len(mix), **pace)
    collections = CollectorPauses(runs.probe)
    tracer = StallTracer(runs.probe, trace_ms) if trace_ms else None
    if tracer:
        tracer.start()
    runs.run()
    collections.stop()
    gc.collect()
    end_mb = rss_mb()
    stalls = runs.probe.all_stalls()
    parts = runs.probe.split()
    growth = end_mb - start_mb
    print(f"end: RSS {end_mb:.1f} MB after {runs.runs_finished} runs in {runs.elapsed_min:.1f} min "
          f"(statuses: {', '.join(sorted(runs.statuses))}), load average {os.getloadavg()[0]:.2f}")
    entries = window.session.runs
    resident = sum(entry.history_resident for entry in entries)
    print(f"the Runs list keeps {len(entries)} runs ({resident} histories in memory) holding "
          f"{sum(map(kept_by_run_mb, entries)):.1f} MB of arrays and tensors (histories, datasets, models, "
          f"early-stopping copies)")
    print(f"growth: {growth:+.1f} MB ({'within' if growth <= GROWTH_BUDGET_MB else 'OVER'} the "
          f"{GROWTH_BUDGET_MB} MB budget)")
    if runs.first_pass_mb is not None:
        print(f"  of which {runs.first_pass_mb - start_mb:+.1f} MB by the end of the first pass through the "
              f"{runs.kinds} kinds of run, {end_mb - runs.first_pass_mb:+.1f} MB after it")
    print(memory_trend(runs.rss_between_runs, runs.kinds, runs.elapsed_min))
    print(f"GUI stalls overall: {describe(stalls)}, median {np.median(stalls):.1f} ms over {len(stalls):,} ticks "
          f"over {len(runs.probe.changes_ms):,} run starts, run ends and tab switches")
    training_p = np.percentile(parts.training, TRAINING_PERCENTILE) if len(parts.training) else np.inf
    for label, part, verdict in (
            ("while runs train", parts.training, budget_verdict(
                training_p, TRAINING_STALL_BUDGET_MS, f"p{TRAINING_PERCENTILE:g}")),
            (f"within {AFTER_CHANGE_MS / 1000:g} s of a run start, run end or tab switch", parts.after_changes,
             budget_verdict(parts.after_changes.max() if len(parts.after_changes) else np.inf,
                            CHANGE_STALL_BUDGET_MS, "worst")),
            ("on the idle window, no run training (this machine's noise floor)", parts.idle, "")):
        print(f"  {label}: {describe(part)} over {len(part):,} ticks{verdict}")
    print("  the worst stall in the second after each kind of change:")
    for kind, (worst, count) in sorted(worst_by_change(runs.probe).items(), key=lambda item: -item[1][0]):
        print(f"    {kind:<26} {worst:6.1f} ms  ({count} times)")
    print("the GUI thread's cycle collections (every one runs there), by generation:")
    for line in collections.report():
        print(f"  {line}")
    if tracer:
        tracer.stop()
        print(f"the longest stalls traced (--trace-stalls {trace_ms:g}), where the GUI thread was sampled:")
        print("\n".join(f"  {line}" for line in tracer.report()))


def memory_trend(samples: list[float], kinds: int, minutes: float) -> str:
    """The growth once every kind of run has been trained once: resident memory at the same moment of each
    run's cycle (the end point above is wherever the last run was stopped, so it swings by the size of what
    that run held), fitted by a line over the runs after the first pass, and its rise over the soak's length.
    """
    later = np.asarray(samples[kinds:], dtype=float)  # samples[i]: after run i + 1 and its idle gap
    if len(later) < 2 * kinds:
        return "  trend after the first pass: too few runs to fit"
    slope = np.polyfit(np.arange(len(later)), later, 1)[0]  # MB per run
    per_soak = slope * len(samples)
    passes = [float(np.median(later[start:start + kinds])) for start in range(0, len(later) - kinds + 1, kinds)]
    return (f"  between runs, after the first pass: {slope * 1000:+.0f} KB per run fitted over {len(later)} runs "
            f"({per_soak:+.1f} MB over the {len(samples)} runs of these {minutes:.0f} minutes; "
            f"{'within' if per_soak <= GROWTH_BUDGET_MB else 'OVER'} the {GROWTH_BUDGET_MB} MB budget); "
            f"median per pass {passes[0]:.1f} -> {passes[-1]:.1f} MB")


def budget_verdict(value: float, budget: float, measure: str) -> str:
    return f" ({'within' if value <= budget else 'OVER'} the {budget} ms budget for the {measure})"


def one_long_run(window, target_steps: int, log_every_s: float) -> None:
    from PySide6.QtCore import QTimer

    start_mb = warm_up(window)
    spiral = experiment("spiral", {"train.batch_size": 1, "train.epochs": LONG_RUN_EPOCHS,
                                   "meta.name": "soak one long run"})
    runs = Soak(window, cycle([spiral]), seconds=0, log_every_s=log_every_s, target_steps=target_steps,
                idle_gap_s=0)

    # the last minutes begin when the steps still to log would take LAST_MINUTES at the pace so far
    def time_last_minutes():
        steps = runs.current_steps()
        if steps and steps >= target_steps - LAST_MINUTES * steps / max(runs.elapsed_min, 1e-9):
            runs.probe.forget()  # only the last minutes count
            runs.time_refreshes()
            print(f"-- timing the last minutes from {steps:,} steps", flush=True)
        else:
            QTimer.singleShot(1000, time_last_minutes)

    QTimer.singleShot(1000, time_last_minutes)
    runs.run()
    run = window.session.runs[0]
    counts = window.plots.curve_point_counts()
    stalls = runs.probe.all_stalls()
    end_mb = rss_mb()
    print(f"the run logged {run.history.steps:,} steps in {runs.elapsed_min:.1f} min ({run.status}); "
          f"step-loss points drawn: {counts.get('step_loss', 0):,}; RSS {end_mb:.1f} MB "
          f"({end_mb - start_mb:+.1f} MB, of which its arrays and tensors {kept_by_run_mb(run):.1f} MB); "
          f"load average {os.getloadavg()[0]:.2f}")
    print(f"GUI stalls over the last minutes: {describe(stalls)}, median {np.median(stalls):.1f} ms, "
          f"p99.9 {np.percentile(stalls, 99.9):.1f} ms over {len(stalls):,} ticks")
    for tab in dict.fromkeys(tab for tab, _ in runs.refresh_ms):
        costs = np.array([ms for shown, ms in runs.refresh_ms if shown == tab])
        print(f"  refresh() on {tab.replace('&&', '&'):<18} median {np.median(costs):5.2f} ms, "
              f"p99 {np.percentile(costs, 99):5.2f} ms, worst {costs.max():5.2f} ms over {len(costs)} calls")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--log-every", type=float, default=60.0, help="seconds between status lines")
    parser.add_argument("--one-long-run", action="store_true", help="one spiral run at batch size 1 to --steps")
    parser.add_argument("--steps", type=int, default=MILLION_STEPS)
    parser.add_argument("--quick-runs", action="store_true", help="short runs back to back (QUICK_RUNS)")
    parser.add_argument("--trace-stalls", type=float, default=0, metavar="MS",
                        help="sample the GUI thread's stack during stalls longer than MS (StallTracer)")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="workbench-soak-gui-") as scratch:
        os.environ["WORKBENCH_RUNS_DIR"] = os.path.join(scratch, "runs")
        app, window = open_window(scratch)
        if args.one_long_run:
            one_long_run(window, args.steps, args.log_every)
        else:
            soak(window, args.minutes, args.log_every, quick=args.quick_runs, trace_ms=args.trace_stalls)
        window.close()
        app.processEvents()


if __name__ == "__main__":
    main()
