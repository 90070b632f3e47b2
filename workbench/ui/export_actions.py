"""The app's export actions: a comparison file, a run's standalone PyTorch script, TensorBoard files,
and a run trained in memory (its run directory could not be written) saved to a folder.

Each asks for a destination with a Qt file dialog, writes through the core (the same files as
`workbench compare`), and shows a failure as a message box. The dialog and the message box are
parameters, so tests drive the actions without a modal window.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from workbench.core.reports.comparison import CompareError
from workbench.core.reports.comparison_files import SUFFIXES, write_comparison
from workbench.core.reports.script import ExportError, export_script
from workbench.core.reports.tensorboard import write_tensorboard
from workbench.core.rundir.layout import slug
from workbench.core.rundir.reader import load_run
from workbench.core.rundir.writer import save_run

# (parent, caption, start path, filters) -> (chosen path or "", chosen filter): QFileDialog's signature
SaveDialog = Callable[[QWidget | None, str, str, str], tuple[str, str]]
DirectoryDialog = Callable[[QWidget | None, str, str], str]
ErrorReport = Callable[[QWidget | None, str], object]

# The file types a comparison is written as; each keeps its "(*.suffix)", which picks the format.
COMPARISON_FILTERS = (
    QT_TRANSLATE_NOOP("Export", "HTML report (*.html)"), QT_TRANSLATE_NOOP("Export", "CSV table (*.csv)"),
    QT_TRANSLATE_NOOP("Export", "JSON (*.json)"), QT_TRANSLATE_NOOP("Export", "PNG image (*.png)"),
    QT_TRANSLATE_NOOP("Export", "SVG image (*.svg)"))


def comparison_filters() -> str:
    return ";;".join(QCoreApplication.translate("Export", file_type) for file_type in COMPARISON_FILTERS)


def show_error(parent: QWidget | None, message: str) -> None:
    QMessageBox.warning(parent, QCoreApplication.translate("Export", "Export failed"), message)


def _with_suffix(path: str, chosen_filter: str, allowed: tuple[str, ...]) -> Path:
    """The chosen path; without a known suffix it gets the one of the chosen filter (as most dialogs do)."""
    chosen = Path(path)
    if chosen.suffix.lower() in allowed:
        return chosen
    suffix = next((s for s in allowed if f"*{s})" in chosen_filter), allowed[0])
    return chosen.with_name(chosen.name + suffix)


def export_runs(parent: QWidget | None, run_dirs: list[Path], *,
                ask_path: SaveDialog = QFileDialog.getSaveFileName,
                report_error: ErrorReport = show_error) -> Path | None:
    """Ask for a file and write the comparison of `run_dirs` there; the path written, or None."""
    start = str(Path.home() / "comparison.html")
    path, chosen_filter = ask_path(parent, QCoreApplication.translate("Export", "Export comparison"), start,
                                   comparison_filters())
    if not path:
        return None
    try:
        return write_comparison(list(run_dirs), _with_suffix(path, chosen_filter, SUFFIXES))
    except CompareError as error:
        report_error(parent, str(error))
        return None


def export_run_script(parent: QWidget | None, run_dir: Path, *,
                      ask_path: SaveDialog = QFileDialog.getSaveFileName,
                      report_error: ErrorReport = show_error) -> Path | None:
    """Ask for a file and write the run's standalone PyTorch script there; the path written, or None."""
    start = str(Path.home() / f"{slug(load_run(run_dir).name)}.py")
    path, chosen_filter = ask_path(parent, QCoreApplication.translate("Export", "Export as PyTorch script"), start,
                                   QCoreApplication.translate("Export", "Python script (*.py)"))
    if not path:
        return None
    try:
        return export_script(run_dir, _with_suffix(path, chosen_filter, (".py",)))
    except (ExportError, OSError) as error:
        report_error(parent, str(error))
        return None


def export_run_tensorboard(parent: QWidget | None, run_dir: Path, *,
                           ask_directory: DirectoryDialog = QFileDialog.getExistingDirectory,
                           report_error: ErrorReport = show_error) -> Path | None:
    """Ask for a folder and write the run's TensorBoard event files into a subfolder named after it."""
    folder = ask_directory(parent, QCoreApplication.translate("Export", "Export TensorBoard logs into"),
                           str(Path.home()))
    if not folder:
        return None
    run = load_run(run_dir)
    try:
        return write_tensorboard(run, Path(folder) / Path(run_dir).name)
    except (ExportError, OSError) as error:
        report_error(parent, str(error))
        return None


def save_run_elsewhere(parent: QWidget | None, run, *,
                       ask_directory: DirectoryDialog = QFileDialog.getExistingDirectory,
                       report_error: ErrorReport = show_error) -> Path | None:
    """Ask for a folder and write the whole run (trained in memory after a disk error) into a subfolder
    named as its run directory was; the run then lives there, and can be compared and exported."""
    folder = ask_directory(parent, QCoreApplication.translate("Export", "Save the run into"), str(Path.home()))
    if not folder:
        return None
    target = Path(folder) / Path(run.directory or slug(run.config.name)).name
    try:
        save_run(run, target)
    except OSError as error:
        report_error(parent, QCoreApplication.translate("Export", "Cannot save the run in {folder}: {reason}").format(
            folder=target, reason=error.strerror or error))
        return None
    run.directory, run.problem = target, ""
    return target
