"""The Presets menu and the banner above the plots that says what the loaded preset is meant to show.

The menu groups the presets by what goes wrong in them (`meta.group`): the healthy baselines first, then
data, initialization, learning rate, architecture and regularization, each failure followed by its cure.
After a run of a failure-case preset, the banner offers its cure (`meta.fixed_by`) with one button.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QRectF, Signal
from PySide6.QtGui import QAction, QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QFrame, QHBoxLayout, QMenu, QPushButton, QWidget

from workbench.core.experiment.config import ExperimentConfig
from workbench.core.experiment.presets import Preset
from workbench.core.experiment.registry import PRESET_GROUPS
from workbench.core.i18n import catalogue_text
from workbench.ui.fixed_lines import FixedLinesLabel
from workbench.ui.language import Translated

# The banner is the window's base colour tinted towards its highlight colour, painted from the palette
# at each repaint: it stands out in a light and in a dark palette alike, under the palette's own text
# colour. Fixed light colours left a dark palette's white text on a pale blue.
BANNER_TINT = 0.12
BANNER_BORDER_TINT = 0.4
BANNER_CORNER_RADIUS = 4.0
# The banner is this many lines high whatever the experiment (most descriptions take 2-3 at the usual widths;
# a longer one is cut, whole in the tooltip): a banner that grew and shrank with its text resized the plots
# below it at each experiment loaded, which repaints them whole.
BANNER_LINES = 3
GROUP_TITLES = {"healthy": QT_TRANSLATE_NOOP("PresetsMenu", "&Healthy baselines"),
                "data": QT_TRANSLATE_NOOP("PresetsMenu", "&Data"),
                "initialization": QT_TRANSLATE_NOOP("PresetsMenu", "&Initialization"),
                "learning_rate": QT_TRANSLATE_NOOP("PresetsMenu", "&Learning rate"),
                "architecture": QT_TRANSLATE_NOOP("PresetsMenu", "&Architecture"),
                "regularization": QT_TRANSLATE_NOOP("PresetsMenu", "&Regularization"),
                "speed": QT_TRANSLATE_NOOP("PresetsMenu", "&Speed")}
OTHER_GROUP = QT_TRANSLATE_NOOP("PresetsMenu", "&Other")  # presets of no known group (a user's own folder)
CURE_MARK = "↳ "  # a cure sits right below its failure, marked as following from it


def _mixed(base: QColor, tint: QColor, share: float) -> QColor:
    return QColor.fromRgbF(*((1 - share) * low + share * high
                             for low, high in zip(base.getRgbF()[:3], tint.getRgbF()[:3], strict=True)))


def banner_colors(palette: QPalette) -> tuple[QColor, QColor]:
    """(background, border) of the banner in `palette`."""
    base, highlight = palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Highlight)
    return _mixed(base, highlight, BANNER_TINT), _mixed(base, highlight, BANNER_BORDER_TINT)


def preset_tooltip(config: ExperimentConfig) -> str:
    lines = [catalogue_text(config.meta.description)]  # a shipped preset's text in the catalogue's language
    if config.meta.expect:
        lines.append(QCoreApplication.translate("PresetsMenu", "Expected diagnosis: {ids}").format(
            ids=", ".join(config.meta.expect)))
    if config.meta.fixed_by:
        lines.append(QCoreApplication.translate("PresetsMenu", "Cure: {preset}").format(preset=config.meta.fixed_by))
    return "\n".join(line for line in lines if line)


def grouped(presets: list[Preset]) -> list[tuple[str, list[tuple[Preset, bool]]]]:
    """(group, [(preset, is a cure)]) in PRESET_GROUPS order, unknown groups last; in a group, each
    preset that is not a cure (in key order) followed by the cures it names (`meta.fixed_by`)."""
    by_key = {preset.key: preset for preset in presets}
    cures = {preset.config.meta.fixed_by for preset in presets} & by_key.keys()
    groups: dict[str, list[tuple[Preset, bool]]] = {}
    for preset in presets:
        if preset.key in cures:
            continue
        entries = groups.setdefault(preset.config.meta.group, [])
        entries.append((preset, False))
        cure = by_key.get(preset.config.meta.fixed_by)
        if cure is not None and all(listed is not cure for listed, _ in entries):  # a shared cure: once
            entries.append((cure, True))
    order = {group: index for index, group in enumerate(PRESET_GROUPS)}
    return sorted(groups.items(), key=lambda item: order.get(item[0], len(order)))


class PresetsMenu(Translated, QMenu):
    """One submenu per group of presets; an entry per preset file: its name, with its description as
    tooltip and status tip."""

    preset_chosen = Signal(str)  # the preset key (file stem)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setToolTipsVisible(True)
        self._presets: list[Preset] = []
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("&Presets"))
        self.set_presets(self._presets)

    def set_presets(self, presets: list[Preset]) -> None:
        self._presets = list(presets)
        self.clear()
        for group, entries in grouped(presets):
            submenu = self.addMenu(self.tr(GROUP_TITLES.get(group, OTHER_GROUP)))
            submenu.setToolTipsVisible(True)
            for preset, is_cure in entries:
                submenu.addAction(self._preset_action(preset, is_cure))
        if not presets:
            self.addAction(self.tr("No presets found")).setEnabled(False)

    def _preset_action(self, preset: Preset, is_cure: bool) -> QAction:
        text = f"{CURE_MARK if is_cure else ''}{catalogue_text(preset.config.name)}  ({preset.key})"
        action = QAction(text.replace("&", "&&"), self)  # a name's & is text, not a mnemonic
        action.setToolTip(preset_tooltip(preset.config))
        action.setStatusTip(preset.one_line)
        action.setData(preset.key)
        action.triggered.connect(lambda _checked=False, key=preset.key: self.preset_chosen.emit(key))
        return action

    def preset_actions(self) -> list[QAction]:
        """Every preset's entry, in menu order."""
        return [action for submenu in self.actions() if submenu.menu() is not None
                for action in submenu.menu().actions()]


class PresetBanner(Translated, QFrame):
    """The loaded experiment's description and expected diagnosis; after one of its runs, the cure.

    Whether the expected diagnosis appeared is the diagnosis panel's line (set_expected); the banner
    offers the next step: loading the preset named by `meta.fixed_by`.
    """

    load_cure = Signal(str)  # the preset key of meta.fixed_by

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("presetBanner")
        self.text = FixedLinesLabel(BANNER_LINES)
        self.cure_button = QPushButton()
        self.cure_button.clicked.connect(lambda: self.load_cure.emit(self._cure))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.cure_button)
        self._config: ExperimentConfig | None = None
        self._cure = ""
        self.show_experiment(None)

    def retranslate(self) -> None:
        cure_offered = self.cure_button.isVisibleTo(self)
        self.show_experiment(self._config)
        if cure_offered:
            self.show_cure(self._config)

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
        self._config = config
        self._cure = meta.fixed_by if meta else ""
        name = catalogue_text(config.name) if config is not None else ""
        description = catalogue_text(meta.description) if meta else ""
        expected = ("  <i>" + html.escape(self.tr("Expected diagnosis: {ids}.").format(ids=", ".join(meta.expect)))
                    + "</i>") if meta and meta.expect else ""
        self.text.set_parts(f"<b>{html.escape(name)}</b> — ", description, expected)
        self.cure_button.setVisible(False)
        self.setVisible(bool(description or expected))

    def show_cure(self, config: ExperimentConfig) -> bool:
        """After a run of the described experiment: offer its cure, when it names one."""
        if self._config is not None and config.name == self._config.name and self._cure:
            self.cure_button.setText(self.tr("Run the cure and compare: {preset}").format(preset=self._cure))
            self.cure_button.setVisible(True)
            return True
        return False
