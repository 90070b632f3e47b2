"""Texts at the centres of a grid's cells (a confusion matrix's counts), drawn by one item.

A pyqtgraph TextItem per cell cost the GUI thread ~0.5 ms each to make: a 10-class matrix made a hundred
of them, ~50 ms in one go, the first time the Confusion tab showed a run. One item that paints every text
at the font's pixel size, whatever the zoom, costs nothing to make and draws them in well under a
millisecond.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor

TEXT_BOX = QRectF(-60.0, -20.0, 120.0, 40.0)  # px around a cell's centre in which its text is centred


class CellLabels(pg.GraphicsObject):
    def __init__(self):
        super().__init__()
        self._cells: list[tuple[int, int, str, QColor]] = []  # (column, row, text, colour)
        self._bounds = QRectF()

    def set_cells(self, cells: list[tuple[int, int, str, QColor]], size: int) -> None:
        """The texts of a `size` x `size` grid whose cell (column, row) is centred at (column, row)."""
        if cells == self._cells:
            return
        self.prepareGeometryChange()
        self._cells, self._bounds = list(cells), QRectF(-0.5, -0.5, size, size)
        self.update()

    @property
    def texts(self) -> list[str]:
        return [text for _, _, text, _ in self._cells]

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt's name)
        return self._bounds

    def paint(self, painter, *_args) -> None:
        to_device = painter.transform()
        painter.resetTransform()  # texts at the font's size in pixels, not stretched with the cells
        for column, row, text, color in self._cells:
            centre = to_device.map(QPointF(column, row))
            painter.setPen(color)
            painter.drawText(TEXT_BOX.translated(centre), Qt.AlignmentFlag.AlignCenter, text)
