"""Chinese needs a font with CJK characters; Qt falls back to one by itself when any is installed. Without
one every character would be an empty box, so the app speaks English (language.show_language) and the status
bar says, in English, which package provides one.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from workbench.ui.language import Translated, can_show, wanted_language

# Shown in English whatever the language: it is read exactly when the language's own characters cannot be.
CJK_FONT_PACKAGES = "fonts-noto-cjk (Debian, Ubuntu), google-noto-sans-cjk-fonts (Fedora) or noto-fonts-cjk (Arch)"
NO_FONT_NOTICE = ("Chinese needs a CJK font and none is installed, so Workbench speaks English: install {packages}, "
                  "then restart Workbench.")
NOTICE_STYLE = "color: #b00020;"


def missing_font_notice(code: str) -> str:
    """What to install to read language `code`; "" when an installed font covers its characters."""
    return "" if can_show(code) else NO_FONT_NOTICE.format(packages=CJK_FONT_PACKAGES)


class FontNotice(Translated, QLabel):
    """A status bar label, shown only while the language chosen for the app has no font to be read in."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setStyleSheet(NOTICE_STYLE)
        self.retranslate()

    def retranslate(self) -> None:
        notice = missing_font_notice(wanted_language())
        self.setText(notice)
        self.setToolTip(notice)
        self.setVisible(bool(notice))
