"""How a run ended (CONTRACTS.md section 3, `summary.json`'s `status`): one enum, compared as plain text."""

from __future__ import annotations

from enum import StrEnum


class RunStatus(StrEnum):
    RUNNING = "running"
    COMPLETED = "completed"
    EARLY_STOPPED = "early_stopped"
    STOPPED = "stopped"  # the user stopped it: the app's Stop, Ctrl-C or SIGTERM in the CLI
    DIVERGED = "diverged"
    FAILED = "failed"
    INTERRUPTED = "interrupted"  # read back only: left "running" by a process that died
    UNKNOWN = "unknown"  # read back only: summary.json missing or unreadable

    @property
    def failed(self) -> bool:
        """Ended without a usable model: the CLI exits 1."""
        return self in (RunStatus.DIVERGED, RunStatus.FAILED)

    @property
    def finished_well(self) -> bool:
        return self in (RunStatus.COMPLETED, RunStatus.EARLY_STOPPED)
