"""Can Qt open a window here? Asked before a QApplication exists, so that a missing display or system
library is told in one sentence instead of Qt's abort (SIGABRT after a page of plugin messages).

PySide6's wheels bundle Qt but not the X11 libraries its xcb platform plugin links against, and a fresh
Debian or Ubuntu may lack some of them (libxcb-cursor0, libxcb-icccm4, ...). `ldd` on the plugin names
each one it cannot find; Debian names a library's package after its soname, so the sentence can say
what to install. This module imports no Qt: it must work where Qt cannot start, so its sentences come from
the core's gettext catalogue (locale/babel.cfg extracts this file), not from Qt's translators.

`python -m workbench.ui.platform_check [--install]` (the Makefile's `run` and CI) checks the xcb plugin
whatever the session, and with --install, run as root, installs what is missing with apt-get.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from workbench.core.i18n import _, ngettext

# Qt's order when no platform is named: Wayland when the session offers it, else X11 (through xcb)
DEFAULT_PLATFORMS = "wayland;xcb"
DISPLAY_VARIABLES = {"wayland": "WAYLAND_DISPLAY", "xcb": "DISPLAY"}
NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found\s*$", re.MULTILINE)
SONAME = re.compile(r"^lib(?P<name>.+)\.so\.(?P<version>\d+)")
# Debian packages whose names do not follow the soname rule of debian_package()
PACKAGE_OF_SONAME = {
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libgobject-2.0.so.0": "libglib2.0-0",
    "libGLdispatch.so.0": "libglvnd0",
    "libbrotlicommon.so.1": "libbrotli1",
    "libbrotlidec.so.1": "libbrotli1",
    "libz.so.1": "zlib1g",
    "libgcc_s.so.1": "libgcc-s1",
}


def xcb_plugin() -> Path | None:
    """PySide6's xcb platform plugin, found without importing Qt; None where the wheel has none (not Linux)."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    plugin = Path(spec.submodule_search_locations[0]) / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    return plugin if plugin.is_file() else None


def missing_in_ldd_output(ldd_output: str) -> list[str]:
    """The sonames ldd reports as not found, once each, sorted (ldd repeats one per library needing it)."""
    return sorted(set(NOT_FOUND.findall(ldd_output)))


def missing_xcb_libraries() -> list[str]:
    """The system libraries the xcb plugin (or a library it needs) cannot load; [] when ldd cannot tell."""
    plugin = xcb_plugin()
    ldd = shutil.which("ldd")
    if plugin is None or ldd is None:
        return []
    result = subprocess.run([ldd, str(plugin)], capture_output=True, text=True, check=False)
    return missing_in_ldd_output(result.stdout)


def debian_package(soname: str) -> str:
    """The Debian package that ships SONAME: Debian policy 8.1 names it after the soname
    (libxcb-icccm.so.4 -> libxcb-icccm4, with a hyphen where the name ends in a digit:
    libxkbcommon-x11.so.0 -> libxkbcommon-x11-0); PACKAGE_OF_SONAME holds the exceptions."""
    if soname in PACKAGE_OF_SONAME:
        return PACKAGE_OF_SONAME[soname]
    match = SONAME.match(soname)
    if match is None:
        return soname
    name, version = match["name"].lower(), match["version"]
    return f"lib{name}{'-' if name[-1].isdigit() else ''}{version}"


def debian_packages(sonames: list[str]) -> list[str]:
    return sorted({debian_package(soname) for soname in sonames})


def no_display_sentence() -> str:
    return _("workbench gui needs a display, and neither DISPLAY nor WAYLAND_DISPLAY is set; "
             "`workbench gui --platform offscreen` runs without one")


def missing_libraries_sentence(sonames: list[str]) -> str:
    return ngettext("Qt's xcb platform plugin cannot load {libraries}; on Debian or Ubuntu install it with "
                    "`sudo apt-get install {packages}`",
                    "Qt's xcb platform plugin cannot load {libraries}; on Debian or Ubuntu install them with "
                    "`sudo apt-get install {packages}`", len(sonames)).format(
        libraries=", ".join(sonames), packages=" ".join(debian_packages(sonames)))


def platform_to_open(platform: str | None, environ: Mapping[str, str]) -> str | None:
    """The platform plugin Qt will open the window with: the first of PLATFORM (QT_QPA_PLATFORM's syntax,
    `wayland;xcb`, options after a colon) whose display is set; None when none of them has one."""
    for entry in (platform or DEFAULT_PLATFORMS).split(";"):
        name = entry.split(":")[0].strip()
        variable = DISPLAY_VARIABLES.get(name)
        if variable is None or environ.get(variable):  # offscreen, vnc, eglfs...: no display server to find
            return name
    return None


def window_problem(platform: str | None, environ: Mapping[str, str]) -> str | None:
    """Why Qt cannot open a window here, as one sentence; None when it can (or when we cannot tell)."""
    if not sys.platform.startswith("linux"):
        return None
    chosen = platform_to_open(platform, environ)
    if chosen is None:
        return no_display_sentence()
    if chosen == "xcb":
        missing = missing_xcb_libraries()
        if missing:
            return missing_libraries_sentence(missing)
    return None


def may_install() -> bool:
    return os.geteuid() == 0 and shutil.which("apt-get") is not None


def install_packages(packages: list[str]) -> None:
    """apt-get install PACKAGES (as root); CalledProcessError when apt-get fails."""
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    # a fresh machine or container may have no package lists yet
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=environment)
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages], check=True,
                   env=environment)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m workbench.ui.platform_check",
                                     description="Check that Qt's xcb platform plugin finds its system libraries.")
    parser.add_argument("--install", action="store_true",
                        help="install the missing libraries with apt-get when running as root")
    args = parser.parse_args(argv)
    missing = missing_xcb_libraries()
    if missing and args.install and may_install():
        packages = debian_packages(missing)
        print(f"installing {' '.join(packages)} for Qt's xcb platform plugin", file=sys.stderr)
        try:
            install_packages(packages)
        except subprocess.CalledProcessError:
            print(f"error: apt-get could not install {' '.join(packages)}", file=sys.stderr)
            return 2
        missing = missing_xcb_libraries()
    if missing:
        print(f"error: {missing_libraries_sentence(missing)}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
