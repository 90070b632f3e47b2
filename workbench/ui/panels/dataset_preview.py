"""A small picture of the dataset: a scatter for 2-D sets, a grid of samples for images, lines for vectors."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QLabel, QStackedLayout, QWidget

from workbench.ui.plots import style

PREVIEW_HEIGHT = 170
SCATTER_POINT_SIZE = 4
IMAGE_GRID_SIDE = 4  # a 4 x 4 grid of sample images
IMAGE_GAP = 1  # pixels of background between two images of the grid
VECTOR_LINES = 12  # vectors drawn as lines: enough to see the shapes, few enough to tell them apart


def image_mosaic(images: np.ndarray, side: int = IMAGE_GRID_SIDE) -> np.ndarray:
    """(N, C, H, W) images -> one (rows, cols) or (rows, cols, 3) array, scaled to 0..1, row-major."""
    images = images[: side * side].astype(np.float32)
    count, channels, height, width = images.shape
    low, high = float(images.min()), float(images.max())
    images = (images - low) / (high - low) if high > low else np.zeros_like(images)
    columns = min(side, count)
    rows = math.ceil(count / columns)
    mosaic = np.ones((rows * (height + IMAGE_GAP) - IMAGE_GAP, columns * (width + IMAGE_GAP) - IMAGE_GAP,
                      channels), dtype=np.float32)
    for index, image in enumerate(images):
        top, left = (index // columns) * (height + IMAGE_GAP), (index % columns) * (width + IMAGE_GAP)
        mosaic[top:top + height, left:left + width] = image.transpose(1, 2, 0)
    return mosaic[..., 0] if channels == 1 else mosaic


def mosaic_cell(x: float, y: float, count: int, height: int, width: int, side: int = IMAGE_GRID_SIDE) -> int | None:
    """The index of the image of image_mosaic() at pixel (x across, y down), None in a gap or outside."""
    columns = min(side, count)
    column, row = int(x // (width + IMAGE_GAP)), int(y // (height + IMAGE_GAP))
    in_tile = x - column * (width + IMAGE_GAP) < width and y - row * (height + IMAGE_GAP) < height
    inside = x >= 0 and y >= 0 and in_tile
    index = row * columns + column
    return index if inside and column < columns and index < min(count, side * side) else None


class DatasetPreview(QWidget):
    """Shows either a plot of sample inputs or one line of text (loading, or why the data is missing).
    A click on one of the images picks that example (`example_picked`: its raw values and label)."""

    example_picked = Signal(object, int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFixedHeight(PREVIEW_HEIGHT)
        self.plot = pg.PlotWidget()
        style.follow_theme(self.plot)
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.message = QLabel(QCoreApplication.translate("ExperimentPanel", "Loading the dataset preview…"))
        self.message.setWordWrap(True)
        self._stack = QStackedLayout(self)
        self._stack.addWidget(self.message)
        self._stack.addWidget(self.plot)
        self.kind = ""  # what is shown: "points" | "image" | "vector" | "sequence" | "" (a message)
        self._samples: tuple[np.ndarray, np.ndarray] | None = None  # the images shown, to pick one by a click
        self._picked = pg.PlotCurveItem(pen=style.pen(style.palette_color(1), width=2))
        self.plot.scene().sigMouseClicked.connect(self._clicked)

    def show_message(self, text: str) -> None:
        self.kind = ""
        self.message.setText(text)
        self._stack.setCurrentWidget(self.message)

    def show_samples(self, x: np.ndarray, y: np.ndarray, kind: str) -> None:
        plot = self.plot.getPlotItem()
        plot.clear()
        show_axes = kind != "image"
        for side in ("left", "bottom"):
            plot.showAxis(side, show_axes)
        plot.getViewBox().invertY(kind == "image")
        plot.getViewBox().setAspectLocked(kind not in ("vector", "sequence"))
        self._samples = (x, y) if kind == "image" else None
        self.plot.setToolTip(QCoreApplication.translate(
            "ExperimentPanel", "Click an image to see what a CNN's layers make of it (the Filters tab)")
            if kind == "image" else "")
        if kind == "points":
            for label in np.unique(y):  # one item per class: a brush per point costs ~50 ms per 1000
                points = x[y == label]
                plot.addItem(pg.ScatterPlotItem(points[:, 0], points[:, 1], size=SCATTER_POINT_SIZE, pen=None,
                                                brush=pg.mkBrush(style.palette_color(int(label)))))
        elif kind == "image":
            mosaic = image_mosaic(x)
            # ImageItem indexes [column, row]: hand it the transposed mosaic
            plot.addItem(pg.ImageItem(np.swapaxes(mosaic, 0, 1), levels=(0.0, 1.0)))
        else:
            flat = x.reshape(len(x), -1)
            for vector, label in zip(flat[:VECTOR_LINES], y[:VECTOR_LINES], strict=True):
                plot.plot(vector, pen=style.pen(style.palette_color(int(label)), width=1))
        plot.autoRange()
        self.kind = kind
        self._stack.setCurrentWidget(self.plot)

    def _clicked(self, event) -> None:
        if self._samples is None or event.button() != Qt.MouseButton.LeftButton:
            return
        point = self.plot.getPlotItem().getViewBox().mapSceneToView(event.scenePos())
        self.pick(mosaic_cell(point.x(), point.y(), *self._mosaic_shape()))

    def _mosaic_shape(self) -> tuple[int, int, int]:
        images = self._samples[0]
        return min(len(images), IMAGE_GRID_SIDE * IMAGE_GRID_SIDE), images.shape[2], images.shape[3]

    def pick(self, index: int | None) -> None:
        """Pick the shown image `index` (row-major in the grid): outline it and say so."""
        if self._samples is None or index is None:
            return
        count, height, width = self._mosaic_shape()
        columns = min(IMAGE_GRID_SIDE, count)
        left, top = (index % columns) * (width + IMAGE_GAP), (index // columns) * (height + IMAGE_GAP)  # pixel i: [i, i+1)
        self._picked.setData([left, left + width, left + width, left, left],
                             [top, top, top + height, top + height, top])
        if self._picked.scene() is None:
            self.plot.addItem(self._picked)
        images, labels = self._samples
        self.example_picked.emit(images[index], int(labels[index]))
