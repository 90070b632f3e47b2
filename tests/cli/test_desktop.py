"""`workbench install-desktop [--uninstall]`: the menu entry and icon under $XDG_DATA_HOME, and nothing else."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from workbench import cli, desktop
from workbench.core.resources import resource_path

APP_ID = "io.github.workbench.Workbench"


def install_desktop(data_home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "XDG_DATA_HOME": str(data_home)}
    return subprocess.run([sys.executable, "-m", "workbench", "install-desktop", *args], capture_output=True,
                          text=True, timeout=60, env=env, check=False)


def files_under(folder: Path) -> set[Path]:
    return {path.relative_to(folder) for path in folder.rglob("*") if path.is_file()}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the desktop entry is for Linux desktops")
def test_install_writes_the_entry_and_icon_and_uninstall_removes_exactly_those(tmp_path):
    data_home = tmp_path / "share"
    unrelated = data_home / "applications" / "other.desktop"
    unrelated.parent.mkdir(parents=True)
    unrelated.write_text("[Desktop Entry]\nName=Other\n")

    installed = install_desktop(data_home)
    assert installed.returncode == 0, installed.stderr
    entry = Path("applications") / f"{APP_ID}.desktop"
    icon = Path("icons/hicolor/scalable/apps") / f"{APP_ID}.svg"
    assert files_under(data_home) == {entry, icon, Path("applications/other.desktop")}
    text = (data_home / entry).read_text()
    assert text.startswith("[Desktop Entry]\n")
    executable = Path(sys.executable).parent / "workbench"  # `python -m workbench`: the script beside it
    assert f"\nExec={executable} gui %f\n" in text
    assert f"\nIcon={APP_ID}\n" in text
    assert (data_home / icon).read_bytes() == resource_path("assets", "workbench.svg").read_bytes()

    removed = install_desktop(data_home, "--uninstall")
    assert removed.returncode == 0, removed.stderr
    assert removed.stdout.splitlines() == [f"removed {data_home / entry}", f"removed {data_home / icon}"]
    assert files_under(data_home) == {Path("applications/other.desktop")}
    assert install_desktop(data_home, "--uninstall").stdout.strip() == "nothing to remove"


def test_an_unset_or_relative_data_home_means_the_users_local_share(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    expected = tmp_path / ".local" / "share" / "applications" / f"{APP_ID}.desktop"
    assert desktop.entry_path({}) == expected
    assert desktop.entry_path({"XDG_DATA_HOME": "relative/share"}) == expected


@pytest.mark.parametrize(("path", "argument"), [
    ("/home/ann/.venv/bin/workbench", "/home/ann/.venv/bin/workbench"),
    ("/home/ann/my apps/bin/workbench", '"/home/ann/my apps/bin/workbench"'),
    ('/opt/a"b$c/workbench', r'"/opt/a\\"b\\$c/workbench"'),  # escaped for Exec, then again as a string
])
def test_an_executable_path_is_quoted_as_the_desktop_entry_spec_asks(path, argument):
    assert desktop.exec_argument(Path(path)) == argument


def test_other_systems_are_told_in_one_sentence(monkeypatch, capsys):
    monkeypatch.setattr(desktop.sys, "platform", "darwin")
    assert cli.main(["install-desktop"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == ["error: install-desktop is not supported on darwin yet, only on Linux desktops"]
