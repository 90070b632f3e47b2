"""Shared test set-up: one torch thread (2-core machines), runs written under the test's tmp folder."""

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory, monkeypatch):
    runs = tmp_path_factory.mktemp("runs")
    monkeypatch.setenv("WORKBENCH_RUNS_DIR", str(runs))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "cache"))
    # the CLI speaks the system locale's language: tests that read its sentences expect English
    monkeypatch.setenv("WORKBENCH_LANG", "en")


def pytest_configure(config):
    try:
        import torch

        torch.set_num_threads(1)
    except ImportError:
        pass
