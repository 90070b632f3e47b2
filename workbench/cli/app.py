"""`workbench gui` and `install-desktop`, and `--version`: the app and its place on the desktop."""

from __future__ import annotations

import os
import sys

from workbench.cli.common import EXIT_BAD_INPUT, EXIT_OK, error_line
from workbench.core.i18n import _


def command_gui(args) -> int:
    from workbench.ui.platform_check import window_problem

    # asked before Qt starts: Qt would abort (SIGABRT) after a page of plugin messages
    problem = window_problem(args.platform or os.environ.get("QT_QPA_PLATFORM"), os.environ)
    if problem:
        print(error_line(problem), file=sys.stderr)
        return EXIT_BAD_INPUT
    from workbench.ui.app import main as gui_main

    return gui_main(args.file, platform=args.platform, quit_after_paint=args.quit_after_paint)


def command_install_desktop(args) -> int:
    from workbench import desktop

    if not desktop.is_supported():
        print(error_line(_("install-desktop is not supported on {platform} yet, only on Linux desktops").format(
            platform=sys.platform)), file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.uninstall:
        removed = desktop.uninstall(os.environ)
        print("\n".join(_("removed {path}").format(path=path) for path in removed) or _("nothing to remove"))
        return EXIT_OK
    try:
        written = desktop.install(os.environ)
    except desktop.DesktopError as error:
        print(error_line(error), file=sys.stderr)
        return EXIT_BAD_INPUT
    print("\n".join(_("wrote {path}").format(path=path) for path in written))
    return EXIT_OK


def version_text() -> str:
    import PySide6
    import torch
    from PySide6.QtCore import qVersion

    from workbench import __version__

    return f"workbench {__version__}, torch {torch.__version__}, Qt {qVersion()} (PySide6 {PySide6.__version__})"
