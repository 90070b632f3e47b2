"""The plots area: tabs of live views over one run's history, or an overlay of several runs' curves.

A run is any RunRecord of the runs session: a run training now (its history appears once its worker
starts) or one read from disk. The area only reads the history's buffers; `refresh()` is meant for a
~30 ms timer. Following a session, it shows the selected runs.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QTabWidget, QVBoxLayout, QWidget

from workbench.core.history import RunHistory
from workbench.core.session import RunRecord, RunsSession
from workbench.core.status import RunStatus
from workbench.ui.language import Translated
from workbench.ui.plots import style
from workbench.ui.plots.confusion_view import ConfusionView
from workbench.ui.plots.decision_boundary import DecisionBoundaryView
from workbench.ui.plots.distributions_view import DistributionsView
from workbench.ui.plots.evidence import CONFUSION, EVIDENCE_VIEWS, FIRST_LAYER, SPEED
from workbench.ui.plots.filters_view import FiltersView
from workbench.ui.plots.layer_bars import LatestPerLayerBars
from workbench.ui.plots.layer_views import PerLayerTrend
from workbench.ui.plots.markers import ChangeMarkers, marks_of
from workbench.ui.plots.neurons_view import NeuronsView
from workbench.ui.plots.speed_view import SpeedView
from workbench.ui.plots.time_steps_view import GradientThroughTime
from workbench.ui.plots.training_curves import TrainingCurves
from workbench.ui.plots.turns import NextTurn
from workbench.ui.trained_models import TrainedModels

UPDATE_RATIO_GUIDE = 1e-3  # Karpathy (CS231n): updates near 1e-3 of the weights are a healthy pace
SHARE_RANGE = (0.0, 1.0)
EQUAL_SHARE = 1000  # px, a splitter's starting size per plot: any equal numbers give equal shares


def unique_names(names: list[str]) -> list[str]:
    """Two runs of the same experiment still get two key entries: "spiral", "spiral (2)"."""
    seen: dict[str, int] = {}
    result = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        result.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return result


def planned_epochs(run: RunRecord) -> int | None:
    """The epochs a run was configured for (a live run's epoch axis ends there at most), if known."""
    return run.config.train.epochs if run.config is not None else None


class PlotsArea(Translated, QWidget):
    """Tabs: loss & accuracy, gradients, activations, weight updates, and (2-D data) decision boundary."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.curves = TrainingCurves()
        self.gradient_norms = PerLayerTrend(lambda h: h.probe_steps, lambda h: h.grad_norm, log_y=True)
        self.gradient_flow = LatestPerLayerBars(lambda h: h.probe_steps, lambda h: h.grad_norm)
        self.gradient_through_time = GradientThroughTime()  # recurrent runs only
        self.dead_share = PerLayerTrend(lambda h: h.activation_steps, lambda h: h.dead_share, y_range=SHARE_RANGE)
        self.saturated_share = PerLayerTrend(lambda h: h.activation_steps, lambda h: h.saturated_share,
                                             y_range=SHARE_RANGE)
        self.update_ratio = PerLayerTrend(lambda h: h.probe_steps, lambda h: h.update_ratio, log_y=True)
        self._update_guide = self.update_ratio.add_guide(UPDATE_RATIO_GUIDE)
        self.boundary = DecisionBoundaryView()
        self.trained = TrainedModels(self)  # the shown run's model, for the views that look inside it
        self.neurons, self.filters = NeuronsView(self.trained), FiltersView(self.trained)
        self.speed = SpeedView()
        self.distributions, self.confusion = DistributionsView(), ConfusionView()
        # settings changed while training and fork points, on every plot whose x axis is epochs
        self.change_markers = [ChangeMarkers(plot) for plot in (
            self.curves.loss_plot, self.curves.accuracy_plot, self.gradient_norms.plot, self.dead_share.plot,
            self.saturated_share.plot, self.update_ratio.plot)]

        self.tabs = QTabWidget()
        # each tab with what binding its views to the shown run's history means, and what refreshing it
        # means; only the tab in view is bound and refreshed (the others when shown: a run's start bound
        # every per-layer view at once, 8 ms of the GUI thread)
        self._tab_binders: list[Callable[[RunHistory | None], None]] = []
        self._tab_refreshers: list[Callable[[], None]] = []
        gradients = _stacked(self.gradient_norms.widget, self.gradient_flow.widget, self.gradient_through_time.widget)
        for widget, binder, refresher in (
            (self.curves, lambda _history: None, self._refresh_curves),
            (gradients,
             lambda history: self._bind_views(history, trends=(self.gradient_norms,),
                                              others=(self.gradient_flow, self.gradient_through_time)),
             lambda: self._refresh_detail(self.gradient_norms, self.gradient_flow, self.gradient_through_time)),
            (_stacked(self.dead_share.widget, self.saturated_share.widget),
             lambda history: self._bind_views(history, trends=(self.dead_share, self.saturated_share)),
             lambda: self._refresh_detail(self.dead_share, self.saturated_share)),
            (self.update_ratio.widget, lambda history: self._bind_views(history, trends=(self.update_ratio,)),
             lambda: self._refresh_detail(self.update_ratio)),
            (self.distributions, lambda history: self._bind_views(history, trends=(self.distributions,)),
             self.distributions.refresh),
            (self.confusion, self.confusion.bind, self.confusion.refresh),
            (self.speed, lambda history: self._bind_views(history, trends=(self.speed,)), self.speed.refresh),
            (self.boundary.widget, self._bind_boundary, self._refresh_boundary),
            (self.neurons, lambda _history: self.neurons.bind(self._runs[-1] if self._runs else None),
             self.neurons.refresh),
            (self.filters, lambda _history: self.filters.bind(self._runs[-1] if self._runs else None),
             self.filters.refresh),
        ):
            self.tabs.addTab(widget, "")
            self._tab_binders.append(binder)
            self._tab_refreshers.append(refresher)
        self._boundary_tab = self.tabs.indexOf(self.boundary.widget)
        self._gradients_tab = self.tabs.indexOf(gradients)
        # tabs shown only where they apply: 2-D data (boundary, neurons), CNNs (filters)
        self._optional_tabs = {self._boundary_tab: has_decision_grid, self.tabs.indexOf(self.neurons): has_neurons,
                               self.tabs.indexOf(self.filters): is_cnn_run}
        for index in self._optional_tabs:
            self.tabs.setTabVisible(index, False)
        self.tabs.currentChanged.connect(self.refresh)  # a tab shown catches up at once
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

        self._runs: list[RunRecord] = []
        self._wanted: list[RunRecord] = []  # the runs selected last, bound now or on the next turn
        self._next_turn = NextTurn(self)
        self._shown: list[tuple[int, str]] = []  # the runs whose curves are made: identity and name
        self._detail_history: RunHistory | None = None  # the history the per-layer tabs show
        self._tabs_bound: dict[int, RunHistory | None] = {}  # tab index -> the history its views are bound to
        self._points_bound = False
        style.on_theme_change(self._restyle)
        self.retranslate()

    def _restyle(self) -> None:
        self.curves.restyle()
        for view in (self.gradient_norms, self.gradient_flow, self.dead_share, self.saturated_share,
                     self.update_ratio, self.boundary, self.distributions, self.confusion, self.gradient_through_time,
                     self.neurons, self.filters):
            view.restyle()
        self._points_bound = False  # the boundary's points were drawn again
        for markers in self.change_markers:
            markers.restyle()

    def retranslate(self) -> None:
        for index, title in enumerate((self.tr("Loss && accuracy"), self.tr("Gradients"), self.tr("Activations"),
                                       self.tr("Weight updates"), self.tr("Distributions"), self.tr("Confusion"),
                                       self.tr("Speed"), self.tr("Decision boundary"), self.tr("Neurons"),
                                       self.tr("Filters"))):
            self.tabs.setTabText(index, title)
        self.gradient_norms.set_texts(self.tr("Gradient norm per layer"), self.tr("gradient norm"))
        self.gradient_flow.set_texts(self.tr("Gradient flow"), self.tr("gradient norm"))
        self.gradient_through_time.set_texts(self.tr("Gradient through time"))
        self.dead_share.set_texts(self.tr("Dead ReLU units (share)"), self.tr("share of units"),
                                  self.tr("no ReLU-type layer"))
        self.saturated_share.set_texts(self.tr("Saturated units (share beyond ±5)"), self.tr("share of units"),
                                       self.tr("no sigmoid/tanh layer"))
        self.update_ratio.set_texts(self.tr("Weight update ratio ‖ΔW‖/‖W‖ per layer"), self.tr("ratio"))
        self._update_guide.label.setFormat(self.tr("typical ≈ 1e-3"))
        self.boundary.retranslate()

    # -- binding --------------------------------------------------------------------------------
    def follow(self, session: RunsSession) -> None:
        """Show the session's selected runs, and catch up when one of them changes (an epoch, its end)."""
        session.selection_changed.connect(self._show_selected)
        session.updated.connect(self._run_updated)

    def _show_selected(self, runs: list[RunRecord]) -> None:
        """Bind the selected runs, oldest first, so that the per-layer tabs follow the newest. A run that has
        just started (no history yet) is bound on the next turn of the event loop: all there is to draw is
        empty plots, which repaint whole, and its start (run directory, worker, Runs list, diagnosis) and
        that repaint were one stall of 35-45 ms. A selection made meanwhile wins."""
        runs = runs[::-1]
        self._wanted = runs
        if runs and runs[-1].history is None and runs[-1].status == RunStatus.RUNNING:
            self._next_turn.call(lambda: self._bind(runs) if self._wanted is runs else None)
        else:
            self._bind(runs)

    def shows(self, run: RunRecord) -> bool:
        """Whether `run` is among the runs the plots show (alone or in an overlay)."""
        return any(shown is run for shown in self._runs)

    def _run_updated(self, run: RunRecord) -> None:
        """A renamed run's curves take its new name, and an ended run shows its last rows; a run under
        way only finished an epoch, which the live refresh timer brings in anyway (refreshing here too
        doubled the GUI thread's drawing at every epoch end). An ended run's plots are brought up to date
        on the next turn of the event loop: fitting them to the finished run repaints them whole, and
        with the diagnosis cards and the Runs list, which the end updates too, it made one 70-85 ms stall."""
        if not self.shows(run):
            return
        if [(id(r), r.name) for r in self._runs] != self._shown:
            self._bind(self._runs)
        elif run.status != RunStatus.RUNNING:
            self._next_turn.call(lambda: self._bind(self._runs) if self.shows(run) else None)

    def show_run(self, run: RunRecord) -> None:
        """Show one run, live or loaded; its plots follow its history on each refresh()."""
        self._wanted = [run]
        self._bind(self._wanted)

    def show_overlay(self, runs: list[RunRecord]) -> None:
        """Several runs' loss and accuracy on the same axes, one colour per run. The per-layer tabs
        show the last run (for "Apply fix": the cure, while it trains)."""
        self._wanted = list(runs)
        self._bind(self._wanted)

    def clear(self) -> None:
        self._runs, self._shown, self._wanted = [], [], []
        self.curves.clear()
        self._bind_detail(None)
        for markers in self.change_markers:
            markers.show([])

    def _bind(self, runs: list[RunRecord]) -> None:
        """Rebinding costs the GUI thread milliseconds (a run start asks for it twice): the runs shown
        already are only refreshed, and the per-layer views are rebound by refresh() only when the
        last run's history differs from theirs."""
        if not runs:
            self.clear()
        elif [(id(run), run.name) for run in runs] != self._shown:
            self._runs, self._shown = runs, [(id(run), run.name) for run in runs]
            self.curves.show_runs(unique_names([run.name for run in runs]))
        self.refresh()

    def _bind_detail(self, history: RunHistory | None) -> None:
        """The per-layer tabs show `history` from now on: the tab in view is bound now, the others when shown."""
        self._detail_history, self._tabs_bound = history, {}
        self._bind_tab(self.tabs.currentIndex())

    def _bind_tab(self, index: int) -> None:
        if index in self._tabs_bound and self._tabs_bound[index] is self._detail_history:
            return
        self._tab_binders[index](self._detail_history)
        self._tabs_bound[index] = self._detail_history

    def _bind_views(self, history: RunHistory | None, trends=(), others=()) -> None:
        """Per-layer trends follow `history` with the shown run's planned epochs; the other views without."""
        planned = planned_epochs(self._runs[-1]) if self._runs else None
        for view in trends:
            view.bind(history, planned)
        for view in others:
            view.bind(history)

    def _bind_boundary(self, _history: RunHistory | None) -> None:
        self.boundary.bind_points(None)
        self._points_bound = False

    # -- refreshing -----------------------------------------------------------------------------
    def refresh(self) -> None:
        """Pull the newest rows of the bound histories into the tab in view (the other tabs catch up
        when shown: hidden plots cost nothing). Cheap when nothing changed."""
        if self._runs:
            self._follow_runs()
            self._bind_tab(self.tabs.currentIndex())
            self._tab_refreshers[self.tabs.currentIndex()]()
            marks = marks_of(self._runs)
            for markers in self.change_markers:
                markers.show(marks)

    def _follow_runs(self) -> None:
        """A live run creates its history when its worker starts: bind the per-layer views then. Which
        optional tabs apply is known once its first epoch has ended (the decision grid comes then): until
        that, they stay as they were. Hiding the Decision boundary tab at each run start moved a user
        watching it to another tab, and laid the tab bar out twice in the run start's busiest moment."""
        history = self._runs[-1].history
        if history is not self._detail_history:
            self._bind_detail(history)
        if history is None or (not len(history.epochs) and history.decision_grid is None):
            return
        for index, applies in self._optional_tabs.items():
            shown = applies(self._runs[-1])
            if shown != self.tabs.isTabVisible(index):
                self.tabs.setTabVisible(index, shown)

    def _refresh_curves(self) -> None:
        planned = [epochs for epochs in map(planned_epochs, self._runs) if epochs is not None]
        self.curves.refresh([run.history for run in self._runs], max(planned, default=None))

    def _refresh_detail(self, *views) -> None:
        if self._detail_history is not None:
            for view in views:
                view.refresh()

    def _refresh_boundary(self) -> None:
        if self._detail_history is None:
            return
        if not self._points_bound:
            points = self._detail_history.training_points
            if points is not None:  # bound once per run: the training set does not change
                self.boundary.bind_points(points)
                self._points_bound = True
        self.boundary.refresh(self._detail_history.decision_grid)

    def show_evidence(self, finding) -> None:
        """The tab that shows a finding's evidence (plots/evidence.py), at its layer and epoch."""
        view = EVIDENCE_VIEWS.get(finding.id)
        if view is None or not self._runs:
            return
        self._follow_runs()
        if view.tab == SPEED:
            self.tabs.setCurrentWidget(self.speed)
        elif view.tab == CONFUSION:
            self.tabs.setCurrentWidget(self.confusion)
            self.confusion.show_epoch(finding.epoch)
        else:
            self.tabs.setCurrentWidget(self.distributions)
            self.distributions.show_evidence(view.kind, finding.layer or FIRST_LAYER, finding.epoch)

    # -- what a user sees (for tests): each brings its tab up to date, as showing that tab would --
    def curve_point_counts(self) -> dict[str, int]:
        """Points per loss/accuracy curve: "train_loss", "val_loss", "train_acc", "val_acc", "step_loss"
        for one run; "<run name> / <series>" for each run of an overlay."""
        if self._runs:
            self._follow_runs()
            self._refresh_curves()
        return self.curves.point_counts()

    def gradient_curve_count(self) -> int:
        """Curves in the per-layer gradient-norm plot (one per layer once probes arrived)."""
        if self._runs:
            self._follow_runs()
            self._bind_tab(self._gradients_tab)
            self._refresh_detail(self.gradient_norms)
        return self.gradient_norms.curve_count


def has_decision_grid(run: RunRecord) -> bool:
    return run.history is not None and run.history.decision_grid is not None


def has_neurons(run: RunRecord) -> bool:
    """2-D data through dense hidden layers: there are units to draw over the plane."""
    return has_decision_grid(run) and len(run.history.layers) > 1 and run.history.layers[0].kind == "linear"


def is_cnn_run(run: RunRecord) -> bool:
    """A run whose first weight layer is a convolution (model.kind = "cnn")."""
    return run.history is not None and bool(run.history.layers) and run.history.layers[0].kind == "conv"


def _stacked(*widgets: QWidget) -> QWidget:
    """Plots one above the other in equal shares, the border between them draggable."""
    splitter = QSplitter(Qt.Orientation.Vertical)
    splitter.setChildrenCollapsible(False)
    for widget in widgets:
        splitter.addWidget(widget)
    splitter.setSizes([EQUAL_SHARE] * len(widgets))  # scaled to the room there is when first shown
    return splitter
