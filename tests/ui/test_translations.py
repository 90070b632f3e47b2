"""The app's texts are translatable and its catalogues current: no user-visible literal reaches a widget
without tr() / QCoreApplication.translate(), no sentence is assembled from pieces, the committed .ts files
hold what a fresh pyside6-lupdate finds and the .qm files are their compilation; View → Language switches
the window live, the core's language with it, and the choice is remembered for the app."""

from __future__ import annotations

import ast
import filecmp
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from workbench.core import i18n
from workbench.ui import language
from workbench.ui.app import build_window

ROOT = Path(__file__).resolve().parents[2]
UI = ROOT / "workbench" / "ui"
LOCALE = ROOT / "locale"
TOOLS = Path(sys.executable).parent
LUPDATE = [str(TOOLS / "pyside6-lupdate"), "-locations", "none", "-no-obsolete", "-extensions", "py", str(UI)]
# platform_check runs before Qt can load (it says which system libraries Qt lacks): no Qt translator exists yet,
# so its sentences go through the core's gettext catalogue (tests/core/test_i18n.py)
NOT_TRANSLATED_FILES = {"platform_check.py"}
TRANSLATING = {"tr", "translate", "QT_TRANSLATE_NOOP", "QT_TR_NOOP"}
# Calls whose text arguments a user reads: Qt's setters and constructors, and the app's own helpers
TEXT_METHODS = {
    "setText", "setToolTip", "setStatusTip", "setWhatsThis", "setWindowTitle", "setPlaceholderText",
    "setAccessibleName", "setInformativeText", "setTitle", "setTabText", "addTab", "insertTab", "addMenu",
    "addAction", "addToolBar", "showMessage", "setHeaderLabels", "setHorizontalHeaderLabels", "addButton",
    "setSuffix", "setPrefix", "setFormat", "addItem", "setItemText", "print",
    "describe", "set_texts", "label_plot", "title_plot", "error", "confirm", "export_failed", "message",
}
TEXT_CLASSES = {"QLabel", "QPushButton", "QCheckBox", "QRadioButton", "QToolButton", "QGroupBox", "QAction",
                "QMenu", "QMessageBox", "QDockWidget", "QFileDialog", "Outcome"}
# calls with one text argument among others (position, keyword): pyqtgraph's setLabel(axis, text) names its axis
# ("left") first
TEXT_ARGUMENTS = {"KeyEntry": (1, "label"), "setLabel": (1, "text")}
# Module constants that hold text no user reads as a sentence: style sheets, settings keys, markers
NOT_PROSE_CONSTANTS = {"INVALID_STYLE", "PROBLEM_STYLE", "SETTINGS_FOLDER", "SETTINGS_LANGUAGE", "CATALOGUE",
                       "QT_CATALOGUE", "LANGUAGE_NAMES", "ENTRY_GAP", "SAMPLES", "ORGANIZATION", "APPLICATION",
                       "DISPLAY_NAME", "DESKTOP_FILE", "LAYER_COLORMAP", "SETTINGS_GEOMETRY", "SETTINGS_STATE",
                       "GUIDE_LABEL_OPTIONS", "AREAS", "__all__", "APP_NAME",
                       # shown in English when no font can show the chosen language (workbench/ui/fonts.py)
                       "CJK_FONT_PACKAGES", "NO_FONT_NOTICE", "NOTICE_STYLE",
                       "FIRST_LAYER"}  # a layer's name as the run's files write it; i18n.layer_name shows it


def ui_files() -> list[Path]:
    return sorted(path for path in UI.rglob("*.py") if path.name not in NOT_TRANSLATED_FILES)


def call_name(call: ast.Call) -> str:
    function = call.func
    return function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")


def words(text: str) -> bool:
    """Text a person reads: two letters in a row (not "↑", " · ", "%", "x₁")."""
    return any(first.isalpha() and second.isalpha() for first, second in zip(text, text[1:], strict=False))


def untranslated(node: ast.AST) -> list[str]:
    """The literal texts in an argument that reach the user as they are: a call's result (tr(), a name
    from the core) is someone else's to translate."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value] if words(node.value) else []
    if isinstance(node, ast.JoinedStr):  # an f-string's own words are never translated
        return [part.value for part in node.values if isinstance(part, ast.Constant) and words(part.value)]
    if isinstance(node, ast.BinOp):
        return untranslated(node.left) + untranslated(node.right)
    if isinstance(node, ast.IfExp):
        return untranslated(node.body) + untranslated(node.orelse)
    if isinstance(node, ast.List | ast.Tuple):
        return [text for element in node.elts for text in untranslated(element)]
    return []


def test_no_literal_text_reaches_a_widget_untranslated():
    found = []
    for path in ui_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = call_name(node)
            if name in TEXT_METHODS or name in TEXT_CLASSES:
                arguments = [*node.args, *(keyword.value for keyword in node.keywords)]
            elif name in TEXT_ARGUMENTS:
                position, keyword = TEXT_ARGUMENTS[name]
                arguments = node.args[position:position + 1] + [
                    given.value for given in node.keywords if given.arg == keyword]
            else:
                continue
            for argument in arguments:
                found += [f"{path.relative_to(ROOT)}:{node.lineno} {text!r}" for text in untranslated(argument)]
    assert found == [], "wrap these in self.tr() or QCoreApplication.translate():\n" + "\n".join(found)


def test_no_sentence_is_assembled_inside_a_translation_call():
    """tr(f"...") or tr("a" + b) cannot be looked up: the catalogue holds templates with {placeholders}."""
    found = []
    for path in ui_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and call_name(node) in TRANSLATING:
                text = node.args[1] if call_name(node) in ("translate", "QT_TRANSLATE_NOOP") else node.args[0]
                if isinstance(text, ast.JoinedStr | ast.BinOp):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []


def test_text_constants_are_marked_for_translation():
    """A sentence kept in a module constant is marked with QT_TRANSLATE_NOOP (lupdate finds it there) and
    translated where it is shown."""
    found = []
    for path in ui_files():
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names = {target.id for target in targets if isinstance(target, ast.Name)}
                if names & NOT_PROSE_CONSTANTS:
                    continue
                marked = {id(argument) for child in ast.walk(node.value)  # the context and the text
                          if isinstance(child, ast.Call) and call_name(child) in TRANSLATING for argument in child.args}
                texts = [child.value for child in ast.walk(node.value)
                         if isinstance(child, ast.Constant) and isinstance(child.value, str) and id(child) not in marked
                         and words(child.value) and (" " in child.value.strip() or child.value[:1].isupper())]
                found += [f"{path.relative_to(ROOT)}:{node.lineno} {', '.join(sorted(names))} {text!r}"
                          for text in texts]
    assert found == [], "mark these with QT_TRANSLATE_NOOP(context, text):\n" + "\n".join(found)


def messages(ts_file: Path) -> dict[tuple[str, str, str], list[str]]:
    """(context, source, comment) -> translations (one, or a plural's forms; "" while unfinished)."""
    found = {}
    for context in ET.parse(ts_file).getroot().iter("context"):
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation.get("type") in ("obsolete", "vanished"):
                continue
            forms = [form.text or "" for form in translation.iter("numerusform")] or [translation.text or ""]
            key = (context.findtext("name"), message.findtext("source"), message.findtext("comment") or "")
            found[key] = [form if translation.get("type") != "unfinished" else "" for form in forms]
    return found


@pytest.mark.parametrize(("language_code", "plurals_only"), [("en", True), ("zh_CN", False)])
def test_the_committed_catalogues_hold_exactly_what_lupdate_finds(tmp_path, language_code, plurals_only):
    committed = LOCALE / f"workbench_ui_{language_code}.ts"
    fresh = tmp_path / committed.name
    shutil.copy(committed, fresh)  # lupdate merges into it, as `make translations` does
    subprocess.run([*LUPDATE, *(["-pluralonly"] if plurals_only else []), "-ts", str(fresh)], check=True,
                   capture_output=True)
    assert messages(fresh) == messages(committed), "run `make translations` and commit locale/"
    compiled = tmp_path / committed.with_suffix(".qm").name
    subprocess.run([str(TOOLS / "pyside6-lrelease"), "-silent", str(committed), "-qm", str(compiled)], check=True)
    assert filecmp.cmp(compiled, committed.with_suffix(".qm"), shallow=False), "the .qm is behind its .ts"


# What a translation must keep of its source: {placeholders}, Qt's %n, and HTML tags
KEPT = re.compile(r"\{[^{}]*\}|%n|</?[a-z]+>")


def mnemonic(text: str) -> bool:
    """Whether a text marks a keyboard accelerator (&F); && is a literal ampersand."""
    return "&" in text.replace("&&", "")


def test_english_has_every_plural_form_and_chinese_translates_every_text():
    assert all(all(forms) for forms in messages(LOCALE / "workbench_ui_en.ts").values())
    chinese = messages(LOCALE / "workbench_ui_zh_CN.ts")
    assert len(chinese) > 250  # every text of the app is in the catalogue
    missing = [f"{context}: {source!r}" for (context, source, _comment), forms in chinese.items() if not all(forms)]
    assert missing == [], "untranslated in locale/workbench_ui_zh_CN.ts (locale/GLOSSARY.md has the terms):\n" + \
        "\n".join(missing)
    assert chinese[("MainWindow", "&File", "")] == ["文件(&F)"]


def test_a_chinese_translation_keeps_the_placeholders_tags_and_accelerator_of_its_source():
    broken = []
    for (context, source, _comment), forms in messages(LOCALE / "workbench_ui_zh_CN.ts").items():
        for form in forms:
            if form and (sorted(KEPT.findall(form)) != sorted(KEPT.findall(source))
                         or mnemonic(form) != mnemonic(source)):
                broken.append(f"{context}: {source!r} -> {form!r}")
    assert broken == []


@pytest.fixture
def window_in_english(qtbot):
    window = build_window(None)
    qtbot.addWidget(window)
    window.show()
    yield window
    language.use_language("en")  # the next tests' language
    window.close()


def menu_titles(window) -> list[str]:
    return [action.text() for action in window.menuBar().actions()]


def test_view_language_switches_the_window_live_and_is_remembered_for_the_app(window_in_english, qtbot,
                                                                             monkeypatch):
    monkeypatch.setattr(language, "fonts_covering", lambda system: ["Noto Sans CJK SC"])  # any machine
    window = window_in_english
    assert menu_titles(window) == ["&File", "&Run", "&Presets", "&View", "&Help"]
    (chinese,) = [action for action in window.language_menu.actions() if action.text() == "简体中文"]
    chinese.trigger()
    qtbot.waitUntil(lambda: menu_titles(window)[0] == "文件(&F)")  # LanguageChange arrives as an event
    assert menu_titles(window) == ["文件(&F)", "运行(&R)", "预设(&P)", "视图(&V)", "帮助(&H)"]
    assert window.views.tabText(0) == "训练" and window.run_action.text() == "运行(&R)"
    header = window.runs.view.model().headerData(1, window.runs.view.header().orientation())
    assert header == "开始时间"
    assert window.diagnosis.message.text() == "运行训练时，其诊断会显示在这里。"
    assert i18n.current_language() == "zh_CN"  # the core's new texts (findings) follow
    assert QSettings().value(language.SETTINGS_LANGUAGE) == "zh_CN"
    assert language.startup_language() == "zh_CN"  # the next launch of the app opens in it
    (english,) = [action for action in window.language_menu.actions() if action.text() == "English"]
    english.trigger()
    qtbot.waitUntil(lambda: menu_titles(window)[0] == "&File")
    assert window.views.tabText(0) == "Training" and i18n.current_language() == "en"


def test_the_remembered_language_is_the_apps_only(qtbot):
    QSettings().setValue(language.SETTINGS_LANGUAGE, "zh_CN")
    assert language.startup_language() == "zh_CN"
    # the command line decides from --lang, WORKBENCH_LANG and the locale: the app's choice is not among them
    assert i18n.choose_language(None, {"WORKBENCH_LANG": "en"}) == "en"
    QSettings().remove(language.SETTINGS_LANGUAGE)
    i18n.set_language("zh_CN")
    assert language.startup_language() == "zh_CN"  # without a choice in the app, the command line's language
    i18n.set_language("en")


def test_the_shortcut_table_shows_a_chinese_menu_text_without_its_mnemonic():
    from workbench.ui.help import _plain

    assert [_plain(text) for text in ("打开(&O)…", "文件(&F)", "&Open…", "Loss && accuracy")] == \
        ["打开…", "文件", "Open…", "Loss & accuracy"]
