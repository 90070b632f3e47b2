"""The diagnosis fault benchmark (tests/bench/diagnosis_bench.py) on a small slice: its generator is
deterministic, covers every fault kind with valid labels and family-disjoint splits, its harm filter and
scorer count right, and a few real cases run end to end. How well the diagnosis does is the benchmark's
figure (`make bench-diagnosis`), never asserted here.

pytest does not collect tests/bench, so its modules are loaded by path.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import numpy as np
import pytest

from workbench.core.experiment import registry

BENCH_DIR = Path(__file__).resolve().parents[1] / "bench"


def _load(name: str):
    if name not in sys.modules:  # diagnosis_bench imports fault_cases by this name
        spec = importlib.util.spec_from_file_location(name, BENCH_DIR / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


fault_cases = _load("fault_cases")
bench = _load("diagnosis_bench")
verified_cases = _load("verified_cases")
fix_bench = _load("fix_bench")
alarm_bench = _load("alarm_bench")
HEALTHY = fault_cases.HEALTHY


@pytest.fixture(scope="module")
def csv_paths(tmp_path_factory):
    return fault_cases.write_csv_files(tmp_path_factory.mktemp("bench-data"))


@pytest.fixture(scope="module")
def cases(csv_paths):
    return fault_cases.generate_cases(csv_paths)


# -- the generator ----------------------------------------------------------------------------------

def test_the_generator_is_deterministic(csv_paths, cases):
    assert fault_cases.generate_cases(csv_paths) == cases
    assert fault_cases.generate_cases(csv_paths, seed=1) != cases
    assert len({case.case_id for case in cases}) == len(cases)


def test_enough_cases_of_every_kind_and_strength_in_both_splits(cases):
    faults = [case for case in cases if case.kind != HEALTHY]
    assert len(faults) >= 400  # the full benchmark keeps those that do harm: 400+ (README)
    assert sum(case.kind == HEALTHY for case in cases) >= 100
    for split in fault_cases.SPLITS:
        present = {(case.kind, case.strength) for case in faults if case.split == split}
        wanted = {(kind.name, strength) for kind in fault_cases.FAULT_KINDS for strength in kind.strengths}
        assert present == wanted, f"{split} lacks {sorted(wanted - present)}"


def test_labels_are_contract_ids(cases):
    for case in cases:
        if case.kind == HEALTHY:
            assert (case.root, case.alternatives, case.base_id) == (HEALTHY, (), "")
            continue
        assert case.root in registry.DIAGNOSIS_IDS
        assert set(case.alternatives) <= set(registry.DIAGNOSIS_IDS) - {case.root}
        assert case.root == fault_cases.KINDS[case.kind].root


def test_the_splits_hold_out_whole_datasets_and_optimizer_families(cases):
    splits = fault_cases.SPLITS
    assert not set(splits["tune"].datasets) & set(splits["heldout"].datasets)
    assert not set(splits["tune"].optimizers) & set(splits["heldout"].optimizers)
    assert set(registry.OPTIMIZERS) == set(splits["tune"].optimizers) | set(splits["heldout"].optimizers)
    for case in cases:
        assert case.config["data"]["dataset"] in splits[case.split].datasets
        assert case.config["train"]["optimizer"] in splits[case.split].optimizers


def test_a_fault_keeps_its_base_seeds_and_changes_something(cases):
    by_id = {case.case_id: case for case in cases}
    for case in cases:
        if case.kind != HEALTHY:
            base = by_id[case.base_id]
            assert case.split == base.split and case.config != base.config
            assert case.config["train"]["seed"] == base.config["train"]["seed"]
            assert case.config["data"]["seed"] == base.config["data"]["seed"]


def test_seed_replicas_shift_the_seeds_of_a_case_and_its_base(csv_paths):
    cases = fault_cases.generate_cases(csv_paths, seeds=2, bases_per_split=4, cases_per_kind=1)
    replicas = {case.case_id: case for case in cases if case.case_id.endswith("@s1")}
    assert len(replicas) * 2 == len(cases)
    for case in replicas.values():
        original = next(c for c in cases if c.case_id == case.case_id.removesuffix("@s1"))
        shift = fault_cases.SEED_REPLICA_OFFSET
        assert case.config["train"]["seed"] == original.config["train"]["seed"] + shift
        assert not case.base_id or case.base_id in replicas


def test_a_slice_covers_the_kinds_and_brings_its_bases(cases):
    sliced = fault_cases.take_slice(cases, len(fault_cases.FAULT_KINDS))
    ids = {case.case_id for case in sliced}
    for split in fault_cases.SPLITS:
        kinds = {case.kind for case in sliced if case.split == split and case.kind != HEALTHY}
        assert kinds == set(fault_cases.KINDS)
    assert all(case.base_id in ids for case in sliced if case.kind != HEALTHY)


# -- the harm filter and the scorer, on hand-made results ---------------------------------------------

def _case(case_id, kind=HEALTHY, base_id="", split="tune", dataset="moons", alternatives=()):
    root = HEALTHY if kind == HEALTHY else fault_cases.KINDS[kind].root
    config = {"data": {"dataset": dataset, "seed": 0}, "train": {"epochs": 20, "seed": 0}}
    return fault_cases.Case(case_id, split, kind, "", root, alternatives, config, base_id)


def _result(val_acc, status="completed", findings=()):
    return {"status": status, "val_acc": val_acc, "seconds": 0.1, "cpu_seconds": 0.1,
            "findings": [{"id": i, "severity": s, "epoch": e, "caused_by": ""} for i, s, e in findings]}


def _judge(pairs):
    """Cases with their results; each case's config is made unique so that results map one to one."""
    cases, results = [], {}
    for case, result in pairs:
        case.config["meta"] = {"name": case.case_id}
        cases.append(case)
        results[case.key] = result
    return {j.case.case_id: j for j in bench.judge(cases, results)}


def test_the_harm_filter():
    floor = fault_cases.DATASET_SPACES["moons"].sensible_val_acc
    judged = _judge([
        (_case("b"), _result(0.98)),
        (_case("weak-base"), _result(floor - 0.01)),
        (_case("harm", "lr_low", "b"), _result(0.98 - bench.HARM_ACC_DROP)),
        (_case("no-harm", "lr_low", "b"), _result(0.96)),
        (_case("diverged", "lr_high", "b"), _result(None, "diverged")),
        (_case("nan-loss", "lr_high", "b"), _result(None)),
        (_case("no-baseline", "lr_low", "weak-base"), _result(0.5)),
        (_case("crashed", "lr_low", "b"), {"status": "failed", "error": "boom", "findings": []}),
    ])
    roles = {case_id: j.role for case_id, j in judged.items()}
    assert roles == {"b": HEALTHY, "weak-base": bench.DROPPED, "harm": bench.FAILURE, "no-harm": HEALTHY,
                     "diverged": bench.FAILURE, "nan-loss": bench.FAILURE, "no-baseline": bench.DROPPED,
                     "crashed": bench.DROPPED}
    assert judged["no-harm"].label == HEALTHY and judged["harm"].label == "lr_too_low"
    assert judged["harm"].base_val_acc == 0.98


def test_harm_in_doubt_is_measured_again_at_more_seeds_and_its_label_must_hold_at_its_own_seed_too():
    """--harm-seeds: a fault that cost under CLEAR_HARM at its own seed is trained again at more seeds, it and
    its base. A failure harmed its own run (the one diagnosed) and HARM_ACC_DROP on average; a healthy case
    harmed neither; a small mean, or a mean its own run contradicts, leaves the harm in doubt (scored apart)."""
    base = _case("b")
    own = {"fails": 0.04, "harmless": 0.025, "small": 0.0, "clear": bench.CLEAR_HARM + 0.01,
           "own-seed-only": 0.03, "others-only": 0.0}
    at_replicas = {"fails": (0.03, 0.03), "harmless": (-0.01, 0.0), "small": (0.03, 0.03), "clear": (0.0, 0.0),
                   "own-seed-only": (-0.03, 0.0), "others-only": (0.3, 0.05)}
    faults = {name: _case(name, "init_large", "b") for name in own}
    cases = [base, *faults.values()]
    for case in cases:
        case.config["meta"] = {"name": case.case_id}
    # recorded as float32, as the runs record them: 0.96 - 0.93 reads back as 0.02999997
    as_recorded = lambda accuracy: float(np.float32(accuracy))  # noqa: E731
    results = {base.key: _result(0.96), **{faults[n].key: _result(as_recorded(0.96 - own[n])) for n in own}}
    replicas = bench.harm_replicas(cases, results, harm_seeds=3)
    # the replicas of the faults in doubt and of their base, each once; "clear" needs none
    assert sorted(c.case_id for c in replicas) == sorted(
        f"{name}@s{r}" for name in ("b", *(n for n in own if n != "clear")) for r in (1, 2))
    by_id = {c.case_id: c for c in replicas}
    for r in (1, 2):
        results[by_id[f"b@s{r}"].key] = _result(0.9)
        for name in own.keys() - {"clear"}:
            results[by_id[f"{name}@s{r}"].key] = _result(0.9 - at_replicas[name][r - 1])
    judged = {j.case.case_id: j for j in bench.judge(cases, results, harm_seeds=3)}
    assert {name: judged[name].role for name in own} == {
        "fails": bench.FAILURE, "harmless": HEALTHY, "small": bench.IN_DOUBT, "clear": bench.FAILURE,
        "own-seed-only": bench.IN_DOUBT, "others-only": bench.IN_DOUBT}
    assert judged["fails"].harms == pytest.approx((0.04, 0.03, 0.03), abs=1e-6)
    assert judged["clear"].harms == pytest.approx((bench.CLEAR_HARM + 0.01,), abs=1e-6)
    assert judged["own-seed-only"].reason == "harm at its own seed only (3 seeds)"
    assert judged["others-only"].reason == "harm on average, none at its own seed (3 seeds)"
    # one seed alone: the 3-point bar at the case's own seed, as without --harm-seeds
    alone = {j.case.case_id: j.role for j in bench.judge(cases, results)}
    assert [alone[name] for name in own] == [bench.FAILURE, HEALTHY, HEALTHY, bench.FAILURE, bench.FAILURE, HEALTHY]
    scores = bench.score(list(judged.values()))
    assert (scores["tune"].in_doubt, scores["tune"].failures, scores["tune"].healthy) == (3, 2, 2)


def test_a_harmless_fault_below_the_sensible_accuracy_is_dropped():
    floor = fault_cases.DATASET_SPACES["moons"].sensible_val_acc
    judged = _judge([(_case("b"), _result(floor + 0.01)), (_case("f", "dropout", "b"), _result(floor - 0.01))])
    assert judged["f"].role == bench.DROPPED


def test_the_scorer_counts():
    judged = _judge([
        (_case("b1"), _result(0.99)),
        (_case("b2"), _result(0.99, findings=[("overfitting", "warning", 7)])),
        (_case("b3", split="heldout", dataset="xor"), _result(0.95, findings=[("dead_relu", "info", 9)])),
        # lr_high: root first; divergence (an accepted alternative) first; dead_relu first, root second
        (_case("right", "lr_high", "b1", alternatives=("divergence",)),
         _result(None, "diverged", [("lr_too_high", "warning", 2), ("divergence", "error", 3)])),
        (_case("alternative", "lr_high", "b1", alternatives=("divergence",)),
         _result(None, "diverged", [("divergence", "error", 4)])),
        (_case("wrong", "lr_high", "b2", alternatives=("divergence",)),
         _result(0.5, findings=[("dead_relu", "warning", 6), ("lr_too_high", "warning", 8)])),
        (_case("silent", "capacity", "b2"), _result(0.6)),
        (_case("harmless", "capacity", "b1"), _result(0.99, findings=[("underfitting", "info", 20)])),
    ])
    scores = bench.score(list(judged.values()))
    tune, heldout = scores["tune"], scores["heldout"]
    assert (tune.failures, tune.healthy, heldout.failures, heldout.healthy) == (4, 3, 0, 1)
    assert (tune.first_correct, tune.first_root, tune.root_present) == (2, 1, 2)
    assert (tune.healthy_alarmed, tune.healthy_any) == (1, 2)  # b2 warns; "harmless" has an info note
    assert (tune.drawn_healthy, tune.drawn_alarmed) == (2, 1)
    assert (heldout.healthy_alarmed, heldout.healthy_any) == (0, 1)
    assert sorted(tune.first_alarm_epochs) == [2, 4, 6]  # the silent case has no warning
    assert tune.failures_alarmed == 3
    assert tune.confusion == {("lr_too_high", "lr_too_high"): 1, ("lr_too_high", "divergence"): 1,
                              ("lr_too_high", "dead_relu"): 1, ("underfitting", "none"): 1,
                              (HEALTHY, "none"): 1, (HEALTHY, "overfitting"): 1, (HEALTHY, "underfitting"): 1}
    assert tune.per_kind == {"lr_high": [3, 2], "capacity": [1, 0]}
    table = bench.summary_table(scores, ["tune", "heldout"])
    assert "| 2/4 (50%) | - |" in table and "| 1/3 (33%) | 0/1 (0%) |" in table


def test_alarms_whose_verified_fix_beat_the_fault_free_base_are_counted_apart():
    """A harmless fault's warning whose verified fix reached 0.97 where its base reached 0.90, on 240
    validation examples (the noise of a difference there: 5.5 points), was worth acting on; a fix at 0.93,
    within the noise, or a warning without a verified fix, is not counted."""
    def warned(verified_val_acc):
        result = _result(0.90, findings=[("bad_initialization", "warning", 1)])
        result["val_count"] = 240
        if verified_val_acc is not None:
            result["findings"][0]["verified"] = {"val_acc": verified_val_acc, "baseline_val_acc": 0.88}
        return result
    judged = _judge([(_case("b"), _result(0.90)), (_case("beat", "init_large", "b"), warned(0.97)),
                     (_case("within", "init_large", "b"), warned(0.93)),
                     (_case("unverified", "init_large", "b"), warned(None))])
    assert [judged[name].fix_beat_base for name in ("beat", "within", "unverified")] == [True, False, False]
    tune = bench.score(list(judged.values()))["tune"]
    assert (tune.healthy_alarmed, tune.healthy_fix_beat_base) == (3, 1)


def test_the_code_digest_follows_the_training_code_not_the_rules(tmp_path):
    for entry in (*bench.TRAINING_CODE, "workbench/core/diagnosis"):
        path = tmp_path / entry
        source = path if path.suffix == ".py" else path / "rules.py"
        source.parent.mkdir(parents=True, exist_ok=True)
        source.write_text("THRESHOLD = 1\n")
    before = bench.code_digest(tmp_path)
    (tmp_path / "workbench/core/diagnosis/rules.py").write_text("THRESHOLD = 2\n")
    assert bench.code_digest(tmp_path) == before  # a rule change re-judges the saved runs, no retraining
    for excluded in bench.NOT_TRAINING_CODE:  # code a benchmark run never executes
        (tmp_path / excluded).write_text("PROBES = 2\n")
    assert bench.code_digest(tmp_path) == before
    (tmp_path / "workbench/core/training/rules.py").write_text("THRESHOLD = 2\n")
    assert bench.code_digest(tmp_path) != before


# -- a few real cases, end to end ---------------------------------------------------------------------

def test_a_slice_trains_judges_and_reports(cases, tmp_path):
    sliced = fault_cases.take_slice([case for case in cases if case.split == "tune"], 3)
    assert len(sliced) <= 6
    cache = bench.ResultCache(tmp_path, "digest")
    results, trained = bench.train_all(sliced, cache, workers=1, runs_dir=tmp_path / "runs")
    assert trained == len({case.key for case in sliced})
    for result in results.values():
        assert result["status"] in ("completed", "early_stopped", "diverged"), result
        assert {finding["id"] for finding in result["findings"]} <= set(registry.DIAGNOSIS_IDS)
    judged = bench.judge(sliced, results)
    assert {j.role for j in judged} <= {bench.FAILURE, HEALTHY, bench.DROPPED}
    text = bench.report(judged, ["tune"], 1.0, trained)
    assert "first finding is the root cause" in text and "root \\ first" in text
    # a second run trains nothing: every result comes back from the cache file
    again, retrained = bench.train_all(sliced, bench.ResultCache(tmp_path, "digest"), workers=1,
                                       runs_dir=tmp_path / "runs")
    assert retrained == 0 and again == results  # judged again from the run directories, the same


def test_other_training_code_never_touches_a_cached_run_and_a_stopped_run_trains_again(cases, tmp_path):
    """`--training DIGEST` judges the runs another digest's results point to: training the same experiment with
    other code, or stopping that halfway, must leave them whole; a run whose process was stopped (its summary
    still says running) is trained again rather than judged as a run with no finding."""
    case = next(case for case in cases if case.split == "tune" and case.kind == HEALTHY)
    old = bench.ResultCache(tmp_path, "old")
    results, _trained = bench.train_all([case], old, workers=1, runs_dir=tmp_path / "runs")
    old_run = Path(results[case.key]["run_dir"])
    old_summary = (old_run / "summary.json").read_bytes()
    new_results, trained = bench.train_all([case], bench.ResultCache(tmp_path, "new"), workers=1,
                                           runs_dir=tmp_path / "runs")
    assert trained == 1 and Path(new_results[case.key]["run_dir"]) != old_run
    assert (old_run / "summary.json").read_bytes() == old_summary
    summary = json.loads(old_summary)
    (old_run / "summary.json").write_text(json.dumps({**summary, "status": "running"}))  # as a stopped process leaves it
    again, retrained = bench.train_all([case], bench.ResultCache(tmp_path, "old"), workers=1,
                                       runs_dir=tmp_path / "runs")
    assert retrained == 1 and json.loads((old_run / "summary.json").read_text())["status"] == summary["status"]


def test_verifying_a_slice_probes_the_leading_fixes_once(cases, tmp_path):
    """--verify: the fixes of each run's leading findings train as probes in the benchmark's cache, and the
    findings come back judged by them, as the app judges a run under a minute."""
    hot = [case for case in cases if case.split == "tune" and case.kind == "lr_high"][:1]
    by_id = {case.case_id: case for case in cases}
    sliced = [*hot, by_id[hot[0].base_id]]
    cache = bench.ResultCache(tmp_path, "digest")
    results, _trained = bench.train_all(sliced, cache, workers=1, runs_dir=tmp_path / "runs")
    probes = verified_cases.verify_all(sliced, results, cache, workers=1, runs_dir=tmp_path / "runs")
    findings = results[hot[0].key]["findings"]
    assert probes >= 1 and findings
    assert {finding["confidence"] for finding in findings} <= {"verified", "likely", "possible"}
    assert any(finding["confidence"] != "likely" for finding in findings)  # a probe judged something
    again = {key: dict(result) for key, result in results.items()}
    assert verified_cases.verify_all(sliced, again, cache, workers=1, runs_dir=tmp_path / "runs") == 0
    assert again == results


# -- the alarm benchmark: is a warning on a healthy run advice that helps? ---------------------------

def _alarm_row(config: dict, case: str = "tune/b001", severity: str = "warning") -> dict:
    return {"case": case, "split": "tune", "kind": HEALTHY, "strength": "", "root": HEALTHY, "alternatives": [],
            "base": "", "role": HEALTHY, "config": config, "val_acc": 0.9,
            "findings": [{"id": "underfitting", "severity": severity}]}


def test_an_alarm_is_confirmed_only_where_its_fix_gains_at_its_own_seed_and_on_average(cases):
    """The measure a fault must meet to count as a failure (HARM_ACC_DROP at its own seed and on average),
    applied to the fix of a healthy run's alarm; a fix that loses more than fix_bench.HARMED on average is
    harmful advice, and anything between is an alarm its fix does not confirm."""
    def outcome(*gains):
        pairs = [({"status": "completed", "val_acc": 0.8}, {"status": "completed", "val_acc": 0.8 + gain})
                 for gain in gains]
        return alarm_bench.AlarmOutcome(_alarm_row(cases[0].config), "underfitting", {"model.hidden": [64]}, pairs)

    assert outcome(0.05, 0.04, 0.03).verdict == alarm_bench.CONFIRMED
    assert outcome(0.10, 0.00, 0.00).verdict == alarm_bench.CONFIRMED  # 3.3 points on average
    assert outcome(0.02, 0.10, 0.10).verdict == alarm_bench.UNCONFIRMED  # not at the run's own seed
    assert outcome(0.09, 0.00, -0.01).verdict == alarm_bench.UNCONFIRMED  # not on average
    assert outcome(-0.03, -0.01, 0.00).verdict == alarm_bench.HARMFUL
    assert alarm_bench.AlarmOutcome(_alarm_row(cases[0].config), "", {}, []).verdict == alarm_bench.NO_FIX
    assert alarm_bench.report([]) == "No healthy run drew a warning or an error: nothing to judge."  # not a bare table


def test_the_alarm_benchmark_takes_the_healthy_alarms_and_pairs_each_fix_with_the_run_at_seed_replicas(
        cases, tmp_path):
    config = cases[0].config
    rows = [_alarm_row(config, "tune/b001"), _alarm_row(config, "tune/b002", severity="info"),
            {**_alarm_row(config, "tune/lr_high/01"), "role": bench.FAILURE}]
    judged = tmp_path / "judged.json"
    judged.write_text(json.dumps(rows))
    assert [row["case"] for row in alarm_bench.healthy_alarms([judged])] == ["tune/b001"]
    pairs = alarm_bench.seed_pairs(rows[0], {"train.lr": 0.5})
    assert len(pairs) == alarm_bench.SEEDS and pairs[0][0] == rows[0]["config"]
    for replica, (config, fixed) in enumerate(pairs):
        shift = replica * fault_cases.SEED_REPLICA_OFFSET
        assert config["train"]["seed"] == rows[0]["config"]["train"]["seed"] + shift
        assert fixed == {**config, "train": {**config["train"], "lr": 0.5}}
    assert alarm_bench.seed_pairs(rows[0], {"train.lr": -1.0}) == []  # a fix that is no valid experiment


def test_a_fix_that_did_harm_at_its_own_seed_is_harmful_only_if_it_loses_on_average_over_seed_replicas(cases):
    """One seed's loss on a few hundred validation examples may be chance: --harm-seeds trains each harmful
    fix beside its faulty run at seed replicas, and the report says whether the harm held on average."""
    case = next(case for case in cases if case.kind != HEALTHY)
    pairs = fix_bench.seed_pairs(case, {"train.lr": 0.5}, 4)
    assert [config["train"]["seed"] - case.config["train"]["seed"] for config, _fixed in pairs] == [
        replica * fault_cases.SEED_REPLICA_OFFSET for replica in range(4)]
    assert all(fixed["train"]["lr"] == 0.5 for _config, fixed in pairs)

    def outcome(own, *replicas):
        judged = bench.Judged(case, {"status": "completed", "val_acc": 0.8}, bench.FAILURE)
        return fix_bench.FixOutcome(judged, "lr_too_high", {"train.lr": 0.5},
                                    {"status": "completed", "val_acc": 0.8 + own}, {"status": "completed", "val_acc": 0.8},
                                    replica_gains=[own, *replicas])

    noise, harm = outcome(-0.04, -0.04, 0.02, 0.26, -0.01), outcome(-0.04, -0.02, 0.01, -0.03)
    assert noise.harmed and not noise.harmful_on_average
    assert harm.harmed and harm.harmful_on_average
    assert not outcome(0.03).harmed
    text = fix_bench.report([noise, harm], {}, ["tune"])
    assert "| ... and on average over the seed replicas (--harm-seeds) | 1/2" in text
    assert f"{case.case_id}: lr_too_high fix {{'train.lr': 0.5}}, gains per seed (its own first) " \
           "-0.040 -0.040 +0.020 +0.260 -0.010; mean +0.038 (standard error 0.057), worse by > 1% at 2, better " \
           "at 2 of 5 seeds" in text


def test_the_placebo_changes_only_the_training_seed_and_is_held_to_the_fixes_yardstick(cases):
    """--placebo: each faulty run again at another training seed, its data the same, nothing fixed; the report
    counts how often that alone moves validation accuracy by more than a point, beside the fixes' harms."""
    case = next(case for case in cases if case.kind != HEALTHY)
    placebo = fix_bench.placebo_of(case.config)
    assert placebo["train"]["seed"] != case.config["train"]["seed"]
    assert placebo["data"] == case.config["data"] and placebo["model"] == case.config["model"]
    assert {**placebo["train"], "seed": case.config["train"]["seed"]} == case.config["train"]

    def outcome(placebo_val):
        judged = bench.Judged(case, {"status": "completed", "val_acc": 0.8}, bench.FAILURE)
        return fix_bench.FixOutcome(judged, "lr_too_high", {"train.lr": 0.5}, {"status": "completed", "val_acc": 0.9},
                                    {"status": "completed", "val_acc": 0.8},
                                    placebo={"status": "completed", "val_acc": placebo_val})

    lower, same, higher = outcome(0.75), outcome(0.805), outcome(0.83)
    assert [o.placebo_gain is not None and o.placebo_gain < -fix_bench.HARMED for o in (lower, same, higher)] == [
        True, False, False]
    text = fix_bench.report([lower, same, higher], {}, ["tune"])
    assert "| placebo, another training seed and nothing fixed: val acc down more than 1 point (--placebo) | 1/3" in text
    assert "| ... up by 1 point or more | 1/3" in text
    without = fix_bench.report([fix_bench.FixOutcome(lower.judged, "lr_too_high", {}, lower.fixed, lower.lr10)],
                               {}, ["tune"])
    assert "placebo" not in without and outcome(0.8).placebo_gain == 0.0  # no rows without --placebo


@pytest.mark.parametrize("script", ["diagnosis_bench", "fix_bench", "alarm_bench", "silence_bench"])
def test_each_benchmark_explains_its_options(script, capsys):
    """`--help` prints the options (a percent sign in a help string once made argparse raise instead)."""
    with pytest.raises(SystemExit) as exited:
        _load(script).main(["--help"])
    assert exited.value.code == 0
    assert "usage:" in capsys.readouterr().out
