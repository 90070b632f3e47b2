"""The preset banner keeps one height whatever the experiment's description: a banner that followed its text
resized the plots below it at each experiment loaded (a repaint of every plot in view, ~20 ms)."""

from PySide6.QtWidgets import QVBoxLayout, QWidget

from workbench.ui.fixed_lines import ELLIPSIS
from workbench.ui.panels.presets import PresetBanner

SHORT = "A short description."
LONG = " ".join(["A long description that needs many lines at this width."] * 12) + " The end."


def banner_in_window(qtbot, width: int) -> tuple[QWidget, PresetBanner]:
    parent = QWidget()
    qtbot.addWidget(parent)
    banner = PresetBanner()
    QVBoxLayout(parent).addWidget(banner)
    parent.resize(width, 300)
    parent.show()
    qtbot.waitExposed(parent)
    return parent, banner


def test_the_banner_keeps_its_height_and_cuts_a_long_description_whole_in_the_tooltip(qtbot, tiny):
    window, banner = banner_in_window(qtbot, 600)
    banner.show_experiment(tiny(**{"meta__description": SHORT}))
    qtbot.wait(20)
    height = banner.height()
    assert SHORT in banner.text.text() and banner.text.toolTip() == ""
    banner.show_experiment(tiny(**{"meta__description": LONG, "meta__expect": ["dead_relu"]}))
    qtbot.wait(20)
    assert banner.height() == height
    shown = banner.text.text()
    assert ELLIPSIS in shown and "The end." not in shown
    assert "Expected diagnosis: dead_relu." in shown  # the tail is never cut
    assert "The end." in banner.text.toolTip()
    window.resize(4000, 300)  # wide enough for the whole text: nothing cut
    qtbot.waitUntil(lambda: "The end." in banner.text.text())
    assert banner.height() == height and banner.text.toolTip() == ""
