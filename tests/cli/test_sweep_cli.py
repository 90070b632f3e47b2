"""`workbench sweep` as a user types it: the printed table, sweep.csv, the exit codes, Ctrl-C keeping the
finished trials, and one sentence for a Ray that is missing or unreachable."""

import csv
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tiny_experiment import tiny_toml

from workbench import cli
from workbench.core.rundir.reader import load_run

ROOT = Path(__file__).resolve().parents[2]
TINY = tiny_toml("tiny moons", **{"model.hidden": [16]})


def workbench(*args, timeout=180):
    return subprocess.run([sys.executable, "-m", "workbench", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT, env={**os.environ, "OMP_NUM_THREADS": "1"})


def experiment(tmp_path, sweep: str = "", text: str = TINY) -> Path:
    path = tmp_path / "sweep.toml"
    path.write_text(text + sweep)
    return path


def test_sweep_prints_the_ranked_table_and_writes_one_row_per_trial(tmp_path, capsys):
    file = experiment(tmp_path, '[sweep]\ngrid = { "train.lr" = [0.002, 0.05] }\n')
    code = cli.main(["sweep", str(file), "--grid", "model.kind=mlp,cnn", "--seeds", "2", "--parallel", "2",
                     "--out", str(tmp_path / "out")])
    result = capsys.readouterr()
    assert code == 1, result.err  # the CNN trials fail: the data are 2-D points
    assert "Traceback" not in result.err and "8 trials, 2 at a time" in result.err
    lines = result.out.splitlines()
    assert lines[0].split() == ["train.lr", "model.kind", "val", "acc", "val", "loss", "trials", "diagnosis"]
    ranked = [line.split() for line in lines[1:5]]
    assert [row[1] for row in ranked] == ["mlp", "mlp", "cnn", "cnn"]
    assert [row[0] for row in ranked[:2]] == ["0.05", "0.002"]  # 0.002 learns too slowly in two epochs
    assert ranked[0][3] == "±" and ranked[2][2:] == ["–", "–", "0/2", "failed"]
    assert "What matters (share of the variance in validation accuracy):" in result.out
    assert "Failed trials:" in result.out and "needs image inputs" in result.out
    assert f"Sweep directory: {tmp_path / 'out'}" in result.out
    with open(tmp_path / "out" / "sweep.csv", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert list(rows[0]) == ["trial", "seed", "train.lr", "model.kind", "status", "final_val_acc", "final_val_loss",
                             "best_val_acc", "best_val_loss", "best_epoch", "first_finding", "run_dir"]
    assert sorted(row["status"] for row in rows) == ["completed"] * 4 + ["failed"] * 4
    assert sorted(row["seed"] for row in rows) == ["0"] * 4 + ["1"] * 4
    for row in rows:
        if row["status"] == "completed":
            assert load_run(tmp_path / "out" / row["run_dir"]).status == "completed"


def test_run_and_check_on_a_sweep_file(tmp_path, capsys):
    file = experiment(tmp_path, '[sweep]\ngrid = { "train.lr" = [0.02, 0.05] }\n')
    assert cli.main(["check", str(file)]) == 0
    assert cli.main(["run", str(file), "--out", str(tmp_path / "base")]) == 0
    captured = capsys.readouterr()
    assert "holds a sweep; this runs its base experiment once, `workbench sweep" in captured.err
    assert load_run(tmp_path / "base").config.train.lr == 0.02  # the file's own value: the base
    clash = experiment(tmp_path, '[sweep]\ngrid = { "train.optimizer" = ["nesterov"], "train.momentum" = [0.0] }\n')
    assert cli.main(["check", str(clash)]) == 2
    assert "the combination optimizer=nesterov momentum=0.0 is not valid" in capsys.readouterr().out


@pytest.mark.parametrize(("arguments", "expected"), [
    (["--grid", "train.lrr=1,2"], "sweep.grid.train.lrr: unknown key (did you mean 'lr'?)"),
    (["--grid", "train.lr"], "--grid 'train.lr': expected TABLE.KEY=VALUE,VALUE,..."),
    (["--seeds", "0"], "sweep.seeds: 0 is not allowed"),
    (["--resume", "{tmp}"], "holds no Workbench sweep (no sweep.json)"),
    (["--out", "{tmp}"], "holds files that are not a Workbench sweep (sweep.toml)"),
])
def test_bad_input_exits_2_before_any_trial(tmp_path, capsys, arguments, expected):
    file = experiment(tmp_path)
    arguments = [argument.format(tmp=tmp_path) for argument in arguments]
    assert cli.main(["sweep", str(file), *arguments]) == 2
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err


def test_without_ray_one_sentence_names_the_extra_to_install(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # what `import ray` does where it is not installed
    assert cli.main(["sweep", str(experiment(tmp_path)), "--backend", "ray"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "pip install 'workbench[ray]'" in err


def test_an_unreachable_ray_address_is_one_sentence_without_waiting_on_ray(tmp_path, capsys, monkeypatch):
    """ray.init would retry an address nobody answers on for minutes: the sweep checks it first, so Ray is never
    asked (no wall-clock bound here: how fast a process starts says nothing on a loaded machine)."""
    import ray

    def never(*args, **kwargs):
        raise AssertionError("ray.init was called for an unreachable address")

    monkeypatch.setattr(ray, "init", never)
    with socket.socket() as probe:  # a port nobody listens on: bound, then closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    out = tmp_path / "out"
    assert cli.main(["sweep", str(experiment(tmp_path)), "--backend", "ray", "--address", f"127.0.0.1:{port}",
                     "--out", str(out)]) == 2
    assert "cannot reach the Ray cluster" in capsys.readouterr().err and not out.exists()
    result = workbench("sweep", str(experiment(tmp_path)), "--backend", "ray", "--address", f"127.0.0.1:{port}",
                       "--out", str(out), timeout=60)
    assert result.returncode == 2 and not out.exists()
    assert result.stderr.strip() == (f"error: cannot reach the Ray cluster at 127.0.0.1:{port}: Connection refused; "
                                     "check the address and that the cluster is running")


def test_a_killed_worker_fails_its_trial_only_and_ctrl_c_keeps_the_finished_trials(tmp_path):
    slow = tiny_toml("slow", **{"model.hidden": [16], "train.batch_size": 1})
    file = experiment(tmp_path, '[sweep]\ngrid = { "train.epochs" = [1, 5000, 5001] }\nparallel = 2\n', slow)
    directory = tmp_path / "out"
    process = subprocess.Popen([sys.executable, "-m", "workbench", "sweep", str(file), "--out", str(directory)],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def wait_for(condition, what):
        deadline = time.time() + 120
        while not condition():
            if time.time() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail(f"{what} never happened")
            time.sleep(0.1)

    try:
        # the one-epoch trial finishes, then the third starts training in the freed worker: end that worker
        wait_for(lambda: list(directory.glob("epochs-5001-*/summary.json")), "the third trial's start")
        os.kill(int(next(directory.glob("epochs-5001-*/.workbench.lock")).read_text()), signal.SIGKILL)
        wait_for(lambda: "failed" in _text(directory / "sweep.csv"), "the killed trial's failure")
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:  # a hang: leave no sweep behind training for the rest of the suite
            process.kill()
            process.communicate()
    assert process.returncode == 130, err
    assert "Traceback" not in err and "finished trials are kept" in err
    with open(directory / "sweep.csv", newline="") as stream:
        statuses = {row["train.epochs"]: (row["status"], row["run_dir"]) for row in csv.DictReader(stream)}
    assert [statuses[epochs][0] for epochs in ("1", "5000", "5001")] == ["completed", "stopped", "failed"]
    stopped = load_run(directory / statuses["5000"][1])
    assert stopped.status == "stopped" and stopped.problem == ""
    assert "the worker process training it ended unexpectedly" in out
    assert "0/1" in out and "stopped" in out  # the stopped trial is listed, its numbers not counted


def _text(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:
        return ""
