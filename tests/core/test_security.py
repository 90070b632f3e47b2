"""Nothing a user opens can run code, and no experiment file can make Workbench write outside its runs folder.

The source scan is an AST walk over workbench/: it finds eval/exec, pickle-family loaders, torch.load without
weights_only=True and allow_pickle=True, wherever they are spelled. Exactly one module may unpickle: the
CIFAR-10 batch reader, whose unpickler knows only numpy's array reconstruction.
"""

from __future__ import annotations

import ast
import json
import os
import pickle
from pathlib import Path

import pytest
from test_data import no_network, write_tiny_cifar10

from workbench import cli
from workbench.core.data.bundle import DatasetError, load_data
from workbench.core.experiment.schema import DataConfig

SOURCE = Path(__file__).resolve().parents[2] / "workbench"
AUDITED_UNPICKLER = SOURCE / "core" / "data" / "cifar_batches.py"
CODE_RUNNING_BUILTINS = {"eval", "exec"}
DESERIALIZING_MODULES = {"pickle", "_pickle", "cPickle", "dill", "cloudpickle", "joblib", "marshal", "shelve"}


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return ""


def _is_true(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


def unsafe_uses(source: str, name: str, audited: bool = False) -> list[str]:
    """`name:line: what` for every way this module could run code from a file or string."""
    found = []
    for node in ast.walk(ast.parse(source, filename=name)):
        where = f"{name}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Import | ast.ImportFrom) and not audited:
            modules = [alias.name for alias in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            found += [f"{where}: imports {name}" for name in modules if name.split(".")[0] in DESERIALIZING_MODULES]
        if not isinstance(node, ast.Call):
            continue
        called = _dotted(node.func)
        keywords = {keyword.arg: keyword.value for keyword in node.keywords}
        if called in CODE_RUNNING_BUILTINS or called in {f"builtins.{name}" for name in CODE_RUNNING_BUILTINS}:
            found.append(f"{where}: {called}()")
        if called.endswith("torch.load") and not _is_true(keywords.get("weights_only")):
            found.append(f"{where}: torch.load without weights_only=True")
        if _is_true(keywords.get("allow_pickle")):
            found.append(f"{where}: allow_pickle=True")
    return found


def test_no_source_file_can_run_code_from_what_a_user_opens():
    modules = sorted(SOURCE.rglob("*.py"))
    assert AUDITED_UNPICKLER in modules
    uses = [use for path in modules for use in unsafe_uses(path.read_text(encoding="utf-8"),
                                                           str(path.relative_to(SOURCE.parent)),
                                                           audited=path == AUDITED_UNPICKLER)]
    assert uses == []


def test_the_scan_finds_each_unsafe_spelling():
    text = ("import pickle\nfrom marshal import loads\nx = eval('1')\nexec('y = 2')\nimport torch\n"
            "torch.load('m.pt')\ntorch.load('m.pt', weights_only=False)\nimport numpy\n"
            "numpy.load('a.npy', allow_pickle=True)\nmodel.eval()\nm = torch.load('m.pt', weights_only=True)\n")
    assert [use.split(": ", 1)[1] for use in unsafe_uses(text, "sample.py")] == [
        "imports pickle", "imports marshal", "eval()", "exec()", "torch.load without weights_only=True",
        "torch.load without weights_only=True", "allow_pickle=True",
    ]


class RunsAShellCommand:
    """What a malicious batch file holds: unpickling it with plain pickle would call os.system."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return os.system, (f"touch {self.marker}",)


@pytest.mark.parametrize("where", ["data", "labels", "whole file"])
def test_a_malicious_cifar_batch_is_refused_and_runs_nothing(tmp_path, monkeypatch, where):
    no_network(monkeypatch)
    write_tiny_cifar10(tmp_path, monkeypatch)
    marker = tmp_path / "the-payload-ran"
    payload = RunsAShellCommand(marker)
    content = payload if where == "whole file" else {"data": payload, "labels": payload}
    (tmp_path / "cifar-10-batches-py" / "data_batch_2").write_bytes(pickle.dumps(content))

    with pytest.raises(DatasetError) as caught:
        load_data(DataConfig(dataset="cifar10", data_dir=str(tmp_path)))
    assert not marker.exists()
    message = str(caught.value)
    assert "damaged or incomplete" in message and f"{os.system.__module__}.system" in message
    assert "refused" in message
    assert str(tmp_path / "cifar-10-batches-py") in message


def test_a_cifar_batch_of_the_wrong_shape_is_reported(tmp_path, monkeypatch):
    no_network(monkeypatch)
    write_tiny_cifar10(tmp_path, monkeypatch)
    (tmp_path / "cifar-10-batches-py" / "test_batch").write_bytes(pickle.dumps({"data": [1, 2], "labels": [0]}))
    with pytest.raises(DatasetError, match="test_batch does not hold uint8 images of 3072 bytes"):
        load_data(DataConfig(dataset="cifar10", data_dir=str(tmp_path)))


# ---------------------------------------------------------------- writing only inside the runs folder

ESCAPING = '[meta]\nname = "../../x"\n[data]\ndataset = "moons"\nn_samples = 100\n[model]\nhidden = [4]\n' \
           '[train]\nepochs = 1\ndevice = "cpu"\n'


def every_file_under(folder: Path) -> set[Path]:
    return {path for path in folder.rglob("*") if path.is_file()}


def test_a_run_named_dot_dot_slash_stays_inside_the_default_runs_folder(tmp_path, capsys):
    runs = Path(os.environ["WORKBENCH_RUNS_DIR"])  # tests/conftest.py points it at a fresh folder
    experiment = tmp_path / "escape.toml"
    experiment.write_text(ESCAPING)
    around = runs.parent
    before = every_file_under(around)

    assert cli.main(["run", str(experiment), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["name"] == "../../x"
    [run_dir] = runs.iterdir()
    assert run_dir.name.endswith("-x")
    assert {path for path in every_file_under(around) - before if runs not in path.parents} == set()


def test_several_files_with_out_write_one_subfolder_each_inside_it(tmp_path, capsys):
    sources = tmp_path / "sources"
    sources.mkdir()
    for stem in ("..", "escape"):  # `...toml` has the stem `..`
        (sources / f"{stem}.toml").write_text(ESCAPING)
    parent = tmp_path / "out"
    before = every_file_under(tmp_path)

    assert cli.main(["run", str(sources / "...toml"), str(sources / "escape.toml"), "--out", str(parent)]) == 0
    capsys.readouterr()
    assert sorted(path.name for path in parent.iterdir()) == ["escape", "run"]
    assert all((parent / folder / "summary.json").is_file() for folder in ("escape", "run"))
    assert {path for path in every_file_under(tmp_path) - before if parent not in path.parents} == set()
