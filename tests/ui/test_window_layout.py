"""The window's panels: the Compare tab never squeezes the side panels, the layout comes back as it was
at the next launch (never a squeezed one), and View → Reset layout puts everything back."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt

from workbench.ui.app import build_window
from workbench.ui.panels.diagnosis import PANEL_MIN_WIDTH as DIAGNOSIS_MIN_WIDTH
from workbench.ui.panels.experiment import PANEL_MIN_WIDTH as EXPERIMENT_MIN_WIDTH
from workbench.ui.window_layout import SETTINGS_GEOMETRY, SETTINGS_STATE, SIDE_DOCK_WIDTHS

LOAD_TIMEOUT_MS = 20_000
TOLERANCE_PX = 2  # a splitter handle's rounding


def side_widths(window) -> tuple[int, int]:
    experiment, diagnosis = window.dock_layout.docks[:2]
    return experiment.width(), diagnosis.width()


def open_window(qtbot):
    window = build_window(None)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def relaunch(qtbot):
    """The window as the next launch opens it. The test platform's screen is 800 px wide, so the saved
    geometry would come back shrunk to it (a desktop's screen keeps the 1400 px): it is left out."""
    QSettings().remove(SETTINGS_GEOMETRY)
    return open_window(qtbot)


def assert_near(widths, expected) -> None:
    assert all(abs(width - want) <= TOLERANCE_PX for width, want in zip(widths, expected, strict=True)), widths


def test_opening_compare_keeps_the_side_panels_and_a_relaunch_brings_them_back(window, qtbot, tiny, run_to_end):
    before = side_widths(window)
    assert_near(before, SIDE_DOCK_WIDTHS)
    first = run_to_end(tiny(meta__name="first"))
    second = run_to_end(tiny(meta__name="a run with a much longer name than the first", train__lr=0.05))
    window.session.select([second, first])
    view = lambda: window.compare_tab.view  # noqa: E731 (built on first use)
    qtbot.waitUntil(lambda: view() is not None and view().metrics_table.rowCount() == 2, timeout=LOAD_TIMEOUT_MS)
    assert window.views.currentWidget() is window.compare_tab
    qtbot.wait(50)  # the layout settles on the next event-loop turns
    assert_near(side_widths(window), before)
    assert window.width() == 1400  # the tab fits: the window was not widened either
    window.close()

    relaunched = relaunch(qtbot)
    assert_near(side_widths(relaunched), before)
    relaunched.close()


def test_side_panels_never_get_narrower_than_their_content_needs(window):
    experiment, diagnosis = window.dock_layout.docks[:2]
    window.resizeDocks([experiment, diagnosis], [50, 50], Qt.Orientation.Horizontal)
    assert window.experiment.width() >= EXPERIMENT_MIN_WIDTH and window.diagnosis.width() >= DIAGNOSIS_MIN_WIDTH


def test_a_layout_of_an_older_version_is_not_restored(qtbot):
    old = open_window(qtbot)
    old.resizeDocks([old.dock_layout.docks[1]], [DIAGNOSIS_MIN_WIDTH], Qt.Orientation.Horizontal)
    old.dock_layout.docks[2].hide()
    old.close()
    QSettings().setValue(SETTINGS_STATE, old.saveState(1))  # what the app before layout version 2 saved
    window = relaunch(qtbot)
    assert_near(side_widths(window), SIDE_DOCK_WIDTHS)
    assert window.dock_layout.docks[2].isVisible()
    window.close()


def test_a_squeezed_layout_is_not_saved(qtbot):
    first = open_window(qtbot)
    first.dock_layout.docks[2].hide()
    first.close()  # saves a layout without the runs list
    second = relaunch(qtbot)
    assert not second.dock_layout.docks[2].isVisible()
    second.dock_layout.docks[2].show()
    second.diagnosis.message.setMinimumWidth(4000)  # content that needs more than the window can give
    assert second.dock_layout.squeezed() == [second.dock_layout.docks[1]]
    second.close()
    third = relaunch(qtbot)
    assert not third.dock_layout.docks[2].isVisible()  # the first layout is kept; the squeezed one was dropped
    third.close()


def test_reset_layout_brings_every_panel_back_docked_at_its_first_width(window, qtbot):
    experiment, diagnosis, runs = window.dock_layout.docks
    runs.hide()
    diagnosis.setFloating(True)
    window.resizeDocks([experiment], [600], Qt.Orientation.Horizontal)
    qtbot.wait(20)
    assert window.reset_layout_action in window.menuBar().actions()[3].menu().actions()  # View
    window.reset_layout_action.trigger()
    qtbot.wait(20)
    assert runs.isVisible() and not diagnosis.isFloating()
    assert window.dockWidgetArea(diagnosis) == Qt.DockWidgetArea.RightDockWidgetArea
    assert_near(side_widths(window), SIDE_DOCK_WIDTHS)
