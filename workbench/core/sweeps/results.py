"""What a sweep directory records (CONTRACTS.md section 5): `sweep.json` (the base experiment, the
[sweep] table and one entry per trial), `sweep.csv` (one row per trial) and one run directory per trial,
named by the trial's id. Both tables are rewritten whole after every trial, so a sweep stopped or killed
at any moment leaves tables that say what it had done.

A trial's numbers are read from its run directory's summary.json, as for any run; the tables only
collect them.
"""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.core.diagnosis.finding import Finding
from workbench.core.experiment.config import apply_overrides
from workbench.core.experiment.values import config_diff
from workbench.core.files import json_safe, write_text_atomic
from workbench.core.rundir.layout import SUMMARY, SWEEP, SWEEP_TABLE
from workbench.core.rundir.reader import LoadedRun, load_run
from workbench.core.status import RunStatus
from workbench.core.sweeps.plan import SweepPlan, Trial, setting_text

FORMAT = 1  # sweep.json's format
PENDING = "pending"  # a trial's status in the tables until it has run (or when the sweep stopped first)
# Trials --resume leaves alone: a diverged trial is a result too. Failed, stopped and interrupted ones run again.
RESULT_STATUSES = frozenset({RunStatus.COMPLETED, RunStatus.EARLY_STOPPED, RunStatus.DIVERGED})
COLUMNS_AFTER_KEYS = ("status", "final_val_acc", "final_val_loss", "best_val_acc", "best_val_loss", "best_epoch",
                      "first_finding", "run_dir")


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and math.isfinite(value) else None


@dataclass
class TrialResult:
    """One trial as the tables show it: its settings and seed, how its run ended and its numbers."""

    trial: Trial
    status: str = PENDING
    final: dict[str, float] = field(default_factory=dict)  # summary.json's `final`
    best: dict[str, float] = field(default_factory=dict)  # summary.json's `best`: epoch, val_loss, val_acc
    findings: list[Finding] = field(default_factory=list)  # the primary finding first
    error: str = ""  # why it failed (a crash, or what only the data revealed)
    run_dir: str = ""  # its run directory, relative to the sweep directory; "" when it has none

    @classmethod
    def from_run_dir(cls, trial: Trial, sweep_dir: Path) -> TrialResult:
        return cls.from_run(trial, load_run(sweep_dir / trial.id, with_history=False))

    @classmethod
    def from_run(cls, trial: Trial, loaded: LoadedRun) -> TrialResult:
        return cls(trial, str(loaded.status), dict(loaded.summary["final"]), dict(loaded.best), loaded.findings,
                   loaded.summary["error"], loaded.directory.name)

    @property
    def val_acc(self) -> float | None:
        """The final validation accuracy: the model the trial ended with (the best epoch's under early stopping)."""
        return _number(self.final.get("val_acc"))

    @property
    def first_finding(self) -> str:
        return self.findings[0].id if self.findings else ""

    @property
    def failed(self) -> bool:
        return self.status == RunStatus.FAILED

    @property
    def has_result(self) -> bool:
        """Ended with numbers that count (a stopped trial's are only as far as it got)."""
        return self.status in RESULT_STATUSES

    def row(self, keys: list[str]) -> dict[str, Any]:
        """sweep.csv's row: trial, seed, the swept keys, status, final and best metrics, first finding, run_dir."""
        return {
            "trial": self.trial.id, "seed": self.trial.seed,
            **{key: setting_text(self.trial.settings[key]) for key in keys},
            "status": self.status,
            "final_val_acc": _number(self.final.get("val_acc")), "final_val_loss": _number(self.final.get("val_loss")),
            "best_val_acc": _number(self.best.get("val_acc")), "best_val_loss": _number(self.best.get("val_loss")),
            "best_epoch": self.best.get("epoch"), "first_finding": self.first_finding, "run_dir": self.run_dir,
        }


def finished_result(plan: SweepPlan, trial: Trial, sweep_dir: Path) -> TrialResult | None:
    """The trial's result when its run directory holds it already (what --resume skips): a run that ended
    with a result, of this trial's configuration (a base experiment edited since then runs again)."""
    if not (sweep_dir / trial.id / SUMMARY).is_file():
        return None
    loaded = load_run(sweep_dir / trial.id, with_history=False)
    result = TrialResult.from_run(trial, loaded)
    if not result.has_result or loaded.config is None:
        return None
    if config_diff([loaded.config, apply_overrides(plan.base, trial.overrides)]):
        return None
    return result


def write_sweep_files(plan: SweepPlan, results: list[TrialResult], directory: Path) -> None:
    """sweep.csv, then sweep.json (which marks the folder as a sweep), each replaced whole."""
    columns = ["trial", "seed", *plan.keys, *COLUMNS_AFTER_KEYS]
    stream = io.StringIO()
    writer = csv.DictWriter(stream, columns, lineterminator="\n")
    writer.writeheader()
    for result in results:
        writer.writerow({key: "" if value is None else value for key, value in result.row(plan.keys).items()})
    write_text_atomic(directory / SWEEP_TABLE, stream.getvalue())
    sweep = plan.base.sweep
    document = {
        "format": FORMAT,
        "name": plan.name,
        "keys": plan.keys,
        "sweep": sweep.model_dump() if sweep is not None else None,
        "base": plan.base.model_dump(),
        "trials": [{**result.row(plan.keys), "settings": result.trial.settings, "error": result.error}
                   for result in results],
    }
    write_text_atomic(directory / SWEEP, json.dumps(json_safe(document), indent=2))
