"""The main window's panels: where they dock, their first sizes, View → Reset layout, and the layout kept
between launches (never a squeezed one)."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget

DEFAULT_SIZE = (1400, 900)
SIDE_DOCK_WIDTHS = (440, 330)  # experiment panel, diagnosis panel: until the user moves them
RUNS_DOCK_HEIGHT = 150
# The dock layout's version in the saved window state: a state of another version is not restored.
# 2: layouts saved before the Compare tab stopped squeezing the side panels could hold a diagnosis
# panel of ~140 px, and came back at every launch.
LAYOUT_VERSION = 2
SETTINGS_GEOMETRY, SETTINGS_STATE = "window/geometry", "window/state"
AREAS = {"left": Qt.DockWidgetArea.LeftDockWidgetArea, "right": Qt.DockWidgetArea.RightDockWidgetArea,
         "bottom": Qt.DockWidgetArea.BottomDockWidgetArea}


class DockLayout:
    """The window's docks: two side panels at full height and one under the central views."""

    def __init__(self, window: QMainWindow, panels: list[tuple[str, QWidget, str]]):
        """`panels`: (name, widget, area: left | right | bottom), the two side panels first. The name is the
        dock's object name in the saved state; its title is the window's to set (it follows the language)."""
        self.window = window
        self.docks: list[QDockWidget] = []
        self._areas = [AREAS[area] for _name, _widget, area in panels]
        for (name, widget, _area), area in zip(panels, self._areas, strict=True):
            dock = QDockWidget(window)
            dock.setObjectName(f"{name}Dock")  # saveState() needs names
            dock.setWidget(widget)
            window.addDockWidget(area, dock)
            self.docks.append(dock)
        window.setCorner(Qt.Corner.BottomLeftCorner, AREAS["left"])
        window.setCorner(Qt.Corner.BottomRightCorner, AREAS["right"])
        window.resize(*DEFAULT_SIZE)

    def reset(self) -> None:
        """Every panel docked where it starts, shown, at its first width (View → Reset layout)."""
        for dock, area in zip(self.docks, self._areas, strict=True):
            dock.setFloating(False)
            self.window.addDockWidget(area, dock)  # moves a dock the user dragged elsewhere back
            dock.show()
        self.window.resizeDocks(self.docks[:2], list(SIDE_DOCK_WIDTHS), Qt.Orientation.Horizontal)
        self.window.resizeDocks(self.docks[2:], [RUNS_DOCK_HEIGHT], Qt.Orientation.Vertical)

    def squeezed(self) -> list[QDockWidget]:
        """Docked, shown panels smaller than their content's minimum (Qt gives way when the window is
        too small for all of them). Such a layout is not saved, so it never comes back at the next launch."""
        def too_small(widget: QWidget) -> bool:
            minimum = widget.minimumSize().expandedTo(widget.minimumSizeHint())
            return widget.width() < minimum.width() or widget.height() < minimum.height()

        return [dock for dock in self.docks if dock.isVisible() and not dock.isFloating() and too_small(dock.widget())]

    def restore(self) -> None:
        settings = QSettings()
        geometry, state = settings.value(SETTINGS_GEOMETRY), settings.value(SETTINGS_STATE)
        if isinstance(geometry, QByteArray):
            self.window.restoreGeometry(geometry)
        if isinstance(state, QByteArray):
            self.window.restoreState(state, LAYOUT_VERSION)  # another version's layout is ignored

    def save(self) -> None:
        settings = QSettings()
        settings.setValue(SETTINGS_GEOMETRY, self.window.saveGeometry())
        if not self.squeezed():
            settings.setValue(SETTINGS_STATE, self.window.saveState(LAYOUT_VERSION))
