"""Menu and toolbar actions: made once with their shortcuts, described (text, tooltip, status tip) again at
each change of language."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence


def new_action(parent: QObject, slot: Callable[[], object], shortcuts: Sequence = (), *,
               context: Qt.ShortcutContext = Qt.ShortcutContext.WindowShortcut) -> QAction:
    """An action calling `slot` on its shortcuts (QKeySequence, a standard key or "Ctrl+R"), active in
    `context`; its texts come from describe()."""
    action = QAction(parent)
    action.setShortcuts([QKeySequence(shortcut) for shortcut in shortcuts])
    action.setShortcutContext(context)
    action.triggered.connect(lambda _checked=False: slot())
    return action


def describe(action: QAction, text: str, tip: str) -> None:
    """The action's menu text and what it does, as its tooltip (with its shortcut) and status tip."""
    action.setText(text)
    keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    action.setToolTip(f"{tip} ({keys})" if keys else tip)
    action.setStatusTip(tip)
