"""Trying a trained model on new input: a click on the decision-boundary plane (2-D data) marks the point
and writes the model's class probabilities there; for image data a small canvas to draw a digit with the
mouse, what the model sees of it, and its class probabilities as bars."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.ui import formatting
from workbench.ui.plots import style
from workbench.ui.plots.filters_view import grey_lookup

CANVAS_SIDE = 280  # px: ten times MNIST's side, room for a hand-drawn digit
PEN_WIDTH = 22  # px: a stroke as thick, for its size, as MNIST's
BAR_WIDTH = 0.7
MARKER_SIZE = 14
CLASSES_LISTED = 3  # the most probable classes written beside a clicked point


def top_classes(probabilities: np.ndarray, names: list[str], count: int = CLASSES_LISTED) -> list[tuple[str, float]]:
    """The `count` most probable classes, most probable first: (name, probability)."""
    order = np.argsort(-probabilities)[:count]
    return [(names[index] if index < len(names) else str(index), float(probabilities[index])) for index in order]


def percent(share: float) -> str:
    return formatting.number(100 * share, 3) + "%"


class PointProbe:
    """Clicks on the decision-boundary plot: a cross where the user clicked and the model's prediction."""

    def __init__(self, plot: pg.PlotWidget, model_of_shown):
        self.plot = plot
        self.model_of_shown = model_of_shown  # () -> TrainedModel or a sentence
        self.marker = pg.ScatterPlotItem(size=MARKER_SIZE, symbol="x")
        self.label = pg.TextItem(anchor=(0, 1))
        self.label.setZValue(10)
        self.label.setVisible(False)  # an empty label still paints its background: a blank box at (0, 0)
        self.marker.setZValue(10)
        self.last: tuple[tuple[float, float], np.ndarray] | None = None  # the point and its probabilities
        self.point: tuple[float, float] | None = None  # clicked last, answered or not
        plot.addItem(self.marker)
        plot.addItem(self.label)
        plot.scene().sigMouseClicked.connect(self._clicked)
        self.restyle()
        style.on_theme_change(self.restyle, owner=plot)  # this probe is no Qt object: its plot bounds its life

    def restyle(self) -> None:
        """The cross and the text in the theme's foreground, the text on its background."""
        self.marker.setPen(pg.mkPen(style.resolve(style.FOREGROUND), width=2))
        self.label.fill = pg.mkBrush(QColor(style.theme().background))
        self.label.setColor(style.resolve(style.FOREGROUND))

    def _clicked(self, event) -> None:
        view = self.plot.getPlotItem().getViewBox()
        if event.button() != Qt.MouseButton.LeftButton or not view.sceneBoundingRect().contains(event.scenePos()):
            return
        point = view.mapSceneToView(event.scenePos())
        self.probe(point.x(), point.y())

    def probe(self, x: float, y: float) -> str:
        """Predict at (x, y) of the plane; the text written beside the point (a sentence when no model)."""
        self.point = (x, y)
        model = self.model_of_shown()
        if isinstance(model, str) or model is None:
            text = model or ""
            self.last = None
        else:
            probabilities = model.probabilities(np.array([[x, y]], dtype=np.float32))[0]
            self.last = ((x, y), probabilities)
            lines = [QCoreApplication.translate("PointProbe", "{name}: {share}").format(name=name, share=percent(share))
                     for name, share in top_classes(probabilities, _class_names(model))]
            text = "\n".join([QCoreApplication.translate("PointProbe", "({x}, {y})").format(x=formatting.number(x, 3), y=formatting.number(y, 3)),
                              *lines])
        self.marker.setData([x], [y])
        self.label.setText(text, color=style.resolve(style.FOREGROUND))
        self.label.setPos(x, y)
        self.label.setVisible(bool(text))
        return text

    def answer_when_ready(self) -> None:
        """A click that got a sentence (the run's data still being read) gets its prediction once the
        model is there: called when the trained models change."""
        if self.point is not None and self.last is None:
            self.probe(*self.point)

    def clear(self) -> None:
        self.last = self.point = None
        self.marker.setData([], [])
        self.label.setText("")
        self.label.setVisible(False)


def _class_names(model) -> list[str]:
    """Toy sets' classes are numbers: "class 0", as the decision boundary's key says."""
    names = model.facts.class_names
    if all(name.isdigit() for name in names):
        return [QCoreApplication.translate("DecisionBoundaryView", "class {index}").format(index=name) for name in names]
    return names


class DrawingCanvas(QWidget):
    """A square to draw on with the mouse (left button draws, right button erases); `changed` after each
    stroke segment. `ink()` is the drawing as (height, width) values 0..1."""

    def __init__(self, on_change, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFixedSize(CANVAS_SIDE, CANVAS_SIDE)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.image = QImage(CANVAS_SIDE, CANVAS_SIDE, QImage.Format.Format_Grayscale8)
        self.image.fill(0)
        self._last: QPoint | None = None
        self._erasing = False
        self._on_change = on_change

    def clear(self) -> None:
        self.image.fill(0)
        self.update()
        self._on_change()

    def ink(self) -> np.ndarray:
        pointer = self.image.constBits()
        rows = np.frombuffer(pointer, dtype=np.uint8).reshape(CANVAS_SIDE, self.image.bytesPerLine())
        return rows[:, :CANVAS_SIDE].astype(np.float32) / 255.0

    def stroke(self, points: list[tuple[float, float]]) -> None:
        """Draw a line through `points` (canvas pixels), as a mouse drag would."""
        painter = QPainter(self.image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor(0 if self._erasing else 255, 0 if self._erasing else 255,
                                   0 if self._erasing else 255), PEN_WIDTH, Qt.PenStyle.SolidLine,
                            Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
        if len(points) == 1:
            painter.drawPoint(QPointF(*points[0]))
        for start, end in zip(points, points[1:], strict=False):
            painter.drawLine(QPointF(*start), QPointF(*end))
        painter.end()
        self.update()
        self._on_change()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        self._erasing = event.button() == Qt.MouseButton.RightButton
        self._last = event.position().toPoint()
        self.stroke([(self._last.x(), self._last.y())])

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        if self._last is None:
            return
        point = event.position().toPoint()
        self.stroke([(self._last.x(), self._last.y()), (point.x(), point.y())])
        self._last = point

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        self._last = None

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        painter.drawImage(0, 0, self.image)
        painter.setPen(QPen(self.palette().mid().color()))
        painter.drawRect(0, 0, CANVAS_SIDE - 1, CANVAS_SIDE - 1)
        painter.end()


class DrawDigitDialog(QDialog):
    """Draw a digit; see it as the model sees it (scaled to the dataset's image size) and the model's class
    probabilities, updated as you draw."""

    def __init__(self, model, run_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = model
        self.setWindowTitle(self.tr("Try {run}: draw a digit").format(run=run_name))
        self.canvas = DrawingCanvas(self.predict)
        self.seen = style.make_plot()
        self.seen.setFixedSize(CANVAS_SIDE // 2 + 40, CANVAS_SIDE // 2 + 40)
        for side in ("left", "bottom"):
            self.seen.getPlotItem().hideAxis(side)
        self.seen.getPlotItem().invertY(True)
        self.seen.getPlotItem().setAspectLocked(True)
        self.seen.getPlotItem().setMouseEnabled(x=False, y=False)
        self._seen_image = pg.ImageItem(lut=grey_lookup())
        self.seen.addItem(self._seen_image)
        self.bars_plot = style.make_plot()
        self.bars_plot.setMinimumSize(360, 200)
        self.bars_plot.getPlotItem().setMouseEnabled(x=False, y=False)
        self.bars_plot.setYRange(0, 1.05, padding=0)
        names = model.facts.class_names
        self.bars_plot.getPlotItem().getAxis("bottom").setTicks([list(enumerate(names))])
        self.bars = pg.BarGraphItem(x=np.arange(len(names)), height=np.zeros(len(names)), width=BAR_WIDTH,
                                    brush=style.palette_color(0))
        self.bars_plot.addItem(self.bars)
        style.label_plot(self.bars_plot, self.tr("Class probabilities"), self.tr("class"), self.tr("probability"))
        self.prediction = QLabel()
        self.prediction.setWordWrap(True)
        hint = QLabel(self.tr("Draw with the left mouse button, erase with the right."))
        hint.setWordWrap(True)
        clear = QPushButton(self.tr("C&lear"))
        clear.clicked.connect(self.canvas.clear)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        left = QVBoxLayout()
        left.addWidget(hint)
        left.addWidget(self.canvas)
        left.addWidget(clear, 0, Qt.AlignmentFlag.AlignLeft)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(QLabel(self.tr("What the model sees:")))
        right.addWidget(self.seen)
        right.addWidget(self.bars_plot, 1)
        right.addWidget(self.prediction)
        columns = QHBoxLayout()
        columns.addLayout(left)
        columns.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        layout.addWidget(buttons)
        self.probabilities: np.ndarray | None = None
        self.predict()

    def predict(self) -> None:
        ink = self.canvas.ink()
        if not (ink > 0).any():
            self.probabilities = None
            self.bars.setOpts(height=np.zeros(len(self.model.facts.class_names)))
            self._seen_image.clear()
            self.prediction.setText(self.tr("Draw a digit in the square."))
            return
        image, model_input = self.model.drawn_input(ink)
        self.probabilities = self.model.probabilities(model_input[None])[0]
        self.bars.setOpts(height=self.probabilities)
        image = image.reshape(self.model.facts.input_shape)
        image = image.mean(axis=0) if image.ndim == 3 else image
        self._seen_image.setImage(np.swapaxes(image, 0, 1), levels=(0.0, 1.0))
        (name, share), *_rest = top_classes(self.probabilities, self.model.facts.class_names, 1)
        self.prediction.setText(self.tr("Prediction: {name} ({share})").format(name=name, share=percent(share)))
