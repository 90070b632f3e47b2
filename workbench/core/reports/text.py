"""The text report `workbench run` prints: metrics, then the diagnosis with evidence, why and fix."""

from __future__ import annotations

import math
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.core.diagnosis.finding import Finding

if TYPE_CHECKING:
    from workbench.core.training.engine import Run

SEVERITY_MARKS = {"error": "[error]  ", "warning": "[warning]", "info": "[info]   "}


def fix_as_arguments(fix: dict) -> str:
    """A finding's fix as the `--set` options that apply it."""
    from workbench.core.experiment.config import format_value

    return " ".join(f"--set {key}={format_value(value)}" for key, value in fix.items())


def format_finding_line(finding: Finding) -> str:
    return f"{SEVERITY_MARKS.get(finding.severity, '')} epoch {finding.epoch}: {finding.title} ({finding.id})"


def _metric(loss: float | None, accuracy: float | None) -> str:
    def number(value, pattern):
        return pattern.format(value) if value is not None and math.isfinite(value) else "n/a"

    return f"loss {number(loss, '{:.4f}')}  acc {number(None if accuracy is None else accuracy * 100, '{:.1f}%')}"


def format_report(run: Run, run_dir: Path | None) -> str:
    history, final = run.history, run.final_metrics
    lines = [f"{run.config.name}: {run.status} in {run.duration_s:.1f} s on {run.device_name or 'cpu'}"
             f" ({run.samples_per_s:,.0f} samples/s)"]
    if history is not None:
        lines.append(f"  epochs {history.epochs_run}, steps {history.steps}")
        if final:
            lines.append(f"  train  {_metric(final.get('train_loss'), final.get('train_acc'))}")
            lines.append(f"  val    {_metric(final.get('val_loss'), final.get('val_acc'))}")
            if "test_acc" in final:
                lines.append(f"  test   {_metric(final.get('test_loss'), final.get('test_acc'))}")
        best = history.best_epoch()
        if best is not None:
            row = dict(zip(("val_loss", "val_acc"), history.epochs.view()[best - 1, 4:6], strict=True))
            lines.append(f"  best   epoch {best}: val {_metric(row['val_loss'], row['val_acc'])}")
        lines += [f"  note: {event}" for event in history.events]
    if run.error:
        lines.append(f"  error: {run.error}")
    lines.append("")
    if not run.findings:
        lines.append("Diagnosis: healthy, no problems found.")
    else:
        lines.append("Diagnosis:")
        for finding in run.findings:
            consequence = f" (a consequence of {finding.caused_by})" if finding.caused_by else ""
            lines.append(f"  {SEVERITY_MARKS.get(finding.severity, '')} {finding.title} ({finding.id}){consequence}")
            wrap = lambda label, text: textwrap.fill(  # noqa: E731
                text, width=100, initial_indent=f"      {label}: ", subsequent_indent=" " * 12)
            lines.append(wrap("evidence", finding.evidence))
            lines.append(wrap("why", finding.suggestion))
            if finding.fix:
                lines.append(f"      fix: workbench run ... {fix_as_arguments(finding.fix)}")
    if run_dir is not None:
        lines += ["", f"Run directory: {run_dir}"]
    return "\n".join(lines)
