"""The diagnosis benchmark's runs judged as the app judges them when it verifies (`--verify`): each run's
leading fixes are tried in short probes of the same experiment (workbench/core/training/verify.py), the
probes train in the benchmark's pool and cache like any other experiment, and the findings are ranked and
graded by what the probes measured. The app verifies every run under a minute, so this is the diagnosis its
users see on runs of this size; the rules alone (without `--verify`) are what a long run shows.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import diagnosis_bench as bench
import fault_cases
from fault_cases import Case


def _run_of(config: dict, result: dict) -> SimpleNamespace | None:
    """What verify.py reads of a finished run: its config, history and findings (by the rules as they are
    now); None for a run with nothing to verify."""
    from workbench.core.diagnosis import diagnose
    from workbench.core.experiment.config import experiment_from_dict
    from workbench.core.rundir.reader import load_run
    from workbench.core.training.runtime import RunControl

    if result["status"] == "failed" or not result.get("run_dir"):
        return None
    history = load_run(result["run_dir"]).history
    if history is None:
        return None
    experiment = experiment_from_dict(config)
    return SimpleNamespace(config=experiment, history=history, findings=diagnose(history, experiment),
                           control=RunControl())


def verify_all(cases: list[Case], results: dict[str, dict], cache: bench.ResultCache, workers: int,
               runs_dir: Path) -> int:
    """Replace each result's findings with the verified ones; returns how many probes were trained now."""
    from workbench.core.rundir.reader import load_run
    from workbench.core.training.probe_judgement import judged_by_probes
    from workbench.core.training.probe_plan import probe_plan

    configs = {case.key: case.config for case in cases}
    runs = {key: run for key, config in configs.items() if (run := _run_of(config, results[key])) is not None}
    plans = {key: [(finding.id, fault_cases.with_overrides(configs[key], overrides))
                   for finding, overrides in probe_plan(run)] for key, run in runs.items()}
    distinct = {fault_cases.experiment_key(config): config for plan in plans.values() for _id, config in plan}
    probes = [Case(case_id=f"probe/{index}", split="", kind="probe", strength="", root="", alternatives=(),
                   config=config) for index, config in enumerate(distinct.values())]
    probe_results, trained = bench.train_all(probes, cache, workers, runs_dir, diagnose=False)
    for key, run in runs.items():
        probed = {}
        for finding_id, config in plans[key]:
            result = probe_results[fault_cases.experiment_key(config)]
            if result["status"] != "failed":
                probed[finding_id] = load_run(result["run_dir"]).history
        results[key]["findings"] = bench.finding_rows(judged_by_probes(run, probed))
    return trained
