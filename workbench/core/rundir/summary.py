"""`summary.json`: built from a run, and read back through a schema so that a damaged or odd field is
named and dropped instead of raising.

Format 2 (this milestone) adds `format` and `versions`; a summary without `format` is format 1 and
reads the same. Fields a later format adds are kept as they are.
"""

from __future__ import annotations

import math
import os
import socket
import time
from dataclasses import MISSING, asdict, dataclass
from dataclasses import fields as dataclass_fields
from pathlib import Path
from typing import Any, Literal, Protocol, get_type_hints

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    NonNegativeInt,
    PositiveInt,
    TypeAdapter,
    ValidationError,
    create_model,
)
from typing_extensions import TypedDict  # pydantic validates only this one on Python 3.11

from workbench.core.diagnosis.finding import Finding
from workbench.core.experiment.config import ExperimentConfig
from workbench.core.files import json_safe
from workbench.core.history import InputStats, LayerInfo, RunHistory
from workbench.core.i18n import _
from workbench.core.status import RunStatus

FORMAT = 2


@dataclass(frozen=True)
class FixFor:
    """A run of a one-click fix: the directory of the run it was meant to cure, and the finding it cures."""

    original: Path
    finding: str

    @classmethod
    def from_summary(cls, summary: dict[str, Any]) -> FixFor | None:
        """A summary's `fix_for`, as read_summary checked it, or None."""
        record = summary.get("fix_for")
        return cls(Path(record["run"]), record["finding"]) if record else None


class RecordedRun(Protocol):
    """What the run directory needs of a run (the engine's Run satisfies it)."""

    config: ExperimentConfig
    status: str
    error: str
    device_name: str
    findings: list[Finding]
    final_metrics: dict[str, float]
    samples_per_s: float
    duration_s: float
    started_at: float
    problem: str
    parent: Path | None  # a variant continued from another run's kept epoch: that run's directory
    fork_epoch: int | None
    fix_for: FixFor | None

    @property
    def history(self) -> RunHistory | None: ...


# -- writing ----------------------------------------------------------------------------------------
def build_summary(run: RecordedRun) -> dict[str, Any]:
    history = run.history
    best = history.best_record() if history else {}
    final = dict(run.final_metrics)
    if not final and history is not None and len(history.epochs):
        final = dict(zip(("train_loss", "train_acc", "val_loss", "val_acc"),
                         history.epochs.view()[-1, 2:6].tolist(), strict=True))
    running = run.status == RunStatus.RUNNING
    summary = {
        "format": FORMAT,
        "name": run.config.name,
        "status": str(run.status),
        "device": run.device_name,
        "epochs_run": history.epochs_run if history else 0,
        "steps": history.steps if history else 0,
        "duration_s": round(time.time() - run.started_at if running else run.duration_s, 3),
        "samples_per_s": round(run.samples_per_s, 1),
        "final": final,
        "best": best,
        "diagnosis": [finding.to_dict() for finding in run.findings],
        "config": run.config.model_dump(),
        "versions": versions(),
        # additions beyond CONTRACTS.md's example: enough to rebuild the history and to spot dead writers
        "error": run.error,
        "events": history.events if history else [],
        "started_at": run.started_at,
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "history": _history_scalars(history) if history else None,
    }
    if run.fork_epoch is not None:  # a variant continued from another run's kept epoch
        summary.update(parent=str(run.parent) if run.parent is not None else None, fork_epoch=run.fork_epoch)
    if run.fix_for is not None:  # the fix of another run's finding, judged against that run once both end
        summary["fix_for"] = {"run": str(run.fix_for.original), "finding": run.fix_for.finding}
    return json_safe(summary)


def versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    import torch

    try:
        workbench = version("workbench")
    except PackageNotFoundError:  # run from a source tree that was never installed
        workbench = "unknown"
    return {"workbench": workbench, "torch": torch.__version__}


def _history_scalars(history: RunHistory) -> dict[str, Any]:
    return {
        "layers": [asdict(layer) for layer in history.layers],
        "n_classes": history.n_classes,
        "steps_per_epoch": history.steps_per_epoch,
        "initial_loss": history.initial_loss,
        "input_stats": asdict(history.input_stats) if history.input_stats else None,
        "train_label_disagreement": history.train_label_disagreement,
        "test_loss": history.test_loss,
        "test_acc": history.test_acc,
        "val_count": history.val_count,
        "test_count": history.test_count,
        "batch_label_diversity": history.batch_label_diversity.view().tolist(),
        "doubted_labels": history.doubted_labels.view().tolist(),
        "class_recall": history.class_recall.view().tolist(),
        "balanced_training": history.balanced_training,
    }


# -- reading ----------------------------------------------------------------------------------------
class BestEpoch(TypedDict, total=False):
    epoch: PositiveInt
    val_loss: float | None
    val_acc: float | None


class FixForRecord(TypedDict):
    run: str
    finding: str


Number = float | None  # NaN/inf are written as null

# Every field a reader uses: its type (strict: "3" is not a number, true is not 1) and what a missing
# or damaged field reads as.
SUMMARY_FIELDS: dict[str, tuple[Any, Any]] = {
    "format": (PositiveInt, 1),
    "name": (str, ""),
    "status": (Literal[tuple(status.value for status in RunStatus)], RunStatus.UNKNOWN.value),
    "device": (str, ""),
    "epochs_run": (NonNegativeInt, 0),
    "steps": (NonNegativeInt, 0),
    "duration_s": (Number, None),
    "samples_per_s": (Number, None),
    "final": (dict[str, Number], {}),
    "best": (BestEpoch, {}),
    "diagnosis": (list[dict[str, Any]], []),
    "config": (dict[str, Any], {}),
    "versions": (dict[str, str], {}),
    "parent": (str | None, None),
    "fork_epoch": (PositiveInt | None, None),
    "fix_for": (FixForRecord | None, None),
    "error": (str, ""),
    "events": (list[str], []),
    "started_at": (Number, None),
    "pid": (PositiveInt | None, None),
    "host": (str, ""),
    "history": (dict[str, Any] | None, None),  # checked by HistoryScalars when the history is read
}
_ADAPTERS = {key: TypeAdapter(kind) for key, (kind, _default) in SUMMARY_FIELDS.items()}


def read_summary(raw: Any) -> tuple[dict[str, Any], list[str]]:
    """Every field of a parsed summary.json checked: (the summary with damaged fields at their defaults,
    one problem per damaged field)."""
    if not isinstance(raw, dict):
        return _defaults(), [_("summary.json: not a JSON object but {kind}").format(kind=type(raw).__name__)]
    summary, problems = dict(raw), []
    for key, (_kind, default) in SUMMARY_FIELDS.items():
        if key not in raw:
            summary[key] = default
            continue
        try:
            summary[key] = _ADAPTERS[key].validate_python(raw[key], strict=True)
        except ValidationError as error:
            summary[key] = default
            problems.append(_("summary.json: '{key}' ignored ({problem})").format(key=key, problem=_first_message(error)))
    if summary["format"] > FORMAT:
        problems.append(_("summary.json: written by a newer Workbench (format {format}); fields this version does "
                          "not know are ignored").format(format=summary["format"]))
    return summary, problems


def _defaults() -> dict[str, Any]:
    return {key: default for key, (_kind, default) in SUMMARY_FIELDS.items()}


def _first_message(error: ValidationError) -> str:
    detail = error.errors()[0]
    where = ".".join(str(part) for part in detail["loc"])
    return f"{where}: {detail['msg']}" if where else detail["msg"]


def _strict_record(dataclass_type: type) -> type[BaseModel]:
    """A strict pydantic model with the fields of a plain dataclass, to check its JSON form (where a
    float may be null: NaN is written so)."""
    hints = {name: Number if hint is float else hint for name, hint in get_type_hints(dataclass_type).items()}
    fields = {item.name: (hints[item.name], ... if item.default is MISSING and item.default_factory is MISSING
                          else Field(default_factory=item.default_factory) if item.default is MISSING
                          else item.default)
              for item in dataclass_fields(dataclass_type)}
    return create_model(f"{dataclass_type.__name__}Record", __config__=ConfigDict(strict=True), **fields)


def _from_record(dataclass_type: type, record: BaseModel):
    return dataclass_type(**{key: math.nan if value is None else value for key, value in record.model_dump().items()})


LayerRecord, InputStatsRecord = _strict_record(LayerInfo), _strict_record(InputStats)


class HistoryScalars(BaseModel):
    """summary.json's `history`: what rebuilds a RunHistory besides the CSV files."""

    model_config = ConfigDict(strict=True, extra="ignore")
    layers: list[LayerRecord]
    n_classes: PositiveInt
    steps_per_epoch: PositiveInt
    initial_loss: Number = None
    input_stats: InputStatsRecord | None = None
    train_label_disagreement: Number = None
    test_loss: Number = None
    test_acc: Number = None
    val_count: NonNegativeInt = 0  # absent in runs made before they were recorded
    test_count: NonNegativeInt = 0
    batch_label_diversity: list[list[Number]] = []
    doubted_labels: list[list[Number]] = []  # absent in runs made before it was recorded
    class_recall: list[list[Number]] = []
    balanced_training: bool = False

    def layer_infos(self) -> list[LayerInfo]:
        return [_from_record(LayerInfo, layer) for layer in self.layers]

    def input_statistics(self) -> InputStats | None:
        return _from_record(InputStats, self.input_stats) if self.input_stats else None
