"""`workbench compare RUN_DIR... --out FILE` end to end, as a user types it."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest
from tiny_experiment import tiny

from workbench.cli import EXIT_BAD_INPUT, EXIT_OK, main
from workbench.core.experiment.config import apply_overrides
from workbench.core.training.engine import Run

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def run_dirs(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli-compare")
    base = tiny("tiny", **{"model.hidden": [8], "train.batch_size": 32, "train.lr": 0.001})
    directories = []
    for name, lr in (("lr small", 0.001), ("lr large", 0.1)):
        directory = root / name.replace(" ", "-")
        Run(apply_overrides(base, {"meta.name": name, "train.lr": lr}), run_dir=directory).fit()
        directories.append(directory)
    return directories


def test_compare_writes_an_html_report(run_dirs, tmp_path):
    out = tmp_path / "report.html"
    result = subprocess.run([sys.executable, "-m", "workbench", "compare", *map(str, run_dirs), "--out", str(out)],
                            capture_output=True, text=True, timeout=120, cwd=ROOT,
                            env={**os.environ, "OMP_NUM_THREADS": "1"})
    assert result.returncode == EXIT_OK, result.stderr
    assert result.stdout.strip() == f"wrote {out}"
    page = out.read_text()
    assert "lr small" in page and "lr large" in page
    assert "<code>train.lr</code></td><td>0.001</td><td>0.1</td>" in page


def test_compare_writes_csv_rows_per_run_and_epoch(run_dirs, tmp_path, capsys):
    out = tmp_path / "runs.csv"
    assert main(["compare", *map(str, run_dirs), "--out", str(out)]) == EXIT_OK
    with open(out, newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert [(row["run"], row["epoch"], row["train.lr"]) for row in rows] == [
        ("lr small", "1", "0.001"), ("lr small", "2", "0.001"), ("lr large", "1", "0.1"), ("lr large", "2", "0.1")]


def test_bad_input_exits_2_with_one_clear_line(run_dirs, tmp_path, capsys):
    assert main(["compare", str(run_dirs[0]), "--out", str(tmp_path / "x.pdf")]) == EXIT_BAD_INPUT
    error = capsys.readouterr().err
    assert error.startswith("error: ") and ".pdf" in error and ".html" in error
    assert main(["compare", str(tmp_path / "missing"), "--out", str(tmp_path / "x.csv")]) == EXIT_BAD_INPUT
    assert "missing is not a run directory" in capsys.readouterr().err
    assert not (tmp_path / "x.csv").exists()
