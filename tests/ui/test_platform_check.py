"""The check that runs before Qt starts: which platform Qt will open, and which libraries xcb lacks."""

import sys

import pytest

from workbench.ui import platform_check
from workbench.ui.platform_check import (
    debian_package,
    debian_packages,
    missing_in_ldd_output,
    missing_libraries_sentence,
    no_display_sentence,
    platform_to_open,
    window_problem,
)

# ldd on PySide6 6.11's libqxcb.so on a fresh Debian 12: a library missing for two dependants is listed twice
LDD_OUTPUT = """\
\tlinux-vdso.so.1 (0x00007ffd4a5e2000)
\tlibQt6XcbQpa.so.6 => /venv/PySide6/Qt/plugins/platforms/../../lib/libQt6XcbQpa.so.6 (0x00007f1c5a000000)
\tlibxkbcommon-x11.so.0 => not found
\tlibxcb-cursor.so.0 => not found
\tlibxcb-icccm.so.4 => not found
\tlibxcb-util.so.1 => /lib/x86_64-linux-gnu/libxcb-util.so.1 (0x00007f1c59ff0000)
\tlibxcb-keysyms.so.1 => not found
\tlibEGL.so.1 => not found
\tlibglib-2.0.so.0 => /lib/x86_64-linux-gnu/libglib-2.0.so.0 (0x00007f1c59e00000)
\tlibxcb-icccm.so.4 => not found
\tlibdbus-1.so.3 => not found
\t/lib64/ld-linux-x86-64.so.2 (0x00007f1c5a3f0000)
"""


def test_ldd_output_gives_each_missing_library_once():
    assert missing_in_ldd_output(LDD_OUTPUT) == [
        "libEGL.so.1", "libdbus-1.so.3", "libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxcb-keysyms.so.1",
        "libxkbcommon-x11.so.0",
    ]
    assert missing_in_ldd_output("\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f)\n") == []


@pytest.mark.parametrize(("soname", "package"), [
    ("libxcb-cursor.so.0", "libxcb-cursor0"),
    ("libxcb-icccm.so.4", "libxcb-icccm4"),
    ("libxcb-keysyms.so.1", "libxcb-keysyms1"),
    ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),  # a name ending in a digit takes a hyphen
    ("libX11-xcb.so.1", "libx11-xcb1"),
    ("libEGL.so.1", "libegl1"),
    ("libGL.so.1", "libgl1"),
    ("libfontconfig.so.1", "libfontconfig1"),
    ("libdbus-1.so.3", "libdbus-1-3"),
    ("libglib-2.0.so.0", "libglib2.0-0"),  # the exceptions to the soname rule
    ("libz.so.1", "zlib1g"),
])
def test_missing_libraries_map_to_the_debian_packages_that_ship_them(soname, package):
    assert debian_package(soname) == package


def test_the_sentence_names_the_libraries_and_one_install_command():
    missing = missing_in_ldd_output(LDD_OUTPUT)
    assert debian_packages(missing) == ["libdbus-1-3", "libegl1", "libxcb-cursor0", "libxcb-icccm4",
                                        "libxcb-keysyms1", "libxkbcommon-x11-0"]
    sentence = missing_libraries_sentence(["libxcb-icccm.so.4", "libxcb-keysyms.so.1"])
    assert sentence == ("Qt's xcb platform plugin cannot load libxcb-icccm.so.4, libxcb-keysyms.so.1; on Debian "
                        "or Ubuntu install them with `sudo apt-get install libxcb-icccm4 libxcb-keysyms1`")
    assert "\n" not in sentence


@pytest.mark.parametrize(("platform", "environ", "expected"), [
    (None, {"DISPLAY": ":0"}, "xcb"),
    (None, {"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}, "wayland"),  # Qt prefers Wayland when offered
    (None, {}, None),
    ("offscreen", {}, "offscreen"),
    ("xcb", {"WAYLAND_DISPLAY": "wayland-0"}, None),  # forced to X11 with no X display
    ("xcb:nograb", {"DISPLAY": ":1"}, "xcb"),  # platform options after a colon
    ("wayland;xcb", {"DISPLAY": ":1"}, "xcb"),
])
def test_the_platform_qt_will_open(platform, environ, expected):
    assert platform_to_open(platform, environ) == expected


@pytest.fixture
def on_linux(monkeypatch):
    monkeypatch.setattr(platform_check.sys, "platform", "linux")


def test_no_display_is_one_sentence(on_linux):
    assert window_problem(None, {}) == no_display_sentence()
    assert window_problem("offscreen", {}) is None


def test_missing_xcb_libraries_stop_an_x11_window_only(on_linux, monkeypatch):
    monkeypatch.setattr(platform_check, "missing_xcb_libraries", lambda: ["libxcb-cursor.so.0"])
    assert "sudo apt-get install libxcb-cursor0" in window_problem(None, {"DISPLAY": ":0"})
    assert window_problem(None, {"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}) is None
    assert window_problem("offscreen", {"DISPLAY": ":0"}) is None


def test_without_root_the_check_names_the_packages_and_fails(monkeypatch, capsys):
    monkeypatch.setattr(platform_check, "missing_xcb_libraries", lambda: ["libxcb-icccm.so.4"])
    monkeypatch.setattr(platform_check, "may_install", lambda: False)
    monkeypatch.setattr(platform_check, "install_packages", pytest.fail)
    assert platform_check.main(["--install"]) == 2
    assert capsys.readouterr().err.strip().splitlines() == [
        "error: Qt's xcb platform plugin cannot load libxcb-icccm.so.4; on Debian or Ubuntu install it with "
        "`sudo apt-get install libxcb-icccm4`"]


def test_as_root_the_check_installs_the_packages_then_checks_again(monkeypatch, capsys):
    missing = [["libxcb-icccm.so.4", "libxcb-keysyms.so.1"], []]
    installed = []
    monkeypatch.setattr(platform_check, "missing_xcb_libraries", lambda: missing.pop(0))
    monkeypatch.setattr(platform_check, "may_install", lambda: True)
    monkeypatch.setattr(platform_check, "install_packages", installed.extend)
    assert platform_check.main(["--install"]) == 0
    assert installed == ["libxcb-icccm4", "libxcb-keysyms1"]
    assert missing == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PySide6 ships the xcb plugin on Linux only")
def test_the_installed_xcb_plugin_is_found():
    plugin = platform_check.xcb_plugin()
    assert plugin is not None and plugin.name == "libqxcb.so"
