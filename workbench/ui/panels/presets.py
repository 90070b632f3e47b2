"""The Presets menu and the banner above the plots that says what the loaded preset is meant to show.

After a run of a failure-case preset, the banner offers its cure (`meta.fixed_by`) with one button.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QRectF, Signal
from PySide6.QtGui import QAction, QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QMenu, QPushButton, QWidget

from workbench.core.experiment.config import ExperimentConfig

# The banner is the window's base colour tinted towards its highlight colour, painted from the palette
# at each repaint: it stands out in a light and in a dark palette alike, under the palette's own text
# colour. Fixed light colours left a dark palette's white text on a pale blue.
BANNER_TINT = 0.12
BANNER_BORDER_TINT = 0.4
BANNER_CORNER_RADIUS = 4.0


def _mixed(base: QColor, tint: QColor, share: float) -> QColor:
    return QColor.fromRgbF(*((1 - share) * low + share * high
                             for low, high in zip(base.getRgbF()[:3], tint.getRgbF()[:3], strict=True)))


def banner_colors(palette: QPalette) -> tuple[QColor, QColor]:
    """(background, border) of the banner in `palette`."""
    base, highlight = palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Highlight)
    return _mixed(base, highlight, BANNER_TINT), _mixed(base, highlight, BANNER_BORDER_TINT)


def preset_tooltip(config: ExperimentConfig) -> str:
    lines = [config.meta.description]
    if config.meta.expect:
        lines.append("Expected diagnosis: " + ", ".join(config.meta.expect))
    if config.meta.fixed_by:
        lines.append(f"Cure: {config.meta.fixed_by}")
    return "\n".join(line for line in lines if line)


class PresetsMenu(QMenu):
    """One entry per preset file: its name, with its description as tooltip and status tip."""

    preset_chosen = Signal(str)  # the preset key (file stem)

    def __init__(self, parent: QWidget | None = None):
        super().__init__("&Presets", parent)
        self.setToolTipsVisible(True)

    def set_presets(self, presets) -> None:
        self.clear()
        for preset in presets:
            action = QAction(f"{preset.config.name}  ({preset.key})", self)
            action.setToolTip(preset_tooltip(preset.config))
            action.setStatusTip(preset.one_line)
            action.setData(preset.key)
            action.triggered.connect(lambda _checked=False, key=preset.key: self.preset_chosen.emit(key))
            self.addAction(action)
        if not presets:
            self.addAction("No presets found").setEnabled(False)


class PresetBanner(QFrame):
    """The loaded experiment's description and expected diagnosis; after one of its runs, the cure.

    Whether the expected diagnosis appeared is the diagnosis panel's line (set_expected); the banner
    offers the next step: loading the preset named by `meta.fixed_by`.
    """

    load_cure = Signal(str)  # the preset key of meta.fixed_by

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("presetBanner")
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.cure_button = QPushButton()
        self.cure_button.clicked.connect(lambda: self.load_cure.emit(self._cure))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.cure_button)
        self._name = ""
        self._cure = ""
        self.show_experiment(None)

    def paintEvent(self, _event) -> None:  # noqa: N802 (Qt's name)
        background, border = banner_colors(self.palette())
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(border, 1))
        painter.setBrush(background)
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), BANNER_CORNER_RADIUS,
                                BANNER_CORNER_RADIUS)

    def show_experiment(self, config: ExperimentConfig | None) -> None:
        """Describe the experiment loaded in the panel (hidden when it has no description)."""
        meta = config.meta if config is not None else None
        self._name = config.name if config is not None else ""
        self._cure = meta.fixed_by if meta else ""
        description = meta.description if meta else ""
        expected = f"  <i>Expected diagnosis: {', '.join(meta.expect)}.</i>" if meta and meta.expect else ""
        self.text.setText(f"<b>{html.escape(self._name)}</b> — {html.escape(description)}{expected}")
        self.cure_button.setVisible(False)
        self.setVisible(bool(description or expected))

    def show_cure(self, config: ExperimentConfig) -> bool:
        """After a run of the described experiment: offer its cure, when it names one."""
        if config.name == self._name and self._cure:
            self.cure_button.setText(f"Run the cure and compare: {self._cure}")
            self.cure_button.setVisible(True)
            return True
        return False
