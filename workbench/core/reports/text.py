"""The text report `workbench run` prints: metrics, then the diagnosis with evidence, why and fix."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.core import i18n
from workbench.core.data.attainable import ceiling_text
from workbench.core.diagnosis.finding import JUDGED_BALANCED, Finding
from workbench.core.i18n import _, catalogue_text
from workbench.core.status import RunStatus

if TYPE_CHECKING:
    from workbench.core.training.engine import Run


def _severity_mark(severity: str) -> str:
    """[error], [warning] or [info], padded to one width so that the titles after them line up."""
    marks = {"error": _("[error]"), "warning": _("[warning]"), "info": _("[info]")}
    return marks.get(severity, "").ljust(max(map(len, marks.values())))


def status_words(status: str) -> str:
    """How a run ended, in words (summary.json keeps the RunStatus value)."""
    words = {
        RunStatus.RUNNING: _("running"), RunStatus.COMPLETED: _("completed"),
        RunStatus.EARLY_STOPPED: _("early stopped"), RunStatus.STOPPED: _("stopped"),
        RunStatus.DIVERGED: _("diverged"), RunStatus.FAILED: _("failed"),
        RunStatus.INTERRUPTED: _("interrupted"), RunStatus.UNKNOWN: _("unknown"),
    }
    return words.get(status, str(status))


def fix_as_arguments(fix: dict) -> str:
    """A finding's fix as the `--set` options that apply it."""
    from workbench.core.experiment.values import format_value

    return " ".join(f"--set {key}={format_value(value)}" for key, value in fix.items())


def format_finding_line(finding: Finding) -> str:
    return _("{mark} epoch {epoch}: {title} ({id})").format(
        mark=_severity_mark(finding.severity), epoch=finding.epoch, title=finding.title, id=finding.id)


def _metric(loss: float | None, accuracy: float | None) -> str:
    def shown(value, pattern):
        return pattern.format(value) if value is not None and math.isfinite(value) else _("n/a")

    return _("loss {loss}  acc {accuracy}").format(
        loss=shown(loss, "{:.4f}"), accuracy=shown(None if accuracy is None else accuracy * 100, "{:.1f}%"))


def _wrapped(label: str, text: str) -> str:
    return i18n.fill(text, width=100, first_indent=f"      {label} ", indent=" " * 12)


def _finding_lines(finding: Finding) -> list[str]:
    mark = _severity_mark(finding.severity)
    if finding.caused_by:
        heading = _("  {mark} {title} ({id}) (a consequence of {cause})").format(
            mark=mark, title=finding.title, id=finding.id, cause=finding.caused_by)
    else:
        heading = _("  {mark} {title} ({id})").format(mark=mark, title=finding.title, id=finding.id)
    why = _("why, in general (the cure it names did worse on this run):") if finding.fix_withdrawn else _("why:")
    lines = [heading, _wrapped(_("evidence:"), finding.evidence), _wrapped(why, finding.suggestion)]
    if finding.verified is not None:
        tested = finding.verified
        template = (_("with {settings}, balanced validation accuracy (the mean recall over the classes) reached "
                      "{value} after {epochs} epochs, against {baseline} without")
                    if finding.id in JUDGED_BALANCED else
                    _("with {settings}, validation accuracy reached {value} after {epochs} epochs, against "
                      "{baseline} without"))
        lines.append(_wrapped(_("tested:"), template.format(
            settings=fix_as_arguments(tested["fix"]), value=i18n.number(tested["val_acc"]),
            epochs=tested["epochs"], baseline=i18n.number(tested["baseline_val_acc"]))))
    elif finding.fix_withdrawn and finding.candidates:
        lines.append(_wrapped(_("tested:"), _(
            "its fix made validation worse in a short run, so none is offered; the evidence cannot rule out "
            "{candidates}").format(candidates=i18n.join_list(list(finding.candidates)))))
    elif finding.fix_withdrawn:  # no other finding to name
        lines.append(_wrapped(_("tested:"), _("its fix made validation worse in a short run, so none is offered")))
    if finding.fix:
        lines.append(_("      fix: workbench run ... {arguments}").format(arguments=fix_as_arguments(finding.fix)))
    return lines


def format_report(run: Run, run_dir: Path | None) -> str:
    history, final = run.history, run.final_metrics
    lines = [_("{name}: {status} in {seconds:.1f} s on {device} ({samples_per_s:,.0f} samples/s)").format(
        name=catalogue_text(run.config.name), status=status_words(run.status), seconds=run.duration_s,
        device=run.device_name or "cpu", samples_per_s=run.samples_per_s)]
    if history is not None:
        lines.append(_("  epochs {epochs}, steps {steps}").format(epochs=history.epochs_run, steps=history.steps))
        if final:
            lines.append(_("  train  {metrics}").format(
                metrics=_metric(final.get("train_loss"), final.get("train_acc"))))
            lines.append(_("  val    {metrics}").format(metrics=_metric(final.get("val_loss"), final.get("val_acc"))))
            if "test_acc" in final and run.config.data.test_shift:
                lines.append(_("  test   {metrics}  (shifted: {names} at strength {strength:g})").format(
                    metrics=_metric(final.get("test_loss"), final.get("test_acc")),
                    names=", ".join(run.config.data.test_shift), strength=run.config.data.test_shift_strength))
            elif "test_acc" in final:
                lines.append(_("  test   {metrics}").format(
                    metrics=_metric(final.get("test_loss"), final.get("test_acc"))))
        best = history.best_epoch()
        if best is not None:
            row = dict(zip(("val_loss", "val_acc"), history.epochs.view()[best - 1, 4:6], strict=True))
            lines.append(_("  best   epoch {epoch}: val {metrics}").format(
                epoch=best, metrics=_metric(row["val_loss"], row["val_acc"])))
        lines += [_("  note: {event}").format(event=event) for event in history.events]
    if run.error:
        lines.append(_("  error: {error}").format(error=run.error))
    lines.append("")
    lines.append(_("Diagnosis:") if run.findings else _("Diagnosis: healthy, no problems found."))
    if ceiling := ceiling_text(run.config.data.dataset, run.config.data.noise):
        lines.append("  " + ceiling)
    for finding in run.findings:
        lines += _finding_lines(finding)
    if run_dir is not None:
        lines += ["", _("Run directory: {path}").format(path=run_dir)]
    return "\n".join(lines)
