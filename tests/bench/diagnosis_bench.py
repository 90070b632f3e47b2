"""Fault benchmark of the diagnosis (not a test): injected faults, judged against the root cause injected.

Generates the cases of fault_cases.py (its docstring holds the fault table, the accepted alternatives and
the split), trains every distinct experiment once on the CPU in a pool of worker processes (one torch
thread each), and keeps a fault case only when the fault did measurable harm against its own base (same
seeds): validation accuracy at least HARM_ACC_DROP lower, or a diverged run. A fault that did no harm
becomes a healthy case, as do the bases; a healthy case must reach its dataset's sensible accuracy. One
seed and a few hundred validation examples cannot tell 2 points of harm from 4: with --harm-seeds K, a fault
whose harm leaves doubt is measured at K seeds, and its label must hold both at the run's own seed (the run
the diagnosis judges) and on average. One that did a small harm on average (1-3 points), or whose own seed
and mean disagree (harm at its own seed that the other seeds did not repeat, or harm on average that its own
run did not show), is scored apart: its harm is in doubt, and it is neither a failure to diagnose nor a
healthy run that must stay silent.
Prints, for the tune and held-out splits side by side: first-finding accuracy, id-present recall,
false alarms on healthy runs, the epoch of the first warning, per-kind accuracy and the confusion matrix
(true root cause x first finding). `make bench-diagnosis` runs it; budget: <= 45 minutes on 2 cores.

Training and judging are cached apart. Each experiment trains once into a run directory under
tests/bench/.cache/runs/DIGEST/ (its metrics in tests/bench/.cache/diagnosis/results-DIGEST.jsonl; the DIGEST
is of the code that trains: workbench/core/training, data, rundir, history.py, the torch version and the
result format, so other training code trains into other folders and never replaces a cached run); every
benchmark run then diagnoses those run directories with the rules as they are now, which takes seconds. So
a rule change is judged on all cases without retraining one, and a change to training retrains them.

    python tests/bench/diagnosis_bench.py [--slice N] [--split tune|heldout|both] [--seeds N]
                                          [--seed S] [--json FILE] [--workers N] [--verify] [--harm-seeds K]
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import math
import multiprocessing
import os
import platform
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

import fault_cases
from fault_cases import DATASET_SPACES, HEALTHY, Case

from workbench.core.experiment import registry

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent.parent
CACHE_DIR = BENCH_DIR / ".cache"
# The code whose change can change what a run records (its history), so its training is cached by it. The
# diagnosis is not here: it judges the recorded histories afresh on every benchmark run.
TRAINING_CODE = ("workbench/core/training", "workbench/core/data", "workbench/core/rundir",
                 "workbench/core/history.py")
# ... less what a benchmark run never executes: the fix probes run only when a run verifies its findings
# (--verify tests them in runs of their own, which this digest covers like any other), and the accuracy a
# generated set allows, which only the diagnosis asks for.
NOT_TRAINING_CODE = (*(f"workbench/core/training/{module}.py"
                       for module in ("verify", "probe_plan", "probe_judgement", "probe_effect", "probe_evidence")),
                     "workbench/core/data/attainable.py")
# Part of the cache digest: raise it when run_experiment's result changes shape, so old results retrain.
RESULT_FORMAT = 3  # 2: cpu_seconds; 3: the run directory, judged afresh
HARM_ACC_DROP = 0.03  # validation accuracy this much below the base's counts as harm
# --harm-seeds K: a fault whose harm at its own seed leaves doubt (no divergence, under CLEAR_HARM) has its
# harm measured again at K-1 more seed replicas, it and its base. A failure did harm at its own seed and from
# HARM_ACC_DROP on average; a healthy case did none at its own seed and under HARMLESS_ACC_DROP on average.
# The rest, a small harm on average or a mean its own run contradicts, is in doubt: neither a failure to
# diagnose nor a healthy run to keep silent on, and reported apart. (Until the twenty-second session the mean
# alone decided, so a run that lost 5 points to its fault was a healthy case if the other seeds gained 3, and
# a run its fault left untouched was a failure if another seed diverged.)
CLEAR_HARM = 0.10  # four standard errors of a difference of two accuracies on 300 examples: no doubt left
HARMLESS_ACC_DROP = 0.01
# Accuracies are recorded as float32: 0.96 - 0.93 reads back as 0.02999997, and a harm of exactly
# HARM_ACC_DROP (3 of 100 examples) must count.
ACC_ROUNDING = 1e-6
# Each run must train within this much CPU time. CPU, not wall time: on a shared machine a niced
# benchmark's runs wait for the CPU (a full run here saw 8.3 s of wall time for a 2.8 s run).
CASE_BUDGET_S = 5.0
ALARM_SEVERITIES = ("error", "warning")
NONE = "none"  # the first finding of a run without findings

FAILURE, DROPPED, IN_DOUBT = "failure", "dropped", "harm in doubt"  # roles besides HEALTHY
SPLIT_NAMES = tuple(fault_cases.SPLITS)


# -- running ----------------------------------------------------------------------------------------

def code_digest(root: Path = REPO_ROOT) -> str:
    """A digest of the training code's source files, the torch version and the result format."""
    digest = hashlib.sha256(f"{version('torch')} {RESULT_FORMAT}".encode())
    for entry in TRAINING_CODE:
        path = root / entry
        for source in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            if str(source.relative_to(root)) in NOT_TRAINING_CODE:
                continue
            digest.update(str(source.relative_to(root)).encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()[:16]


def run_experiment(config: dict, run_dir: Path) -> dict:
    """Train one experiment into `run_dir` and return its metrics; a crash is a result too."""
    import shutil

    import torch

    from workbench.core.experiment.config import experiment_from_dict
    from workbench.core.training.engine import Run

    torch.set_num_threads(1)  # two workers on two cores: more threads would only contend
    shutil.rmtree(run_dir, ignore_errors=True)  # what an interrupted earlier benchmark left half-written
    run = Run(experiment_from_dict(config), run_dir=run_dir)
    started, cpu_started = time.perf_counter(), time.process_time()
    try:
        run.fit()
    except Exception as error:  # a failed run is reported, never fatal to the benchmark
        return {"status": "failed", "error": f"{type(error).__name__}: {error}", "findings": [],
                "seconds": time.perf_counter() - started, "cpu_seconds": time.process_time() - cpu_started}
    history = run.history
    return {
        "status": str(run.status), "error": run.error,
        "val_acc": _finite_or_none(run.final_metrics.get("val_acc")),
        "train_acc": _finite_or_none(run.final_metrics.get("train_acc")),
        "epochs_run": int(history.epochs_run) if history is not None else 0,
        "seconds": time.perf_counter() - started, "cpu_seconds": time.process_time() - cpu_started,
        "run_dir": str(run_dir),
    }


def diagnose_all(results: dict[str, dict], configs: dict[str, dict]) -> None:
    """Each trained run's findings by the rules as they are now, from its run directory (the same history
    the run itself was diagnosed from at its end)."""
    from workbench.core.diagnosis import diagnose
    from workbench.core.experiment.config import experiment_from_dict
    from workbench.core.rundir.reader import load_run

    for key, result in results.items():
        if result["status"] == "failed":
            continue
        history = load_run(result["run_dir"]).history
        findings = diagnose(history, experiment_from_dict(configs[key])) if history is not None else []
        result["findings"] = finding_rows(findings)


def finding_rows(findings: list) -> list[dict]:
    """What the benchmark keeps of each finding (with what its probe measured, when verified, and its evidence,
    which says what a probe that verified nothing measured)."""
    return [{"id": f.id, "severity": f.severity, "epoch": f.epoch, "caused_by": f.caused_by, "has_fix": bool(f.fix),
             "fix": dict(f.fix), "confidence": f.confidence, "verified": f.verified, "evidence": f.evidence}
            for f in findings]


def _finite_or_none(value) -> float | None:
    return float(value) if value is not None and math.isfinite(value) else None


def _run_keyed(item: tuple[str, dict, Path]) -> tuple[str, dict]:
    key, config, runs_dir = item
    return key, run_experiment(config, runs_dir / hashlib.sha256(key.encode()).hexdigest()[:20])


class ResultCache:
    """Results by experiment key, for one code digest: a JSON-lines file that only this (parent) process
    appends to, so a benchmark stopped halfway keeps what it trained."""

    def __init__(self, folder: Path, digest: str):
        self.digest = digest
        self.path = folder / f"results-{digest}.jsonl"
        self.results: dict[str, dict] = {}
        if self.path.exists():
            for line in self.path.read_text().splitlines():
                try:
                    record = json.loads(line)
                except json.JSONDecodeError:
                    continue  # the last line of an interrupted write
                self.results[record["key"]] = record["result"]

    def add(self, key: str, result: dict) -> None:
        self.results[key] = result
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a") as handle:
            handle.write(json.dumps({"key": key, "result": result}) + "\n")


def _finished_run(result: dict) -> bool:
    """Whether a cached result's run directory holds a run that ended: a crash recorded as a result counts, a
    directory that is gone, or whose summary says it is still running (its process was stopped), does not."""
    if result["status"] == "failed":
        return True
    try:
        summary = json.loads((Path(result.get("run_dir", "")) / "summary.json").read_text())
    except (OSError, ValueError):
        return False
    return summary.get("status") != "running"


def _estimated_steps(config: dict) -> int:
    steps_per_epoch = math.ceil(fault_cases.train_count(config) / config["train"]["batch_size"])
    return steps_per_epoch * config["train"]["epochs"]


def train_all(cases: list[Case], cache: ResultCache, workers: int, runs_dir: Path,
              diagnose: bool = True) -> tuple[dict[str, dict], int]:
    """Every distinct experiment of `cases` trained once into `runs_dir` (or taken from the cache), diagnosed
    unless told not to; returns the results by key and how many were trained now."""
    pending = {case.key: case.config for case in cases
               if case.key not in cache.results or not _finished_run(cache.results[case.key])}
    # Longest runs first, so that the last minutes keep both workers busy. Each result records its run directory
    # by its real path: one recorded through a linked cache (a git worktree's .cache linked to the main one) would
    # read as missing once the worktree is removed, and the run would be trained again. Each training-code digest
    # trains into a folder of its own: the same experiment trained by other code (or a benchmark stopped while it
    # did) must never replace or half-delete the run that another digest's results point to, which `--training`
    # judges (twenty-seventh session: a stopped benchmark left two of seed 21's runs empty, judged as no finding).
    items = sorted(((key, config, runs_dir.resolve() / cache.digest) for key, config in pending.items()),
                   key=lambda item: -_estimated_steps(item[1]))
    started = time.perf_counter()
    if items:
        print(f"training {len(items)} experiments on {workers} worker(s) "
              f"({len({c.key for c in cases}) - len(items)} cached)", file=sys.stderr, flush=True)
    if workers <= 1:
        finished = map(_run_keyed, items)
        _collect(finished, cache, len(items), started)
    else:
        # fork: the workers inherit this module however it was imported; torch is not loaded here yet
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            _collect(pool.imap_unordered(_run_keyed, items), cache, len(items), started)
    results = {case.key: dict(cache.results[case.key]) for case in cases}
    if diagnose:
        diagnose_all(results, {case.key: case.config for case in cases})
    return results, len(items)


def _collect(finished, cache: ResultCache, total: int, started: float) -> None:
    for done, (key, result) in enumerate(finished, start=1):
        cache.add(key, result)
        if done % 50 == 0 or done == total:
            print(f"  {done}/{total} trained, {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)


# -- judging: the harm filter -----------------------------------------------------------------------

@dataclass
class Judged:
    case: Case
    result: dict
    role: str  # FAILURE | HEALTHY | IN_DOUBT | DROPPED
    base_val_acc: float | None = None
    reason: str = ""  # why a case was dropped, or why a fault became healthy
    harms: tuple[float, ...] = ()  # the fault's harm at each seed it was measured at, its own first

    @property
    def label(self) -> str:
        """What the run is: its injected root cause, or HEALTHY for a base or a harmless fault."""
        return HEALTHY if self.role == HEALTHY else self.case.root

    @property
    def findings(self) -> list[dict]:
        return self.result.get("findings", [])

    @property
    def first(self) -> str:
        return self.findings[0]["id"] if self.findings else NONE

    @property
    def first_correct(self) -> bool:
        return self.first == self.case.root or self.first in self.case.alternatives

    @property
    def root_present(self) -> bool:
        return any(finding["id"] == self.case.root for finding in self.findings)

    @property
    def alarmed(self) -> bool:
        return any(finding["severity"] in ALARM_SEVERITIES for finding in self.findings)

    @property
    def fix_beat_base(self) -> bool:
        """A warning or error whose verified fix reached more than the fault-free base did, by more than the
        noise of a difference of two accuracies on the run's validation examples: whatever harm the fault did
        on average, this run's finding was worth acting on."""
        count = _val_count(self.result)
        if self.base_val_acc is None or not count:
            return False
        base = self.base_val_acc
        noise = 2.0 * math.sqrt(2.0 * base * (1.0 - base) / count)
        return any(f["severity"] in ALARM_SEVERITIES and f.get("verified")
                   and f["verified"]["val_acc"] - base > noise for f in self.findings)

    @property
    def first_alarm_epoch(self) -> int | None:
        epochs = [f["epoch"] for f in self.findings if f["severity"] in ALARM_SEVERITIES]
        return min(epochs) if epochs else None


def _val_count(result: dict) -> int:
    """How many validation examples the run was judged on (its summary's history), 0 if unknown."""
    if "val_count" in result:
        return int(result["val_count"])
    summary = Path(result.get("run_dir") or "/nonexistent") / "summary.json"
    try:
        return int(json.loads(summary.read_text())["history"]["val_count"])
    except (OSError, ValueError, KeyError, TypeError):
        return 0


def diverged(result: dict) -> bool:
    return result["status"] == "diverged" or (result["status"] != "failed" and result.get("val_acc") is None)


def sensible(config: dict, result: dict) -> bool:
    """A run that finished and reached its dataset's sensible validation accuracy."""
    return (result["status"] in ("completed", "early_stopped") and result.get("val_acc") is not None
            and result["val_acc"] >= DATASET_SPACES[config["data"]["dataset"]].sensible_val_acc)


def harm(base: dict, faulty: dict) -> float:
    """How much validation accuracy the fault cost against its base; a diverged run counts as accuracy 0."""
    return base["val_acc"] - (0.0 if diverged(faulty) else faulty["val_acc"])


def harmed(base: dict, faulty: dict) -> bool:
    """The fault did measurable harm: the run diverged, or validation accuracy fell by HARM_ACC_DROP."""
    return diverged(faulty) or harm(base, faulty) >= HARM_ACC_DROP - ACC_ROUNDING


def in_doubt(base: dict, faulty: dict) -> bool:
    """One seed leaves the fault's harm in doubt: it did not diverge and cost less than CLEAR_HARM."""
    return not diverged(faulty) and harm(base, faulty) < CLEAR_HARM


def harm_replicas(cases: list[Case], results: dict[str, dict], harm_seeds: int) -> list[Case]:
    """The seed replicas (1 .. harm_seeds - 1) of each fault whose harm one seed leaves in doubt, and of
    its base: what `judge` measures the harm again with."""
    by_id = {case.case_id: case for case in cases}
    replicas = {}
    for case in cases:
        if case.kind == HEALTHY or results[case.key]["status"] == "failed":
            continue
        base = by_id[case.base_id]
        base_result = results[base.key]
        if base_result["status"] == "failed" or not sensible(base.config, base_result):
            continue
        if in_doubt(base_result, results[case.key]):
            for replica in range(1, harm_seeds):
                for each in (case, base):
                    copy = fault_cases.replicated(each, replica)
                    replicas[copy.case_id] = copy
    return list(replicas.values())


def _harms(case: Case, base: Case, results: dict[str, dict], harm_seeds: int) -> tuple[float, ...]:
    """The fault's harm at its own seed, and where that leaves doubt at each replica that ran."""
    harms = [harm(results[base.key], results[case.key])]
    if in_doubt(results[base.key], results[case.key]):
        for replica in range(1, harm_seeds):
            faulty = results.get(fault_cases.replicated(case, replica).key)
            base_result = results.get(fault_cases.replicated(base, replica).key)
            if faulty and base_result and "failed" not in (faulty["status"], base_result["status"]) \
                    and base_result.get("val_acc") is not None:
                harms.append(harm(base_result, faulty))
    return tuple(harms)


def judge(cases: list[Case], results: dict[str, dict], harm_seeds: int = 1) -> list[Judged]:
    """Each case's role. A base is healthy when sensible, else dropped with its faults (no baseline to
    measure harm against). A fault is a failure when it harmed its base, healthy when it did not and is
    itself sensible, and dropped otherwise (harmless by the filter but not a sensible run either). With
    harm_seeds > 1 the harm of a fault in doubt is the mean over the seeds `results` holds replicas of
    (harm_replicas), and the label must hold at the fault's own seed too: a failure harmed its own run and
    HARM_ACC_DROP on average, a healthy fault did neither and under HARMLESS_ACC_DROP on average, and the rest
    is IN_DOUBT, scored apart."""
    by_id = {case.case_id: case for case in cases}
    judged = []
    for case in cases:
        result = results[case.key]
        if result["status"] == "failed":
            judged.append(Judged(case, result, DROPPED, reason=f"run failed: {result.get('error', '')}"))
            continue
        if case.kind == HEALTHY:
            ok = sensible(case.config, result)
            judged.append(Judged(case, result, HEALTHY if ok else DROPPED,
                                 reason="" if ok else "base below the sensible accuracy"))
            continue
        base = by_id[case.base_id]
        base_result = results[base.key]
        if base_result["status"] == "failed" or not sensible(base.config, base_result):
            judged.append(Judged(case, result, DROPPED, reason="its base is no sensible baseline"))
            continue
        harms = _harms(case, base, results, harm_seeds)
        mean = statistics.fmean(harms)
        own = harmed(base_result, result)  # the run the diagnosis judges
        if own and (len(harms) == 1 or mean >= HARM_ACC_DROP - ACC_ROUNDING):
            judged.append(Judged(case, result, FAILURE, base_result["val_acc"], harms=harms))
        elif own or (len(harms) > 1 and mean >= HARMLESS_ACC_DROP - ACC_ROUNDING):
            reason = ("harm at its own seed only" if own else "harm on average, none at its own seed"
                      if mean >= HARM_ACC_DROP - ACC_ROUNDING else "small harm on average")
            judged.append(Judged(case, result, IN_DOUBT, base_result["val_acc"],
                                 reason=f"{reason} ({len(harms)} seeds)", harms=harms))
        elif sensible(case.config, result):
            judged.append(Judged(case, result, HEALTHY, base_result["val_acc"], reason="harmless fault",
                                 harms=harms))
        else:
            judged.append(Judged(case, result, DROPPED, base_result["val_acc"],
                                 reason="harmless fault below the sensible accuracy", harms=harms))
    return judged


# -- scoring ----------------------------------------------------------------------------------------

@dataclass
class SplitScore:
    failures: int = 0
    first_correct: int = 0  # the root cause or an accepted alternative first
    first_root: int = 0  # the root cause itself first (strict)
    root_present: int = 0  # the root cause anywhere in the findings
    healthy: int = 0
    healthy_alarmed: int = 0  # healthy runs with a warning or error
    healthy_any: int = 0  # healthy runs with any finding, info included
    healthy_fix_beat_base: int = 0  # healthy runs alarmed by a verified fix that beat the fault-free base
    drawn_healthy: int = 0  # healthy runs that are bases (not harmless faults) ...
    drawn_alarmed: int = 0  # ... and those of them with a warning or error
    failures_alarmed: int = 0  # failure cases with a warning or error
    in_doubt: int = 0  # faults whose harm is in doubt (--harm-seeds), neither failure nor healthy
    in_doubt_alarmed: int = 0  # ... and those of them with a warning or error
    first_alarm_epochs: list[int] = field(default_factory=list)  # per failure case with an alarm
    first_alarm_shares: list[float] = field(default_factory=list)  # the same, as a share of the epochs
    confusion: Counter = field(default_factory=Counter)  # (root, first finding) -> count
    per_kind: dict[str, list[int]] = field(default_factory=dict)  # kind -> [failures, first correct]

    def add(self, judged: Judged) -> None:
        if judged.role == IN_DOUBT:
            self.in_doubt += 1
            self.in_doubt_alarmed += judged.alarmed
            return
        self.confusion[(judged.label, judged.first)] += 1
        if judged.role == HEALTHY:
            self.healthy += 1
            self.healthy_alarmed += judged.alarmed
            self.healthy_fix_beat_base += judged.fix_beat_base
            self.healthy_any += bool(judged.findings)
            if judged.case.kind == HEALTHY:
                self.drawn_healthy += 1
                self.drawn_alarmed += judged.alarmed
            return
        self.failures += 1
        self.first_correct += judged.first_correct
        self.first_root += judged.first == judged.case.root
        self.root_present += judged.root_present
        counts = self.per_kind.setdefault(judged.case.kind, [0, 0])
        counts[0] += 1
        counts[1] += judged.first_correct
        epoch = judged.first_alarm_epoch
        self.failures_alarmed += epoch is not None
        if epoch is not None:
            self.first_alarm_epochs.append(epoch)
            self.first_alarm_shares.append(epoch / judged.case.config["train"]["epochs"])


def score(judged: list[Judged]) -> dict[str, SplitScore]:
    """A score per split over the failure and healthy cases (dropped ones do not count)."""
    scores = {name: SplitScore() for name in SPLIT_NAMES}
    for item in judged:
        if item.role != DROPPED:
            scores[item.case.split].add(item)
    return scores


# -- report -----------------------------------------------------------------------------------------

SHORT_IDS = {
    "divergence": "div", "exploding_gradients": "explode", "vanishing_gradients": "vanish",
    "dead_relu": "dead", "saturated_activations": "sat", "lr_too_high": "lr_hi", "lr_too_low": "lr_lo",
    "loss_plateau": "plateau", "underfitting": "under", "overfitting": "over", "late_collapse": "collapse",
    "bad_initialization": "init", "unnormalized_inputs": "unnorm", "unshuffled_data": "unshuf",
    "over_regularized": "overreg", "small_batch_noise": "batch", "label_noise": "labels",
    "class_imbalance": "imbal", "distribution_shift": "shift", "train_val_mismatch": "mismatch",
    "large_batch": "big_batch", "slow_training": "slow", NONE: NONE,
}


def _ratio(count: int, total: int) -> str:
    return f"{count}/{total} ({count / total:.0%})" if total else "-"


def _median(values) -> str:
    return f"{statistics.median(values):.3g}" if values else "-"


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def summary_table(scores: dict[str, SplitScore], splits: list[str]) -> str:
    measures = [
        ("failure cases", lambda s: str(s.failures)),
        ("healthy cases", lambda s: str(s.healthy)),
        ("first finding is the root cause (or an accepted alternative)", lambda s: _ratio(s.first_correct, s.failures)),
        ("first finding is the root cause itself (strict)", lambda s: _ratio(s.first_root, s.failures)),
        ("root cause id present anywhere", lambda s: _ratio(s.root_present, s.failures)),
        ("failure runs with a warning/error", lambda s: _ratio(s.failures_alarmed, s.failures)),
        ("false alarms: healthy runs with a warning/error", lambda s: _ratio(s.healthy_alarmed, s.healthy)),
        ("... of them drawn healthy (not a harmless fault)", lambda s: _ratio(s.drawn_alarmed, s.drawn_healthy)),
        ("... of them by a verified fix that beat the fault-free base by more than the noise",
         lambda s: _ratio(s.healthy_fix_beat_base, s.healthy_alarmed)),
        ("healthy runs with any finding (info included)", lambda s: _ratio(s.healthy_any, s.healthy)),
        ("faults whose harm is in doubt (--harm-seeds: small on average, or own seed and mean disagree; in "
         "neither count above)", lambda s: str(s.in_doubt)),
        ("... of them with a warning/error", lambda s: _ratio(s.in_doubt_alarmed, s.in_doubt)),
        ("epoch of the first warning, median (failures)", lambda s: _median(s.first_alarm_epochs)),
        ("... as a share of the planned epochs, median", lambda s: _median(s.first_alarm_shares)),
    ]
    return _table(["measure", *splits], [[name, *(show(scores[s]) for s in splits)] for name, show in measures])


def kind_table(scores: dict[str, SplitScore], judged: list[Judged], splits: list[str]) -> str:
    generated = Counter((j.case.split, j.case.kind) for j in judged)
    healthy = Counter((j.case.split, j.case.kind) for j in judged if j.role == HEALTHY)
    rows = []
    for kind in fault_cases.FAULT_KINDS:
        row = [kind.name, kind.root]
        for split in splits:
            failures, correct = scores[split].per_kind.get(kind.name, [0, 0])
            row += [f"{failures}/{generated[split, kind.name]}", str(healthy[split, kind.name]),
                    _ratio(correct, failures)]
        rows.append(row)
    header = ["kind", "root"]
    for split in splits:
        header += [f"{split} kept/generated", f"{split} turned healthy", f"{split} first correct"]
    return _table(header, rows)


def confusion_table(scores: dict[str, SplitScore], splits: list[str]) -> str:
    """Rows: true root cause; columns: first finding; each cell 'tune/heldout' (or one count)."""
    order = [*registry.DIAGNOSIS_IDS, HEALTHY, NONE]
    total = Counter()
    for split in splits:
        total.update(scores[split].confusion)
    roots = [r for r in order if any(root == r for root, _ in total)]
    firsts = [f for f in order if any(first == f for _, first in total)]
    rows = []
    for root in roots:
        cells = []
        for first in firsts:
            counts = [scores[split].confusion[root, first] for split in splits]
            cells.append("/".join(map(str, counts)) if any(counts) else ".")
        rows.append([root, *cells])
    short = {finding: SHORT_IDS.get(finding, finding) for finding in firsts}  # an id added later: in full
    legend = ", ".join(f"{short[f]} = {f}" for f in firsts if short[f] != f)
    return _table(["root \\ first", *(short[f] for f in firsts)], rows) + f"\n\nColumns: {legend}."


def _slowest(judged: list[Judged], clock: str) -> str:
    seconds, case_id = max((j.result[clock], j.case.case_id) for j in judged)
    return f"{seconds:.1f} s ({case_id})"


def report(judged: list[Judged], splits: list[str], wall_s: float, trained: int) -> str:
    scores = score(judged)
    dropped = Counter(j.reason.split(":")[0] for j in judged if j.role == DROPPED)
    machine = f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_implementation()} " \
              f"{platform.python_version()}, torch {version('torch')}"
    cells = " / ".join(splits)
    faults = Counter(j.role for j in judged if j.case.kind != HEALTHY)
    lines = [
        f"Diagnosis benchmark, {datetime.date.today().isoformat()}, {machine}",
        f"wall time {wall_s / 60:.1f} min ({trained} runs trained, the rest from the cache); slowest run "
        f"{_slowest(judged, 'cpu_seconds')} of CPU, {_slowest(judged, 'seconds')} of wall time",
        f"cases: {len(judged)}; dropped {sum(dropped.values())}"
        + (f" ({', '.join(f'{n} {why}' for why, n in dropped.items())})" if dropped else ""),
        f"fault cases: {faults.total()} generated, {faults[FAILURE]} kept (did measurable harm), "
        f"{faults[HEALTHY]} turned healthy (did none), {faults[IN_DOUBT]} in doubt, "
        f"{faults[DROPPED]} dropped",
        "", summary_table(scores, splits),
        "", "Per fault kind (kept = did measurable harm; turned healthy = did none):",
        "", kind_table(scores, judged, splits),
        "", f"Confusion, true root cause x first finding (cells: {cells}):",
        "", confusion_table(scores, splits),
    ]
    return "\n".join(lines)


def judged_as_json(judged: list[Judged]) -> list[dict]:
    return [{
        "case": j.case.case_id, "split": j.case.split, "kind": j.case.kind, "strength": j.case.strength,
        "root": j.case.root, "label": j.label, "alternatives": list(j.case.alternatives), "base": j.case.base_id,
        "role": j.role, "reason": j.reason, "status": j.result["status"],
        "epochs_run": j.result.get("epochs_run"), "train_acc": j.result.get("train_acc"),
        "val_acc": j.result.get("val_acc"), "base_val_acc": j.base_val_acc, "harms": list(j.harms),
        "first": j.first,
        "first_correct": j.first_correct if j.role == FAILURE else None,
        "root_present": j.root_present if j.role == FAILURE else None,
        "findings": j.findings, "seconds": j.result["seconds"], "cpu_seconds": j.result["cpu_seconds"],
        "run_dir": j.result.get("run_dir", ""), "config": j.case.config,
    } for j in judged]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--slice", type=int, default=0, metavar="N",
                        help="only the first N fault cases of each split (covering the kinds in turn) and their bases")
    parser.add_argument("--split", choices=[*SPLIT_NAMES, "both"], default="both")
    parser.add_argument("--seeds", type=int, default=1, metavar="N",
                        help="run every case at N seed replicas (data and training seeds shifted)")
    parser.add_argument("--seed", type=int, default=0, help="the generator's seed")
    parser.add_argument("--harm-seeds", type=int, default=1, metavar="K",
                        # %% in a help string is argparse's own escape for a percent sign
                        help=f"measure the harm of each fault that one seed leaves in doubt (no divergence, under "
                             f"{CLEAR_HARM * 100:g}%% of validation accuracy) at K seeds, it and its base: a failure "
                             f"where it harmed its own run and {HARM_ACC_DROP * 100:g}%% on average, healthy where it "
                             f"harmed neither and under {HARMLESS_ACC_DROP * 100:g}%% on average, in doubt (scored "
                             f"apart) otherwise")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write every case's result to FILE")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (default 2: both cores)")
    parser.add_argument("--cache-dir", type=Path, default=CACHE_DIR)
    parser.add_argument("--verify", action="store_true",
                        help="test each run's leading fixes with short probes, as the app does for runs under a "
                             "minute, and judge the findings they leave (verified_cases.py)")
    parser.add_argument("--training", metavar="DIGEST",
                        help="judge the runs cached for this training-code digest (results-DIGEST.jsonl) with the "
                             "rules as they are now, though the training code changed since (tuning rules "
                             "while training code moves on)")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    csv_paths = fault_cases.write_csv_files(args.cache_dir / "data")
    cases = fault_cases.generate_cases(csv_paths, seed=args.seed, seeds=args.seeds)
    if args.slice:
        cases = fault_cases.take_slice(cases, args.slice)
    splits = list(SPLIT_NAMES) if args.split == "both" else [args.split]
    cases = [case for case in cases if case.split in splits]
    digest = args.training or code_digest()
    if args.training:
        print(f"judging the runs trained by training code {digest}, not by the code as it is now",
              file=sys.stderr)
    cache = ResultCache(args.cache_dir / "diagnosis", digest)
    results, trained = train_all(cases, cache, args.workers, args.cache_dir / "runs")
    if args.harm_seeds > 1:
        replicas = harm_replicas(cases, results, args.harm_seeds)
        replica_results, replicas_trained = train_all(replicas, cache, args.workers, args.cache_dir / "runs",
                                                      diagnose=False)
        results = {**replica_results, **results}  # a replica equal to a case keeps the case's findings
        trained += replicas_trained
    if args.verify:
        import verified_cases

        trained += verified_cases.verify_all(cases, results, cache, args.workers, args.cache_dir / "runs")
    judged = judge(cases, results, args.harm_seeds)
    print(report(judged, splits, time.perf_counter() - started, trained))
    over_budget = sum(results[key]["cpu_seconds"] > CASE_BUDGET_S for key in {c.key for c in cases})
    if over_budget:
        print(f"\n{over_budget} run(s) took more than {CASE_BUDGET_S:.0f} s of CPU")
    if args.json:
        args.json.write_text(json.dumps(judged_as_json(judged), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
