"""Plot keys: what each colour and line style means, in one line of text above a plot.

A legend drawn inside a plot covered up to 40% of its data (an overlay of three runs listed six
entries); a key above the plot never covers a curve and wraps when the plot is narrow.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from workbench.ui.plots import style

# Samples drawn with text, so the key is a plain label: a line, a dashed line, a patch of colour.
SAMPLES = {"line": "━━", "dashed": "╍╍", "patch": "■", "dot": "●"}
ENTRY_GAP = "&nbsp;&nbsp; "  # a narrow key wraps here, between entries, never inside one


@dataclass(frozen=True)
class KeyEntry:
    color: QColor | str  # a colour, or one of style's roles (its foreground in the current theme)
    label: str
    sample: str = "patch"  # one of SAMPLES

    def html(self) -> str:
        color = style.resolve(self.color).name()
        label = html.escape(self.label).replace(" ", "&nbsp;")
        return f'<span style="color:{color}">{SAMPLES[self.sample]}</span>&nbsp;{label}'


def wrapped_line_policy() -> QSizePolicy:
    """For a wrapped label above or below a plot: it never asks for the width of its whole text (the
    plot could not shrink: a Compare grid cell is narrow), and takes the height its lines need."""
    policy = QSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Maximum)
    policy.setHeightForWidth(True)
    return policy


def key_html(entries: list[KeyEntry]) -> str:
    return ENTRY_GAP.join(entry.html() for entry in entries)


class PlotKey(QLabel):
    """One line of key entries (wrapped when narrow); hidden while it has none.

    A key that grows while a run trains (the best epoch, named once the first epoch has ended) can keep
    room for its longer text from the start: a key that wrapped onto a second line pushed the plots
    under it down, which repainted every plot of the tab at once (the worst stall of a live run)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setWordWrap(True)
        self.setSizePolicy(wrapped_line_policy())
        self.entries: list[KeyEntry] = []
        self._room = QLabel(self)  # never shown: measures the text the key keeps room for
        self._room.setTextFormat(Qt.TextFormat.RichText)
        self._room.setWordWrap(True)
        self._room.hide()
        self.setVisible(False)

    def keep_room_for(self, entries: list[KeyEntry]) -> None:
        """Take at least the height these entries would need at the key's width (none: its own)."""
        text = key_html(entries)
        if text != self._room.text():
            self._room.setText(text)
            self._room_heights: dict[int, int] = {}  # per width: laying out rich text costs, layouts ask often
            self.updateGeometry()

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt's name)
        own = super().heightForWidth(width)
        if not self._room.text():
            return own
        if width not in self._room_heights:
            self._room_heights[width] = self._room.heightForWidth(width)
        return max(own, self._room_heights[width])

    def set_entries(self, entries: list[KeyEntry]) -> None:
        if entries == self.entries:
            return  # live plots ask every refresh: a label whose text is set again relayouts
        self.entries = list(entries)
        self.redraw()

    def redraw(self) -> None:
        """Draw the entries again: their colour roles may stand for other colours now (a new theme)."""
        self.setText(key_html(self.entries))
        self.setVisible(bool(self.entries))

    def labels(self) -> list[str]:
        return [entry.label for entry in self.entries]
