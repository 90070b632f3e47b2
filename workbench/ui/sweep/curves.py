"""Each configuration's validation accuracy per epoch: the mean over its seeds as a line, and a band from
the lowest to the highest seed, in the configuration's colour on the sweep's accuracy scale."""

from __future__ import annotations

import warnings

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QVBoxLayout, QWidget

from workbench.core.sweeps.plan import settings_label
from workbench.core.sweeps.summary import Configuration
from workbench.ui.language import Translated
from workbench.ui.plots import style
from workbench.ui.plots.key import KeyEntry, PlotKey
from workbench.ui.sweep.plots import AccuracyScale

BAND_ALPHA = 50  # of 255: the seeds' band behind the lines
HIGHLIGHT_WIDTH = 4.0


def seed_band(curves: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(epochs, mean, lowest, highest) over the seeds' (epoch, value) curves, at every epoch any seed reached."""
    epochs = np.unique(np.concatenate([curve[:, 0] for curve in curves]))
    table = np.full((len(curves), len(epochs)), np.nan)
    for row, curve in enumerate(curves):
        table[row, np.searchsorted(epochs, curve[:, 0])] = curve[:, 1]
    with warnings.catch_warnings():  # an epoch only some seeds reached is fine; one none reached is NaN
        warnings.simplefilter("ignore", RuntimeWarning)
        return epochs, np.nanmean(table, axis=0), np.nanmin(table, axis=0), np.nanmax(table, axis=0)


class ConfigurationCurves(Translated, QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.key = PlotKey()
        self.plot = style.make_plot()
        self.plot.getPlotItem().setMouseEnabled(x=False, y=False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.key)
        layout.addWidget(self.plot, 1)
        self._shown: tuple | None = None
        self.highlighted: set[str] = set()  # settings labels of the configurations drawn bold
        self.drawn: list[str] = []  # the configurations with a curve, best first
        style.on_theme_change(self.redraw)
        self.retranslate()

    def retranslate(self) -> None:
        style.label_plot(self.plot, self.tr("Validation accuracy of each configuration (band: its seeds)"),
                         self.tr("epoch"), self.tr("validation accuracy"))
        self.redraw()

    def show_curves(self, configurations: list[Configuration], curves: dict[str, np.ndarray],
                    scale: AccuracyScale) -> None:
        """`curves`: the (epoch, val_acc) rows of each trial's run so far, by trial id."""
        self._shown = (configurations, curves, scale)
        self.redraw()

    def set_highlight(self, labels: set[str]) -> None:
        self.highlighted = labels
        self.redraw()

    def redraw(self) -> None:
        plot = self.plot.getPlotItem()
        plot.clear()
        self.drawn = []
        if self._shown is None:
            self.key.set_entries([])
            return
        configurations, curves, scale = self._shown
        entries, bold = [], []
        for configuration in configurations:
            seeds = [curves[result.trial.id] for result in configuration.results
                     if len(curves.get(result.trial.id, ())) > 0]
            if not seeds:
                continue
            label = settings_label(configuration.settings)
            color = scale.color(configuration.mean_accuracy)
            epochs, mean, lowest, highest = seed_band(seeds)
            if len(seeds) > 1:
                fill = QColor(color)
                fill.setAlpha(BAND_ALPHA)
                low_line, high_line = pg.PlotDataItem(epochs, lowest), pg.PlotDataItem(epochs, highest)
                plot.addItem(pg.FillBetweenItem(low_line, high_line, brush=fill))
            if label in self.highlighted:
                bold.append((epochs, mean))
            plot.addItem(pg.PlotDataItem(epochs, mean, pen=style.pen(color), symbol="o" if len(epochs) == 1 else None,
                                         symbolBrush=color, symbolPen=None, symbolSize=5))
            self.drawn.append(label)
            accuracy = configuration.mean_accuracy
            entries.append(KeyEntry(color, label if accuracy is None else f"{label} {accuracy:.1%}", "line"))
        for epochs, mean in bold:
            plot.addItem(pg.PlotDataItem(epochs, mean, pen=style.pen(style.FOREGROUND, width=HIGHLIGHT_WIDTH)))
        self.key.set_entries(entries)
        plot.enableAutoRange()
