"""Steering in the app: the live box changes the training run's settings, every time plot marks the change,
and Fork from epoch… continues a finished run from a kept epoch, overlaid on it; an epoch whose state was
dropped is answered with the nearest kept one."""

import pyqtgraph as pg
from PySide6.QtWidgets import QDialogButtonBox

from workbench.core.rundir.reader import load_run
from workbench.core.training.engine import Run
from workbench.core.training.runtime import RunControl, StepReport
from workbench.core.training.state import KeepEpochStates
from workbench.ui.controller import PAUSED
from workbench.ui.fork import ForkDialog
from workbench.ui.panels.compare import RunOverlay
from workbench.ui.plots import PlotsArea

STEP_TIMEOUT_MS = 30_000
LAYOUT_MS = 50  # the event-loop time a layout change takes to apply


def test_a_change_steered_in_the_app_is_applied_recorded_and_marked_then_forked(window, qtbot, tiny, summary_of):
    window.set_experiment(tiny(**{"train.epochs": 4}))
    qtbot.wait(LAYOUT_MS)
    views = window.views.size()
    window.run_action.trigger()
    controller = window.controller
    qtbot.waitUntil(lambda: controller.latest_step is not None, timeout=STEP_TIMEOUT_MS)
    assert window.steer.shown() and window.steer.fields["train.lr"].text() == "0.02"
    # the row fits a 1280-px screen beside the docks: shown, a box once widened the window by 200 px for good
    assert window.minimumSizeHint().width() <= 1280
    window.pause_action.trigger()
    assert controller.state == PAUSED
    # the row keeps its room while no run trains: a run's start and end never resize (so repaint) the plots
    qtbot.wait(LAYOUT_MS)
    assert window.views.size() == views
    window.steer.fields["train.lr"].setText("-1")
    window.steer.apply()
    assert "train.lr: -1" in window.status.currentMessage()
    window.steer.fields["train.lr"].setText("0.1")
    window.steer.apply()
    assert window.status.currentMessage() == "From the next step: train.lr = 0.1"
    run = controller.active_run
    with qtbot.waitSignal(controller.run_ended, timeout=STEP_TIMEOUT_MS):
        window.pause_action.trigger()
    assert not window.steer.shown()
    qtbot.wait(LAYOUT_MS)
    assert window.views.size() == views
    [change] = run.history.changes
    assert (change.key, change.old, change.new) == ("train.lr", 0.02, 0.1)
    window.plots.refresh()
    assert [markers.labels for markers in window.plots.change_markers] == [["train.lr 0.02 → 0.1"]] * 6

    dialog = ForkDialog(run, controller.epoch_states.of(run), window)
    assert dialog.epoch.value() == 4 and dialog.epochs.value() == 14  # the last epoch: 10 more
    dialog.epoch.setValue(2)
    dialog.fields["train.weight_decay"].setText("0.001")
    with qtbot.waitSignal(controller.run_ended, timeout=STEP_TIMEOUT_MS) as ended:
        window.fork.start(run, dialog)
    child = ended.args[0]
    assert child.name == "tiny moons (from epoch 2: train.weight_decay = 0.001)"
    summary = summary_of(child.directory)
    assert summary["parent"] == str(run.directory) and summary["fork_epoch"] == 2
    assert [r.name for r in window.session.selected] == [child.name, run.name]  # overlaid on its parent
    window.plots.refresh()
    assert window.plots.change_markers[0].labels == ["train.lr 0.02 → 0.1", "forked at epoch 2"]
    overlay = RunOverlay()  # the Compare tab's, from the run directories
    qtbot.addWidget(overlay)
    overlay.show_runs([load_run(run.directory), load_run(child.directory)], ["parent", "fork"])
    for plot in (overlay.loss_plot, overlay.accuracy_plot):
        lines = [item for item in plot.getPlotItem().items if isinstance(item, pg.InfiniteLine)]
        assert [line.label.format for line in lines] == ["train.lr 0.02 → 0.1", "forked at epoch 2"]


def test_a_dropped_epoch_offers_the_nearest_kept_one(qtbot, tiny):
    keeper = KeepEpochStates()
    run = Run(tiny(**{"train.epochs": 3}), callbacks=[keeper]).fit()
    keeper.budget_bytes = 200 * 2**20
    keeper.dropped = [1]
    del keeper.states[1]
    dialog = ForkDialog(run, keeper)
    qtbot.addWidget(dialog)
    assert "epochs 2–3" in dialog.kept.text() and "Dropped: epochs 1–1" in dialog.kept.text()
    dialog.epoch.setValue(1)
    assert not dialog.problem.isHidden() and "The state of epoch 1 was dropped" in dialog.problem.text()
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    assert dialog.use_nearest.text() == "&Use epoch 2"
    dialog.use_nearest.click()
    assert dialog.epoch.value() == 2 and dialog.problem.isHidden()
    assert dialog.overrides() == {}  # nothing changed: the same run, continued


def test_every_time_plot_marks_a_steered_change(qtbot, tiny):
    control = RunControl()
    run = Run(tiny(**{"train.epochs": 2}), control=control)
    for report in run.iter_fit():
        if isinstance(report, StepReport) and not control.take_changes() and not run.history.changes:
            control.request_change("model.dropout", 0.25)
    area = PlotsArea()
    qtbot.addWidget(area)
    area.show_run(run)
    assert [markers.labels for markers in area.change_markers] == [["model.dropout 0 → 0.25"]] * 6
