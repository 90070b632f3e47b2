"""The Sweep window: a sweep live while it runs, or reopened from its directory. Parallel coordinates and
(for a grid over two settings) a heatmap, each configuration's validation curve with a band over its seeds,
the sortable table of trials, and under it what matters: the share of the variance in validation accuracy
each setting explains and the configurations the diagnosis flagged.

Opening a trial (double-click, Enter, or Open as run) asks for its run directory to join the session; the
window's owner does that (wiring.py). Curves are read from the trials' metrics.csv on a background thread: while
the sweep runs, every CURVE_POLL_MS for the trials not finished yet.
"""

from __future__ import annotations

import html
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from workbench.core.sweeps.plan import SweepPlan, settings_label
from workbench.core.sweeps.results import PENDING, TrialResult
from workbench.core.sweeps.summary import (
    INTERPLAY,
    configurations,
    flagged_configurations,
    share_name,
    what_matters,
)
from workbench.ui.language import Translated
from workbench.ui.sweep.curves import ConfigurationCurves
from workbench.ui.sweep.plots import AccuracyScale, GridHeatmap, ParallelCoordinates, heatmap_keys
from workbench.ui.sweep.table import TrialsTable
from workbench.ui.worker import call_in_background

CURVE_POLL_MS = 1000
REFRESH_DELAY_MS = 250  # trials ending together (a pool of workers) are drawn in one refresh
MOSTLY = 0.5  # the interplay's share above which the settings are said to matter mostly together
SHARE_BAR_BLOCKS = 20  # "████" for 100%
WINDOW_SIZE = (1400, 900)


def read_curves(directory: Path, results: list[TrialResult]) -> dict[str, np.ndarray]:
    """On a background thread: the validation curve of each trial whose run directory exists."""
    from workbench.core.sweeps.reader import validation_curve

    return {result.trial.id: validation_curve(directory / result.trial.id) for result in results
            if (directory / result.trial.id).is_dir()}


class SweepView(Translated, QWidget):
    open_requested = Signal(list)  # the run directories (Path) of the trials chosen
    stop_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("sweepView")
        self.resize(*WINDOW_SIZE)
        self.plan: SweepPlan | None = None
        self.directory: Path | None = None
        self.results: list[TrialResult] = []
        self.curves: dict[str, np.ndarray] = {}
        self.live = False
        self.ended = ""  # "" while running or never started here; else how it ended, in words
        self._curves_final: set[str] = set()  # trials whose curve was read after they ended
        self._reading = False
        self._stopping = False
        self._columns_fitted = True

        self.title = QLabel()
        self.progress = QLabel()
        self.progress.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notice = QLabel()  # why a command did nothing, or why the sweep could not run; hidden when empty
        self.notice.setWordWrap(True)
        self.notice.setVisible(False)
        self.stop_button = QPushButton()
        self.stop_button.clicked.connect(self._stop)
        self.open_button = QPushButton()
        self.open_button.clicked.connect(self.open_selected)
        self.parallel = ParallelCoordinates()
        self.heatmap = GridHeatmap()
        self.curves_plot = ConfigurationCurves()
        self.table = TrialsTable()
        self.table.activated.connect(lambda _index: self.open_selected())
        self.table.selectionModel().selectionChanged.connect(lambda *_args: self._highlight())
        self.what_matters = QLabel()
        self.what_matters.setWordWrap(True)
        self.what_matters.setTextFormat(Qt.TextFormat.RichText)
        self.what_matters.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.what_matters.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self._build_layout()
        self._poll = QTimer(self, interval=CURVE_POLL_MS)
        self._poll.timeout.connect(self._read_curves)
        self._refresh_timer = QTimer(self, singleShot=True, interval=REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(self._refresh)
        self._grouped: list = []  # the configurations and accuracy scale the plots show, for new curves
        self._scale = AccuracyScale([])
        self.retranslate()

    def _build_layout(self) -> None:
        header = QHBoxLayout()
        header.addWidget(self.title)
        header.addWidget(self.progress, 1)
        header.addWidget(self.open_button)
        header.addWidget(self.stop_button)
        overview = QSplitter(Qt.Orientation.Horizontal)
        overview.addWidget(self.parallel)
        overview.addWidget(self.heatmap)
        overview.setSizes([WINDOW_SIZE[0] * 3 // 5, WINDOW_SIZE[0] * 2 // 5])
        below = QWidget()
        table_column = QVBoxLayout(below)
        table_column.setContentsMargins(0, 0, 0, 0)
        table_column.addWidget(self.table, 3)
        table_column.addWidget(self.what_matters, 2)
        details = QSplitter(Qt.Orientation.Horizontal)
        details.addWidget(self.curves_plot)
        details.addWidget(below)
        details.setSizes([WINDOW_SIZE[0] * 9 // 20, WINDOW_SIZE[0] * 11 // 20])
        rows = QSplitter(Qt.Orientation.Vertical)
        rows.addWidget(overview)
        rows.addWidget(details)
        rows.setSizes([WINDOW_SIZE[1] * 2 // 5, WINDOW_SIZE[1] * 3 // 5])
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.notice)
        layout.addWidget(rows, 1)

    def retranslate(self) -> None:
        self.stop_button.setText(self.tr("&Stop sweep"))
        self.stop_button.setToolTip(self.tr("Running trials stop after their current step; finished trials are kept"))
        self.open_button.setText(self.tr("&Open as run"))
        self.open_button.setToolTip(self.tr("Open the selected trials as runs in the main window (or double-click)"))
        self._refresh()

    # -- what it shows --------------------------------------------------------------------------
    def show_sweep(self, plan: SweepPlan, results: list[TrialResult], directory: Path, *, live: bool) -> None:
        """A sweep starting now (live: trials arrive through record()) or read back from its directory."""
        self.plan, self.results, self.directory, self.live = plan, list(results), Path(directory), live
        self.curves, self._curves_final, self.ended, self._stopping = {}, set(), "", False
        self._columns_fitted = not live  # a live sweep's columns are fitted again once numbers arrive
        self.stop_button.setEnabled(True)
        self._say("")
        self.table.set_sweep(plan, self.results)
        self._refresh()
        self._read_curves()
        if live:
            self._poll.start()

    def record(self, result: TrialResult) -> None:
        """A trial of the live sweep ended (or was left pending by a stop)."""
        index = next((i for i, shown in enumerate(self.results) if shown.trial.id == result.trial.id), None)
        if index is None:
            return
        self.results[index] = result
        self._curves_final.discard(result.trial.id)
        self.table.trials.set_result(result)
        self.progress.setText(self._progress_text(configurations(self.results)))  # the plots follow in a moment
        self._refresh_timer.start()

    def finish(self, error: str, *, stopped: bool) -> None:
        """The live sweep ended: ran out of trials, stopped by the user, or could not run (`error`)."""
        self.live = False
        self._poll.stop()
        self.ended = (self.tr("could not run") if error else self.tr("stopped; the finished trials are kept")
                      if stopped else self.tr("finished"))
        if error:
            self._say(error)
        self._refresh()
        self.table.fit_columns()
        self._read_curves()

    def _refresh(self) -> None:
        plan = self.plan
        self.stop_button.setVisible(self.live)
        self.open_button.setEnabled(plan is not None)
        if plan is None:
            return
        self.setWindowTitle(self.tr("Sweep: {name}").format(name=plan.name))
        self.title.setText(f"<b>{html.escape(plan.name)}</b>")
        grouped = self._grouped = configurations(self.results)
        scale = self._scale = AccuracyScale([result.val_acc for result in self.results if result.has_result])
        self.parallel.show_trials(plan, self.results, scale)
        self.heatmap.setVisible(heatmap_keys(plan) is not None)
        self.heatmap.show_grid(plan, grouped, scale)
        self.curves_plot.show_curves(grouped, self.curves, scale)
        self.progress.setText(self._progress_text(grouped))
        self.what_matters.setText(self._what_matters_html())
        if not self._columns_fitted and any(result.status != PENDING for result in self.results):
            self._columns_fitted = True
            self.table.fit_columns()

    def _progress_text(self, grouped) -> str:
        done = sum(result.status != PENDING for result in self.results)
        parts = [self.tr("{done} of {total} trials done").format(done=done, total=len(self.results))]
        if self.live:
            parts.append(self.tr("stopping…") if self._stopping else self.tr("running"))
        elif self.ended:
            parts.append(self.ended)
        best = next((group for group in grouped if group.mean_accuracy is not None), None)
        if best is not None:
            parts.append(self.tr("best {accuracy} ({settings})").format(
                accuracy=f"{best.mean_accuracy:.1%}", settings=settings_label(best.settings)))
        parts.append(str(self.directory))
        return " · ".join(parts)

    def _what_matters_html(self) -> str:
        shares = what_matters(self.plan, self.results)
        if not shares:
            lines = [self.tr("<b>What matters</b> shows once trials of different settings have finished.")]
        else:
            lines = [self.tr("<b>What matters</b> (share of the variance in validation accuracy over the trials):")]
            settings = [(key, share) for key, share in shares if key in self.plan.keys]
            if settings:
                key, share = settings[0]
                lines.append(self.tr("Of the settings alone, <b>{key}</b> explains the most: {share}.").format(
                    key=html.escape(key), share=f"{share:.0%}"))
            if dict(shares).get(INTERPLAY, 0.0) > MOSTLY:
                lines.append(self.tr("Most of it is the settings acting together: the best value of one depends on "
                                     "the others, so compare each value at its own best, not at one shared setting."))
            lines += [f"<tt>{'█' * round(share * SHARE_BAR_BLOCKS) or '▏'}</tt> {share:.0%} "
                      f"{html.escape(share_name(key))}" for key, share in shares]
        flagged = flagged_configurations(self.results)
        if flagged:
            lines.append(self.tr("<b>Flagged by the diagnosis:</b>"))
            lines += [html.escape(f"{settings_label(group.settings) or self.plan.name}: " + ", ".join(
                f"{finding} {times}/{len(group.ran)}" for finding, times in group.alarms.most_common()))
                for group in flagged]
        failed = [result for result in self.results if result.failed]
        if failed:
            lines.append(self.tr("<b>Failed trials:</b>"))
            lines += [html.escape(f"{result.trial.id}: {result.error or '–'}") for result in failed]
        return "<br>".join(lines)

    def _highlight(self) -> None:
        chosen = self.table.selected_results()
        self.parallel.set_highlight({result.trial.id for result in chosen})
        self.curves_plot.set_highlight({settings_label(result.trial.settings) for result in chosen})

    # -- curves, read on a background thread ----------------------------------------------------------
    def _read_curves(self) -> None:
        if self._reading or self.directory is None:
            return
        wanted = [result for result in self.results if result.trial.id not in self._curves_final]
        if not wanted:
            return
        self._reading = True
        ended = {result.trial.id for result in wanted if result.status != PENDING}
        directory = self.directory
        call_in_background(lambda: read_curves(directory, wanted), self,
                           lambda curves: self._on_curves(curves, ended, directory),
                           lambda _error: setattr(self, "_reading", False))

    def _on_curves(self, curves: dict[str, np.ndarray], ended: set[str], directory: Path) -> None:
        self._reading = False
        if directory != self.directory:  # another sweep is shown now
            return
        self._curves_final |= ended
        if any(len(curve) != len(self.curves.get(trial, ())) for trial, curve in curves.items()):
            self.curves.update(curves)
            self.curves_plot.show_curves(self._grouped, self.curves, self._scale)

    # -- commands -------------------------------------------------------------------------------
    def open_selected(self) -> None:
        chosen = self.table.selected_results()
        if not chosen:
            self._say(self.tr("Select one or more trials in the table to open them as runs."))
            return
        opened = [self.directory / result.run_dir for result in chosen if result.run_dir]
        if len(opened) < len(chosen):
            self._say(self.tr("A trial that has not trained (yet) has no run to open: {trials}").format(
                trials=", ".join(result.trial.id for result in chosen if not result.run_dir)))
        if opened:
            self.open_requested.emit(opened)

    def _say(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def _stop(self) -> None:
        self._stopping = True
        self.stop_button.setEnabled(False)
        self.stop_requested.emit()
        self._refresh()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if self.live:
            self._poll.start()
        super().showEvent(event)

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        """Closing the window hides it; a running sweep goes on (Run → Show sweep brings it back)."""
        self._poll.stop()
        super().closeEvent(event)
