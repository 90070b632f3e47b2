"""The Neurons tab (2-D data): TensorFlow Playground's per-neuron heatmaps. For each unit of the first
hidden layers (inside.NEURON_LAYERS, at most inside.NEURON_UNITS units each), a small tile shading its
output over the input plane of the decision boundary, on the boundary's grid: what that unit responds to.
It follows a training run at its epoch ends and shows a finished run's saved weights (model.pt).

Blue is a negative output, red a positive one, white zero; each layer is scaled to its largest |output|,
so the units of one layer compare with each other.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from workbench.core.i18n import layer_name
from workbench.ui.language import Translated
from workbench.ui.plots import style
from workbench.ui.plots.filters_view import TitledImage, add_image, colored, diverging_lookup, tile_mosaic
from workbench.ui.plots.key import wrapped_line_policy

TILE_COLUMNS = 8
TILE_GAP = 6  # grid cells of space between two tiles
TILE_HEIGHT = 110  # px: at least this much height per row of tiles (the list scrolls past that)


class NeuronsView(Translated, QWidget):
    def __init__(self, models, parent: QWidget | None = None):
        super().__init__(parent)
        self.models = models  # trained_models.TrainedModels
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setSizePolicy(wrapped_line_policy())
        self.tiles = pg.GraphicsLayoutWidget()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.tiles)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.note)
        layout.addWidget(scroll, 1)
        self._run = None
        self._drawn = None  # (model, grid) drawn last
        self.tile_counts: list[int] = []  # tiles per layer drawn (for tests)
        self._mosaics: list[TitledImage] = []  # per layer drawn
        models.changed.connect(lambda: self.refresh() if self.isVisible() else None)
        self.restyle()
        self.retranslate()

    def retranslate(self) -> None:
        self._drawn = None
        if self.isVisible():
            self.refresh()

    def restyle(self) -> None:
        self.tiles.setBackground(style.theme().background)
        self._clear_tiles()  # made again in the theme's colours at the next refresh
        self._drawn = None

    def _clear_tiles(self) -> None:
        self.tiles.clear()
        self.tile_counts, self._mosaics = [], []

    def bind(self, run) -> None:
        if run is not self._run:
            self._run, self._drawn = run, None
            self._clear_tiles()

    def refresh(self) -> None:
        history = self._run.history if self._run is not None else None
        grid = history.decision_grid if history is not None else None
        model = self.models.model_of(self._run) if grid is not None else None
        if model is None or isinstance(model, str):
            self.note.setText(model or "")
            self._clear_tiles()
            self._drawn = None
            return
        if self._drawn == (model, id(grid)):
            return
        self._drawn = (model, id(grid))
        x_range, y_range, probabilities = grid
        maps = model.neuron_maps(x_range, y_range, probabilities.shape[0])
        self._draw(maps, history.layers)
        weights = (self.tr("the run's final weights") if model.epoch is None
                   else self.tr("the weights at the end of epoch {epoch}").format(epoch=model.epoch))
        self.note.setText(self.tr("What each unit of the first hidden layers outputs over the input plane (the "
                                  "decision boundary's), with {weights}: blue negative, red positive, white zero, "
                                  "each layer scaled to its largest output.").format(weights=weights))

    def _draw(self, maps: list[np.ndarray], layers) -> None:
        """A mosaic per layer. Mosaics of the same layout are drawn over (a training run's next epoch): a
        pyqtgraph plot per layer made again took the GUI thread ~50 ms at every epoch end."""
        counts = [len(layer) for layer in maps]
        reuse = counts == self.tile_counts and len(self._mosaics) == len(maps)
        if not reuse:
            self._clear_tiles()
        self.tile_counts = counts
        lookup = diverging_lookup()
        for index, layer in enumerate(maps):
            peak = float(np.nanmax(np.abs(layer))) if layer.size else 0.0
            peak = peak if np.isfinite(peak) and peak > 0 else 1.0
            name, width = layer_name(layers[index].name), layers[index].width
            title = (self.tr("{layer}: its {count} units").format(layer=name, count=width) if len(layer) == width
                     else self.tr("{layer}: the first {shown} of its {count} units").format(
                         layer=name, shown=len(layer), count=width))
            # each tile's first row is the plane's lowest y: flipped, so that y grows upwards on screen
            mosaic = tile_mosaic(layer[:, ::-1, :], TILE_COLUMNS, TILE_GAP)
            if reuse:
                drawn = self._mosaics[index]
                drawn.image.setImage(np.swapaxes(colored(mosaic, (-peak, peak), lookup, False), 0, 1), levels=(0, 255))
                if drawn.title != title:
                    drawn.set_title(title)
                continue
            drawn = add_image(self.tiles, title, mosaic, (-peak, peak), lookup, lines=False)
            drawn.cell.setMinimumHeight(TILE_HEIGHT * -(-len(layer) // TILE_COLUMNS))
            self._mosaics.append(drawn)
            self.tiles.nextRow()
