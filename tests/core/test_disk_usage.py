"""Sizes on disk and the runs folder's cap: a real run directory measured by stat (a sweep counts its
trials, a damaged or vanished folder counts what is there or 0), the CLI's cap and its one-line note, and
which old runs are offered for pruning (the oldest finished ones that bring the folder under the cap;
never a selected, running, forked-from or sweep-trial one)."""

from __future__ import annotations

import io
import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from tiny_experiment import tiny

from workbench.cli.common import note_runs_folder_over_cap
from workbench.core.rundir.disk_usage import (
    CAP_ENVIRONMENT,
    DEFAULT_CAP_BYTES,
    cap_from_environment,
    directory_size,
    format_size,
    prune_candidates,
    runs_folder_size,
)
from workbench.core.rundir.layout import HISTOGRAMS, SWEEP
from workbench.core.status import RunStatus
from workbench.core.training.engine import Run

SMALL = {"data.n_samples": 120, "model.hidden": [4], "train.epochs": 1, "train.batch_size": 32}


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("runs") / "tiny"
    Run(tiny("tiny", **SMALL), run_dir=directory).fit().release_training_state()
    return directory


def files_bytes(directory: Path) -> int:
    return sum(path.stat().st_size for path in directory.rglob("*") if path.is_file() and not path.is_symlink())


def test_a_run_directory_is_the_sum_of_its_files(run_dir):
    assert (run_dir / HISTOGRAMS).exists()
    assert directory_size(run_dir) == files_bytes(run_dir) > 0


def test_a_sweep_counts_its_trials_and_the_folder_counts_runs_and_sweeps(run_dir, tmp_path):
    import shutil

    root = tmp_path / "runs"
    sweep = root / "sweep-lr"
    for trial in ("t000", "t001"):
        shutil.copytree(run_dir, sweep / trial)
    (sweep / SWEEP).write_text('{"format": 1, "trials": []}', encoding="utf-8")
    shutil.copytree(run_dir, root / "single")
    assert directory_size(sweep) == 2 * files_bytes(run_dir) + (sweep / SWEEP).stat().st_size
    assert runs_folder_size(root) == directory_size(sweep) + files_bytes(run_dir)


def test_a_damaged_or_vanished_folder_never_raises(tmp_path):
    damaged = tmp_path / "damaged"
    damaged.mkdir()
    (damaged / "summary.json").write_text("{not json", encoding="utf-8")
    os.symlink("/nonexistent/target", damaged / "metrics.csv")  # a dangling link: not this folder's disk
    os.symlink("/", damaged / "elsewhere")  # a link to another tree is not followed
    assert directory_size(damaged) == len("{not json")
    assert directory_size(tmp_path / "gone") == 0
    assert runs_folder_size(tmp_path / "gone") == 0


def test_sizes_read_like_a_person_writes_them():
    assert [format_size(n) for n in (0, 999, 1_234, 1_234_567, 2_000_000_000)] == [
        "0 B", "999 B", "1.2 kB", "1.2 MB", "2.0 GB"]


def test_the_cli_cap_comes_from_the_environment_and_a_bad_value_is_one_sentence():
    assert cap_from_environment({}) == (DEFAULT_CAP_BYTES, "")
    assert cap_from_environment({CAP_ENVIRONMENT: "1.5"}) == (1_500_000, "")
    cap, problem = cap_from_environment({CAP_ENVIRONMENT: "lots"})
    assert cap == DEFAULT_CAP_BYTES and CAP_ENVIRONMENT in problem and "2.0 GB" in problem


def test_the_cli_notes_a_folder_above_its_cap_in_one_line(run_dir, monkeypatch):
    monkeypatch.setenv("WORKBENCH_RUNS_DIR", str(run_dir.parent))
    monkeypatch.setenv(CAP_ENVIRONMENT, "0.001")  # 1 kB: the tiny run is above it
    stream = io.StringIO()
    note_runs_folder_over_cap(stream)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1 and "above its cap of 1.0 kB" in lines[0] and str(run_dir.parent) in lines[0]
    monkeypatch.setenv(CAP_ENVIRONMENT, "1000")
    stream = io.StringIO()
    note_runs_folder_over_cap(stream)
    assert stream.getvalue() == ""


@dataclass
class FakeRun:
    directory: Path | None
    started_at: float
    status: RunStatus = RunStatus.COMPLETED
    summary: dict = field(default_factory=dict)


def test_the_oldest_finished_runs_that_bring_the_folder_under_the_cap_are_offered(tmp_path):
    runs = [FakeRun(tmp_path / f"r{index}", float(index)) for index in range(6)]
    sizes = {run.directory: 100 for run in runs}
    # 600 bytes, cap 350: three runs must go, the oldest first
    assert prune_candidates(runs, sizes, 600, 350) == runs[:3]
    assert prune_candidates(runs, sizes, 300, 350) == []  # under the cap: nothing


def test_selected_running_forked_from_and_sweep_trials_are_never_offered(tmp_path):
    runs = [FakeRun(tmp_path / f"r{index}", float(index)) for index in range(6)]
    runs[1].status = RunStatus.RUNNING
    runs[5].summary = {"parent": str(runs[2].directory)}  # r5 was forked from r2
    (tmp_path / "sweep" / "t0").mkdir(parents=True)
    (tmp_path / "sweep" / SWEEP).write_text("{}", encoding="utf-8")
    trial = FakeRun(tmp_path / "sweep" / "t0", -1.0)
    sizes = {run.directory: 100 for run in [*runs, trial]}
    offered = prune_candidates([trial, *runs], sizes, 700, 0, keep=[runs[0]])
    assert offered == [runs[3], runs[4], runs[5]]  # all that may go, oldest first, when none is enough
