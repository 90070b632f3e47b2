"""Can this machine show the app's language? Chinese needs a font with CJK characters; Qt falls back to one
by itself when any is installed, and without one every character is an empty box. Then the status bar says,
in English (a Chinese sentence would be boxes too), which package provides one.
"""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QLabel, QWidget

from workbench.ui.language import Translated, current_language

# The languages whose characters a Latin font lacks, and the writing system a font must cover for them.
WRITING_SYSTEMS = {"zh_CN": QFontDatabase.WritingSystem.SimplifiedChinese}
# Shown in English whatever the language: it is read exactly when the language's own characters cannot be.
CJK_FONT_PACKAGES = "fonts-noto-cjk (Debian, Ubuntu), google-noto-sans-cjk-fonts (Fedora) or noto-fonts-cjk (Arch)"
NO_FONT_NOTICE = "Chinese needs a CJK font and none is installed: install {packages}, then restart Workbench."
NOTICE_STYLE = "color: #b00020;"


def fonts_covering(system: QFontDatabase.WritingSystem) -> list[str]:
    """The installed font families that have the characters of a writing system."""
    return QFontDatabase.families(system)


def missing_font_notice(code: str) -> str:
    """What to install to read language `code`; "" when an installed font covers its characters."""
    system = WRITING_SYSTEMS.get(code)
    if system is None or fonts_covering(system):
        return ""
    return NO_FONT_NOTICE.format(packages=CJK_FONT_PACKAGES)


class FontNotice(Translated, QLabel):
    """A status bar label, shown only while the chosen language has no font to be read in."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setStyleSheet(NOTICE_STYLE)
        self.retranslate()

    def retranslate(self) -> None:
        notice = missing_font_notice(current_language())
        self.setText(notice)
        self.setToolTip(notice)
        self.setVisible(bool(notice))
