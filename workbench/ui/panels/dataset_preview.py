"""A small picture of the dataset: a scatter for 2-D sets, a grid of samples for images, lines for vectors."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication
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


class DatasetPreview(QWidget):
    """Shows either a plot of sample inputs or one line of text (loading, or why the data is missing)."""

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
