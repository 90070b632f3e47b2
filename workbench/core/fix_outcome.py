"""What a fix the user applied did to the run it was meant to cure: the fixed run's validation accuracy at its end
beside the original's, on the same seeds and data order, judged as the fix benchmark judges a fix
(tests/bench/fix_bench.py): balanced accuracy for rare classes, a gain of a point is better, a loss of more than a
point is worse (issue 14: a fix must never lower validation accuracy by more than a point; its probe is short and
the full run may still do worse, and then the user is told so)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

from workbench.core import i18n
from workbench.core.diagnosis.finding import JUDGED_BALANCED, Finding
from workbench.core.experiment.config import ExperimentConfig
from workbench.core.history import RunHistory
from workbench.core.i18n import _, catalogue_text
from workbench.core.status import RunStatus

IMPROVED = 0.01  # the fix benchmark's bars (fix_bench.IMPROVED, fix_bench.HARMED)
HARMED = 0.01


class EndedRun(Protocol):
    """What a fix's outcome reads of a run (session.RunRecord and rundir.reader.LoadedRun satisfy it)."""

    config: ExperimentConfig | None
    findings: list[Finding]
    testing: object | None  # the probe of a fix training after the run ended

    @property
    def name(self) -> str: ...

    @property
    def status(self) -> RunStatus: ...

    @property
    def best(self) -> dict: ...

    @property
    def history(self) -> RunHistory | None: ...


@dataclass(frozen=True)
class FixOutcome:
    finding_id: str
    original: str  # the original run's name
    before: float  # the original run's validation accuracy at its end (balanced for rare classes); 0 if it diverged
    after: float  # the fixed run's
    balanced: bool
    original_diverged: bool
    fixed_diverged: bool
    finding_gone: bool  # the fixed run no longer has the finding its fix was for

    @property
    def change(self) -> float:
        return self.after - self.before

    @property
    def harmed(self) -> bool:
        """The fixed run diverged, or ended more than a point below the original."""
        return self.fixed_diverged or self.verdict == "worse"

    @property
    def verdict(self) -> str:
        """better (a point or more gained), worse (more than a point lost) or same."""
        if self.change >= IMPROVED:
            return "better"
        return "worse" if self.change < -HARMED else "same"


def end_score(run: EndedRun, balanced: bool) -> float | None:
    """Validation accuracy at the run's end: its last epoch's, or with early stopping the kept epoch's, whose weights
    it restores (the mean recall over the classes for rare classes); 0 for a run that diverged, as in the benchmark;
    None for one still training, one that failed (a dialog said why) or one without an epoch."""
    if run.status in (RunStatus.RUNNING, RunStatus.FAILED) or run.testing is not None:
        return None
    if run.status == RunStatus.DIVERGED:
        return 0.0
    history = run.history
    if history is None or not history.epochs_run:
        return None
    row = history.epochs_run - 1
    if run.config is not None and run.config.train.early_stopping and run.best.get("epoch") is not None:
        row = int(run.best["epoch"]) - 1
    value = (float(history.class_recall.view()[row].mean()) if balanced
             else float(history.epoch_column("val_acc")[row]))
    return value if math.isfinite(value) else None


def fix_outcome(original: EndedRun, fixed: EndedRun, finding_id: str) -> FixOutcome | None:
    """What the fix for `finding_id`, trained as `fixed`, did against `original`; None until both have ended."""
    balanced = finding_id in JUDGED_BALANCED
    after = end_score(fixed, balanced)  # first: the panel asks at every epoch end of a fix run still training
    before = end_score(original, balanced) if after is not None else None
    if before is None or after is None:
        return None
    return FixOutcome(finding_id, catalogue_text(original.name), before, after, balanced,
                      original.status == RunStatus.DIVERGED, fixed.status == RunStatus.DIVERGED,
                      not any(finding.id == finding_id for finding in fixed.findings))


def outcome_text(outcome: FixOutcome) -> str:
    """What the fix did to validation accuracy, and whether its finding is gone: for the diagnosis panel of the
    fixed run (DESIGN: the one-click fix proves itself in front of the user, finding gone, validation better)."""
    gone = (_("{finding} is no longer found.") if outcome.finding_gone else _("{finding} is still found.")).format(
        finding=outcome.finding_id)
    return i18n.join_sentences(_change_text(outcome), gone)


def _change_text(outcome: FixOutcome) -> str:
    values = {"finding": outcome.finding_id, "original": outcome.original, "before": f"{outcome.before:.1%}",
              "after": f"{outcome.after:.1%}", "points": f"{abs(outcome.change) * 100:.1f}"}
    if outcome.fixed_diverged:
        return _("The fix for {finding} diverged, where “{original}” ended at {before}: it did not help this "
                 "run.").format(**values)
    if outcome.original_diverged:
        template = (_("The fix for {finding} reached balanced validation accuracy {after}, where “{original}” "
                      "diverged.") if outcome.balanced else
                    _("The fix for {finding} reached validation accuracy {after}, where “{original}” diverged."))
        return template.format(**values)
    if outcome.verdict == "better":
        template = (_("The fix for {finding} raised balanced validation accuracy from {before} to {after} (+{points} "
                      "points) against “{original}”, on the same seeds.") if outcome.balanced else
                    _("The fix for {finding} raised validation accuracy from {before} to {after} (+{points} points) "
                      "against “{original}”, on the same seeds."))
    elif outcome.verdict == "worse":
        template = (_("The fix for {finding} lowered balanced validation accuracy from {before} to {after} (−{points} "
                      "points) against “{original}”, on the same seeds: it did not help this run.") if outcome.balanced else
                    _("The fix for {finding} lowered validation accuracy from {before} to {after} (−{points} points) "
                      "against “{original}”, on the same seeds: it did not help this run."))
    else:
        template = (_("The fix for {finding} left balanced validation accuracy where “{original}” ended ({before} "
                      "against {after}), on the same seeds.") if outcome.balanced else
                    _("The fix for {finding} left validation accuracy where “{original}” ended ({before} against "
                      "{after}), on the same seeds."))
    return template.format(**values)
