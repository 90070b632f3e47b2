"""What a fix the user applied did, against the run it was meant to cure: judged as the fix benchmark judges a
fix (a point gained is better, more than a point lost is worse, balanced accuracy for rare classes, a run that
diverged scores nothing), and said in one sentence."""

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest
from history_factory import SyntheticRun, experiment
from tiny_experiment import tiny

from workbench.core.diagnosis.finding import Finding
from workbench.core.experiment.config import ExperimentConfig
from workbench.core.fix_outcome import end_score, fix_outcome, outcome_text
from workbench.core.history import RunHistory
from workbench.core.rundir.reader import list_runs, load_run
from workbench.core.rundir.summary import FixFor
from workbench.core.session import RunsSession
from workbench.core.status import RunStatus
from workbench.core.training.engine import Run


@dataclass
class Record:
    """The part of a RunRecord that a fix's outcome reads."""

    name: str
    history: RunHistory
    config: ExperimentConfig = field(default_factory=experiment)
    status: RunStatus = RunStatus.COMPLETED
    testing: object = None
    findings: list = field(default_factory=list)
    history_resident: bool = False  # nothing for the session to evict
    directory: Path | None = None
    fix_for: FixFor | None = None

    @property
    def best(self) -> dict:
        return self.history.best_record()


def ending_at(name: str, val_acc: float, **kwargs) -> Record:
    run = SyntheticRun()
    run.val_acc[-1] = val_acc
    run.class_recall[-1] = [val_acc + 0.1, val_acc - 0.1]
    return Record(name, run.history(), **kwargs)


def test_a_fix_that_gained_a_point_or_more_is_better_and_says_by_how_much():
    outcome = fix_outcome(ending_at("Deep sigmoid", 0.6), ending_at("Deep sigmoid + fix", 0.9), "vanishing_gradients")
    assert outcome.verdict == "better" and not outcome.harmed
    assert outcome.change == pytest.approx(0.3)
    assert outcome.finding_gone
    assert outcome_text(outcome) == ("The fix for vanishing_gradients raised validation accuracy from 60.0% to 90.0% "
                                     "(+30.0 points) against “Deep sigmoid”, on the same seeds. vanishing_gradients is "
                                     "no longer found.")


def test_a_fix_that_lost_more_than_a_point_is_worse_and_says_it_did_not_help():
    still = Finding("underfitting", "warning", "Underfitting", "both poor", "Give it capacity.")
    outcome = fix_outcome(ending_at("Noisy", 0.84), ending_at("Noisy + fix", 0.80, findings=[still]), "underfitting")
    assert outcome.verdict == "worse" and outcome.harmed and not outcome.finding_gone
    text = outcome_text(outcome)
    assert "lowered validation accuracy from 84.0% to 80.0% (−4.0 points)" in text
    assert text.endswith("it did not help this run. underfitting is still found.")


def test_a_change_within_a_point_is_the_same():
    outcome = fix_outcome(ending_at("A", 0.900), ending_at("B", 0.895), "bad_initialization")
    assert outcome.verdict == "same" and not outcome.harmed
    assert "left validation accuracy where “A” ended (90.0% against 89.5%)" in outcome_text(outcome)


def test_rare_classes_are_judged_by_balanced_accuracy():
    # plain accuracy says the balanced batches lost 2 points; the mean recall over the classes says they gained 10
    original = ending_at("Rare", 0.90)
    fixed = ending_at("Rare + fix", 0.88)
    original.history.class_recall.view()[-1] = [0.99, 0.41]
    fixed.history.class_recall.view()[-1] = [0.80, 0.80]
    outcome = fix_outcome(original, fixed, "class_imbalance")
    assert outcome.balanced and outcome.before == pytest.approx(0.70) and outcome.after == pytest.approx(0.80)
    assert outcome.verdict == "better"
    assert "raised balanced validation accuracy from 70.0% to 80.0%" in outcome_text(outcome)


def test_a_run_that_diverged_scores_nothing_on_either_side():
    diverged = ending_at("Rate 10", 0.1, status=RunStatus.DIVERGED)
    cured = fix_outcome(diverged, ending_at("Rate 10 + fix", 0.97), "lr_too_high")
    assert cured.before == 0 and cured.verdict == "better"
    assert outcome_text(cured).startswith(
        "The fix for lr_too_high reached validation accuracy 97.0%, where “Rate 10” diverged.")
    broken = fix_outcome(ending_at("Fine", 0.9), ending_at("Fine + fix", 0.5, status=RunStatus.DIVERGED), "dead_relu")
    assert broken.harmed
    assert outcome_text(broken).startswith(
        "The fix for dead_relu diverged, where “Fine” ended at 90.0%: it did not help this run.")


def test_early_stopping_is_judged_at_the_epoch_whose_weights_it_restored():
    run = SyntheticRun()
    run.val_loss[10:] += np.linspace(0.1, 1.0, 10)  # validation loss lowest at epoch 10
    run.val_acc[9], run.val_acc[-1] = 0.93, 0.85
    stopped = Record("stopped", run.history(), config=experiment(train__early_stopping=5))
    assert stopped.best["epoch"] == 10
    assert end_score(stopped, balanced=False) == pytest.approx(0.93)
    assert end_score(Record("kept going", run.history()), balanced=False) == pytest.approx(0.85)


def test_nothing_is_judged_until_both_runs_have_ended_nor_where_one_failed():
    training = Record("B", SyntheticRun().history(epochs=5), status=RunStatus.RUNNING)
    testing_fixes = ending_at("C", 0.9, testing=object())  # its own fixes' probes still train
    crashed = ending_at("D", 0.9, status=RunStatus.FAILED)  # an error dialog said why; there is no end to judge
    for fixed in (training, testing_fixes, crashed):
        assert fix_outcome(ending_at("A", 0.9), fixed, "overfitting") is None


def test_the_session_pairs_a_fix_with_the_run_it_cures_while_both_are_listed():
    session = RunsSession()
    original = ending_at("A", 0.6, directory=Path("runs/a"))
    fixed = ending_at("A + fix", 0.9, directory=Path("runs/a-fix"), fix_for=FixFor(Path("runs/a"), "underfitting"))
    other = ending_at("B", 0.5, directory=Path("runs/b"))
    for run in (original, fixed, other):
        session.add(run)
    assert session.fix_of(fixed) == (original, "underfitting")
    assert session.fix_of(original) is None and session.fix_of(other) is None
    session.remove(original)
    assert session.fix_of(fixed) is None


def test_a_fix_and_its_original_are_paired_again_when_read_back_from_their_run_directories(tmp_path):
    original = Run(tiny("A", **{"train.epochs": 1}), run_dir=tmp_path / "a").fit()
    Run(tiny("A + fix", **{"train.epochs": 1}), run_dir=tmp_path / "a-fix",
        fix_for=FixFor(original.directory, "underfitting")).fit()
    summary = json.loads((tmp_path / "a-fix" / "summary.json").read_text())
    assert summary["fix_for"] == {"run": str(tmp_path / "a"), "finding": "underfitting"}
    assert "fix_for" not in json.loads((tmp_path / "a" / "summary.json").read_text())
    session = RunsSession()
    session.add_from_disk(list_runs(tmp_path))  # newest first: the fix is listed before its original
    listed = {run.name: run for run in session.runs}
    assert session.fix_of(listed["A + fix"]) == (listed["A"], "underfitting")
    assert fix_outcome(listed["A"], listed["A + fix"], "underfitting") is not None


def test_a_damaged_fix_relation_is_named_and_the_run_still_loads(tmp_path):
    Run(tiny("A + fix", **{"train.epochs": 1}), run_dir=tmp_path / "a-fix",
        fix_for=FixFor(tmp_path / "a", "underfitting")).fit()
    path = tmp_path / "a-fix" / "summary.json"
    path.write_text(json.dumps({**json.loads(path.read_text()), "fix_for": {"run": 3}}))
    loaded = load_run(tmp_path / "a-fix")
    assert loaded.fix_for is None and loaded.status == "completed"
    assert "'fix_for' ignored" in loaded.problem


