"""The language plumbing of the core and the CLI: how the language is chosen, what the catalogues say, and
that the committed catalogue files are those `make translations` would write now."""

import gettext
import importlib.util
import io
import string
import textwrap
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import escape

from workbench.core import i18n
from workbench.core.experiment.preset_catalogue import extract_preset_texts
from workbench.core.i18n import _

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "locale"
_spec = importlib.util.spec_from_file_location("compile_catalogues", LOCALE / "compile_catalogues.py")
catalogues = importlib.util.module_from_spec(_spec)  # the compile step of `make translations`
_spec.loader.exec_module(catalogues)
# What the Makefile's `translations` target passes to pybabel extract (its -k options).
KEYWORDS = {"_": None, "ngettext": (1, 2), "N_": None}


@pytest.fixture
def speaking():
    """Switch the process's language for one test, and back to English after it."""
    yield i18n.set_language
    i18n.set_language(i18n.SOURCE_LANGUAGE)


# -- choosing the language -----------------------------------------------------------------------------

@pytest.mark.parametrize(("cli_value", "environ", "expected"), [
    (None, {}, "en"),
    ("zh_CN", {"WORKBENCH_LANG": "en", "LANG": "en_US.UTF-8"}, "zh_CN"),  # --lang first
    ("en", {"WORKBENCH_LANG": "zh_CN", "LANG": "zh_CN.UTF-8"}, "en"),
    (None, {"WORKBENCH_LANG": "zh_CN", "LANG": "en_US.UTF-8"}, "zh_CN"),  # then WORKBENCH_LANG
    (None, {"WORKBENCH_LANG": "en", "LC_ALL": "zh_CN.UTF-8"}, "en"),
    (None, {"LC_ALL": "zh_CN.UTF-8", "LC_MESSAGES": "en_US.UTF-8", "LANG": "en_US.UTF-8"}, "zh_CN"),  # then locale
    (None, {"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh_CN"),
    (None, {"LC_ALL": "", "LANG": "zh_CN.GB18030"}, "zh_CN"),  # an empty variable counts as unset
    (None, {"LC_ALL": "en_GB.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
    (None, {"LANG": "zh"}, "zh_CN"),
    (None, {"LANG": "zh_SG.UTF-8"}, "zh_CN"),
    (None, {"LANG": "zh-Hans"}, "zh_CN"),
    (None, {"LANG": "zh_TW.UTF-8"}, "en"),  # traditional characters: no catalogue yet
    (None, {"LANG": "zh_HK.Big5"}, "en"),
    (None, {"LANG": "zh_Hant_TW"}, "en"),
    (None, {"LANG": "fr_FR.UTF-8"}, "en"),  # unknown
    (None, {"WORKBENCH_LANG": "klingon"}, "en"),
    (None, {"LANG": "C.UTF-8"}, "en"),
    (None, {"LANG": "POSIX"}, "en"),
])
def test_choose_language_takes_the_option_then_the_variable_then_the_locale(cli_value, environ, expected):
    assert i18n.choose_language(cli_value, environ) == expected


def test_an_unsupported_language_asked_for_by_name_is_an_error_naming_the_supported_ones(speaking):
    for code in ("fr", "zh_TW", "zh-CN", ""):
        with pytest.raises(i18n.UnsupportedLanguage, match="en, zh_CN"):
            i18n.choose_language(code, {})
        with pytest.raises(i18n.UnsupportedLanguage):
            speaking(code)
    assert i18n.current_language() == "en"


def test_a_translated_template_reads_in_the_chosen_language_and_an_untranslated_one_in_english(speaking):
    speaking("zh_CN")
    assert i18n.current_language() == "zh_CN"
    assert _("error: {problem}").format(problem="x") == "错误：x"
    assert _("Training diverged") == "训练发散"
    assert _("no such file") == "没有这个文件"
    assert _("a sentence that no catalogue holds") == "a sentence that no catalogue holds"  # English, never ""
    speaking("en")
    assert _("Training diverged") == "Training diverged"


def test_an_untranslated_plural_template_keeps_both_english_forms_in_a_one_form_language(tmp_path):
    """compile_catalogues leaves an unfinished plural out of the .mo: pybabel compile would write the English
    singular as Chinese's only form, and "3 example" would follow."""
    po = tmp_path / "zh_CN" / "LC_MESSAGES" / "workbench.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
                  '"Plural-Forms: nplurals=1; plural=0;\\n"\n\n'
                  'msgid "{count} example"\nmsgid_plural "{count} examples"\nmsgstr[0] ""\n\n'
                  'msgid "Training diverged"\nmsgstr "训练发散"\n', encoding="utf-8")
    assert catalogues.compile_catalogue(po) == (1, 2)
    with po.with_suffix(".mo").open("rb") as stream:
        translations = gettext.GNUTranslations(stream)
    assert translations.gettext("Training diverged") == "训练发散"
    assert [translations.ngettext("{count} example", "{count} examples", n) for n in (1, 3)] == \
        ["{count} example", "{count} examples"]


def test_numbers_in_sentences_keep_their_english_form_and_take_the_locale_symbols(speaking):
    assert [i18n.number(value) for value in (0.42, 0.0, 1e-7, 3.14e-7, 1234.5, 2.5e9, float("nan"), -0.5)] == \
        ["0.42", "0", "1e-07", "3.1e-07", "1230", "2.5e+09", "nan", "-0.5"]
    assert [i18n.percent(share) for share in (0.456, 0.745, 12.345)] == ["46%", "74%", "1,234%"]
    assert i18n.join_list(["std 80", "mean 30", "values up to 255"]) == "std 80, mean 30, and values up to 255"
    speaking("zh_CN")
    assert i18n.join_list(["甲", "乙", "丙"]) == "甲、乙和丙"
    assert i18n.number(1234.5) == "1230" and i18n.percent(0.5) == "50%"


def test_a_paragraph_fills_terminal_columns_and_chinese_breaks_between_characters():
    english = "Each step moved the weights so far that the loss got worse instead of better, " * 3
    assert i18n.fill(english, 60, "  why: ", " " * 6) == textwrap.fill(english, 60, initial_indent="  why: ",
                                                                         subsequent_indent=" " * 6)
    chinese = "反向传播会把梯度乘以每一层的权重；权重过大时（初始化分布过宽、输入尺度过大），乘积逐层增大。" * 3
    lines = i18n.fill(chinese + " Adam 1e-3", 40, "  原因： ", " " * 6).split("\n")
    assert len(lines) > 5 and all(i18n.columns(line) <= 40 for line in lines)  # a character is 2 columns
    assert not any(line.strip()[0] in "，。；）" or line.rstrip()[-1] == "（" for line in lines)
    assert "".join(lines).replace(" ", "") == "原因：" + chinese + "Adam1e-3"  # nothing lost or added


# -- the catalogue files -------------------------------------------------------------------------------

_read_po = catalogues.read_catalogue


def _messages(catalog) -> dict:
    """msgid (a tuple for plural messages) -> the source files that hold it."""
    return {message.id: {location for location, _line in message.locations} for message in catalog if message.id}


def _fresh_extraction() -> dict:
    method_map, options_map = parse_mapping_cfg((LOCALE / "babel.cfg").open())
    fresh: dict = {}
    for filename, _line, message, _comments, _context in extract_from_dir(ROOT, method_map, options_map,
                                                                          keywords=KEYWORDS):
        fresh.setdefault(message, set()).add(filename)
    return fresh


def test_the_committed_template_holds_exactly_the_templates_of_the_code():
    committed = _messages(_read_po(LOCALE / "workbench.pot"))
    fresh = _fresh_extraction()
    missing = sorted(map(str, fresh.keys() - committed.keys()))
    stale = sorted(map(str, committed.keys() - fresh.keys()))
    assert (missing, stale) == ([], []), "run `make translations` and commit locale/"
    assert committed == fresh, "templates moved between files: run `make translations`"
    # the widgets translate with Qt; only the check that runs before Qt can start uses the core's catalogue
    assert {path for paths in fresh.values() for path in paths if path.startswith("workbench/ui")} == \
        {"workbench/ui/platform_check.py"}
    assert any(path.startswith("presets/") for paths in fresh.values() for path in paths)  # preset texts too


def _catalogues() -> list[Path]:
    return sorted(LOCALE.glob("*/LC_MESSAGES/workbench.po"))


def test_a_presets_meta_name_and_description_are_extracted_with_their_lines():
    source = (b'# a comment\n[meta]\nname = "Deep sigmoid MLP"\ngroup = "architecture"\n'
              b'description = """Ten sigmoid layers.\nWatch the gradients."""\n\n[train]\nlr = 0.1\n')
    assert [(line, text) for line, _function, text, _comments in
            extract_preset_texts(io.BytesIO(source), None, None, None)] == [
        (3, "Deep sigmoid MLP"), (5, "Ten sigmoid layers.\nWatch the gradients.")]
    assert list(extract_preset_texts(io.BytesIO(b"[meta]\nname = \"\"\n"), None, None, None)) == []


def test_every_supported_language_but_english_has_a_catalogue_of_the_current_templates():
    languages = {path.parts[-3] for path in _catalogues()}
    assert languages == set(i18n.SUPPORTED_LANGUAGES) - {i18n.SOURCE_LANGUAGE}
    template = set(_messages(_read_po(LOCALE / "workbench.pot")))
    for path in _catalogues():
        assert set(_messages(_read_po(path))) == template, f"{path}: run `make translations`"


def _as_tuple(text):
    """A plural message's ids or forms as a tuple (read_mo gives lists), a singular one as it is."""
    return tuple(text) if isinstance(text, list | tuple) else text


def _translations(catalog) -> dict:
    """msgid -> translation, for the messages a compiled catalogue carries (translated, not fuzzy)."""
    return {_as_tuple(message.id): _as_tuple(message.string) for message in catalog
            if message.id and catalogues.is_translated(message)}


@pytest.mark.parametrize("po", _catalogues(), ids=lambda path: path.parts[-3])
def test_the_committed_compiled_catalogue_is_its_source_compiled(po):
    with po.with_suffix(".mo").open("rb") as stream:
        compiled = read_mo(stream)
    assert _translations(compiled) == _translations(_read_po(po)), "run `make translations` and commit the .mo"


def _placeholders(template: str) -> set[str]:
    return {field for _text, field, _spec, _conversion in string.Formatter().parse(template) if field is not None}


@pytest.mark.parametrize("po", _catalogues(), ids=lambda path: path.parts[-3])
def test_a_translation_fills_the_same_placeholders_as_its_template(po):
    for msgid, translation in _translations(_read_po(po)).items():
        ids = msgid if isinstance(msgid, tuple) else (msgid,)
        forms = translation if isinstance(translation, tuple) else (translation,)
        wanted = set().union(*map(_placeholders, ids))
        for form in forms:
            assert _placeholders(form) == wanted, f"{po}: {msgid!r} -> {form!r}"


def untranslated_messages(template_catalog, language_catalog) -> list[str]:
    """The templates that `language_catalog` leaves without a translation (empty, a missing plural form, fuzzy,
    or absent)."""
    translated = _translations(language_catalog)
    return sorted(str(message.id) for message in template_catalog if message.id and message.id not in translated)


@pytest.mark.parametrize("language", i18n.TRANSLATED_LANGUAGES)
def test_a_language_marked_translated_translates_every_template(language):
    template = _read_po(LOCALE / "workbench.pot")
    if language == i18n.SOURCE_LANGUAGE:
        return  # the templates are written in it
    missing = untranslated_messages(template, _read_po(LOCALE / language / "LC_MESSAGES" / "workbench.po"))
    assert missing == [], f"{language} leaves {len(missing)} templates untranslated or fuzzy (translate them in " \
        f"its .po, locale/GLOSSARY.md has the terms):\n" + "\n".join(missing)


def test_the_completeness_check_finds_a_single_missing_translation(tmp_path):
    template = _read_po(LOCALE / "workbench.pot")
    lines = ['msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"',
             '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"', ""]
    left_out = "Training diverged"
    for message in template:
        if not message.id or message.id == left_out:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        quoted = [escape(text)[1:-1] for text in ids]  # quotes, backslashes and newlines as a .po writes them
        if len(ids) == 2:
            lines += [f'msgid "{quoted[0]}"', f'msgid_plural "{quoted[1]}"', 'msgstr[0] "x"', 'msgstr[1] "y"', ""]
        else:
            lines += [f'msgid "{quoted[0]}"', 'msgstr "x"', ""]
    fake = tmp_path / "fake.po"
    fake.write_text("\n".join(lines), encoding="utf-8")
    assert untranslated_messages(template, _read_po(fake)) == [left_out]
    # a fuzzy translation (pybabel update's guess from a similar template) counts as missing too
    guessed = fake.read_text(encoding="utf-8").replace('msgid "no such file"', '#, fuzzy\nmsgid "no such file"')
    fake.write_text(guessed, encoding="utf-8")
    assert untranslated_messages(template, _read_po(fake)) == sorted([left_out, "no such file"])
