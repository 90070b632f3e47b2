"""Run colours that colour-blind users can tell apart, and every command of the window within reach of the
keyboard: each is in a menu (Alt + the menu's letter, then its own letter or the arrows), no two entries
of a menu share their letter, and every button takes the focus with Tab."""

from __future__ import annotations

import itertools

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QDockWidget, QToolBar

from workbench.ui.plots import style

# Machado, Oliveira & Fernandes (2009), full severity, on linear RGB: how a colour looks to people without
# working L (protanopia), M (deuteranopia) or S (tritanopia) cones.
COLOUR_VISION = {
    "typical": np.eye(3),
    "protanopia": np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                            [0.004733, 0.691367, 0.303900]]),
}
# CIE76 colour difference: ~2.3 is just noticeable side by side; two curves or two runs' rows need far more.
# The palette before (matplotlib's tab10) came to 4.6 for protanopia among its first four colours.
DISTINCT = 15.0
SRGB_TO_XYZ = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
D65_WHITE = np.array([0.95047, 1.0, 1.08883])


def linear_rgb(hex_color: str) -> np.ndarray:
    srgb = np.array([int(hex_color[index:index + 2], 16) / 255 for index in (1, 3, 5)])
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def cielab(linear: np.ndarray) -> np.ndarray:
    ratio = SRGB_TO_XYZ @ np.clip(linear, 0, 1) / D65_WHITE
    f = np.where(ratio > 0.008856, np.cbrt(ratio), 7.787 * ratio + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def test_every_two_run_colours_stay_apart_for_colour_blind_eyes():
    colors = [style.palette_color(index).name() for index in range(len(style.PALETTE))]  # in the light theme
    for vision, simulation in COLOUR_VISION.items():
        seen = [cielab(simulation @ linear_rgb(color)) for color in colors]
        closest = min(np.linalg.norm(first - second) for first, second in itertools.combinations(seen, 2))
        assert closest >= DISTINCT, vision
    assert style.TRAIN_COLOR != style.VAL_COLOR != style.BEST_EPOCH_COLOR


def mnemonic(text: str) -> str:
    """The letter after a single &, lower case; "" for none."""
    plain = text.replace("&&", "")
    index = plain.find("&")
    return plain[index + 1].lower() if 0 <= index < len(plain) - 1 else ""


def menu_actions(menu) -> list:
    actions = []
    for action in menu.actions():
        actions.append(action)
        if action.menu() is not None:
            actions += menu_actions(action.menu())
    return actions


def test_every_menu_has_its_own_letter_and_none_of_its_entries_share_one(window):
    menus = [action for action in window.menuBar().actions() if action.menu() is not None]
    letters = [mnemonic(action.text()) for action in menus]
    assert all(letters) and len(set(letters)) == len(letters), letters
    for menu in (action.menu() for action in menu_actions(window.menuBar()) if action.menu() is not None):
        letters = [mnemonic(action.text()) for action in menu.actions() if mnemonic(action.text())]
        assert len(set(letters)) == len(letters), (menu.title(), letters)
    assert all(mnemonic(action.text()) for action in window.view_menu.actions() if not action.isSeparator()
               and action.menu() is None)  # the panels' toggles too


def test_every_command_of_the_toolbar_and_the_runs_list_is_in_a_menu(window):
    in_menus = set(menu_actions(window.menuBar()))
    # besides separators, the row of live settings (Steer live), whose labels' mnemonics reach its fields
    not_commands = {action for action in window.toolbar.actions()
                    if action.isSeparator() or window.toolbar.widgetForAction(action) is window.steer}
    assert set(window.toolbar.actions()) - {None} <= in_menus | not_commands
    assert set(window.runs.view.actions()) <= in_menus  # its context menu and its F2 / Del


def test_every_button_of_the_panels_takes_the_focus_from_the_keyboard(window, tiny, run_to_end):
    """The toolbar's buttons are its actions (in the menus, above) and a dock's title-bar buttons are the
    View menu's toggles and Reset layout: the panels' own buttons are the ones Tab must reach."""
    run_to_end(tiny())  # the diagnosis panel's and the banner's buttons exist once a run has ended
    buttons = [button for button in window.findChildren(QAbstractButton) if button.isVisibleTo(window)
               and not isinstance(button.parent(), QToolBar | QDockWidget)]
    assert buttons
    assert all(button.focusPolicy() & Qt.FocusPolicy.TabFocus for button in buttons), [
        button.text() or button.toolTip() for button in buttons if not button.focusPolicy() & Qt.FocusPolicy.TabFocus]
