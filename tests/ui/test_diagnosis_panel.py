"""The diagnosis side panel: cards with evidence and the why, Apply fix, healthy and expected messages."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import Qt

from workbench.core.diagnosis.finding import Finding
from workbench.ui.panels.diagnosis import HEALTHY_MESSAGE, WATCHING_MESSAGE, DiagnosisPanel

BAD_INIT = Finding(
    id="bad_initialization", severity="error", title="Initial weights are far too large",
    evidence="step-0 loss 9.7 is 8.8× ln(3) = 1.10", suggestion="Normal(0, 1) weights blow activations up "
    "layer after layer; a scaled init (Kaiming, Xavier) keeps them near unit size.",
    fix={"model.init": "kaiming_normal"}, epoch=0)
EXPLODING = Finding(
    id="exploding_gradients", severity="warning", title="Gradients explode",
    evidence="layer 1 gradient norm 4e+3 is 120× layer 4's", suggestion="Large weights amplify gradients.",
    fix={"train.grad_clip": 1.0, "train.lr": 0.001}, epoch=2, caused_by="bad_initialization")
VANISHING = Finding(
    id="vanishing_gradients", severity="warning", title="Gradients vanish in the first layers",
    evidence="layer 1 gradient norm 3e-7 is 1e-5 of layer 8's", suggestion="Sigmoid derivatives are at most "
    "0.25, so each layer shrinks the gradient.", fix={"model.activation": "relu"}, epoch=1)


@pytest.fixture
def panel(qtbot):
    widget = DiagnosisPanel()
    qtbot.addWidget(widget)
    widget.resize(380, 600)
    return widget


def test_cards_show_title_evidence_why_cause_and_fix(panel):
    panel.set_findings([BAD_INIT, EXPLODING], running=False)
    first, second = panel.cards
    assert first.title.text() == "Initial weights are far too large"
    assert first.evidence.text() == "Evidence: step-0 loss 9.7 is 8.8× ln(3) = 1.10"
    assert first.why.text().startswith("Why: Normal(0, 1) weights")
    assert first.fix_button.text() == "Apply fix:\nmodel.init = kaiming_normal"
    assert first.cause.isHidden()
    assert second.cause.text() == "A consequence of: Initial weights are far too large"
    assert second.fix_button.text() == "Apply fix:\ntrain.grad_clip = 1.0\ntrain.lr = 0.001"  # as Compare shows it
    assert "2 findings" in panel.message.text()


def test_card_text_wraps_and_can_be_selected(panel):
    panel.set_findings([VANISHING], running=True)
    evidence = panel.cards[0].evidence
    assert evidence.wordWrap()
    assert evidence.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse


def test_apply_fix_emits_the_finding(panel, qtbot):
    panel.set_findings([VANISHING], running=False)
    with qtbot.waitSignal(panel.fix_requested) as signal:
        qtbot.mouseClick(panel.cards[0].fix_button, Qt.MouseButton.LeftButton)
    assert signal.args == [VANISHING]


def test_live_updates_keep_cards_of_unchanged_ids(panel):
    panel.set_findings([VANISHING], running=True)
    card = panel.cards[0]
    newer = Finding(**{**VANISHING.to_dict(), "evidence": "layer 1 gradient norm 1e-8 is 1e-6 of layer 8's"})
    panel.set_findings([BAD_INIT, newer], running=True)
    assert panel.cards[1] is card  # same widget, moved below the new root cause
    assert card.evidence.text() == "Evidence: layer 1 gradient norm 1e-8 is 1e-6 of layer 8's"
    panel.set_findings([BAD_INIT], running=True)
    assert [shown.finding.id for shown in panel.cards] == ["bad_initialization"]


def test_a_healthy_finished_run_says_so(panel):
    panel.set_findings([], running=True)
    assert panel.message.text() == WATCHING_MESSAGE
    panel.set_findings([], running=False)
    assert panel.message.text() == HEALTHY_MESSAGE
    assert panel.cards == []


def test_a_run_on_data_whose_classes_overlap_says_what_they_allow(panel):
    """A healthy run at 0.93 on XOR at noise 0.08 is at the ceiling of its data: the message says so. On separable
    data (the spiral) it says nothing more."""
    from types import SimpleNamespace

    from workbench.core.experiment.config import ExperimentConfig
    from workbench.core.status import RunStatus

    def run(dataset: str, noise: float):
        config = ExperimentConfig.model_validate({"data": {"dataset": dataset, "noise": noise}})
        return SimpleNamespace(testing=None, findings=[], status=RunStatus.COMPLETED, config=config, fix_for=None)

    panel.show_run(run("xor", 0.08))
    assert panel.message.text() == (f"{HEALTHY_MESSAGE}\nNo model can score above 0.939 on these data: their "
                                    "classes overlap.")
    panel.show_run(run("spiral", 0.08))
    assert panel.message.text() == HEALTHY_MESSAGE


def test_expected_diagnosis_is_reported_found_or_not(panel):
    panel.set_expected(["vanishing_gradients"])
    panel.set_findings([], running=True)
    assert panel.expected.text() == "Expected: vanishing_gradients — not found yet"
    panel.set_findings([VANISHING], running=True)
    assert panel.expected.text() == "Expected: vanishing_gradients — found ✓"
    panel.set_expected(["dead_relu"])
    panel.set_findings([VANISHING], running=False)
    assert panel.expected.text() == "Expected: dead_relu — not found ✗"
    panel.set_expected([])
    assert panel.expected.isHidden()


def test_a_verified_finding_shows_its_badge_and_the_numbers_tested(panel):
    verified = dataclasses.replace(BAD_INIT, confidence="verified", verified={
        "fix": {"model.init": "kaiming_normal"}, "epochs": 3, "val_acc": 0.923, "baseline_val_acc": 0.101})
    worse = dataclasses.replace(VANISHING, fix={}, confidence="possible", candidates=("bad_initialization",))
    panel.set_findings([verified, worse], running=False)
    first, second = panel.cards
    assert first.tested.text() == ("✓ Verified: with this fix, validation accuracy reached 92.3% after 3 epochs, "
                                   "against 10.1% without")
    assert second.tested.text().endswith("cannot rule out: bad_initialization") and second.fix_button.isHidden()
    # its explanation still names the usual cure, which this run just refuted: the label says so
    assert first.why.text().startswith("Why: ")
    assert second.why.text().startswith("Why, in general (the cure it names did worse on this run): ")
    alone = dataclasses.replace(worse, candidates=())  # no other finding: nothing dangles after the sentence
    panel.set_findings([alone], running=False)
    assert panel.cards[0].tested.text() == "Its fix made validation worse in a short run, so none is offered"
    panel.set_findings([BAD_INIT], running=False)
    assert panel.cards[0].tested.isHidden()


def test_a_rare_class_fix_says_its_numbers_are_balanced_accuracy(panel):
    """Rare classes' fixes are judged by the mean recall over the classes: the card says so, not "validation
    accuracy", whose plain figure would be another number."""
    rare = Finding("class_imbalance", "warning", "Rare classes are missed", "evidence", "why",
                   {"data.sampler": "balanced"}, confidence="verified", verified={
                       "fix": {"data.sampler": "balanced"}, "epochs": 5, "val_acc": 0.863, "baseline_val_acc": 0.458})
    panel.set_findings([rare], running=False)
    assert panel.cards[0].tested.text() == (
        "✓ Verified: with this fix, balanced validation accuracy (the mean recall over the classes) reached 86.3% "
        "after 5 epochs, against 45.8% without")


def test_a_probe_that_measures_what_an_injected_fault_cost_says_so(panel):
    """After a run with noisy labels injected, its probe trains without the noise: the panel says that it
    measures the noise's cost (not that it tests the offered fix, label smoothing, which it does not)."""
    from types import SimpleNamespace

    from workbench.core.hooks import FixTest
    from workbench.core.status import RunStatus

    noise = Finding("label_noise", "warning", "Many training labels look wrong", "evidence", "why",
                    {"train.label_smoothing": 0.1})
    probe = FixTest("label_noise", noise.title, 1, 1, 13, without="data.label_noise = 0.0")
    panel.show_run(SimpleNamespace(testing=probe, findings=[noise], status=RunStatus.COMPLETED, config=None))
    assert panel.message.text() == (
        "Measuring what “Many training labels look wrong” cost in a short run of 13 epochs without it "
        "(data.label_noise = 0.0) (1 of 1): the findings may still change.")
