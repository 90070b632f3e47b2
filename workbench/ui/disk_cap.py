"""The runs folder's disk in the main window: the runs list's Size column and its footer (the folder's
total and its cap), the cap as a setting (Run → Runs folder cap…), a notice when a run or sweep starts
while the folder is above the cap (once, until it is under again), and Run → Prune old runs…, which
deletes only the runs the user checked, after one more question, through rundir.manage."""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings
from PySide6.QtWidgets import QInputDialog, QMessageBox

from workbench.core.rundir.disk_usage import DEFAULT_CAP_BYTES, MB, format_size, prune_candidates
from workbench.core.rundir.manage import RunChangeRefused, delete_run
from workbench.core.status import RunStatus
from workbench.ui.actions import describe, new_action
from workbench.ui.dialogs import bulleted
from workbench.ui.panels.run_sizes import RunSizes
from workbench.ui.prune_dialog import PruneDialog
from workbench.ui.worker import call_in_background

SETTINGS_CAP_MB = "runs/disk_cap_mb"
NOTICE_MS = 15000


def cap_bytes() -> int:
    """The cap the user set (in MB in the settings), or the default."""
    try:
        megabytes = float(QSettings().value(SETTINGS_CAP_MB, DEFAULT_CAP_BYTES / MB))
    except (TypeError, ValueError):
        return DEFAULT_CAP_BYTES
    return int(megabytes * MB) if megabytes > 0 else DEFAULT_CAP_BYTES


class DiskCap(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        runs = window.runs
        self.sizes = RunSizes(window.session, runs.model, parent=self)
        self.sizes.total_changed.connect(lambda _total: self._show_total())
        window.first_painted.connect(lambda: self.sizes.remeasure())  # an empty folder's total too, after launch
        self.prune_action = new_action(window, self.prune)
        self.cap_action = new_action(window, self.choose_cap)
        runs.view.addActions([self.prune_action])  # the runs list's context menu
        window.controller.run_started.connect(lambda _run, _compare: self.check())
        window.controller.run_ended.connect(lambda run, _outcome: self.sizes.remeasure(run))
        window.sweeps.started.connect(self.check)
        self.notice: QMessageBox | None = None
        self._warned = False  # the notice is shown once while the folder stays above the cap
        self.dialog: PruneDialog | None = None

    def retranslate(self) -> None:
        describe(self.prune_action, self.tr("Pr&une old runs…"),
                 self.tr("Delete old finished runs, chosen by you, until the runs folder is under its cap"))
        describe(self.cap_action, self.tr("Runs f&older cap…"),
                 self.tr("The most disk the runs folder may take before Workbench says so"))
        self._show_total()

    def _show_total(self) -> None:
        total, cap = self.sizes.total, cap_bytes()
        footer = self.window.runs.footer
        if total is None:
            footer.setText(self.tr("Runs folder: measuring…"))
        elif total > cap:
            footer.setText(self.tr("Runs folder: {total}, above its cap of {cap}").format(
                total=format_size(total), cap=format_size(cap)))
        else:
            footer.setText(self.tr("Runs folder: {total} (cap {cap})").format(total=format_size(total),
                                                                               cap=format_size(cap)))
        footer.setToolTip(self.tr("The disk the runs folder takes, against the cap set in Run → Runs folder "
                                  "cap…; Run → Prune old runs… deletes old runs you choose"))

    # -- the cap --------------------------------------------------------------------------------
    def choose_cap(self) -> None:
        gigabytes, chosen = QInputDialog.getDouble(
            self.window, self.tr("Runs folder cap"),
            self.tr("Say so when the runs folder takes more than (GB):"), cap_bytes() / (1000 * MB), 0.1, 10_000.0, 1)
        if chosen:
            QSettings().setValue(SETTINGS_CAP_MB, gigabytes * 1000)
            self._warned = False
            self._show_total()

    def check(self) -> None:
        """A run or sweep starts: measure the folder off the GUI thread; above the cap, say so (once)."""
        from workbench.core.rundir.disk_usage import runs_folder_size

        call_in_background(runs_folder_size, self, self._checked, lambda _error: None)

    def _checked(self, total: int) -> None:
        cap = cap_bytes()
        if total <= cap:
            self._warned = False
            return
        if self._warned:
            return
        self._warned = True
        text = self.tr("The runs folder takes {total}, above its cap of {cap}.").format(
            total=format_size(total), cap=format_size(cap))
        self.window.status.showMessage(text, NOTICE_MS)
        self.notice = QMessageBox(QMessageBox.Icon.Information, self.tr("The runs folder is above its cap"), text,
                                  QMessageBox.StandardButton.NoButton, self.window)
        self.notice.setInformativeText(self.tr("Training goes on. Prune old runs to free disk, or raise the cap "
                                               "(Run → Runs folder cap…)."))
        prune = self.notice.addButton(self.tr("Prune old runs…"), QMessageBox.ButtonRole.AcceptRole)
        self.notice.addButton(self.tr("Not now"), QMessageBox.ButtonRole.RejectRole)
        prune.clicked.connect(self.prune)
        self.notice.open()  # not modal to the app's work: training has started already

    # -- pruning --------------------------------------------------------------------------------
    def candidates(self) -> list[tuple]:
        """The oldest finished runs that bring the measured folder under the cap, with their sizes."""
        session, model = self.window.session, self.window.runs.model
        sizes = {run.directory: size for run in session.runs if (size := model.size_of(run)) is not None}
        total = self.sizes.total if self.sizes.total is not None else sum(sizes.values())
        offered = prune_candidates(session.runs, sizes, total, cap_bytes(), keep=session.selected)
        return [(run, sizes[run.directory]) for run in offered]

    def prune(self) -> None:
        candidates, cap = self.candidates(), cap_bytes()
        total = self.sizes.total or 0
        if not candidates:
            self.window.dialogs.error(self.tr("Nothing to prune"), self.tr(
                "The runs folder takes {total} of its cap of {cap}; no finished run that is not selected, "
                "forked from or part of a sweep would need deleting.").format(total=format_size(total),
                                                                              cap=format_size(cap)))
            return
        self.dialog = PruneDialog(candidates, total, cap, self.window)
        self.dialog.accepted.connect(lambda: self.delete(self.dialog.checked_runs()))
        self.dialog.open()

    def delete(self, runs: list) -> None:
        """Delete the runs' directories after one question; refusals are said after."""
        runs = [run for run in runs if run.status != RunStatus.RUNNING]
        if not runs or not self.window.dialogs.confirm(
                self.tr("Delete %n run(s)?", "", len(runs)),
                self.tr("Their run directories are deleted from the disk:\n{runs}\n\nThis cannot be undone.").format(
                    runs=bulleted([f"{run.name} ({run.directory})" for run in runs])),
                self.tr("Delete")):
            return
        problems = []
        for run in runs:
            try:
                delete_run(run)
            except RunChangeRefused as refusal:
                problems.append(str(refusal))
                continue
            self.window.session.remove(run)  # the sizes remeasure the folder
        if problems:
            self.window.dialogs.error(self.tr("Not every run was deleted"), bulleted(problems))
