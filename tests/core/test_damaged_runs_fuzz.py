"""Damaged run directories never raise out of the readers: random truncation, wrong types in any field,
binary garbage, missing or replaced files. Each damaged run loads with a warning naming what is wrong,
never hides another run, and can still be compared. `make fuzz-long` runs many more examples."""

import json
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tiny_experiment import tiny

from workbench.core.reports.comparison_files import write_comparison
from workbench.core.rundir.layout import ACTIVATIONS, BOUNDARY, CONFIG, METRICS, STEPS, SUMMARY
from workbench.core.rundir.reader import list_runs, load_run
from workbench.core.training.engine import Run

EXAMPLES = int(os.environ.get("WORKBENCH_FUZZ_EXAMPLES", "60"))
FILES = (SUMMARY, CONFIG, METRICS, STEPS, ACTIVATIONS, BOUNDARY)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6)


@pytest.fixture(scope="module")
def good_run(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("good") / "run"
    Run(tiny("tiny", **{"model.hidden": [8], "train.batch_size": 32}), run_dir=directory).fit()
    return directory


def summary_paths(summary) -> list[tuple]:
    """Every key path into summary.json's nested objects, the config's included."""
    paths = []

    def walk(node, prefix):
        if isinstance(node, dict):
            for key, value in node.items():
                paths.append((*prefix, key))
                walk(value, (*prefix, key))
        elif isinstance(node, list) and node:
            paths.append((*prefix, 0))
            walk(node[0], (*prefix, 0))

    walk(summary, ())
    return paths


@st.composite
def damage(draw, good: Path):
    """One or more damages to apply to a copy of the good run."""
    actions = []
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["truncate", "garbage", "delete", "wrong_type", "directory"]))
        name = draw(st.sampled_from(FILES))
        if kind == "wrong_type":
            paths = summary_paths(json.loads((good / SUMMARY).read_text()))
            actions.append(("wrong_type", draw(st.sampled_from(paths)), draw(JSON_VALUES)))
        elif kind in ("truncate", "garbage"):
            size = (good / name).stat().st_size
            actions.append((kind, name, draw(st.integers(0, size)), draw(st.binary(max_size=64))))
        else:
            actions.append((kind, name))
    return actions


def apply(directory: Path, actions) -> None:
    for action in actions:
        kind = action[0]
        if kind == "wrong_type":
            try:
                summary = json.loads((directory / SUMMARY).read_text())
            except (OSError, ValueError):  # an earlier damage removed or broke the file
                continue
            node = summary
            *parents, last = action[1]
            try:
                for key in parents:
                    node = node[key]
                node[last] = action[2]
            except (KeyError, IndexError, TypeError):  # an earlier damage removed the path
                continue
            (directory / SUMMARY).write_text(json.dumps(summary))
            continue
        path = directory / action[1]
        if path.is_dir():
            continue
        if kind == "truncate" and path.exists():
            path.write_bytes(path.read_bytes()[: action[2]])
        elif kind == "garbage" and path.exists():
            data = path.read_bytes()
            path.write_bytes(data[: action[2]] + action[3] + data[action[2] + len(action[3]):])
        elif kind == "delete":
            path.unlink(missing_ok=True)
        elif kind == "directory":
            path.unlink(missing_ok=True)
            path.mkdir()


def test_the_good_run_loads_cleanly(good_run):
    assert load_run(good_run).problem == ""


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_damaged_run_never_raises_and_never_hides_another(good_run, tmp_path_factory, data):
    root = tmp_path_factory.mktemp("runs")
    shutil.copytree(good_run, root / "a-good")
    shutil.copytree(good_run, root / "b-damaged")
    apply(root / "b-damaged", data.draw(damage(good_run)))

    loaded = load_run(root / "b-damaged")
    history = loaded.history  # reading the history is where most damage shows
    _ = (loaded.name, loaded.status, loaded.findings, loaded.summary["final"], loaded.summary["best"])
    lazily = load_run(root / "b-damaged", with_history=False)
    assert (lazily.history is None) == (history is None)
    listed = {run.directory.name: run for run in list_runs(root, with_history=False)}
    assert listed["a-good"].problem == "" and listed["a-good"].history is not None
    if loaded.config is not None and history is not None:  # a run that can be compared still can
        for suffix in (".html", ".csv", ".json"):
            write_comparison([root / "a-good", root / "b-damaged"], root.parent / f"{root.name}{suffix}")


def test_metrics_stored_as_text_are_named_and_the_report_still_renders(good_run, tmp_path):
    shutil.copytree(good_run, tmp_path / "run")
    summary = json.loads((tmp_path / "run" / SUMMARY).read_text())
    summary["final"]["val_acc"], summary["pid"], summary["epochs_run"] = "0.9", "1234x", "2"
    (tmp_path / "run" / SUMMARY).write_text(json.dumps(summary))
    loaded = load_run(tmp_path / "run")
    assert "'final' ignored" in loaded.problem and "'pid' ignored" in loaded.problem
    assert "'epochs_run' ignored" in loaded.problem
    report = write_comparison([tmp_path / "run"], tmp_path / "report.html").read_text()
    assert "<html" in report.lower()
