"""Hostile input to the command line: every case ends in one sentence and exit 2, never a traceback, a
hang or a file of the user's changed. (Damaged run directories: tests/core/test_damaged_runs_fuzz.py;
damaged dataset files: tests/core/test_dataset_files.py; the experiment-file fuzzer:
tests/core/test_config_fuzz.py.)"""

import os
from pathlib import Path

import pytest

from workbench import cli
from workbench.core.experiment.config import MAX_EXPERIMENT_BYTES


def make_fifo(folder: Path) -> Path:
    path = folder / "pipe.toml"
    os.mkfifo(path)
    return path


def make_directory(folder: Path) -> Path:
    path = folder / "folder.toml"
    path.mkdir()
    return path


def make_binary(folder: Path) -> Path:
    path = folder / "binary.toml"
    path.write_bytes(b"\x00\x01\xff\xfe" * 8)
    return path


def make_symlink_loop(folder: Path) -> Path:
    path = folder / "loop.toml"
    path.symlink_to(path)
    return path


def make_huge(folder: Path) -> Path:
    path = folder / "huge.toml"
    path.write_text("# padding\n" * (MAX_EXPERIMENT_BYTES // 10 + 1) + '[data]\ndataset = "spiral"\n')
    return path


def make_table_of_wrong_kind(folder: Path) -> Path:
    path = folder / "wrong.toml"
    path.write_text('data = "spiral"\n')
    return path


def character_device(folder: Path) -> Path:
    return Path("/dev/zero")


@pytest.mark.parametrize(("make", "expected"), [
    (make_fifo, "not a regular file"),
    (character_device, "not a regular file"),
    (make_directory, "not a regular file"),
    (make_binary, "not UTF-8 text"),
    (make_symlink_loop, "cannot read the file"),
    (make_huge, "more than the 1,000,000 expected"),
    (make_table_of_wrong_kind, "data: must be a table"),
])
@pytest.mark.parametrize("command", ["check", "run"])
def test_a_file_that_is_not_an_experiment_is_one_sentence_and_exit_2(tmp_path, capsys, make, expected, command):
    path = make(tmp_path)
    before = sorted(os.listdir(tmp_path))
    code = cli.main([command, str(path)])
    captured = capsys.readouterr()
    assert code == 2
    text = captured.out + captured.err
    assert expected in text and "Traceback" not in text
    assert len(text.strip().splitlines()) == 1
    assert sorted(os.listdir(tmp_path)) == before


@pytest.mark.parametrize("assignment", [
    "train.lr", "lr=0.1", "train.lr=", "train.lr='0.1'", "train.lr=true", "train.lr=[0.1]", "train.lr=nan",
    "train.lr=inf", "train.epochs=1e400", "data.dataset=\x00", "model.hidden=[-1]", "train.nope=1",
    "nope.lr=1", "train.lr=0.1=0.2", "train.batch_size=1.5",
])
def test_a_bad_set_is_refused_before_training_naming_the_key(tmp_path, capsys, assignment):
    code = cli.main(["run", "spiral", "--set", assignment, "--out", str(tmp_path / "run")])
    captured = capsys.readouterr()
    assert code == 2 and "Traceback" not in captured.err and captured.err.startswith("error:")
    assert not (tmp_path / "run").exists()


def test_a_nul_in_a_path_is_named_not_raised(capsys):
    assert cli.main(["check", "bad\x00name.toml"]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_an_unknown_command_or_flag_is_argparses_usage_and_exit_2(capsys):
    for argv in (["frobnicate"], ["run"], ["run", "spiral", "--epochs", "many"], ["compare", "x"]):
        with pytest.raises(SystemExit) as stop:
            cli.main(argv)
        assert stop.value.code == 2
    assert "Traceback" not in capsys.readouterr().err
