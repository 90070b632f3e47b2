"""The Confusion tab: the validation confusion matrix of one epoch (true class down, predicted class
across, each cell shaded by its share of the true class and labelled with its count), an epoch slider
that follows the newest epoch while it sits at the end, and each class's accuracy beside it."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QSplitter, QVBoxLayout, QWidget

from workbench.core import distributions
from workbench.core.distributions import ConfusionMatrices
from workbench.core.history import RunHistory
from workbench.ui import formatting
from workbench.ui.language import Translated
from workbench.ui.plots import style
from workbench.ui.plots.cell_labels import CellLabels
from workbench.ui.plots.key import wrapped_line_policy

MAX_CELL_LABELS = 20  # classes up to which every cell shows its count
BAR_WIDTH = 0.7
DARK_CELL = 0.6  # shade above which a cell's count is written in the background colour


def matrix_colors(shares: np.ndarray) -> np.ndarray:
    """(C, C, 4) RGBA floats: each cell blended from the background to Okabe-Ito blue by its row share."""
    background = np.array(QColor(style.theme().background).getRgbF())
    blue = np.array(style.palette_color(0).getRgbF())
    amount = np.nan_to_num(shares)[..., None]
    return (1 - amount) * background + amount * blue


class ConfusionView(Translated, QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.epoch_label = QLabel()
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setEnabled(False)
        self.slider.valueChanged.connect(self._show_epoch)
        controls = QHBoxLayout()
        controls.addWidget(self.epoch_label)
        controls.addWidget(self.slider, 1)
        self.matrix_plot = style.make_plot()
        self.matrix_plot.getPlotItem().showGrid(x=False, y=False)
        self.matrix_plot.getPlotItem().invertY(True)  # the first class at the top, as a table reads
        self.matrix_plot.getPlotItem().setAspectLocked(True)
        self.matrix_plot.getPlotItem().setMouseEnabled(x=False, y=False)
        self.matrix_plot.scene().sigMouseMoved.connect(self._hover)
        self._image = pg.ImageItem()
        self.matrix_plot.addItem(self._image)
        self.accuracy_plot = style.make_plot()
        self.accuracy_plot.getPlotItem().setMouseEnabled(x=False, y=False)
        self.accuracy_plot.setYRange(0, 1.05, padding=0)
        self._bars = pg.BarGraphItem(x=[], height=[], width=BAR_WIDTH)
        self.accuracy_plot.addItem(self._bars)
        plots = QSplitter(Qt.Orientation.Horizontal)
        plots.setChildrenCollapsible(False)
        plots.addWidget(self.matrix_plot)
        plots.addWidget(self.accuracy_plot)
        plots.setSizes([3000, 2000])
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.readout = QLabel()
        self.readout.setWordWrap(True)
        self.readout.setSizePolicy(wrapped_line_policy())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(controls)
        layout.addWidget(self.note)
        layout.addWidget(plots, 1)
        layout.addWidget(self.readout)
        self._history: RunHistory | None = None
        self._matrices: ConfusionMatrices | None = None
        self._labels: list[str] = []
        self._cells = CellLabels()  # each cell's count
        self.matrix_plot.addItem(self._cells)
        self._shown: int | None = None  # index of the epoch drawn
        self.retranslate()

    def retranslate(self) -> None:
        style.label_plot(self.matrix_plot, self.tr("Validation confusion matrix"), self.tr("predicted class"),
                         self.tr("true class"))
        style.label_plot(self.accuracy_plot, self.tr("Accuracy per class"), self.tr("class"),
                         self.tr("share of the class predicted right"))
        self._show_epoch_label()
        self._show_note()
        self.readout.setText(self.tr("Move the mouse over a cell to read its count."))

    def restyle(self) -> None:
        self._shown = None
        self._show_epoch(self.slider.value())

    # -- binding and refreshing -----------------------------------------------------------------
    def bind(self, history: RunHistory | None) -> None:
        self._history, self._matrices, self._shown = history, None, None
        self._labels = distributions.class_labels(history.class_names, history.n_classes) if history else []
        for axis in ("left", "bottom"):
            self.matrix_plot.getPlotItem().getAxis(axis).setTicks([list(enumerate(self._labels))])
        self.accuracy_plot.getPlotItem().getAxis("bottom").setTicks([list(enumerate(self._labels))])
        self._cells.set_cells([], 0)
        self.slider.blockSignals(True)
        self.slider.setRange(0, 0)
        self.slider.blockSignals(False)
        self._image.clear()
        self._bars.setOpts(x=[], height=[])
        self.refresh()

    def refresh(self) -> None:
        """Take in the epochs recorded since the last call; at the newest epoch, follow the new one."""
        history = self._history
        if history is None or not distributions.confusion_row_width(history.n_classes):
            self._show_note()
            return
        rows = history.confusion.view()
        if self._matrices is not None and len(rows) == len(self._matrices):
            return
        following = self._matrices is None or self.slider.value() >= len(self._matrices) - 1  # none yet: follow
        if history.class_names and len(history.class_names) == history.n_classes \
                and history.class_names != self._labels:
            self.bind(history)  # a run read from disk learns its class names with its confusion file
            return
        self._matrices = distributions.decode_confusion(rows, history.n_classes)
        self.slider.setEnabled(len(rows) > 1)
        self.slider.blockSignals(True)
        self.slider.setRange(0, max(0, len(rows) - 1))
        if following:
            self.slider.setValue(len(rows) - 1)
        self.slider.blockSignals(False)
        self._show_note()
        self._show_epoch(self.slider.value())

    def show_epoch(self, epoch: int) -> None:
        """Move the slider to `epoch` (the nearest recorded one)."""
        self.refresh()
        if self._matrices is not None and len(self._matrices):
            self.slider.setValue(int(np.argmin(np.abs(self._matrices.epochs - epoch))))

    @property
    def shown_epoch(self) -> int | None:
        return int(self._matrices.epochs[self._shown]) if self._matrices is not None and self._shown is not None \
            else None

    def class_accuracies(self) -> np.ndarray:
        """Each class's accuracy at the epoch shown (what the bars show)."""
        return distributions.class_accuracy(self._matrices.matrices[self._shown])

    # -- drawing --------------------------------------------------------------------------------
    def _show_epoch(self, index: int) -> None:
        matrices = self._matrices
        if matrices is None or not len(matrices) or index == self._shown:
            return
        self._shown = index
        matrix = matrices.matrices[index]
        totals = matrix.sum(axis=1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            shares = np.where(totals > 0, matrix / totals, 0.0)
        classes = len(matrix)
        self._image.setImage(matrix_colors(shares).transpose(1, 0, 2), levels=(0, 1))  # pyqtgraph: x first
        self._image.setRect(QRectF(-0.5, -0.5, classes, classes))
        self.matrix_plot.setRange(xRange=(-0.5, classes - 0.5), yRange=(-0.5, classes - 0.5), padding=0.02)
        self._label_cells(matrix, shares)
        accuracy = distributions.class_accuracy(matrix)
        self._bars.setOpts(x=np.arange(classes), height=np.nan_to_num(accuracy), width=BAR_WIDTH,
                           brush=style.palette_color(0))
        self.accuracy_plot.setXRange(-0.6, classes - 0.4, padding=0)
        overall = np.trace(matrix) / max(1, matrix.sum())
        style.title_plot(self.accuracy_plot, self.tr("Accuracy per class (all classes: {accuracy})").format(
            accuracy=formatting.percent(overall)))
        self._show_epoch_label()

    def _label_cells(self, matrix: np.ndarray, shares: np.ndarray) -> None:
        if len(matrix) > MAX_CELL_LABELS:
            self._cells.set_cells([], 0)
            return
        light, dark = QColor(style.theme().background), style.resolve(style.FOREGROUND)
        self._cells.set_cells([(column, row, f"{int(count):,}", light if shares[row, column] > DARK_CELL else dark)
                               for (row, column), count in np.ndenumerate(matrix)], len(matrix))

    @property
    def cell_labels(self) -> list[str]:
        """The counts written in the cells, row by row."""
        return self._cells.texts

    def _show_epoch_label(self) -> None:
        epoch = self.shown_epoch
        self.epoch_label.setText(self.tr("Epoch {epoch} of {epochs}").format(
            epoch=epoch, epochs=int(self._matrices.epochs[-1])) if epoch is not None else self.tr("Epoch –"))

    def _show_note(self) -> None:
        history = self._history
        if history is not None and not distributions.confusion_row_width(history.n_classes):
            text = self.tr("This run has {classes} classes: a confusion matrix is kept for at most {limit}.").format(
                classes=history.n_classes, limit=distributions.MAX_CONFUSION_CLASSES)
        elif history is not None and not len(history.confusion):
            text = self.tr("No confusion matrix yet: one is taken on the validation set at each epoch end (a run "
                           "made before Workbench recorded them has none).")
        else:
            text = ""
        self.note.setText(text)
        self.note.setVisible(bool(text))

    def _hover(self, scene_position) -> None:
        view = self.matrix_plot.getPlotItem().getViewBox()
        if self._shown is None or not view.sceneBoundingRect().contains(scene_position):
            return
        point = view.mapSceneToView(scene_position)
        row, column = round(point.y()), round(point.x())
        matrix = self._matrices.matrices[self._shown]
        if not (0 <= row < len(matrix) and 0 <= column < len(matrix)):
            return
        total = matrix[row].sum()
        self.readout.setText(self.tr("true {true}, predicted {predicted}: {count} examples, {share} of the {total} "
                                     "of class {true}").format(
            true=self._labels[row], predicted=self._labels[column], count=f"{int(matrix[row, column]):,}",
            share=formatting.percent(matrix[row, column] / total) if total else "–", total=f"{int(total):,}"))
