"""Which view shows a finding's evidence: a diagnosis card's "Show …" button opens it on the finding's
layer and epoch (the plots area's show_evidence)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP


@dataclass(frozen=True)
class EvidenceView:
    tab: str  # "distributions" | "confusion" | "speed"
    kind: str  # distributions: what the strips show (a core.distributions.KINDS name); "" for the matrix
    button: str  # the card's button text, translated in the "FindingCard" context


DISTRIBUTIONS, CONFUSION, SPEED = "distributions", "confusion", "speed"
# two lines, as the fix button's: one long line would widen the diagnosis panel
SHOW_DISTRIBUTION = QT_TRANSLATE_NOOP("FindingCard", "Show the distributions of\n{layer} at epoch {epoch}")
SHOW_CONFUSION = QT_TRANSLATE_NOOP("FindingCard", "Show the confusion matrix\nat epoch {epoch}")
SHOW_SPEED = QT_TRANSLATE_NOOP("FindingCard", "Show where each\nstep's time goes")
EVIDENCE_VIEWS = {
    "dead_relu": EvidenceView(DISTRIBUTIONS, "activations", SHOW_DISTRIBUTION),
    "saturated_activations": EvidenceView(DISTRIBUTIONS, "preactivations", SHOW_DISTRIBUTION),
    "vanishing_gradients": EvidenceView(DISTRIBUTIONS, "gradients", SHOW_DISTRIBUTION),
    "class_imbalance": EvidenceView(CONFUSION, "", SHOW_CONFUSION),
    "label_noise": EvidenceView(CONFUSION, "", SHOW_CONFUSION),
    "slow_training": EvidenceView(SPEED, "", SHOW_SPEED),
}
FIRST_LAYER = "layer 1"  # a finding saved before findings named their layer: the first one
