"""What a new user reads without a manual: a tooltip on every setting with its range, Help → Keyboard
shortcuts and About, and a preset banner readable in a dark palette."""

from __future__ import annotations

import importlib.metadata

import pytest
from PySide6.QtCore import qVersion
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QMessageBox, QVBoxLayout, QWidget

import workbench
from workbench.core.experiment.config import ConfigError, ExperimentConfig, apply_overrides
from workbench.ui.help import ShortcutsDialog
from workbench.ui.panels.presets import PresetBanner, banner_colors
from workbench.ui.panels.setting_help import DESCRIPTIONS

SETTINGS_COUNT = 50  # every key of [data], [model] and [train]
WCAG_TEXT_CONTRAST = 4.5  # WCAG 2.1, success criterion 1.4.3: normal text on its background


def menu(window, title: str):
    (found,) = [action.menu() for action in window.menuBar().actions() if action.text() == title]
    return found


def test_every_setting_has_a_tooltip_saying_what_it_does_and_its_range(window):
    fields = window.experiment.fields
    keys = [f"{table}.{key}" for table in ("data", "model", "train")
            for key in ExperimentConfig.model_fields[table].annotation.model_fields]
    assert sorted(fields) == sorted(keys) and len(keys) == SETTINGS_COUNT
    for key, field in fields.items():
        tip = field.widget.toolTip()
        assert tip.startswith(f"{key}\n{DESCRIPTIONS[key]}\nAllowed: "), key
    assert "Allowed: a number above 0, up to 1000.\nDefault: 0.001." in fields["train.lr"].widget.toolTip()
    assert "Allowed: a number from 0 to below 1." in fields["model.dropout"].widget.toolTip()
    assert "one of relu, leaky_relu" in fields["model.activation"].widget.toolTip()
    assert "up to 64 layers, each from 1 to 16,384" in fields["model.hidden"].widget.toolTip()


@pytest.mark.parametrize(("key", "allowed", "refused"), [
    ("train.lr", 1000.0, 1000.5), ("model.dropout", 0.99, 1.0), ("data.val_fraction", 0.05, 0.04)])
def test_the_tooltip_range_is_the_validators(window, key, allowed, refused):
    """The bounds a tooltip names are where the experiment file's validator draws the line."""
    base = window.experiment.config
    apply_overrides(base, {key: allowed})
    with pytest.raises(ConfigError):
        apply_overrides(base, {key: refused})


def test_row_labels_carry_the_same_tooltip(window):
    field = window.experiment.fields["train.batch_size"]
    label = window.experiment._forms["train.batch_size"].labelForField(field.widget)
    assert label.text() == "Batch size" and label.toolTip() == field.widget.toolTip()


def test_help_lists_every_keyboard_shortcut(window, qtbot):
    help_menu = menu(window, "&Help")
    shortcuts_action = help_menu.actions()[0]
    assert shortcuts_action.shortcut().toString() == "F1"
    shortcuts_action.trigger()
    dialog = window.findChild(ShortcutsDialog)
    assert dialog is not None and dialog.isVisible()
    rows = dialog.rows()
    assert ("Run", "Run", "F5, Ctrl+R") in rows
    assert ("Run", "Pause", "F6, Ctrl+P") in rows
    assert ("File", "Open…", "Ctrl+O") in rows
    assert ("Help", "Keyboard shortcuts", "F1") in rows
    with_shortcuts = {action for action in window.findChildren(type(shortcuts_action)) if action.shortcuts()}
    listed = {command for _, command, _ in rows}
    assert {action.text().replace("&", "") for action in with_shortcuts} <= listed  # none left out
    dialog.close()


def test_about_names_the_versions_of_workbench_torch_and_qt(window):
    menu(window, "&Help").actions()[1].trigger()
    (box,) = [box for box in window.findChildren(QMessageBox) if box.isVisible()]
    text = box.text()
    assert f"Workbench {workbench.__version__}" in text
    assert f"PyTorch {importlib.metadata.version('torch')}" in text and f"Qt {qVersion()}" in text
    box.close()


def relative_luminance(color: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(value) for value in color.getRgbF()[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: QColor, second: QColor) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, color in ((QPalette.ColorRole.Window, "#2b2b2b"), (QPalette.ColorRole.WindowText, "#f0f0f0"),
                        (QPalette.ColorRole.Base, "#1e1e1e"), (QPalette.ColorRole.Text, "#f0f0f0"),
                        (QPalette.ColorRole.Highlight, "#3daee9")):
        palette.setColor(role, QColor(color))
    return palette


@pytest.mark.parametrize("palette", [QPalette, dark_palette], ids=["light", "dark"])
def test_the_banner_text_is_readable_in_light_and_dark_palettes(qtbot, palette):
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.setPalette(palette())
    banner = PresetBanner()
    QVBoxLayout(parent).addWidget(banner)
    banner.text.setText("A preset's description")
    banner.show()
    parent.resize(400, 80)
    parent.show()
    qtbot.waitExposed(parent)
    background, _border = banner_colors(banner.palette())
    painted = banner.grab().toImage().pixelColor(banner.width() // 2, 3)  # inside the frame, above the text
    assert painted.name() == background.name()
    text = banner.text.palette().color(QPalette.ColorRole.WindowText)
    assert contrast(text, background) >= WCAG_TEXT_CONTRAST
