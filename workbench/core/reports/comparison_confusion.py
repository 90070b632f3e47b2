"""The compared runs' validation confusion matrices (confusion.npz), exported beside the comparison:
`<name>-confusion.csv` next to a .csv (every epoch of every run, one row per cell) and
`<name>-confusion.png` / `.svg` next to a figure (each run's matrix at its last epoch)."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from workbench.core.distributions import ConfusionMatrices, class_labels, decode_confusion
from workbench.core.i18n import _
from workbench.core.reports.comparison import run_labels, shown_labels
from workbench.core.reports.comparison_figures import DPI, in_language_fonts, plain_text
from workbench.core.rundir.reader import LoadedRun

CSV_COLUMNS = ("run", "directory", "epoch", "true_class", "predicted_class", "count")
MATRIX_COLUMNS = 3  # matrices per row of the figure
MATRIX_SIZE = 3.6  # inches per matrix
MAX_CELL_LABELS = 20  # classes up to which each cell is labelled with its count
DARK_CELL = 0.6  # share above which a cell's count is written in white


def confusion_path(out: Path) -> Path:
    """comparison.csv -> comparison-confusion.csv, beside it."""
    return out.with_name(f"{out.stem}-confusion{out.suffix}")


def _matrices(run: LoadedRun) -> ConfusionMatrices | None:
    history = run.history
    if history is None or not len(history.confusion) or history.confusion.width != 2 + history.n_classes ** 2:
        return None
    return decode_confusion(history.confusion.view(), history.n_classes)


def confusion_csv_text(runs: list[LoadedRun]) -> str | None:
    """Every recorded epoch's matrix of every run, one row per cell; None when no run has one."""
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    written = False
    for run, label in zip(runs, run_labels(runs), strict=True):
        matrices = _matrices(run)
        if matrices is None:
            continue
        names = class_labels(run.history.class_names, run.history.n_classes)
        for epoch, matrix in zip(matrices.epochs, matrices.matrices, strict=True):
            for (true, predicted), count in np.ndenumerate(matrix):
                writer.writerow([label, str(run.directory), int(epoch), names[true], names[predicted], int(count)])
                written = True
    return stream.getvalue() if written else None


def confusion_figure(runs: list[LoadedRun]) -> Figure | None:
    """Each run's matrix at its last recorded epoch, each cell shaded by its share of the true class and
    labelled with its count; None when no run has one."""
    shown = [(run, label, matrices) for run, label in zip(runs, shown_labels(runs), strict=True)
             if (matrices := _matrices(run)) is not None]
    if not shown:
        return None
    columns = min(len(shown), MATRIX_COLUMNS)
    rows = math.ceil(len(shown) / columns)
    figure = Figure(figsize=(MATRIX_SIZE * columns, (MATRIX_SIZE + 0.5) * rows), dpi=DPI, layout="constrained")
    grid = np.atleast_1d(figure.subplots(rows, columns, squeeze=False)).ravel()
    for axes, (run, label, matrices) in zip(grid, shown, strict=False):
        matrix = matrices.matrices[-1]
        names = class_labels(run.history.class_names, run.history.n_classes)
        totals = matrix.sum(axis=1, keepdims=True)
        shares = np.divide(matrix, totals, out=np.zeros_like(matrix, dtype=float), where=totals > 0)
        axes.imshow(shares, cmap="Blues", vmin=0.0, vmax=1.0)
        if len(matrix) <= MAX_CELL_LABELS:
            for (true, predicted), count in np.ndenumerate(matrix):
                axes.text(predicted, true, f"{int(count)}", ha="center", va="center", fontsize="x-small",
                          color="white" if shares[true, predicted] > DARK_CELL else "black")
        ticks = range(len(names)) if len(names) <= MAX_CELL_LABELS else []
        axes.set_xticks(list(ticks), [plain_text(names[i]) for i in ticks], fontsize="x-small")
        axes.set_yticks(list(ticks), [plain_text(names[i]) for i in ticks], fontsize="x-small")
        accuracy = np.trace(matrix) / max(1, matrix.sum())
        axes.set_title(_("{run}: epoch {epoch}, validation accuracy {accuracy:.1%}").format(
            run=plain_text(label), epoch=int(matrices.epochs[-1]), accuracy=accuracy), fontsize="small")
        axes.set_xlabel(_("predicted class"))
        axes.set_ylabel(_("true class"))
    for axes in grid[len(shown):]:
        axes.set_visible(False)
    return in_language_fonts(figure)
