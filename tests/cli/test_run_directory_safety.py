"""A run directory is the run's own: `--out` never destroys what is already there, two processes never
share one, comparisons never land inside a run, and files get the modes the umask gives."""

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from tiny_experiment import tiny_toml

from workbench import cli
from workbench.core.files import open_for_append_no_follow, write_text_atomic
from workbench.core.rundir.claim import RunDirError, claim_run_dir
from workbench.core.rundir.reader import load_run

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def experiment(tmp_path):
    path = tmp_path / "tiny.toml"
    path.write_text(tiny_toml("tiny", **{"model.hidden": [8], "train.batch_size": 32}))
    return path


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_out_naming_an_existing_file_is_refused_before_training(tmp_path, experiment, capsys):
    target = tmp_path / "notes.txt"
    target.write_text("my notes")
    assert cli.main(["run", str(experiment), "--out", str(target)]) == 2
    err = capsys.readouterr().err
    assert "is an existing file, not a folder" in err and "Traceback" not in err
    assert target.read_text() == "my notes"


def test_out_naming_a_folder_of_the_users_files_is_refused_and_nothing_changes(tmp_path, experiment, capsys):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "config.toml").write_text("# my own experiment\n")
    before = snapshot(folder)
    assert cli.main(["run", str(experiment), "--out", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "holds files that are not a Workbench run (config.toml)" in err
    assert snapshot(folder) == before and sorted(os.listdir(tmp_path)) == ["mine", "tiny.toml"]


def test_a_rerun_replaces_the_previous_run_whole(tmp_path, experiment, capsys):
    out = tmp_path / "run"
    assert cli.main(["run", str(experiment), "--out", str(out)]) == 0
    assert (out / "boundary.npz").exists()  # the 2-D moons draw a decision boundary
    digits = tmp_path / "digits.toml"
    digits.write_text('[data]\ndataset = "digits"\n[model]\nhidden = [16]\n[train]\nepochs = 1\ndevice = "cpu"\n')
    assert cli.main(["run", str(digits), "--out", str(out)]) == 0
    capsys.readouterr()
    assert not (out / "boundary.npz").exists()  # the moons' boundary is not shown as the digits'
    assert json.loads((out / "summary.json").read_text())["config"]["data"]["dataset"] == "digits"
    assert sorted(os.listdir(tmp_path)) == ["digits.toml", "run", "tiny.toml"]  # nothing left aside
    assert not (out / ".workbench.lock").exists()


def test_a_symlink_in_a_previous_run_makes_the_folder_refused_and_its_target_untouched(tmp_path, experiment):
    out = tmp_path / "run"
    assert cli.main(["run", str(experiment), "--out", str(out)]) == 0
    outside = tmp_path / "outside.csv"
    outside.write_text("precious")
    (out / "steps.csv").unlink()
    (out / "steps.csv").symlink_to(outside)
    assert cli.main(["run", str(experiment), "--out", str(out)]) == 2
    assert outside.read_text() == "precious"


def test_writes_never_follow_a_symlink(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("precious")
    link = tmp_path / "link"
    link.symlink_to(outside)
    with pytest.raises(OSError):
        open_for_append_no_follow(link, truncate=True)
    write_text_atomic(link, "replaced")  # replaces the link itself
    assert outside.read_text() == "precious" and not link.is_symlink() and link.read_text() == "replaced"


def test_a_second_process_cannot_use_a_run_directory_in_use(tmp_path):
    claim = claim_run_dir(tmp_path / "busy")
    try:
        code = ("import sys\nfrom workbench.core.rundir.claim import RunDirError, claim_run_dir\n"
                f"try:\n    claim_run_dir({str(tmp_path / 'busy')!r})\nexcept RunDirError as e:\n    print(e)\n")
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
        assert f"in use by another Workbench run (process {os.getpid()})" in result.stdout
    finally:
        claim.release(keep=False)
    assert not (tmp_path / "busy").exists()  # nothing trained: the empty folder it made is gone


def test_a_claim_given_up_before_training_puts_the_previous_run_back(tmp_path, experiment):
    out = tmp_path / "run"
    assert cli.main(["run", str(experiment), "--out", str(out)]) == 0
    before = snapshot(out)
    claim_run_dir(out).release(keep=False)
    assert snapshot(out) == before and sorted(os.listdir(tmp_path)) == ["run", "tiny.toml"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_an_unwritable_out_is_refused_before_training(tmp_path, experiment, capsys):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
    assert cli.main(["run", str(experiment), "--out", str(locked / "run")]) == 2
    assert "cannot" in capsys.readouterr().err


def test_an_out_under_proc_is_refused_before_training(experiment, capsys):
    assert cli.main(["run", str(experiment), "--out", "/proc/workbench-run"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --out: cannot") and err.count("\n") == 1


def test_a_disk_failing_mid_run_saves_the_run_to_the_default_folder_and_says_where(
        tmp_path, experiment, monkeypatch, capsys):
    from workbench.core.rundir import writer

    real_write = writer.write_text_atomic
    out = tmp_path / "run"
    calls = {"n": 0}

    def fails_after_the_first_files(path, text):
        if out in Path(path).parents:  # only the disk holding --out fills up
            calls["n"] += 1
            if calls["n"] > 3:  # config, metrics and activations of the start get written
                raise OSError(28, "No space left on device")
        real_write(path, text)

    monkeypatch.setattr(writer, "write_text_atomic", fails_after_the_first_files)
    assert cli.main(["run", str(experiment), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert "No space left on device" in captured.err and "the run was saved to" in captured.err
    saved = Path(captured.out.rsplit("Run directory: ", 1)[1].strip())
    assert saved != out and load_run(saved).status == "completed" and load_run(saved).problem == ""
    assert not out.exists()  # the partial files went; nothing points at a folder that holds nothing


def test_compare_out_inside_a_compared_run_is_refused(tmp_path, experiment, capsys):
    out = tmp_path / "run"
    assert cli.main(["run", str(experiment), "--out", str(out)]) == 0
    before = snapshot(out)
    assert cli.main(["compare", str(out), "--out", str(out / "summary.json")]) == 2
    assert "inside the compared run" in capsys.readouterr().err
    assert snapshot(out) == before


def test_files_follow_the_umask(tmp_path, experiment, capsys):
    previous = os.umask(0o022)
    try:
        out = tmp_path / "run"
        assert cli.main(["run", str(experiment), "--out", str(out)]) == 0
        for suffix in ("html", "csv", "json", "png"):
            assert cli.main(["compare", str(out), "--out", str(tmp_path / f"cmp.{suffix}")]) == 0
        files = [*out.iterdir(), *tmp_path.glob("cmp.*")]
        modes = {path.name: stat.S_IMODE(path.stat().st_mode) for path in files}
        assert set(modes.values()) == {0o644}, modes
    finally:
        os.umask(previous)


def test_a_run_without_format_reads_as_format_1(tmp_path, experiment):
    out = tmp_path / "run"
    assert cli.main(["run", str(experiment), "--out", str(out), "--json"]) == 0
    summary = json.loads((out / "summary.json").read_text())
    assert summary["format"] == 2 and set(summary["versions"]) == {"workbench", "torch"}
    del summary["format"], summary["versions"]
    (out / "summary.json").write_text(json.dumps(summary))
    loaded = load_run(out)
    assert loaded.problem == "" and loaded.summary["format"] == 1 and loaded.history.epochs_run == 2


def test_claiming_a_symlinked_folder_is_refused(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to(real)
    with pytest.raises(RunDirError, match="symbolic link"):
        claim_run_dir(tmp_path / "link")
