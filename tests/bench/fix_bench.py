"""Does the diagnosis' one-click fix help, and more than the simplest thing a user could try? (A
benchmark, not a test.)

For the failure cases of the diagnosis benchmark (diagnosis_bench.py: injected faults that did measurable
harm), the fix the app offers is applied to the faulty experiment and trained again on the same seeds, and
so is the fix anyone would try first without a diagnosis: the learning rate divided by 10. The fix offered
is the verified one: the faulty run's leading fixes are tested with short probes as the app does
(workbench/core/training/verify.py), and the first finding that still has a fix afterwards offers it
(--unverified: the first finding's fix as the rules give it, untested). Printed per split, side by side:

- the fix removes its own finding and improves validation accuracy (by at least IMPROVED points); and,
  beside it, the same where the finding stays only as a note with no fix left to offer (rare classes once
  weighted: a fault of the data that a fix mitigates but cannot remove);
- the fix does harm (validation accuracy falls by more than HARMED, or the run diverges); and, with
  --harm-seeds K, each such fix trained again beside its faulty run at K seed replicas (data and training
  seeds shifted): harmful on average (a mean loss over HARMED), or a loss of that one seed; and, with
  --placebo, beside it the same yardstick held to a change that fixes nothing: each faulty run trained again at
  another training seed (initial weights and batch order; the data the same), lower or higher by more than a
  point than itself, which is how often a single seed's verdict is chance;
- the fix beats lr/10 (validation accuracy at least as high; and higher by IMPROVED points or more);
- median validation accuracy of the healthy base, the faulty run, the fix and lr/10.

A fix of rare classes (class_imbalance) is judged by balanced accuracy (mean recall over the classes), as
the app's probes judge it; every other fix by plain validation accuracy.

The faulty runs come from the diagnosis benchmark's cache (it trains what is missing); the fixes and the
lr/10 runs have a cache of their own beside it, keyed by the experiment, so a second run only re-judges.

    python tests/bench/fix_bench.py [--slice 40] [--seed S] [--split tune|heldout|both] [--training DIGEST]
                                    [--workers 2] [--json FILE] [--unverified] [--harm-seeds K] [--placebo]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import diagnosis_bench as bench
import fault_cases

from workbench.core.diagnosis.finding import JUDGED_BALANCED

IMPROVED = 0.01  # validation accuracy points that count as better
HARMED = 0.01  # ... and losing more than this is harm done by the fix (issue 14: never more than 1 point)
NO_FIX = "(no fix)"
PLACEBO_SEED_SHIFT = 7  # --placebo: the training seed's shift


@dataclass
class FixOutcome:
    judged: bench.Judged
    finding: str  # the first finding's id
    fix: dict  # its overrides
    fixed: dict  # the fixed run's result (status, val_acc, findings)
    lr10: dict  # the lr/10 run's result
    replica_gains: list[float] = field(default_factory=list)  # the fix's gain at each seed replica (--harm-seeds)
    placebo: dict | None = None  # the faulty run at another training seed, nothing fixed (--placebo)

    @property
    def faulty_val(self) -> float:
        return judged_val(self.judged.result, self.finding)

    @property
    def fixed_val(self) -> float:
        return judged_val(self.fixed, self.finding)

    @property
    def lr10_val(self) -> float:
        return judged_val(self.lr10, self.finding)

    @property
    def finding_gone(self) -> bool:
        return all(finding["id"] != self.finding for finding in self.fixed.get("findings", []))

    @property
    def helped(self) -> bool:
        return self.finding_gone and self.fixed_val >= self.faulty_val + IMPROVED

    @property
    def settled(self) -> bool:
        """The finding is gone, or stays only as a note with nothing left to offer: a fault of the data itself
        (too few of a class) that the fix mitigates but cannot remove while the data stays."""
        same = [finding for finding in self.fixed.get("findings", []) if finding["id"] == self.finding]
        return all(finding["severity"] == "info" and not finding.get("has_fix", True) for finding in same)

    @property
    def mitigated(self) -> bool:
        return self.settled and self.fixed_val >= self.faulty_val + IMPROVED

    @property
    def harmed(self) -> bool:
        return self.fixed_val < self.faulty_val - HARMED

    @property
    def placebo_gain(self) -> float | None:
        """What the placebo (the faulty run at another training seed) did to validation accuracy, judged as the
        fix is; None without --placebo."""
        return None if self.placebo is None else judged_val(self.placebo, self.finding) - self.faulty_val

    @property
    def harmful_on_average(self) -> bool:
        """A harm that holds over the seed replicas: the fix's mean gain there is a loss of more than HARMED."""
        return bool(self.replica_gains) and statistics.fmean(self.replica_gains) < -HARMED

    @property
    def at_least_lr10(self) -> bool:
        return self.fixed_val >= self.lr10_val

    @property
    def beats_lr10(self) -> bool:
        return self.fixed_val >= self.lr10_val + IMPROVED


def judged_val(result: dict, finding: str) -> float:
    """Validation accuracy at the end of a run (0 for one that diverged or failed); for a fix of rare classes
    (`finding` in JUDGED_BALANCED) the balanced accuracy, as the app's probes judge it (issue 14: plain
    accuracy calls the trade of a little majority-class accuracy for the rare classes harm)."""
    if bench.diverged(result) or result["status"] == "failed":
        return 0.0
    if finding in JUDGED_BALANCED:
        return balanced_accuracy(result["run_dir"])
    return result.get("val_acc") or 0.0


def seed_pairs(case: fault_cases.Case, fix: dict, seeds: int) -> list[tuple[dict, dict]]:
    """(the case's experiment, it with the fix) at each of `seeds` seed replicas, the case's own seed first;
    none where the fix is not a valid experiment."""
    pairs = []
    for replica in range(seeds):
        config = fault_cases.replicated(case, replica).config
        fixed = fault_cases.with_overrides(config, fix)
        if not valid(fixed):
            return []
        pairs.append((config, fixed))
    return pairs


def placebo_of(config: dict) -> dict:
    """The experiment at another training seed (initial weights and batch order), its data the same: a change
    that fixes nothing. The shift is not a seed replica's (fault_cases.replicated shifts the data's seed too)."""
    return fault_cases.with_overrides(config, {"train.seed": config["train"]["seed"] + PLACEBO_SEED_SHIFT})


def gains(pairs: list[tuple[dict, dict]], finding: str) -> list[float]:
    """The fix's gain in validation accuracy (judged_val) at each (without it, with it) pair of results."""
    return [judged_val(fixed, finding) - judged_val(unfixed, finding) for unfixed, fixed in pairs]


def balanced_accuracy(run_dir: str) -> float:
    """Mean validation recall over the classes at the run's last epoch."""
    from workbench.core.rundir.reader import load_run

    recall = load_run(run_dir).history.class_recall.view()
    return float(recall[-1].mean()) if len(recall) else 0.0


def offered_fix(item: tuple[dict, str, bool]) -> tuple[str, dict]:
    """(finding id, fix) the app offers for the faulty run (`item`: its config, its run directory, and
    whether to verify): the first finding with a fix after the leading fixes were tested with short probes
    of the same experiment, or, unverified, the first finding's fix as the rules give it."""
    from types import SimpleNamespace

    import torch

    from workbench.core.diagnosis import diagnose
    from workbench.core.experiment.config import experiment_from_dict
    from workbench.core.rundir.reader import load_run
    from workbench.core.training.engine import Run, RunControl
    from workbench.core.training.verify import verify_findings

    torch.set_num_threads(1)
    config_dict, run_dir, verify = item
    config = experiment_from_dict(config_dict)
    history = load_run(run_dir).history
    findings = diagnose(history, config) if history is not None else []
    if not verify:
        return (findings[0].id, dict(findings[0].fix)) if findings else ("", {})
    run = SimpleNamespace(findings=findings, control=RunControl(), config=config, history=history)
    offered = next((finding for finding in verify_findings(run, lambda probe: Run(probe, control=run.control))
                    if finding.fix), None)
    return (offered.id, dict(offered.fix)) if offered else ("", {})


def variants(judged: bench.Judged, fix: dict) -> tuple[dict, dict]:
    lr10 = fault_cases.with_overrides(judged.case.config, {"train.lr": judged.case.config["train"]["lr"] / 10})
    return fault_cases.with_overrides(judged.case.config, fix), lr10


def valid(config: dict) -> bool:
    from workbench.core.experiment.config import ConfigError, experiment_from_dict

    try:
        experiment_from_dict(config)
    except ConfigError:
        return False
    return True


def train_variants(configs: dict[str, dict], cache: bench.ResultCache, workers: int, runs_dir: Path) -> None:
    cases = [fault_cases.Case(case_id=key[:12], split="", kind="variant", strength="", root="", alternatives=(),
                              config=config) for key, config in configs.items()]
    results, _trained = bench.train_all(cases, cache, workers, runs_dir)
    for key, result in results.items():
        cache.results[key] = result  # with the findings diagnose_all gave them


def report(outcomes: list[FixOutcome], without_fix: dict[str, int], splits: list[str]) -> str:
    rows = []

    def row(name: str, values) -> None:
        rows.append(f"| {name} | " + " | ".join(values) + " |")

    per_split = {split: [o for o in outcomes if o.judged.case.split == split] for split in splits}
    row("failure cases whose first finding has a fix", [str(len(per_split[s])) for s in splits])
    row("... first finding without a fix (or none)", [str(without_fix.get(s, 0)) for s in splits])
    placebo = [
        ("placebo, another training seed and nothing fixed: val acc down more than 1 point (--placebo)",
         lambda o: o.placebo_gain < -HARMED),
        ("... up by 1 point or more", lambda o: o.placebo_gain >= IMPROVED)]
    for label, test in (
            ("fix removes its finding and improves val acc (>= 1 point)", lambda o: o.helped),
            ("... or leaves it a note with nothing left to offer, and improves", lambda o: o.mitigated),
            ("fix does harm (val acc down more than 1 point)", lambda o: o.harmed),
            ("... and on average over the seed replicas (--harm-seeds)", lambda o: o.harmful_on_average),
            *(placebo if all(o.placebo is not None for o in outcomes) else []),
            ("fix >= lr/10 (val acc)", lambda o: o.at_least_lr10),
            ("fix beats lr/10 by >= 1 point", lambda o: o.beats_lr10),
            ("fix is the root cause's own finding", lambda o: o.judged.first_correct)):
        row(label, [bench._ratio(sum(map(test, per_split[s])), len(per_split[s])) for s in splits])
    for label, value in (("median val acc: healthy base", lambda o: o.judged.base_val_acc or 0.0),
                         ("median val acc: faulty", lambda o: o.faulty_val),
                         ("median val acc: with the fix", lambda o: o.fixed_val),
                         ("median val acc: with lr/10", lambda o: o.lr10_val)):
        row(label, [bench._median([value(o) for o in per_split[s]]) for s in splits])
    header = "| measure | " + " | ".join(splits) + " |\n| --- | " + " | ".join("---" for _ in splits) + " |\n"
    worst = sorted(outcomes, key=lambda o: o.fixed_val - o.faulty_val)[:5]
    lines = [f"- {o.judged.case.case_id}: {o.finding} fix {o.fix} took val acc {o.faulty_val:.2f} -> "
             f"{o.fixed_val:.2f} (lr/10: {o.lr10_val:.2f})" for o in worst]
    harmed = [o for o in outcomes if o.replica_gains]
    replicas = [f"- {o.judged.case.case_id}: {o.finding} fix {o.fix}, gains per seed (its own first) "
                + " ".join(f"{gain:+.3f}" for gain in o.replica_gains)
                + f"; mean {statistics.fmean(o.replica_gains):+.3f} (standard error {_standard_error(o.replica_gains):.3f}), "
                f"worse by > {HARMED:.0%} at "
                f"{sum(gain < -HARMED for gain in o.replica_gains)}, better at "
                f"{sum(gain > IMPROVED for gain in o.replica_gains)} of {len(o.replica_gains)} seeds"
                for o in harmed]
    text = header + "\n".join(rows) + "\n\nThe five fixes that did worst:\n" + "\n".join(lines)
    return text + ("\n\nEach harmful fix at seed replicas:\n" + "\n".join(replicas) if replicas else "")


def measure_harm_at_replicas(harmed: list[FixOutcome], seeds: int, cache: bench.ResultCache, workers: int) -> None:
    """Train each harmful fix and its faulty run at `seeds` seed replicas and keep the fix's gain at each: one
    seed's loss on a validation set of a few hundred examples may be chance (a balanced sampler for 7 rare
    training examples lost 3.9 points of balanced accuracy at its own seed and gained 2.3 on average over ten)."""
    pairs = {id(o): seed_pairs(o.judged.case, o.fix, seeds) for o in harmed}
    train_variants({fault_cases.experiment_key(config): config for each in pairs.values() for pair in each
                    for config in pair}, cache, workers, bench.CACHE_DIR / "fix-runs")
    for o in harmed:
        o.replica_gains = gains([tuple(cache.results[fault_cases.experiment_key(config)] for config in pair)
                                 for pair in pairs[id(o)]], o.finding)


def _standard_error(values: list[float]) -> float:
    return statistics.stdev(values) / len(values) ** 0.5 if len(values) > 1 else float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--slice", type=int, default=40, metavar="N",
                        help="the first N fault cases of each split (covering the kinds in turn); 0 = all")
    parser.add_argument("--training", metavar="DIGEST", help="the faulty runs cached for this training-code digest")
    parser.add_argument("--seed", type=int, default=0, help="the case generator's seed (diagnosis_bench.py --seed)")
    parser.add_argument("--split", choices=[*bench.SPLIT_NAMES, "both"], default="both",
                        help="one split only (a draw trained with diagnosis_bench.py --split)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", type=Path, metavar="FILE")
    parser.add_argument("--unverified", action="store_true",
                        help="apply the first finding's fix as the rules give it, without the app's probes")
    parser.add_argument("--harm-seeds", type=int, default=0, metavar="K",
                        help="train each fix that did harm, and its faulty run, again at K seed replicas")
    parser.add_argument("--placebo", action="store_true",
                        help="train each faulty run again at another training seed, nothing fixed, and count how "
                             "often that alone moves validation accuracy by more than a point")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    cases = fault_cases.generate_cases(fault_cases.write_csv_files(bench.CACHE_DIR / "data"), seed=args.seed, seeds=1)
    if args.slice:
        cases = fault_cases.take_slice(cases, args.slice)
    splits = list(bench.SPLIT_NAMES) if args.split == "both" else [args.split]
    cases = [case for case in cases if case.split in splits]
    digest = args.training or bench.code_digest()
    results, _trained = bench.train_all(cases, bench.ResultCache(bench.CACHE_DIR / "diagnosis", digest),
                                        args.workers, bench.CACHE_DIR / "runs")
    failures = [j for j in bench.judge(cases, results) if j.role == bench.FAILURE]

    items = [(judged.case.config, judged.result["run_dir"], not args.unverified) for judged in failures]
    with multiprocessing.get_context("spawn").Pool(args.workers) as pool:
        offered = pool.map(offered_fix, items)
    planned, without_fix, configs = [], {}, {}
    for judged, (finding, fix) in zip(failures, offered, strict=True):
        if not fix:
            without_fix[judged.case.split] = without_fix.get(judged.case.split, 0) + 1
            continue
        fixed, lr10 = variants(judged, fix)
        if not valid(fixed):
            without_fix[judged.case.split] = without_fix.get(judged.case.split, 0) + 1
            continue
        planned.append((judged, finding, fix, fixed, lr10))
        for config in (fixed, lr10):
            configs[fault_cases.experiment_key(config)] = config
    cache = bench.ResultCache(bench.CACHE_DIR / "fixes", bench.code_digest())
    train_variants(configs, cache, args.workers, bench.CACHE_DIR / "fix-runs")
    outcomes = [FixOutcome(judged, finding, fix, cache.results[fault_cases.experiment_key(fixed)],
                           cache.results[fault_cases.experiment_key(lr10)])
                for judged, finding, fix, fixed, lr10 in planned]
    if args.harm_seeds > 1:
        measure_harm_at_replicas([o for o in outcomes if o.harmed], args.harm_seeds, cache, args.workers)
    if args.placebo:
        placebos = {id(o): placebo_of(o.judged.case.config) for o in outcomes}
        train_variants({fault_cases.experiment_key(config): config for config in placebos.values()}, cache,
                       args.workers, bench.CACHE_DIR / "fix-runs")
        for o in outcomes:
            o.placebo = cache.results[fault_cases.experiment_key(placebos[id(o)])]
    print(f"Fix benchmark ({'unverified: the first finding' if args.unverified else 'the verified fix'}): "
          f"{len(failures)} failure cases of {len(cases)} cases, {time.perf_counter() - started:.0f} s\n")
    print(report(outcomes, without_fix, splits))
    if args.json:
        args.json.write_text(json.dumps([{
            "case": o.judged.case.case_id, "split": o.judged.case.split, "finding": o.finding, "fix": o.fix,
            "faulty_val": o.faulty_val, "fixed_val": o.fixed_val, "lr10_val": o.lr10_val,
            "finding_gone": o.finding_gone, "settled": o.settled, "base_val": o.judged.base_val_acc,
            "replica_gains": o.replica_gains, "placebo_gain": o.placebo_gain}
            for o in outcomes], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
