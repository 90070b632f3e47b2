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
WHOLE_EPOCH_TICKS = 15  # up to this many epochs, the axis marks each epoch; beyond, pyqtgraph's own ticks


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
        self._frame: tuple | None = None  # the configurations and the theme the items were made for
        self._items: dict[str, tuple] = {}  # by configuration label: its line, band edges and band
        self._bands: dict[str, tuple] = {}  # by configuration label: seed_band() of its curves
        self._drawn: dict[str, tuple] = {}  # by configuration label: the curves' lengths and colour drawn
        self._highlight: pg.PlotDataItem | None = None
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
        if self._shown is None:
            return
        configurations, curves, scale = self._shown
        drawn = []  # (configuration, its label, the curves of its seeds so far)
        for configuration in configurations:
            seeds = [curves[result.trial.id] for result in configuration.results
                     if len(curves.get(result.trial.id, ())) > 0]
            if seeds:
                drawn.append((configuration, settings_label(configuration.settings), seeds))
        frame = (sorted(label for _configuration, label, _seeds in drawn), style.theme())
        if frame != self._frame:  # new configurations, or another theme: new items; else new points only
            self._frame = frame
            self._make_items(frame[0])
        entries, bold = [], []
        for configuration, label, seeds in drawn:
            color = scale.color(configuration.mean_accuracy)
            points = tuple(len(curve) for curve in seeds)  # curves only grow: their lengths say what is new
            if self._drawn.get(label, (None,))[0] != points:
                self._bands[label] = seed_band(seeds)
            epochs, mean, lowest, highest = self._bands[label]
            line, low, high, band = self._items[label]
            if self._drawn.get(label) != (points, color.name()):  # a live sweep redraws often; most lines stay
                self._drawn[label] = (points, color.name())
                line.setData(epochs, mean, pen=style.pen(color), symbol="o" if len(epochs) == 1 else None,
                             symbolBrush=color)
                low.setData(epochs, lowest)
                high.setData(epochs, highest)
                fill = QColor(color)
                fill.setAlpha(BAND_ALPHA)
                band.setBrush(fill)
            if label in self.highlighted:
                bold.append((epochs, mean))
            accuracy = configuration.mean_accuracy
            entries.append(KeyEntry(color, label if accuracy is None else f"{label} {accuracy:.1%}", "line"))
        self._highlight.setData(np.concatenate([[*epochs, np.nan] for epochs, _mean in bold]) if bold else [],
                                np.concatenate([[*mean, np.nan] for _epochs, mean in bold]) if bold else [])
        self.drawn = [label for _configuration, label, _seeds in drawn]
        last_epoch = max((self._bands[label][0][-1] for _configuration, label, _seeds in drawn), default=0)
        axis = self.plot.getPlotItem().getAxis("bottom")
        axis.setTickSpacing(*((1, 1) if last_epoch <= WHOLE_EPOCH_TICKS else ()))  # no epoch 1.5 on a short run
        self.key.set_entries(entries)

    def _make_items(self, labels: list[str]) -> None:
        """A line, the band's two edges and its fill for each configuration, and the highlight on top."""
        plot = self.plot.getPlotItem()
        plot.clear()
        self._items, self._drawn = {}, {}
        for label in labels:
            line = pg.PlotDataItem([], [], symbolPen=None, symbolSize=5)
            low, high = pg.PlotDataItem([], []), pg.PlotDataItem([], [])
            band = pg.FillBetweenItem(low, high)
            for item in (band, line):
                plot.addItem(item)
            self._items[label] = (line, low, high, band)
        self._highlight = pg.PlotDataItem([], [], pen=style.pen(style.FOREGROUND, width=HIGHLIGHT_WIDTH),
                                          connect="finite")
        plot.addItem(self._highlight)
