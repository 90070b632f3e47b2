"""The Filters tab (CNN runs): the first conv layer's filters as images, one tile each, and for one input
example the feature maps of every conv block, one tile per channel. The example is the run's first
validation input until the user clicks an image in the dataset preview. It follows a training run at its
epoch ends (the weights the app keeps there) and shows a finished run's saved weights (model.pt).

Filters of several input channels (RGB) are averaged into one grey tile; each filter tile is scaled to its
own largest weight (blue negative, red positive), each feature map to its block's largest output.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from workbench.ui.language import Translated
from workbench.ui.plots import style
from workbench.ui.plots.key import wrapped_line_policy

FILTER_COLUMNS = 8
MAP_COLUMNS = 8
DIVERGING = ("#2166ac", "#f7f7f7", "#b2182b")  # negative, zero, positive weights (ColorBrewer RdBu)
GAP_SHARE = 0.25  # the lines between tiles: this much of the foreground over the background
TILE_PIXELS = 24  # tiles are enlarged (each value a square block) to at least this side, so that the
TILE_GAP = 2      # ... 2-pixel line between two tiles stays thin beside a 3x3 filter or a 4x4 map
TITLE_SIZE = "11pt"  # a plot title's (pyqtgraph's PlotItem)


def diverging_lookup() -> np.ndarray:
    return pg.ColorMap((0.0, 0.5, 1.0), list(DIVERGING)).getLookupTable(nPts=256, alpha=True)


def grey_lookup() -> np.ndarray:
    """Black (no output) to white (the block's largest), as the dataset preview draws images."""
    return pg.ColorMap((0.0, 1.0), ["#000000", "#ffffff"]).getLookupTable(nPts=256, alpha=True)


def tile_mosaic(tiles: np.ndarray, columns: int, gap: int = 1, fill: float = np.nan) -> np.ndarray:
    """(n, height, width) tiles laid out row-major in `columns` columns with `gap` pixels of `fill` between
    them: one (rows, cols) image."""
    count, height, width = tiles.shape
    columns = max(1, min(columns, count))
    rows = -(-count // columns)
    mosaic = np.full((rows * (height + gap) - gap, columns * (width + gap) - gap), fill, dtype=np.float32)
    for index, tile in enumerate(tiles):
        top, left = (index // columns) * (height + gap), (index % columns) * (width + gap)
        mosaic[top:top + height, left:left + width] = tile
    return mosaic


def enlarged(tiles: np.ndarray, side: int = TILE_PIXELS) -> np.ndarray:
    """(n, height, width) tiles with each value repeated into a square block, to at least `side` pixels."""
    factor = max(1, -(-side // max(tiles.shape[1:], default=1)))
    return tiles.repeat(factor, axis=1).repeat(factor, axis=2)


def filter_tiles(filters: np.ndarray) -> np.ndarray:
    """One grey tile per filter: a one-channel filter as it is; several input channels (RGB) averaged, so
    that a tile shows where the filter weighs its input, whatever the colour. Each tile is scaled to
    -1..1 by its own largest weight, so a small filter's pattern stays visible beside a large one."""
    tiles = filters.mean(axis=1)
    peak = np.abs(tiles).reshape(len(tiles), -1).max(axis=1)
    return tiles / np.where(peak > 0, peak, 1.0)[:, None, None]


class FiltersView(Translated, QWidget):
    def __init__(self, models, parent: QWidget | None = None):
        super().__init__(parent)
        self.models = models  # trained_models.TrainedModels
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setSizePolicy(wrapped_line_policy())
        self.images = pg.GraphicsLayoutWidget()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.note)
        layout.addWidget(self.images, 1)
        self._run = None
        self._picked: tuple[np.ndarray, int] | None = None  # raw input and label clicked in the preview
        self._drawn = None  # (model, picked) drawn last
        self.tile_counts: list[int] = []  # tiles drawn: the filters, then each block's maps (for tests)
        models.changed.connect(lambda: self.refresh() if self.isVisible() else None)
        self.restyle()
        self.retranslate()

    def retranslate(self) -> None:
        self._drawn = None
        if self.isVisible():
            self.refresh()

    def restyle(self) -> None:
        self.images.setBackground(style.theme().background)
        self._drawn = None

    def bind(self, run) -> None:
        if run is not self._run:
            self._run, self._drawn = run, None
            self.images.clear()
            self.tile_counts = []

    def set_example(self, raw: np.ndarray, label: int) -> None:
        """An example picked in the dataset preview (raw values, as the dataset stores them)."""
        self._picked = (np.asarray(raw, dtype=np.float32), int(label))
        self._drawn = None
        self.refresh()

    def refresh(self) -> None:
        model = self.models.model_of(self._run) if self._run is not None else None
        if model is not None and not isinstance(model, str) and not model.is_cnn:
            model = self.tr("Filters and feature maps are drawn for CNN runs (model.kind = \"cnn\").")
        if model is None or isinstance(model, str):
            self.note.setText(model or "")
            self.images.clear()
            self.tile_counts = []
            self._drawn = None
            return
        if self._drawn == (model, self._picked):
            return
        self._drawn = (model, self._picked)
        example, caption = self._example(model)
        self._draw(model, example)
        filters = model.filters()
        weights = (self.tr("the run's final weights") if model.epoch is None
                   else self.tr("the weights at the end of epoch {epoch}").format(epoch=model.epoch))
        channels = (self.tr(", averaged over the {count} input channels").format(count=filters.shape[1])
                    if filters.shape[1] > 1 else "")
        self.note.setText(self.tr(
            "With {weights}. First conv layer: {count} filters of {size}×{size}{channels}. Below, the feature maps of "
            "each conv block (after its activation, before pooling) for {example}. Click an image in the dataset "
            "preview to pick another example.").format(weights=weights, count=len(filters), size=filters.shape[-1],
                                                       channels=channels, example=caption))

    def _example(self, model) -> tuple[np.ndarray, str]:
        facts = model.facts
        names = facts.class_names
        if self._picked is not None:
            raw, label = self._picked
            if raw.size == int(np.prod(facts.input_shape)):
                return model.standardized(raw.reshape(facts.input_shape)), self.tr(
                    "the example picked in the preview (class {label})").format(label=_name(names, label))
            return facts.example, self.tr("the run's first validation example (class {label}): the image picked "
                                          "in the preview has another size than this run's inputs").format(
                label=_name(names, facts.example_label))
        return facts.example, self.tr("the run's first validation example (class {label})").format(
            label=_name(names, facts.example_label))

    def _draw(self, model, example: np.ndarray) -> None:
        self.images.clear()
        tiles = filter_tiles(model.filters())
        maps = model.feature_maps(example)
        self.tile_counts = [len(tiles)] + [len(block) for block in maps]
        self._add_image(0, self.tr("Filters"), tile_mosaic(enlarged(tiles), FILTER_COLUMNS, TILE_GAP), (-1.0, 1.0),
                        diverging_lookup())
        shown = model.unstandardized(example).reshape(model.facts.input_shape)
        shown = shown.mean(axis=0) if shown.ndim == 3 else shown
        self._add_image(1, self.tr("Input"), shown, None, grey_lookup())
        for index, block in enumerate(maps, start=1):
            peak = float(np.nanmax(block)) if block.size else 0.0
            title = self.tr("Conv block {index}: {count} maps of {height}×{width}").format(
                index=index, count=len(block), height=block.shape[1], width=block.shape[2])
            self.images.nextRow()
            levels = (0.0, peak if peak > 0 else 1.0)
            self._add_image(None, title, tile_mosaic(enlarged(block), MAP_COLUMNS, TILE_GAP), levels, grey_lookup(),
                            colspan=2)

    def _add_image(self, column, title: str, image: np.ndarray, levels, lookup, colspan: int = 1) -> None:
        add_image(self.images, title, image, levels, lookup, column, colspan)


def colored(image: np.ndarray, levels: tuple[float, float], lookup: np.ndarray, lines: bool) -> np.ndarray:
    """(rows, cols) values -> (rows, cols, 4) RGBA bytes through `lookup` over `levels`; NaN pixels (the gaps
    of a tile mosaic) transparent, or with `lines` a line colour, so that dark tiles stay apart on a dark
    background."""
    low, high = levels
    shares = np.clip((np.nan_to_num(image, nan=low) - low) / ((high - low) or 1.0), 0.0, 1.0)
    rgba = lookup[np.round(shares * (len(lookup) - 1)).astype(int)].astype(np.uint8)
    gap = style.blended_with_background(style.FOREGROUND, GAP_SHARE).getRgb() if lines else (0, 0, 0, 0)
    rgba[np.isnan(image)] = gap
    return rgba


@dataclass
class TitledImage:
    """An image under a title in a cell of a GraphicsLayoutWidget: a label and a bare ViewBox in a nested
    layout, not a PlotItem with hidden axes (which took 2.5x longer to make: ~10 ms against ~4 per image,
    the bulk of the Neurons tab's first draw)."""

    cell: pg.GraphicsLayout
    label: pg.LabelItem
    view: pg.ViewBox
    image: pg.ImageItem

    @property
    def title(self) -> str:
        return self.label.text

    def set_title(self, title: str) -> None:
        self.label.setText(title, color=style.resolve(style.FOREGROUND).name(), size=TITLE_SIZE)


def add_image(layout: pg.GraphicsLayoutWidget, title: str, image: np.ndarray, levels, lookup, column=None,
              colspan: int = 1, lines: bool = True) -> TitledImage:
    """A titled image without axes, first row at the top, pixels square. levels None: the image's range."""
    finite = image[np.isfinite(image)]
    levels = levels or ((float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0))
    return add_colored_image(layout, title, np.swapaxes(colored(image, levels, lookup, lines), 0, 1), column, colspan)


def add_colored_image(layout: pg.GraphicsLayoutWidget, title: str, rgba: np.ndarray, column=None,
                      colspan: int = 1) -> TitledImage:
    """add_image() of an image already coloured: (cols, rows, 4) RGBA bytes, as pyqtgraph takes them."""
    cell = layout.addLayout(col=column, colspan=colspan) if column is not None else layout.addLayout(colspan=colspan)
    label = cell.addLabel(title, color=style.resolve(style.FOREGROUND).name(), size=TITLE_SIZE)
    cell.nextRow()
    view = cell.addViewBox(enableMouse=False, enableMenu=False, invertY=True, lockAspect=True)
    item = pg.ImageItem(rgba, levels=(0, 255))
    view.addItem(item)
    return TitledImage(cell, label, view, item)


def _name(names: list[str], label: int) -> str:
    return names[label] if 0 <= label < len(names) else str(label)
