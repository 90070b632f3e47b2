"""The loss function as a cause: a classifier trained with MSE on its softmax outputs learns slowly, and the
findings that describe slow learning say so and offer cross-entropy as their fix."""

from __future__ import annotations

import dataclasses

from workbench.core.diagnosis.finding import Finding
from workbench.core.experiment.config import ExperimentConfig
from workbench.core.i18n import _

# The findings that say "it learns too slowly or not at all": with MSE the loss itself is why.
SLOW_LEARNING_IDS = ("lr_too_low", "loss_plateau", "underfitting")


def _named_mse(finding: Finding) -> Finding:
    evidence = _("{evidence}; the loss is the mean squared error between the softmax outputs and the one-hot "
                 "labels (train.loss = \"mse\"), whose gradient is a fraction of cross-entropy's").format(
        evidence=finding.evidence)
    why = _("Squared error on probabilities is a poor loss for classification: it is at most 2 divided by the "
            "number of classes, and its gradient passes through the softmax's slope, which is nearly flat "
            "when the model is confidently wrong, just where cross-entropy's gradient is largest. Steps are "
            "small and learning crawls or stalls. Cross-entropy is the loss for classes.")
    return dataclasses.replace(finding, evidence=evidence, suggestion=why, fix={"train.loss": "cross_entropy"})


def with_loss_choice(findings: list[Finding], config: ExperimentConfig) -> list[Finding]:
    """The findings, those of slow learning rewritten to name MSE as the cause when the run used it."""
    if config.train.loss != "mse":
        return findings
    return [_named_mse(finding) if finding.id in SLOW_LEARNING_IDS else finding for finding in findings]
