"""The Distributions and Confusion tabs over a real tiny run directory, and the diagnosis cards that open
them on the layer and epoch of their evidence."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF
from tiny_experiment import tiny

from workbench.core.diagnosis.finding import Finding
from workbench.core.distributions import class_accuracy, decode_confusion
from workbench.core.rundir.reader import load_run
from workbench.core.training.engine import Run
from workbench.ui.panels.diagnosis import DiagnosisPanel
from workbench.ui.plots import PlotsArea
from workbench.ui.plots.confusion_view import ConfusionView
from workbench.ui.plots.distributions_view import VALUE_CELLS, DistributionsView

EPOCHS = 3


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    """A 3-epoch, three-class run (gaussians) written to disk, read back as the app reads old runs."""
    directory = tmp_path_factory.mktemp("runs") / "tiny"
    Run(tiny(**{"data.dataset": "gaussians", "train.epochs": EPOCHS}), run_dir=directory).fit()
    return directory


@pytest.fixture
def loaded(run_dir):
    run = load_run(run_dir)
    assert not run.problem
    return run


def test_distributions_show_one_strip_per_layer_and_read_values(qtbot, loaded):
    view = DistributionsView()
    qtbot.addWidget(view)
    view.bind(loaded.history)
    assert view.shown_layers == []  # bound, its strips wait for the view to be refreshed (shown)
    view.refresh()
    assert view.shown_layers == ["layer 1", "layer 2", "output"]
    for _, _, image in view._plots:
        assert image.image.shape == (EPOCHS + 1, VALUE_CELLS)  # step 0 and each epoch end, value cells
        assert np.nanmax(image.image) == pytest.approx(1.0)  # each column scaled to its peak
    view.layer_picker.setCurrentIndex(2)  # "All layers", then the layers
    assert view.shown_layers == ["layer 2"]
    for index, kind in enumerate(("weights", "gradients", "preactivations", "activations")):
        view.kind_picker.setCurrentIndex(index)
        assert view.kind == kind and view._plots[0][2].image is not None
    plot = view._plots[0][1]
    low, high = view._snapshots.low[2, 1, 3], view._snapshots.high[2, 1, 3]  # layer 2's activations, epoch 2
    view._hover(plot.getViewBox().mapViewToScene(QPointF(2, (low + high) / 2)))
    assert view.readout.text().startswith("layer 2 at epoch") and "of the values are between" in view.readout.text()


def test_a_run_of_the_same_layers_reuses_the_strips(qtbot, run_dir, loaded):
    view = DistributionsView()
    qtbot.addWidget(view)
    view.bind(loaded.history)
    view.refresh()
    strips = [plot for _, plot, _ in view._plots]
    view.bind(load_run(run_dir).history)  # a pyqtgraph plot per layer costs the GUI thread ~15 ms to make
    view.refresh()
    assert [plot for _, plot, _ in view._plots] == strips
    assert all(image.image.shape == (EPOCHS + 1, VALUE_CELLS) for _, _, image in view._plots)


def test_strips_on_screen_are_made_one_per_event_loop_turn_and_kept_for_later(qtbot, loaded):
    view = DistributionsView()
    qtbot.addWidget(view)
    view.show()
    view.bind(loaded.history)
    view.refresh()
    assert len(view.shown_layers) == 1  # the others follow, one per turn of the event loop
    qtbot.waitUntil(lambda: view.shown_layers == ["layer 1", "layer 2", "output"])
    strips = [plot for _, plot, _ in view._plots]
    view.layer_picker.setCurrentIndex(2)
    assert view.shown_layers == ["layer 2"] and view._plots[0][1] is strips[0]
    view.layer_picker.setCurrentIndex(0)  # all layers again: the strips made before, put back one per turn
    assert len(view.shown_layers) == 1
    qtbot.waitUntil(lambda: len(view.shown_layers) == 3)
    assert [plot for _, plot, _ in view._plots] == strips
    assert all(image.image.shape == (EPOCHS + 1, VALUE_CELLS) for _, _, image in view._plots)


def test_distributions_say_when_a_run_has_none(qtbot, loaded):
    history = loaded.history
    history.histograms.truncate(0)
    view = DistributionsView()
    qtbot.addWidget(view)
    view.bind(history)
    assert view.note.text().startswith("No histograms yet") and not view.note.isHidden()


def test_a_live_run_before_its_first_histograms_has_no_note(qtbot, loaded):
    """A live run takes its first histograms before training: a note for that moment moved the strips down
    and back up, two repaints of them all."""
    history = loaded.history
    history.histograms.truncate(0)
    history.status = "running"
    view = DistributionsView()
    qtbot.addWidget(view)
    view.bind(history)
    assert view.note.isHidden()


def test_distributions_of_a_live_history_grow_with_it(qtbot, loaded):
    history = loaded.history
    rows = history.histograms.view().copy()
    history.histograms.truncate(1)  # step 0 only, as when a run has just started
    view = DistributionsView()
    qtbot.addWidget(view)
    view.bind(history)
    view.refresh()
    assert view._plots[0][2].image.shape == (1, VALUE_CELLS)
    history.histograms.extend(rows[1:])
    view.refresh()
    assert view._plots[0][2].image.shape == (EPOCHS + 1, VALUE_CELLS)


def test_a_live_runs_strips_move_their_axes_only_when_a_snapshot_leaves_them(qtbot, loaded):
    """Set to fit at every epoch end, each strip's axes made their ticks again and the window repainted them
    all: two thirds of the tab's GUI-thread time while a run trained (bench_gui.py, worst stall 20-24 ms
    against 9-13 ms once the axes follow the snapshots). Once the run has ended they fit it snugly."""
    history = loaded.history
    rows = history.histograms.view().copy()
    epochs = 30
    snapshots = np.repeat(rows[-1:], epochs + 1, axis=0)  # the last epoch's values, at every epoch of a long run
    snapshots[:, 1] = np.arange(epochs + 1)  # the epoch column (distributions.HEADER: step, epoch)
    history.histograms.truncate(0)
    history.status = "running"
    view = DistributionsView()
    qtbot.addWidget(view)
    view.bind(history, planned_epochs=epochs)
    moves = []
    for epoch in range(epochs + 1):
        history.histograms.extend(snapshots[epoch:epoch + 1])
        view.refresh()
        if epoch == 0:
            first = view._plots[0][1].getViewBox()
            first.sigXRangeChanged.connect(lambda *_: moves.append(len(history.histograms)))
        (left, right), (bottom, top) = first.viewRange()
        assert left <= -0.5 and epoch + 0.5 <= right <= epochs + 0.5 + 0.02 * (epochs + 1)  # every column shown
        image = view._plots[0][2]
        assert bottom <= image.mapRectToView(image.boundingRect()).top()  # and all of its values
    assert len(moves) <= 8  # grown to round numbers: 1.5, 3, 5, 8, 12, ...; not at each of the 30 epoch ends
    history.status = "completed"
    view.refresh()
    (left, right), _ = first.viewRange()
    assert (left, right) == pytest.approx((-0.5 - 0.02 * (epochs + 1), epochs + 0.5 + 0.02 * (epochs + 1)))


def test_confusion_matrix_follows_the_newest_epoch_and_slides_back(qtbot, loaded):
    view = ConfusionView()
    qtbot.addWidget(view)
    view.bind(loaded.history)
    matrices = decode_confusion(loaded.history.confusion.view(), loaded.history.n_classes)
    assert view.shown_epoch == EPOCHS and view.slider.maximum() == EPOCHS - 1
    assert len(view.cell_labels) == 9  # a count in each cell of the 3 x 3 matrix
    assert view.cell_labels[:3] == [f"{int(v):,}" for v in matrices.matrices[-1][0]]
    np.testing.assert_allclose(view.class_accuracies(), loaded.history.class_recall.view()[-1], atol=1e-6)
    view.show_epoch(1)
    assert view.shown_epoch == 1 and view.epoch_label.text() == f"Epoch 1 of {EPOCHS}"
    np.testing.assert_allclose(view.class_accuracies(), class_accuracy(matrices.matrices[0]))
    centre = view.matrix_plot.getPlotItem().getViewBox().mapViewToScene(QPointF(1, 1))
    view._hover(centre)
    assert view.readout.text().startswith("true 1, predicted 1:")


def test_confusion_matrix_of_a_live_history_grows_with_it(qtbot, loaded):
    history = loaded.history
    rows = history.confusion.view().copy()
    history.confusion.truncate(1)
    view = ConfusionView()
    qtbot.addWidget(view)
    view.bind(history)
    assert view.shown_epoch == 1 and not view.slider.isEnabled()
    history.confusion.extend(rows[1:])
    view.refresh()
    assert view.shown_epoch == EPOCHS and view.slider.isEnabled()
    history.confusion.truncate(0)  # bound before the first epoch's matrix came: it follows the newest too
    view.bind(history)
    history.confusion.extend(rows)
    view.refresh()
    assert view.shown_epoch == EPOCHS
    newest = decode_confusion(rows, history.n_classes).matrices[-1]
    assert view.cell_labels == [f"{int(count):,}" for count in newest.reshape(-1)]


@pytest.mark.parametrize(("finding_id", "tab", "kind"), [
    ("dead_relu", "Distributions", "activations"), ("saturated_activations", "Distributions", "preactivations"),
    ("vanishing_gradients", "Distributions", "gradients"), ("class_imbalance", "Confusion", None),
    ("label_noise", "Confusion", None)])
def test_a_card_opens_the_view_of_its_evidence(qtbot, loaded, finding_id, tab, kind):
    area, panel = PlotsArea(), DiagnosisPanel()
    qtbot.addWidget(area)
    qtbot.addWidget(panel)
    panel.evidence_requested.connect(area.show_evidence)
    area.show_run(loaded)
    finding = Finding(finding_id, "warning", "title", "evidence", "why", epoch=2,
                      layer="layer 2" if kind else "")
    panel.set_findings([finding, Finding("overfitting", "warning", "t", "e", "w")], running=False)
    card, other = panel.cards
    assert not other.evidence_button.isVisibleTo(panel)  # no view shows overfitting's evidence
    assert card.evidence_button.isVisibleTo(panel) and "epoch 2" in card.evidence_button.text()
    card.evidence_button.click()
    assert area.tabs.tabText(area.tabs.currentIndex()) == tab
    if kind:
        assert area.distributions.shown_layers == ["layer 2"] and area.distributions.kind == kind
        assert area.distributions.readout.text().startswith("layer 2 at epoch 2")
        assert [mark.value() for _, mark in area.distributions._marks] == [2]
    else:
        assert area.confusion.shown_epoch == 2


def test_the_layer_a_rule_names_is_kept_in_summary_json():
    finding = Finding("dead_relu", "warning", "t", "e", "w", layer="layer 3")
    assert Finding.from_dict(finding.to_dict()) == finding
    assert "layer" not in Finding("overfitting", "warning", "t", "e", "w").to_dict()
