"""`workbench install-desktop [--uninstall]`: the app in the user's applications menu.

Writes the freedesktop.org desktop entry (packaging/io.github.workbench.Workbench.desktop, shipped as
package data) with Exec pointing at this installation's `workbench`, and the icon into the user's hicolor
theme, both under $XDG_DATA_HOME (default ~/.local/share). Uninstalling removes exactly those two files.
Linux only for now: other systems have their own menus.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from collections.abc import Mapping
from pathlib import Path

from workbench.core.i18n import _
from workbench.core.resources import resource_path

APP_ID = "io.github.workbench.Workbench"
EXECUTABLE = "workbench"
# the desktop entry spec's reserved characters: an Exec argument holding any of them must be quoted
EXEC_RESERVED = re.compile(r"[\s\"'\\><~|&;$*?#()`]")


class DesktopError(Exception):
    """Why the entry cannot be installed, as one sentence."""


def is_supported() -> bool:
    return sys.platform.startswith("linux")


def data_home(environ: Mapping[str, str]) -> Path:
    # the XDG base directory spec: an unset, empty or relative XDG_DATA_HOME means ~/.local/share
    configured = environ.get("XDG_DATA_HOME", "")
    return Path(configured) if os.path.isabs(configured) else Path.home() / ".local" / "share"


def entry_path(environ: Mapping[str, str]) -> Path:
    return data_home(environ) / "applications" / f"{APP_ID}.desktop"


def icon_path(environ: Mapping[str, str]) -> Path:
    return data_home(environ) / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"


def installed_executable() -> Path:
    """The absolute path of this installation's `workbench` script, which the menu entry will start."""
    invoked = Path(sys.argv[0])
    if invoked.name == EXECUTABLE and invoked.is_file():  # `workbench install-desktop`
        return invoked.absolute()
    beside_python = Path(sys.executable).parent / EXECUTABLE  # `python -m workbench install-desktop`
    if beside_python.is_file():
        return beside_python
    found = shutil.which(EXECUTABLE)
    if found is None:
        raise DesktopError(_("no `workbench` executable was found to start from the menu; "
                             "install Workbench with pip first"))
    return Path(found).absolute()


def exec_argument(path: Path) -> str:
    """PATH as one argument of a desktop entry's Exec key."""
    text = str(path)
    if not EXEC_RESERVED.search(text):
        return text
    quoted = re.sub(r'(["`$\\])', r"\\\1", text)
    # Exec is also a string value, whose own escaping doubles each backslash once more
    return '"' + quoted.replace("\\", "\\\\") + '"'


def entry_text(executable: Path) -> str:
    """The packaged desktop entry with Exec starting EXECUTABLE, without its install notes."""
    lines = resource_path("packaging", f"{APP_ID}.desktop").read_text(encoding="utf-8").splitlines()
    entry = lines[next(index for index, line in enumerate(lines) if line.startswith("[Desktop Entry]")):]
    return "".join(
        (f"Exec={exec_argument(executable)} gui %f" if line.startswith("Exec=") else line) + "\n" for line in entry
    )


def install(environ: Mapping[str, str]) -> list[Path]:
    """Write the desktop entry and the icon; the paths written."""
    entry, icon = entry_path(environ), icon_path(environ)
    text = entry_text(installed_executable())
    entry.parent.mkdir(parents=True, exist_ok=True)
    entry.write_text(text, encoding="utf-8")
    icon.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(resource_path("assets", "workbench.svg"), icon)
    return [entry, icon]


def uninstall(environ: Mapping[str, str]) -> list[Path]:
    """Remove the desktop entry and the icon that install() writes; the paths removed."""
    removed = []
    for path in (entry_path(environ), icon_path(environ)):
        if path.is_file():
            path.unlink()
            removed.append(path)
    return removed
