"""Are the diagnosis' alarms on healthy runs wrong, or is the run less healthy than its label? (A benchmark,
not a test.)

The diagnosis benchmark (diagnosis_bench.py) calls a run healthy by what was injected into it: a drawn base,
or a fault that did no measurable harm against its base. A warning or error on such a run counts as a false
alarm, whatever it says. Yet a base can underfit or overfit by itself, and a harmless fault can sit in a run
that a change would still improve. This benchmark asks each such alarm the question the label cannot: does
the one-click fix the app offers on that run (the first finding with a fix once its leading fixes were
tested with short probes, as fix_bench.py takes it) help the run when trained in full?

The fix and the run without it are trained at the run's own seed and SEEDS - 1 seed replicas (data and
training seeds shifted, as the diagnosis benchmark's --harm-seeds measures harm), and the fix's gain in
validation accuracy (balanced accuracy for a fix of rare classes) is read at each. An alarm is

- confirmed where its fix gained at least diagnosis_bench.HARM_ACC_DROP at the run's own seed and on
  average: the measure a fault must meet to count as a failure, applied to the fix instead of the fault;
- harmful where its fix lost more than fix_bench.HARMED on average: advice that costs the user accuracy;
- unconfirmed otherwise: a false alarm in every sense.

Where no finding offers a fix (its probe refuted it), the first finding's fix as the rules give it is trained
the same way and judged apart: was the probe right to withhold it?

Input: the --json files of `diagnosis_bench.py --verify --harm-seeds 3` (several draws at once). The runs
train into the fix benchmark's cache (.cache/fixes, .cache/fix-runs), so a second run only re-judges.

    python tests/bench/alarm_bench.py JUDGED.json [JUDGED.json ...] [--workers 2] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import diagnosis_bench as bench
import fault_cases
import fix_bench

SEEDS = 3  # the run's own seed and two replicas, as `diagnosis_bench.py --harm-seeds 3` labels the runs
CONFIRMED, HARMFUL, UNCONFIRMED, NO_FIX = "confirmed", "harmful", "unconfirmed", "no fix"
VERDICTS = (CONFIRMED, UNCONFIRMED, HARMFUL, NO_FIX)


@dataclass
class AlarmOutcome:
    row: dict  # the healthy run as diagnosis_bench.py --json wrote it
    finding: str  # the id of the finding whose fix the app offers ("" where none has one)
    fix: dict
    pairs: list[tuple[dict, dict]]  # (without the fix, with it) per seed, the run's own first
    withheld: bool = False  # no finding offers a fix: `fix` is the rules' own, which a probe refuted

    @property
    def gains(self) -> list[float]:
        return fix_bench.gains(self.pairs, self.finding)

    @property
    def verdict(self) -> str:
        if not self.pairs:
            return NO_FIX
        gains = self.gains
        mean = statistics.fmean(gains)
        if min(gains[0], mean) >= bench.HARM_ACC_DROP - bench.ACC_ROUNDING:
            return CONFIRMED
        return HARMFUL if mean < -fix_bench.HARMED else UNCONFIRMED


def healthy_alarms(paths: list[Path]) -> list[dict]:
    """The healthy runs with a warning or error in the judged files, each with the file's name."""
    rows = []
    for path in paths:
        for row in json.loads(path.read_text()):
            if row["role"] == bench.HEALTHY and any(f["severity"] in bench.ALARM_SEVERITIES for f in row["findings"]):
                rows.append({**row, "draw": path.stem})
    return rows


def seed_pairs(row: dict, fix: dict) -> list[tuple[dict, dict]]:
    """(the run's experiment, it with the fix) at each of SEEDS seed replicas; none where the fix is not a
    valid experiment."""
    case = fault_cases.Case(row["case"], row["split"], row["kind"], row["strength"], row["root"],
                            tuple(row["alternatives"]), row["config"], row["base"])
    return fix_bench.seed_pairs(case, fix, SEEDS)


def report(outcomes: list[AlarmOutcome]) -> str:
    if not outcomes:
        return "No healthy run drew a warning or an error: nothing to judge."
    splits = sorted({o.row["split"] for o in outcomes}, key=list(bench.SPLIT_NAMES).index)
    rows = [["healthy runs with a warning/error", *(str(sum(o.row["split"] == s for o in outcomes)) for s in splits)]]
    verdicts = ((CONFIRMED, f"its fix gained >= {bench.HARM_ACC_DROP:.0%} at its own seed and on average"),
                (UNCONFIRMED, "its fix changed nothing measurable"),
                (HARMFUL, f"its fix lost > {fix_bench.HARMED:.0%} on average"),
                (NO_FIX, "no finding offers a fix"))
    for withheld in (False, True):
        if withheld:
            rows.append(["no finding offers a fix (a probe refuted it); the rules' own fix, trained in full:",
                         *(str(sum(o.withheld for o in outcomes if o.row["split"] == s)) for s in splits)])
        for verdict, meaning in verdicts:
            chosen = [o for o in outcomes if o.withheld == withheld and o.verdict == verdict]
            if withheld and not chosen:
                continue
            rows.append([f"... {verdict}: {meaning}",
                         *(bench._ratio(sum(o.row["split"] == s for o in chosen),
                                        sum(o.row["split"] == s and o.withheld == withheld for o in outcomes))
                           for s in splits)])
    lines = [bench._table(["measure", *splits], rows), "", "Each alarm (gains: the fix's, per seed, its own first):"]
    for o in sorted(outcomes, key=lambda o: (o.withheld, VERDICTS.index(o.verdict), o.row["draw"], o.row["case"])):
        alarms = ", ".join(f"{f['id']} ({f['severity']})" for f in o.row["findings"]
                           if f["severity"] in bench.ALARM_SEVERITIES)
        gains = " ".join(f"{gain:+.3f}" for gain in o.gains) if o.pairs else "-"
        lines.append(f"- {o.verdict}{' (withheld fix)' if o.withheld else ''}: {o.row['draw']} {o.row['case']} ({o.row['kind']}, "
                     f"{o.row['config']['data']['dataset']}, val {o.row['val_acc']:.3f}): {alarms}; "
                     f"fix {o.finding or '-'} {o.fix or ''}; gains {gains}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("judged", type=Path, nargs="+",
                        help="the --json file of diagnosis_bench.py --verify --harm-seeds 3")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", type=Path, metavar="FILE")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    rows = healthy_alarms(args.judged)
    with multiprocessing.get_context("spawn").Pool(args.workers) as pool:
        offered = pool.map(fix_bench.offered_fix, [(row["config"], row["run_dir"], True) for row in rows])
        withheld = [not fix for _finding, fix in offered]
        rules = pool.map(fix_bench.offered_fix, [(row["config"], row["run_dir"], False)
                                                 for row, none in zip(rows, withheld, strict=True) if none])
    rules_fixes = iter(rules)
    offered = [next(rules_fixes) if none else chosen for chosen, none in zip(offered, withheld, strict=True)]
    planned = [(row, finding, fix, seed_pairs(row, fix) if fix else [], none)
               for row, (finding, fix), none in zip(rows, offered, withheld, strict=True)]
    configs = {fault_cases.experiment_key(config): config
               for *_head, pairs, _none in planned for pair in pairs for config in pair}
    cache = bench.ResultCache(bench.CACHE_DIR / "fixes", bench.code_digest())
    fix_bench.train_variants(configs, cache, args.workers, bench.CACHE_DIR / "fix-runs")
    outcomes = [AlarmOutcome(row, finding, fix, [tuple(cache.results[fault_cases.experiment_key(config)]
                                                       for config in pair) for pair in pairs], none)
                for row, finding, fix, pairs, none in planned]
    print(f"Alarm benchmark: {len(rows)} healthy runs with a warning or error in {len(args.judged)} judged "
          f"draw(s), {time.perf_counter() - started:.0f} s\n")
    print(report(outcomes))
    if args.json:
        args.json.write_text(json.dumps([{
            "draw": o.row["draw"], "case": o.row["case"], "split": o.row["split"], "kind": o.row["kind"],
            "finding": o.finding, "fix": o.fix, "withheld": o.withheld, "gains": o.gains if o.pairs else [],
            "verdict": o.verdict}
            for o in outcomes], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
