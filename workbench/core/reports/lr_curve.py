"""The learning-rate finder's curve as a file (`workbench lr-find --out`): .csv with the columns lr, loss,
smoothed (one row per step, full precision, the same in every language), or .png / .svg: the loss against
the rate on a log axis, the smoothed loss over it and the suggestion marked and named."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from workbench.core.files import write_bytes_atomic, write_text_atomic
from workbench.core.i18n import _
from workbench.core.reports.comparison_figures import DPI, figure_bytes, plain_text
from workbench.core.training.lr_finder import LrFinderResult

CURVE_SUFFIXES = (".csv", ".png", ".svg")
CSV_COLUMNS = ("lr", "loss", "smoothed")
FIGURE_SIZE = (6.4, 4.0)  # inches
RAW_COLOR, SMOOTHED_COLOR, SUGGESTION_COLOR = "#999999", "#0072b2", "#d55e00"  # Okabe-Ito, as the app


class CurveFileError(ValueError):
    """A curve file that cannot be written; the message is one sentence."""


def check_curve_path(path: Path) -> None:
    """Refuse, before any training, a name whose format is unknown or whose folder does not exist."""
    suffix = path.suffix.lower()
    if suffix not in CURVE_SUFFIXES:
        raise CurveFileError(_("{path} has an unknown format ({suffix}); use one of {suffixes}.").format(
            path=path, suffix=suffix or _("no suffix"), suffixes=", ".join(CURVE_SUFFIXES)))
    if not path.parent.resolve().is_dir():
        raise CurveFileError(_("{path}: the folder {folder} does not exist.").format(path=path, folder=path.parent))
    if path.is_dir():
        raise CurveFileError(_("{path} is a folder; name a file ending in {suffixes}.").format(
            path=path, suffixes=", ".join(CURVE_SUFFIXES)))


def write_curve(result: LrFinderResult, path: Path, title: str = "") -> Path:
    """Write the curve to `path`, its suffix choosing the format."""
    path = Path(path)
    check_curve_path(path)
    try:
        if path.suffix.lower() == ".csv":
            write_text_atomic(path, curve_csv(result))
        else:
            write_bytes_atomic(path, figure_bytes(curve_figure(result, title), path.suffix.lower()[1:]))
    except OSError as error:
        raise CurveFileError(_("Cannot write {path}: {reason}.").format(
            path=path, reason=error.strerror or error)) from None
    return path


def curve_csv(result: LrFinderResult) -> str:
    stream = io.StringIO()
    stream.write(",".join(CSV_COLUMNS) + "\n")
    for row in zip(result.lrs, result.losses, result.smoothed, strict=True):
        stream.write(",".join(repr(float(value)) for value in row) + "\n")
    return stream.getvalue()


def curve_figure(result: LrFinderResult, title: str = "") -> Figure:
    """Loss against learning rate (log axis), the suggestion marked with its rule in the legend."""
    figure = Figure(figsize=FIGURE_SIZE, dpi=DPI, layout="constrained")
    axes = figure.subplots()
    finite = np.isfinite(result.losses)
    axes.plot(result.lrs[finite], result.losses[finite], color=RAW_COLOR, linewidth=0.8, label=_("loss"))
    axes.plot(result.lrs, result.smoothed, color=SMOOTHED_COLOR, linewidth=2, label=_("smoothed loss"))
    if result.marked is not None:
        lr, loss = result.marked
        axes.axvline(lr, color=SUGGESTION_COLOR, linestyle="--", linewidth=1)
        axes.plot([lr], [loss], "o", color=SUGGESTION_COLOR, markersize=8,
                  label=_("suggested {lr:.2e} ({rule})").format(lr=lr, rule=result.rule))
    axes.set_xscale("log")
    shown = np.concatenate([result.losses, result.smoothed])
    shown = shown[np.isfinite(shown)]
    if len(shown):  # from the lowest loss to a little above the first: the blow-up would flatten the rest
        low, high = float(shown.min()), float(max(result.smoothed[0], result.losses[0]))
        margin = 0.1 * (high - low) + 1e-9
        axes.set_ylim(low - margin, high + 2 * margin)
    axes.set_xlabel(_("learning rate"))
    axes.set_ylabel(_("training loss"))
    axes.set_title(plain_text(title or _("Learning-rate finder")))
    axes.grid(alpha=0.3, which="both")
    axes.legend(frameon=False)
    return figure
