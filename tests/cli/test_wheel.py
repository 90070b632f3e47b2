"""The wheel as a user installs it: built, installed into a fresh virtual environment, run outside the
repository. Presets, the icon, the desktop entry and the compiled translations must travel inside it (DESIGN.md,
measured pitfalls)."""

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# what the build reads; the links in workbench/_data/ point into presets/, assets/, packaging/ and locale/
SOURCES = ("pyproject.toml", "README.md", "workbench", "presets", "assets", "packaging", "locale")


def run(*command, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run([str(part) for part in command], capture_output=True, text=True, timeout=180,
                            check=False, **kwargs)
    assert result.returncode == 0, f"{command}\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}"
    return result


def build_wheel(tmp_path: Path) -> Path:
    # from a copy: a build in the checkout would write build/ and *.egg-info into it
    source = tmp_path / "source"
    source.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, symlinks=True,
                            ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(ROOT / name, source / name)
    # no isolation: the test extra's setuptools builds it, with nothing to download
    run(sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", tmp_path / "dist", source)
    (wheel,) = (tmp_path / "dist").glob("workbench-*.whl")
    return wheel


def fresh_venv_with(wheel: Path, folder: Path) -> Path:
    """A new environment holding the wheel; its dependencies (torch...) are read from this one's
    site-packages through a .pth file rather than installed again."""
    run(sys.executable, "-m", "venv", "--without-pip", folder)
    python = folder / "bin" / "python"
    run(sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps", "--no-index", wheel)
    site_packages = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip())
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site_packages / "workbench-test-dependencies.pth").write_text("\n".join(sorted(ours)) + "\n")
    return folder / "bin"


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="the venv layout (bin/) is the POSIX one")
def test_the_wheel_installs_and_runs_outside_the_repository(tmp_path):
    wheel = build_wheel(tmp_path)
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {path.relative_to(ROOT).as_posix() for path in (ROOT / "workbench").rglob("*.py")}
    assert modules - names == set(), "modules missing from the wheel: is a new package left out of pyproject.toml?"
    presets = {f"workbench/_data/presets/{path.name}" for path in (ROOT / "presets").glob("*.toml")}
    assert presets <= names
    assert {"workbench/_data/assets/workbench.svg",
            "workbench/_data/packaging/io.github.workbench.Workbench.desktop"} <= names
    assert not any(name.endswith(".png") for name in names)  # the README's screenshots stay out
    catalogues = {f"workbench/_data/locale/{path.relative_to(ROOT / 'locale').as_posix()}"
                  for path in (ROOT / "locale").glob("*/LC_MESSAGES/*.mo")}
    assert catalogues and catalogues <= names
    assert not any(name.endswith((".po", ".pot", ".py")) and "/_data/" in name for name in names)  # sources stay out

    bin_dir = fresh_venv_with(wheel, tmp_path / "venv")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "WORKBENCH_PRESETS_DIR")}
    env.update(OMP_NUM_THREADS="1", QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"))

    def workbench(*args: str) -> subprocess.CompletedProcess:
        return run(bin_dir / "workbench", *args, cwd=elsewhere, env=env)

    where = run(bin_dir / "python", "-c", "import workbench; print(workbench.__file__)", cwd=elsewhere, env=env)
    assert Path(where.stdout.strip()).is_relative_to(tmp_path / "venv")
    listed = {line.split()[0] for line in workbench("presets").stdout.splitlines()}
    assert listed == {Path(name).stem for name in presets}
    workbench("run", "spiral", "--epochs", "1", "--out", tmp_path / "run")
    assert "诊断：" in workbench("--lang", "zh_CN", "run", "spiral", "--epochs", "1").stdout  # its catalogue found
    assert (tmp_path / "run" / "summary.json").is_file()
    workbench("gui", "--quit-after-paint")  # the app opens, its icon and default preset found
