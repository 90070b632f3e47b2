"""Presets, the icon and the desktop entry are found through importlib.resources, not the source tree."""

from importlib.resources import files
from pathlib import Path

from workbench.core.experiment.presets import list_presets, presets_dir
from workbench.core.resources import resource_path

ROOT = Path(__file__).resolve().parents[2]


def test_the_presets_are_package_data_and_the_top_level_folder_is_their_source():
    packaged = files("workbench").joinpath("_data", "presets")
    assert presets_dir() == Path(str(packaged))
    # in a checkout (and an editable install) the package reads the repository's presets/ itself
    assert sorted(path.name for path in presets_dir().glob("*.toml")) == \
        sorted(path.name for path in (ROOT / "presets").glob("*.toml"))
    assert presets_dir().resolve() == (ROOT / "presets").resolve()
    assert "spiral" in {preset.key for preset in list_presets()}


def test_the_presets_folder_can_still_be_overridden(monkeypatch, tmp_path):
    (tmp_path / "mine.toml").write_text((presets_dir() / "spiral.toml").read_text())
    monkeypatch.setenv("WORKBENCH_PRESETS_DIR", str(tmp_path))
    assert presets_dir() == tmp_path
    assert [preset.key for preset in list_presets()] == ["mine"]


def test_the_icon_and_the_desktop_entry_are_package_data():
    assert resource_path("assets", "workbench.svg").read_bytes() == (ROOT / "assets" / "workbench.svg").read_bytes()
    entry = resource_path("packaging", "io.github.workbench.Workbench.desktop").read_text()
    assert "[Desktop Entry]" in entry and "Icon=io.github.workbench.Workbench" in entry
