"""The decision boundary of a 2-D classifier: class probabilities as a tinted image, training points on top,
and a key of the class colours above the plot."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QRectF
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QVBoxLayout, QWidget

from workbench.ui.plots import style
from workbench.ui.plots.key import KeyEntry, PlotKey

IMAGE_TINT = 0.45  # share of the class colour in the image; the rest is the background, so points stand out
MAX_SCATTER_POINTS = 3000  # toy sets are small; beyond this the points would hide the boundary
POINT_SIZE = 6
POINT_EDGE = "#202020"


def class_colors(count: int) -> np.ndarray:
    """(count, 3) RGB in [0, 1], the same palette as the points."""
    return np.array([style.palette_color(index).getRgbF()[:3] for index in range(count)])


def probabilities_to_rgb(probabilities: np.ndarray) -> np.ndarray:
    """[rows(y), columns(x), classes] probabilities -> [x, y, 3] image (pyqtgraph's axis order),
    each pixel the probability-weighted mix of class colours, faded towards the plot's background."""
    mixed = probabilities @ class_colors(probabilities.shape[-1])
    background = np.array(QColor(style.theme().background).getRgbF()[:3])
    return (IMAGE_TINT * mixed + (1 - IMAGE_TINT) * background).transpose(1, 0, 2)


def class_key(count: int) -> list[KeyEntry]:
    """The classes of a toy set have no names: "class 0", "class 1", … in the points' colours."""
    return [KeyEntry(style.palette_color(index),
                     QCoreApplication.translate("DecisionBoundaryView", "class {index}").format(index=index), "dot")
            for index in range(count)]


class DecisionBoundaryView:
    def __init__(self):
        self.plot = style.make_plot()
        self.plot.getPlotItem().setAspectLocked(True)
        self.plot.getPlotItem().showGrid(x=False, y=False)  # grid lines would cut through the regions
        self.key = PlotKey()
        self.widget = QWidget()
        layout = QVBoxLayout(self.widget)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.key)
        layout.addWidget(self.plot, 1)
        self._image = pg.ImageItem()
        self._points = pg.ScatterPlotItem(size=POINT_SIZE, pen=pg.mkPen(POINT_EDGE, width=0.5))
        self.plot.addItem(self._image)
        self.plot.addItem(self._points)
        self._grid = None
        self._points_shown = None  # the training points bound, to draw them again in a new theme
        self._classes = 0
        self.retranslate()

    def restyle(self) -> None:
        """The image fades into the background, and the points take the theme's colours: draw them again."""
        grid = self._grid
        self.bind_points(self._points_shown)
        self.refresh(grid)

    def retranslate(self) -> None:
        """Its title and class names in the current language (called by the widget that shows it)."""
        style.label_plot(self.plot, QCoreApplication.translate("DecisionBoundaryView", "Decision boundary"),
                         "x₁", "x₂")
        self.key.set_entries(class_key(self._classes))

    @property
    def has_image(self) -> bool:
        return self._grid is not None

    @property
    def point_count(self) -> int:
        return len(self._points.data)

    def bind_points(self, points: tuple[np.ndarray, np.ndarray] | None) -> None:
        """The training points (inputs [n, 2], labels [n]); None for runs that do not carry them."""
        self._grid = None
        self._points_shown = points
        self._image.clear()
        if points is None:
            self._points.setData([])
            self._classes = 0
            self.key.set_entries([])
            return
        inputs, labels = points
        stride = max(1, int(np.ceil(len(inputs) / MAX_SCATTER_POINTS)))
        inputs, labels = inputs[::stride], labels[::stride].astype(int)
        classes = self._classes = int(labels.max(initial=0)) + 1
        self.key.set_entries(class_key(classes))
        brushes = [pg.mkBrush(style.palette_color(index)) for index in range(classes)]
        self._points.setData(x=inputs[:, 0], y=inputs[:, 1], brush=[brushes[label] for label in labels])

    def refresh(self, grid) -> None:
        """Redraw when the run recorded a new grid ((x_min, x_max), (y_min, y_max), probabilities)."""
        if grid is None or grid is self._grid:
            return
        self._grid = grid
        (x_min, x_max), (y_min, y_max), probabilities = grid
        rows, columns = probabilities.shape[:2]
        # grid values sit on pixel centres: widen the image by half a pixel on each side
        half_x = (x_max - x_min) / max(1, columns - 1) / 2
        half_y = (y_max - y_min) / max(1, rows - 1) / 2
        self._image.setImage(probabilities_to_rgb(probabilities), levels=(0, 1))
        self._image.setRect(QRectF(x_min - half_x, y_min - half_y,
                                   x_max - x_min + 2 * half_x, y_max - y_min + 2 * half_y))
