"""`--lang`, WORKBENCH_LANG and the locale, as a user types them: the sentences change language, the files
programs read do not."""

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Sentences whose Chinese text the catalogue already holds (locale/zh_CN/LC_MESSAGES/workbench.po).
ERROR_PREFIX_ZH = "错误："
TITLES_ZH = {"lr_too_high": "学习率过高", "exploding_gradients": "梯度爆炸", "divergence": "训练发散"}


# What the test environment keeps (tests/conftest.py's isolated folders); the language variables are the
# test's own.
KEPT_VARIABLES = ("PATH", "HOME", "XDG_CACHE_HOME", "WORKBENCH_RUNS_DIR")


def workbench(*args, environ: dict | None = None) -> subprocess.CompletedProcess:
    env = {name: os.environ[name] for name in KEPT_VARIABLES if name in os.environ}
    env.update(OMP_NUM_THREADS="1", **(environ or {}))
    return subprocess.run([sys.executable, "-m", "workbench", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=180, check=False)


@pytest.mark.parametrize(("args", "environ"), [
    (["--lang", "zh_CN", "check", "no-such-preset"], {}),  # before the command
    (["check", "no-such-preset", "--lang", "zh_CN"], {}),  # after it
    (["check", "no-such-preset"], {"WORKBENCH_LANG": "zh_CN"}),
    (["check", "no-such-preset"], {"LANG": "zh_CN.UTF-8"}),
    (["check", "no-such-preset"], {"LC_ALL": "zh_SG.UTF-8", "LANG": "en_US.UTF-8"}),
    (["--lang", "zh_CN", "check", "no-such-preset"], {"WORKBENCH_LANG": "en", "LANG": "en_US.UTF-8"}),
])
def test_the_chosen_language_reads_in_what_the_cli_prints(args, environ):
    result = workbench(*args, environ=environ)
    assert result.returncode == 2
    assert result.stdout.startswith(f"{ERROR_PREFIX_ZH}no-such-preset：没有这个文件或预设"), result.stdout


@pytest.mark.parametrize(("args", "environ"), [
    (["check", "no-such-preset"], {}),
    (["check", "no-such-preset"], {"LANG": "zh_TW.UTF-8"}),  # traditional characters: English, not zh_CN
    (["check", "no-such-preset", "--lang", "en"], {"WORKBENCH_LANG": "zh_CN"}),
])
def test_english_is_the_default_and_the_fallback(args, environ):
    assert workbench(*args, environ=environ).stdout.startswith("error: no-such-preset: no such file or preset")


def test_an_unsupported_language_is_a_usage_error_naming_the_supported_ones():
    result = workbench("--lang", "fr", "presets")
    assert result.returncode == 2 and result.stdout == ""
    assert "'fr' is not a supported language; use one of: en, zh_CN" in result.stderr
    assert "Traceback" not in result.stderr


def test_help_lists_the_option_on_every_command():
    assert "--lang {en,zh_CN}" in workbench("--help").stdout
    assert "--lang {en,zh_CN}" in workbench("run", "--help").stdout


def _run_files(directory: Path) -> tuple[dict, str, list[str]]:
    summary = json.loads((directory / "summary.json").read_text(encoding="utf-8"))
    with (directory / "metrics.csv").open(newline="", encoding="utf-8") as stream:
        header = next(csv.reader(stream))
    return summary, (directory / "config.toml").read_text(encoding="utf-8"), header


@pytest.mark.slow
def test_a_chinese_run_reports_in_chinese_and_writes_the_same_files(tmp_path):
    chinese = workbench("--lang", "zh_CN", "run", "lr-too-high", "--out", tmp_path / "zh")
    english = workbench("run", "lr-too-high", "--out", tmp_path / "en")
    assert chinese.returncode == english.returncode == 1, chinese.stderr  # the preset diverges
    assert "诊断：" in chinese.stdout and f"运行目录：{tmp_path / 'zh'}" in chinese.stdout
    for finding_id, title in TITLES_ZH.items():
        assert f"{title} ({finding_id})" in chinese.stdout
    assert "Gradients explode (exploding_gradients)" in english.stdout

    zh_summary, zh_config, zh_header = _run_files(tmp_path / "zh")
    en_summary, en_config, en_header = _run_files(tmp_path / "en")
    assert zh_summary.keys() == en_summary.keys()
    assert zh_summary["status"] == en_summary["status"] == "diverged"
    assert zh_config == en_config and zh_header == en_header
    ids = [finding["id"] for finding in en_summary["diagnosis"]]
    assert [finding["id"] for finding in zh_summary["diagnosis"]] == ids and set(TITLES_ZH) <= set(ids)
    for zh_finding, en_finding in zip(zh_summary["diagnosis"], en_summary["diagnosis"], strict=True):
        assert zh_finding.keys() == en_finding.keys()
        assert (zh_finding["severity"], zh_finding["fix"]) == (en_finding["severity"], en_finding["fix"])
    # the titles are for people: kept in the language of the run
    assert {finding["title"] for finding in zh_summary["diagnosis"]} == set(TITLES_ZH.values())


def test_argparse_still_says_every_template_the_catalogue_translates_for_it():
    import argparse
    import inspect

    from workbench.cli.argparse_words import ARGPARSE_TEMPLATES

    source = inspect.getsource(argparse)
    assert [template for template in ARGPARSE_TEMPLATES if repr(template)[1:-1] not in source] == []


def test_argparse_speaks_the_chosen_language_in_help_and_errors():
    missing = workbench("--lang", "zh_CN", "compare", "some-run")
    assert missing.returncode == 2
    assert missing.stderr.startswith("用法：workbench compare")
    assert "workbench compare：错误：缺少以下必需参数：--out" in missing.stderr
    help_text = workbench("run", "--help", environ={"WORKBENCH_LANG": "zh_CN"}).stdout
    assert "选项" in help_text and "显示此帮助信息并退出" in help_text and "实验文件或预设名称" in help_text
    assert "usage: workbench compare" in workbench("compare", "some-run").stderr  # English stays English
