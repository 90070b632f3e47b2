"""A wrapped label whose height is a fixed number of lines, whatever its text: a text that needs more lines
is cut with "…", and the whole of it goes into the tooltip.

A label whose height followed its text resized every widget below it at each change of text: under the
preset banner, the plots, which a resize repaints whole (~20 ms of the GUI thread at each experiment
loaded, on top of a run start when one follows).
"""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

ELLIPSIS = "…"
WORD_BACKTRACK = 24  # characters: a cut moves back to the last space this close, so no word is cut in two


class FixedLinesLabel(QLabel):
    """Rich text in `lines` lines of height, vertically centred: a head and a tail in HTML, which are always
    shown, around a plain-text body, which is cut when the whole does not fit the label's width."""

    def __init__(self, lines: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.lines = lines
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setWordWrap(True)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self._parts = ("", "", "")
        self._fit_height()

    def set_parts(self, head: str, body: str, tail: str) -> None:
        """Show head + body + tail: head and tail are HTML, body is plain text and is what gets cut."""
        self._parts = (head, body, tail)
        self._fit_text()

    def set_plain(self, text: str) -> None:
        """Plain text, cut when it needs more lines."""
        self.set_parts("", text, "")

    def full_html(self) -> str:
        head, body, tail = self._parts
        return head + html.escape(body, quote=False) + tail

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._fit_text()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_height()
            self._fit_text()

    def _document(self, text: str, width: float) -> QTextDocument:
        document = QTextDocument()
        document.setDefaultFont(self.font())
        document.setDocumentMargin(0)  # as QLabel lays out its rich text
        document.setHtml(text)
        document.setTextWidth(width)
        return document

    def _fit_height(self) -> None:
        self.setFixedHeight(int(self._document("<br>".join("X" * self.lines), 1000).size().height()) + 1)

    def _fits(self, text: str, width: float) -> bool:
        return self._document(text, width).size().height() <= self.height()

    def _fit_text(self) -> None:
        width = self.contentsRect().width()
        whole = self.full_html()
        head, body, tail = self._parts
        if width <= 0 or self._fits(whole, width):
            self.setText(whole)
            self.setToolTip("")
            return
        low, high = 0, len(body)  # the longest start of the body that fits, with its ellipsis
        while low < high:
            middle = (low + high + 1) // 2
            if self._fits(head + html.escape(body[:middle].rstrip() + ELLIPSIS, quote=False) + tail, width):
                low = middle
            else:
                high = middle - 1
        space = body.rfind(" ", max(low - WORD_BACKTRACK, 0), low)
        cut = body[:space if space > 0 else low].rstrip()
        self.setText(head + html.escape(cut + ELLIPSIS, quote=False) + tail)
        self.setToolTip(whole)
