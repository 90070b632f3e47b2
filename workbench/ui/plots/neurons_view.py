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
from workbench.ui.plots.filters_view import (
    TitledImage,
    add_colored_image,
    colored,
    diverging_lookup,
    tile_mosaic,
)
from workbench.ui.plots.key import wrapped_line_policy
from workbench.ui.worker import call_in_background

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
        self._computing = False  # a background computation of the maps is under way
        self._stale = False  # newer weights or another run were asked for meanwhile
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
        """Draw the newest weights' maps. They are computed on a background thread (the model's outputs over
        the plane and their colours: 10-30 ms at each epoch end of a training run, which the GUI thread
        spent stalled); one computation at a time, the newest weights asked for again when it ends."""
        history = self._run.history if self._run is not None else None
        grid = history.decision_grid if history is not None else None
        model = self.models.model_of(self._run) if grid is not None else None
        if model is None or isinstance(model, str):
            self.note.setText(model or "")
            self._clear_tiles()
            self._drawn = None
            return
        wanted = (model, id(grid))
        if self._drawn == wanted:
            return
        if self._computing:
            self._stale = True
            return
        self._computing, self._stale = True, False
        run, lookup = self._run, diverging_lookup()
        call_in_background(lambda: neuron_images(model, grid, lookup), self,
                           lambda images: self._computed(run, wanted, images, history.layers),
                           lambda error: self._computed(run, wanted, error, history.layers))

    def _computed(self, run, drawn, images, layers) -> None:
        self._computing = False
        if run is self._run:
            if isinstance(images, Exception):
                self.note.setText(self.tr("The units' outputs could not be computed: {error}").format(error=images))
                return
            self._drawn = drawn
            self._draw(images, layers)
            model = drawn[0]
            weights = (self.tr("the run's final weights") if model.epoch is None
                       else self.tr("the weights at the end of epoch {epoch}").format(epoch=model.epoch))
            self.note.setText(self.tr("What each unit of the first hidden layers outputs over the input plane "
                                      "(the decision boundary's), with {weights}: blue negative, red positive, "
                                      "white zero, each layer scaled to its largest output.").format(weights=weights))
        if self._stale or run is not self._run:
            self._stale = False
            self.refresh()

    def _draw(self, images: list[tuple[int, np.ndarray]], layers) -> None:
        """A mosaic per layer. Mosaics of the same layout are drawn over (a training run's next epoch): a
        pyqtgraph plot per layer made again took the GUI thread ~50 ms at every epoch end."""
        counts = [count for count, _rgba in images]
        reuse = counts == self.tile_counts and len(self._mosaics) == len(images)
        if not reuse:
            self._clear_tiles()
        self.tile_counts = counts
        for index, (count, rgba) in enumerate(images):
            name, width = layer_name(layers[index].name), layers[index].width
            title = (self.tr("{layer}: its {count} units").format(layer=name, count=width) if count == width
                     else self.tr("{layer}: the first {shown} of its {count} units").format(
                         layer=name, shown=count, count=width))
            if reuse:
                drawn = self._mosaics[index]
                drawn.image.setImage(rgba, levels=(0, 255))
                if drawn.title != title:
                    drawn.set_title(title)
                continue
            drawn = add_colored_image(self.tiles, title, rgba)
            drawn.cell.setMinimumHeight(TILE_HEIGHT * -(-count // TILE_COLUMNS))
            self._mosaics.append(drawn)
            self.tiles.nextRow()


def neuron_images(model, grid, lookup: np.ndarray) -> list[tuple[int, np.ndarray]]:
    """Per layer drawn, its units shown and their tiles as one RGBA mosaic, as pyqtgraph takes it. Numpy
    and torch only (no Qt): it runs on a background thread."""
    x_range, y_range, probabilities = grid
    images = []
    for layer in model.neuron_maps(x_range, y_range, probabilities.shape[0]):
        peak = float(np.nanmax(np.abs(layer))) if layer.size else 0.0
        peak = peak if np.isfinite(peak) and peak > 0 else 1.0
        # each tile's first row is the plane's lowest y: flipped, so that y grows upwards on screen
        mosaic = tile_mosaic(layer[:, ::-1, :], TILE_COLUMNS, TILE_GAP)
        images.append((len(layer), np.swapaxes(colored(mosaic, (-peak, peak), lookup, False), 0, 1)))
    return images
