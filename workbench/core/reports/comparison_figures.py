"""Comparison plots drawn with matplotlib without a display: overlaid loss/accuracy curves, one colour per
run, and per-layer gradient norms, one small plot per run.

Figures are built from matplotlib.figure.Figure directly (never pyplot): no backend is chosen, no global
state is kept, and it works in any thread and on machines without a screen.
"""

from __future__ import annotations

import functools
import io
import math

import numpy as np
from matplotlib import colormaps, font_manager
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text
from matplotlib.ticker import PercentFormatter

from workbench.core.i18n import _, current_language
from workbench.core.reports.comparison import shown_labels
from workbench.core.rundir.reader import LoadedRun

# matplotlib's "tab10", the palette of the app's plots: the same run has the same colour everywhere
RUN_COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
              "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")
LAYER_COLORMAP, LAYER_COLORMAP_END = "viridis", 0.85  # as in the app: the pale yellow end vanishes on white
PANEL_SIZE = (5.2, 3.4)  # inches per plot
GRADIENT_COLUMNS = 4  # gradient plots per row
DPI = 110
# Losses spanning more than this factor get a log axis (a diverging run would flatten the others);
# within it a linear axis reads better (a log axis over 0.6..0.7 shows no tick labels at all).
LOG_SCALE_RATIO = 20
# Fonts with Chinese characters, which matplotlib's own DejaVu Sans lacks: each text falls back to the first
# one installed, glyph by glyph (without any, Chinese labels show as boxes, as in any matplotlib figure).
TEXT_FONT = "DejaVu Sans"
CJK_FONT_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei",
                     "Droid Sans Fallback")


def run_color(index: int) -> str:
    return RUN_COLORS[index % len(RUN_COLORS)]


def plain_text(text: str) -> str:
    """Text matplotlib shows as written: `$` would start math mode, a leading `_` hides a legend entry."""
    text = text.replace("$", r"\$")
    return " " + text if text.startswith("_") else text


def in_language_fonts(figure: Figure) -> Figure:
    """The figure's texts in fonts that have the current language's characters."""
    if current_language() == "zh_CN":
        families = [TEXT_FONT, *cjk_families()]
        for text in figure.findobj(Text):
            text.set_fontfamily(families)
    return figure


@functools.cache
def cjk_families() -> tuple[str, ...]:
    """The CJK_FONT_FAMILIES that matplotlib can draw with. It lists the system's fonts once, in a cache on disk, so
    a font installed after that is unknown to it (the Chinese texts of every figure were empty boxes, and each
    missing character a warning on the terminal): where it knows none, the font files its list lacks are added."""
    def known() -> tuple[str, ...]:
        names = {font.name for font in font_manager.fontManager.ttflist}
        return tuple(family for family in CJK_FONT_FAMILIES if family in names)

    if not known():
        listed = {font.fname for font in font_manager.fontManager.ttflist}
        for path in font_manager.findSystemFonts():
            if path not in listed:
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):  # a file FreeType cannot read
                    continue
    return known()


def curves_figure(runs: list[LoadedRun]) -> Figure:
    """Loss and accuracy per epoch of every run on shared axes: validation solid, training dashed (as in
    the app's overlay)."""
    figure = Figure(figsize=(PANEL_SIZE[0] * 2, PANEL_SIZE[1] + 0.4 + 0.25 * math.ceil(len(runs) / 3)),
                    dpi=DPI, layout="constrained")
    loss_axes, accuracy_axes = figure.subplots(1, 2)
    for axes, metric, title in ((loss_axes, "loss", _("Loss")), (accuracy_axes, "acc", _("Accuracy"))):
        for index, run in enumerate(runs):
            history = run.history
            epochs = history.epoch_column("epoch")
            axes.plot(epochs, history.epoch_column(f"val_{metric}"), color=run_color(index), marker=".")
            axes.plot(epochs, history.epoch_column(f"train_{metric}"), color=run_color(index), marker=".",
                      linestyle="--")
        axes.set_title(title)
        axes.set_xlabel(_("epoch"))
        axes.grid(alpha=0.3)
        axes.xaxis.get_major_locator().set_params(integer=True)
    losses = np.concatenate([run.history.epoch_column(column) for run in runs
                             for column in ("train_loss", "val_loss")])
    losses = losses[np.isfinite(losses) & (losses > 0)]
    if len(losses) and losses.max() / losses.min() > LOG_SCALE_RATIO:
        loss_axes.set_yscale("log")
    accuracy_axes.yaxis.set_major_formatter(PercentFormatter(1.0))
    style_key = [Line2D([], [], color="#555555", label=_("validation")),
                 Line2D([], [], color="#555555", linestyle="--", label=_("training"))]
    run_key = [Line2D([], [], color=run_color(i), linewidth=3, label=plain_text(label))
               for i, label in enumerate(shown_labels(runs))]
    figure.legend(handles=run_key + style_key, loc="outside lower center", ncols=min(len(run_key) + 2, 5),
                  frameon=False)
    return in_language_fonts(figure)


def gradients_figure(runs: list[LoadedRun]) -> Figure:
    """Per-layer gradient norm over training steps, one plot per run on a shared log scale."""
    columns = min(len(runs), GRADIENT_COLUMNS)
    rows = math.ceil(len(runs) / columns)
    figure = Figure(figsize=(PANEL_SIZE[0] * columns * 0.8, PANEL_SIZE[1] * rows), dpi=DPI, layout="constrained")
    grid = np.atleast_1d(figure.subplots(rows, columns, sharey=True, squeeze=False)).ravel()
    for axes, run, label in zip(grid, runs, shown_labels(runs), strict=False):
        history = run.history
        steps, norms = history.probe_steps.view()[:, 0], history.grad_norm.view()
        colors = colormaps[LAYER_COLORMAP](np.linspace(0.0, LAYER_COLORMAP_END, max(1, norms.shape[1])))
        for layer, name in enumerate(history.layer_names):
            values = norms[:, layer]
            axes.plot(steps, np.where(values > 0, values, np.nan), color=colors[layer], label=plain_text(name))
        axes.set_title(plain_text(label), fontsize="medium")
        axes.set_xlabel(_("step"))
        axes.grid(alpha=0.3)
        if len(steps):
            axes.set_yscale("log")
            axes.legend(fontsize="x-small", loc="best")
        else:
            axes.text(0.5, 0.5, _("no gradient probes"), ha="center", va="center", transform=axes.transAxes)
    grid[0].set_ylabel(_("gradient norm"))
    for axes in grid[len(runs):]:
        axes.set_visible(False)
    return in_language_fonts(figure)


def figure_bytes(figure: Figure, image_format: str) -> bytes:
    """The figure as PNG or SVG file contents."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format=image_format)
    return buffer.getvalue()
