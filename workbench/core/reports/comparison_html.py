"""The self-contained HTML comparison report: runs, the settings that differ, the metric table, the
plots (embedded as base64 PNG) and each run's diagnosis. Every user string goes through html.escape,
so a run named `<script>...` shows as text and runs nothing."""

from __future__ import annotations

import base64
import html
import time

from workbench.core.fix_outcome import outcome_text
from workbench.core.i18n import _, current_language
from workbench.core.reports.comparison import (
    METRIC_KEYS,
    config_differences,
    display_value,
    fix_outcomes,
    format_metric,
    metric_summary,
    metric_titles,
    shown_labels,
)
from workbench.core.reports.comparison_figures import curves_figure, figure_bytes, gradients_figure, run_color
from workbench.core.reports.text import fix_as_arguments, status_words
from workbench.core.rundir.reader import LoadedRun

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 75em; color: #222; padding: 0 1em; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
th, td { border: 1px solid #ccc; padding: 0.3em 0.7em; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
.swatch { display: inline-block; width: 0.8em; height: 0.8em; border-radius: 2px; margin-right: 0.4em; }
.error { color: #b00020; } .warning { color: #a05a00; } .info { color: #1f5fa0; }
img { max-width: 100%; }
code { background: #f3f3f3; padding: 0 0.2em; }
"""


def _escape(value) -> str:
    return html.escape(str(value), quote=True)


def _image(figure, alt: str) -> str:
    encoded = base64.b64encode(figure_bytes(figure, "png")).decode("ascii")
    return f'<img alt="{_escape(alt)}" src="data:image/png;base64,{encoded}">'


def _sentence(template: str, **values) -> str:
    """A translated template escaped, with its escaped values filled in (neither may inject markup)."""
    return _escape(template).format(**{name: _escape(value) for name, value in values.items()})


def _heading(level: int, text: str) -> str:
    return f"<h{level}>{_escape(text)}</h{level}>"


def _paragraph(html_text: str) -> str:
    """A paragraph of already-escaped text. (Translation calls stay outside f-strings: pybabel does not
    look inside their replacement fields.)"""
    return f"<p>{html_text}</p>"


def _run_cell(index: int, label: str) -> str:
    return f'<span class="swatch" style="background:{run_color(index)}"></span>{_escape(label)}'


def _table(header: list[str], rows: list[list[str]]) -> str:
    """A table from already-escaped cells."""
    head = "".join(f"<th>{cell}</th>" for cell in header)
    body = "".join("<tr>" + "".join(row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _runs_section(runs: list[LoadedRun], labels: list[str]) -> str:
    rows = [[f"<td>{_run_cell(i, label)}</td>", f"<td>{_escape(status_words(run.status))}</td>",
             f"<td><code>{_escape(run.directory)}</code></td>"]
            for i, (run, label) in enumerate(zip(runs, labels, strict=True))]
    return _heading(2, _("Runs")) + _table([_escape(_("Run")), _escape(_("Status")), _escape(_("Directory"))], rows)


def _diff_section(runs: list[LoadedRun], labels: list[str]) -> str:
    differences = config_differences(runs)
    if not differences:
        return _heading(2, _("Settings that differ")) + _paragraph(_escape(_("None: every run used the same settings.")))
    header = [_escape(_("Setting")), *(_run_cell(i, label) for i, label in enumerate(labels))]
    rows = [[f"<td><code>{_escape(key)}</code></td>",
             *(f"<td>{_escape(display_value(value))}</td>" for value in values)]
            for key, values in differences.items()]
    return _heading(2, _("Settings that differ")) + _table(header, rows)


def _metrics_section(runs: list[LoadedRun], labels: list[str]) -> str:
    rows = []
    for index, (run, label) in enumerate(zip(runs, labels, strict=True)):
        summary = metric_summary(run)
        cells = [f"<td>{_run_cell(index, label)}</td>"]
        for key in METRIC_KEYS:
            numeric = key not in ("status", "diagnosis")
            css = ' class="number"' if numeric else ""
            cells.append(f"<td{css}>{_escape(format_metric(key, summary[key]))}</td>")
        rows.append(cells)
    note = _escape(_("Final metrics are measured after training (with the best weights restored when early "
                     "stopping); best ones at the epoch of lowest validation loss."))
    titles = metric_titles()
    header = [_escape(_("Run")), *(_escape(titles[key]) for key in METRIC_KEYS)]
    return _heading(2, _("Metrics")) + f"<p>{note}</p>" + _table(header, rows)


def _fixes_section(runs: list[LoadedRun], labels: list[str]) -> str:
    """What each compared one-click fix did against its compared original; nothing where there is none."""
    outcomes = fix_outcomes(runs)
    if not outcomes:
        return ""
    items = "".join(f"<li>{_run_cell(index, labels[index])}: {_escape(outcome_text(outcome))}</li>"
                    for index, outcome in outcomes)
    return _heading(2, _("What the fixes did")) + f"<ul>{items}</ul>"


def _diagnosis_section(runs: list[LoadedRun], labels: list[str]) -> str:
    parts = [_heading(2, _("Diagnosis"))]
    for index, (run, label) in enumerate(zip(runs, labels, strict=True)):
        parts.append(f"<h3>{_run_cell(index, label)}</h3>")
        if not run.findings:
            parts.append(_paragraph(_escape(_("Healthy: no problems found."))))
            continue
        items = []
        for finding in run.findings:
            fix = ("<br>" + _escape(_("Fix: {arguments}")).format(
                arguments=f"<code>{_escape(fix_as_arguments(finding.fix))}</code>") if finding.fix else "")
            raised = _escape(_("({id}, epoch {epoch})")).format(id=f"<code>{_escape(finding.id)}</code>",
                                                                   epoch=_escape(finding.epoch))
            evidence = _sentence(_("Evidence: {evidence}"), evidence=finding.evidence)
            why = _sentence(_("Why: {why}"), why=finding.suggestion)
            items.append(
                f'<li><strong class="{_escape(finding.severity)}">{_escape(finding.title)}</strong> {raised}'
                f"<br>{evidence}<br>{why}{fix}</li>")
        parts.append("<ul>" + "".join(items) + "</ul>")
    return "".join(parts)


def html_report(runs: list[LoadedRun]) -> str:
    labels = shown_labels(runs)
    title = _("Workbench comparison: {runs}").format(runs=", ".join(labels))
    curves = _image(curves_figure(runs), _("loss and accuracy per epoch of every run"))
    gradients = _image(gradients_figure(runs), _("gradient norm per layer over training, one plot per run"))
    body = "".join([
        f"<h1>{_escape(title)}</h1>",
        _paragraph(_sentence(_("Written {time} by Workbench."), time=time.strftime("%Y-%m-%d %H:%M"))),
        _runs_section(runs, labels), _diff_section(runs, labels), _metrics_section(runs, labels),
        _fixes_section(runs, labels),
        _heading(2, _("Curves")), _paragraph(_escape(_("Validation solid, training dashed."))), curves,
        _heading(2, _("Gradient norms per layer")), gradients,
        _diagnosis_section(runs, labels),
    ])
    language = current_language().replace("_", "-")  # BCP 47: zh-CN
    return (f'<!DOCTYPE html>\n<html lang="{language}"><head><meta charset="utf-8"><title>{_escape(title)}</title>'
            f"<style>{STYLE}</style></head>\n<body>{body}</body></html>\n")
