"""The app's compiled catalogues are read into memory: a .qm file rewritten while the app runs
(`make translations`, an upgrade in place) must not take the app down (Qt maps a file loaded by name, and
a truncated mapping is a SIGBUS at the next translated text)."""

from __future__ import annotations

import shutil

from PySide6.QtCore import QCoreApplication

from workbench.core import i18n
from workbench.core.resources import resource_path
from workbench.ui import language


def test_a_catalogue_rewritten_while_in_use_keeps_translating(qapp, tmp_path, monkeypatch):
    locale = tmp_path / "locale"
    shutil.copytree(resource_path("locale"), locale, ignore=shutil.ignore_patterns("*.po", "*.pot", "*.ts"))
    monkeypatch.setattr(language, "resource_path", lambda *parts: tmp_path.joinpath(*parts))
    try:
        language.use_language("zh_CN")
        chinese = QCoreApplication.translate("RunStatusBar", "starting…")
        assert chinese != "starting…"
        for catalogue in locale.glob("*.qm"):
            catalogue.write_bytes(b"")  # truncated in place, as a compiler rewriting it does first
        assert QCoreApplication.translate("RunStatusBar", "starting…") == chinese
    finally:
        monkeypatch.undo()  # the installed catalogues again, not the truncated copies (English plurals live there)
        language.use_language(i18n.SOURCE_LANGUAGE)
