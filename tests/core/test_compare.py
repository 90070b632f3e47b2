"""Comparisons of real (tiny) runs in every format: what a user opens the files to see."""

from __future__ import annotations

import base64
import csv
import html
import json
import re
import struct

import pytest
from matplotlib import font_manager
from tiny_experiment import tiny

from workbench.core import i18n
from workbench.core.experiment.config import apply_overrides
from workbench.core.reports import comparison_figures
from workbench.core.reports.comparison import (
    CompareError,
    comparison_table,
    config_differences,
    format_metric,
    load_for_comparison,
    metric_summary,
    run_labels,
)
from workbench.core.reports.comparison_files import write_comparison
from workbench.core.rundir.summary import FixFor
from workbench.core.training.engine import Run

EVIL_NAME = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def run_dirs(tmp_path_factory):
    """Two finished runs that differ in learning rate and depth; the second has a hostile name."""
    root = tmp_path_factory.mktemp("compare")
    base = tiny("slow", **{"model.hidden": [8], "train.lr": 0.05, "train.batch_size": 32, "train.epochs": 3})
    configs = [apply_overrides(base, {"meta.name": "slow", "train.lr": 0.001}),
               apply_overrides(base, {"meta.name": EVIL_NAME, "model.hidden": [8, 8], "train.epochs": 2})]
    directories = [root / "slow", root / "evil"]
    for config, directory in zip(configs, directories, strict=True):
        Run(config, run_dir=directory).fit()
    return directories


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    return struct.unpack(">II", data[16:24])


def test_the_table_has_one_row_per_run_per_epoch_with_the_differing_settings(run_dirs):
    runs = load_for_comparison(run_dirs)
    assert run_labels(runs) == ["slow", EVIL_NAME]
    assert config_differences(runs) == {"model.hidden": [[8], [8, 8]], "train.lr": [0.001, 0.05],
                                        "train.epochs": [3, 2]}
    rows = comparison_table(runs)
    assert [(row["run"], row["epoch"]) for row in rows] == [("slow", 1), ("slow", 2), ("slow", 3),
                                                          (EVIL_NAME, 1), (EVIL_NAME, 2)]
    assert rows[0]["train.lr"] == 0.001 and rows[-1]["train.lr"] == 0.05
    final = metric_summary(runs[1])
    assert final["epochs_run"] == 2 and final["status"] == "completed"
    assert format_metric("final_val_acc", final["final_val_acc"]).endswith("%")


def test_csv_is_long_format_with_run_and_differing_keys(run_dirs, tmp_path):
    out = write_comparison(run_dirs, tmp_path / "cmp.csv")
    with open(out, newline="") as stream:
        reader = csv.DictReader(stream)
        rows = list(reader)
    assert reader.fieldnames == ["run", "directory", "model.hidden", "train.lr", "train.epochs", "epoch", "step",
                                 "train_loss", "train_acc", "val_loss", "val_acc", "lr", "seconds"]
    assert len(rows) == 5
    assert rows[0]["run"] == "slow" and rows[0]["model.hidden"] == "[8]" and rows[4]["model.hidden"] == "[8, 8]"
    with open(run_dirs[0] / "metrics.csv", newline="") as stream:
        own = list(csv.DictReader(stream))
    assert [float(r["val_acc"]) for r in rows[:3]] == pytest.approx([float(r["val_acc"]) for r in own])


def test_json_holds_each_run_with_metrics_findings_and_the_diff(run_dirs, tmp_path):
    data = json.loads(write_comparison(run_dirs, tmp_path / "cmp.json").read_text())
    assert data["config_diff"]["train.lr"] == [0.001, 0.05]
    slow, evil = data["runs"]
    assert slow["name"] == "slow" and evil["name"] == EVIL_NAME
    assert slow["epochs"]["epoch"] == [1, 2, 3] and len(evil["epochs"]["val_loss"]) == 2
    summary = json.loads((run_dirs[0] / "summary.json").read_text())
    assert slow["final"] == summary["final"] and slow["best"] == summary["best"]
    assert [f["id"] for f in slow["diagnosis"]] == [f["id"] for f in summary["diagnosis"]]
    assert slow["config"]["train.lr"] == 0.001


def test_png_and_svg_are_real_images_of_the_curves(run_dirs, tmp_path):
    width, height = png_size(write_comparison(run_dirs, tmp_path / "cmp.png").read_bytes())
    assert width > 600 and height > 300
    svg = write_comparison(run_dirs, tmp_path / "cmp.svg").read_text()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg and len(svg) > 20_000
    assert svg.count("<path") > 20  # curves, axes and glyphs


def test_html_report_has_the_diff_the_metrics_the_plots_and_escapes_names(run_dirs, tmp_path):
    page = write_comparison(run_dirs, tmp_path / "report.html").read_text()
    assert EVIL_NAME not in page
    assert html.escape(EVIL_NAME) in page
    assert "<script" not in page.lower()
    assert "<code>train.lr</code></td><td>0.001</td><td>0.05</td>" in page
    assert "<code>model.hidden</code></td><td>[8]</td><td>[8, 8]</td>" in page
    summary = json.loads((run_dirs[0] / "summary.json").read_text())
    assert f"{summary['final']['val_acc']:.1%}" in page
    images = re.findall(r'src="data:image/png;base64,([^"]+)"', page)
    assert len(images) == 2
    assert all(png_size(base64.b64decode(image))[0] > 400 for image in images)
    for finding in summary["diagnosis"]:
        assert html.escape(finding["title"]) in page
    assert "Diagnosis" in page and "Gradient norms per layer" in page


def test_html_report_says_what_a_compared_fix_did_against_its_compared_original(run_dirs, tmp_path):
    assert "What the fixes did" not in write_comparison(run_dirs, tmp_path / "plain.html").read_text()
    original = load_for_comparison(run_dirs[:1])[0]
    fixed = Run(apply_overrides(original.config, {"meta.name": "slow + fix for lr_too_low", "train.lr": 0.05}),
                run_dir=tmp_path / "fixed", fix_for=FixFor(original.directory, "lr_too_low")).fit()
    page = write_comparison([run_dirs[0], fixed.directory], tmp_path / "report.html").read_text()
    before, after = (f"{run.history.epoch_column('val_acc')[-1]:.1%}" for run in (original, fixed))
    assert "<h2>What the fixes did</h2>" in page
    assert f"validation accuracy from {before} to {after}" in page or f"where “slow” ended ({before}" in page
    assert "slow + fix for lr_too_low</li>" not in page  # the sentence follows the fix run's name
    # the fix alone, without its original: nothing to say
    assert "What the fixes did" not in write_comparison([fixed.directory], tmp_path / "alone.html").read_text()


def test_runs_with_the_same_name_get_told_apart(run_dirs, tmp_path):
    runs = load_for_comparison([run_dirs[0], run_dirs[0]])
    assert run_labels(runs) == ["slow (slow)", "slow (slow)"]
    assert config_differences(runs) == {}


def test_a_missing_or_damaged_run_directory_is_named(run_dirs, tmp_path):
    with pytest.raises(CompareError, match="nowhere is not a run directory"):
        write_comparison([run_dirs[0], tmp_path / "nowhere"], tmp_path / "cmp.csv")
    damaged = tmp_path / "damaged"
    damaged.mkdir()
    (damaged / "summary.json").write_text("{not json")
    with pytest.raises(CompareError, match="damaged cannot be compared: summary.json unreadable"):
        write_comparison([damaged], tmp_path / "cmp.csv")
    with pytest.raises(CompareError, match="No run directories"):
        load_for_comparison([])


def test_an_unknown_suffix_lists_the_formats(run_dirs, tmp_path):
    with pytest.raises(CompareError, match=r"\.xlsx.*\.csv, \.json, \.png, \.svg, \.html"):
        write_comparison(run_dirs, tmp_path / "cmp.xlsx")
    assert not (tmp_path / "cmp.xlsx").exists()


def test_a_diverged_runs_huge_loss_reads_in_scientific_notation():
    assert format_metric("final_val_loss", 4772361500884992000.0) == "4.8e+18"
    assert format_metric("final_val_loss", 0.12345) == "0.1235"


def test_a_chinese_font_installed_after_matplotlib_listed_the_fonts_is_found(monkeypatch):
    """matplotlib keeps its list of the system's fonts in a cache on disk: a font installed later is not in it."""
    if not any(font.name in comparison_figures.CJK_FONT_FAMILIES for font in font_manager.FontManager().ttflist):
        pytest.skip("no Chinese font installed on this machine")
    stale = [font for font in font_manager.fontManager.ttflist
             if font.name not in comparison_figures.CJK_FONT_FAMILIES]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", stale)
    comparison_figures.cjk_families.cache_clear()
    try:
        assert comparison_figures.cjk_families()
    finally:
        comparison_figures.cjk_families.cache_clear()


def test_a_presets_name_reads_in_the_reports_language_where_people_read_it_and_as_written_where_programs_do(
        run_dirs, tmp_path):
    preset = load_for_comparison(run_dirs[:1])[0]
    run = Run(apply_overrides(preset.config, {"meta.name": "Learning rate far too high"}), run_dir=tmp_path / "run").fit()
    i18n.set_language("zh_CN")
    try:
        page = write_comparison([run.directory, run_dirs[0]], tmp_path / "report.html").read_text()
        table = write_comparison([run.directory, run_dirs[0]], tmp_path / "table.csv").read_text()
    finally:
        i18n.set_language(i18n.SOURCE_LANGUAGE)
    assert "学习率远远过高" in page and "Learning rate far too high" not in page
    assert "Learning rate far too high" in table and "学习率远远过高" not in table
