"""The language of what the core and the CLI say: gettext catalogues, and numbers formatted per locale.

Every sentence a user reads is written in English in the source, wrapped in `_()` (or `ngettext`) as one
whole template with named placeholders, `_("{path} is empty").format(path=path)`, so that a translator
sees the sentence and may move the placeholders. `make translations` extracts the templates into
locale/workbench.pot, merges them into each language's .po and compiles the .mo files that travel in the
package (workbench/_data/locale/<language>/LC_MESSAGES/workbench.mo). What programs read never goes
through here: ids, config keys, summary.json keys and values, CSV headers.

The language is one setting for the process (the CLI sets it once before printing anything); English
needs no catalogue, since the templates are English. The Qt widgets translate with Qt's own tr() and .qm
files; this module is for the Qt-free core.
"""

from __future__ import annotations

import functools
import gettext
import math
import textwrap
import unicodedata
from collections.abc import Mapping, Sequence

from babel import Locale
from babel.lists import format_list
from babel.numbers import format_decimal, format_percent

from workbench.core.resources import resource_path

DOMAIN = "workbench"
SOURCE_LANGUAGE = "en"  # the language the templates are written in
SUPPORTED_LANGUAGES = ("en", "zh_CN")
# Languages whose catalogue translates every template: tests/core/test_i18n.py fails on a missing or fuzzy
# one, naming it. A new language joins once its translation is written; until then its untranslated
# sentences read in English.
TRANSLATED_LANGUAGES = ("en", "zh_CN")
# The environment variables that name the system locale, strongest first (POSIX: LC_ALL overrides
# LC_MESSAGES, which overrides LANG).
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")
# Chinese locales written in simplified characters (zh_TW, zh_HK and zh_MO use traditional ones, which
# zh_CN would misrepresent: those fall back to English until a zh_TW catalogue exists).
SIMPLIFIED_CHINESE_REGIONS = ("", "CN", "SG", "HANS")

_language = SOURCE_LANGUAGE
_translations: gettext.NullTranslations = gettext.NullTranslations()


class UnsupportedLanguage(ValueError):
    """A language asked for by name (`--lang`) that Workbench has no catalogue for."""


def set_language(code: str) -> None:
    """Speak `code` (one of SUPPORTED_LANGUAGES) from now on; a missing catalogue reads as English."""
    global _language, _translations
    if code not in SUPPORTED_LANGUAGES:
        raise UnsupportedLanguage(_unsupported_message(code))
    _translations = gettext.translation(DOMAIN, resource_path("locale"), languages=[code], fallback=True)
    _language = code


def current_language() -> str:
    return _language


def _(message: str) -> str:
    """The current language's translation of an English template (the template itself when there is none)."""
    return _translations.gettext(message)


def N_(message: str) -> str:  # noqa: N802 (gettext's name for it)
    """Marks a template for the catalogue where it is written, untranslated: it is translated where it is
    shown (gettext_noop)."""
    return message


def catalogue_text(text: str) -> str:
    """The catalogue's translation of a text the code holds in a variable, not as a `_()` literal: a shipped
    preset's [meta] name and description (extracted from presets/*.toml by
    workbench/core/experiment/preset_catalogue.py), argparse's own words (workbench/cli/argparse_words.py).
    Any other text, such as a user's own experiment's description, reads as written."""
    return _translations.gettext(text) if text else text  # gettext("") would be the catalogue's header


def ngettext(singular: str, plural: str, count: int) -> str:
    """The template for `count` things, in the current language's plural rules."""
    return _translations.ngettext(singular, plural, count)


def choose_language(cli_value: str | None, environ: Mapping[str, str]) -> str:
    """The language to speak: `--lang` when given, else WORKBENCH_LANG, else the system locale, else English.

    An unsupported `--lang` is an UnsupportedLanguage error (the user asked by name). An environment value
    is a wish, not an order: simplified Chinese (zh, zh_CN, zh_SG, zh-Hans) becomes zh_CN and anything
    else, traditional Chinese included, English.
    """
    if cli_value is not None:
        if cli_value not in SUPPORTED_LANGUAGES:
            raise UnsupportedLanguage(_unsupported_message(cli_value))
        return cli_value
    for variable in ("WORKBENCH_LANG", *LOCALE_VARIABLES):
        value = environ.get(variable, "")
        if value:  # the first one set decides, as in POSIX: an empty value counts as unset
            return _supported_language(value)
    return SOURCE_LANGUAGE


def _supported_language(locale_name: str) -> str:
    """The supported language closest to a locale name such as zh_CN.UTF-8, zh-Hans, de_AT or C."""
    name = locale_name.split(".")[0].split("@")[0].replace("-", "_")
    language, _separator, rest = name.partition("_")
    language, region = language.lower(), rest.split("_")[0].upper()  # zh_Hans_CN: the script decides
    if language == "zh":  # Chinese is told apart by its script, not its language
        return "zh_CN" if region in SIMPLIFIED_CHINESE_REGIONS else SOURCE_LANGUAGE
    return language if language in SUPPORTED_LANGUAGES else SOURCE_LANGUAGE


def _unsupported_message(code: str) -> str:
    return _("{language!r} is not a supported language; use one of: {supported}").format(
        language=code, supported=", ".join(SUPPORTED_LANGUAGES))


# -- numbers and lists in sentences ------------------------------------------------------------------

@functools.cache
def _locale(code: str) -> Locale:
    return Locale.parse(code)


def number(value: float) -> str:
    """A measured value as a sentence shows it, in the current language's symbols: three significant
    digits (0.42, 1230), and beyond 1e-3..1e4 two, in the e-notation PyTorch prints (3.1e-07)."""
    if not math.isfinite(value):
        return str(value)  # nan, inf: what the loss printed, and what a user searches for
    if value == 0:
        return format_decimal(0, locale=_locale(_language))  # a significant-digits pattern would say 0.0
    if 1e-3 <= abs(value) < 1e4:
        # rounded by Python first: the digits are those of the binary value, as f"{value:.3g}" gives them
        return format_decimal(float(f"{value:.3g}"), format="@##", locale=_locale(_language))
    mantissa, e, exponent = f"{value:.2g}".partition("e")
    return format_decimal(float(mantissa), format="@#", locale=_locale(_language)) + e + exponent


def percent(share: float) -> str:
    """A share as a whole percentage in the current language: 0.456 -> 46%."""
    if not math.isfinite(share):
        return str(share)
    return format_percent(float(f"{share * 100:.0f}") / 100, locale=_locale(_language))


def join_list(items: Sequence[str]) -> str:
    """Items of one kind in a sentence: "a, b, and c" in English, "a、b和c" in Chinese."""
    return format_list(list(items), locale=_locale(_language)) if items else ""


def layer_name(name: str) -> str:
    """A layer's name ("layer 2", "output": the columns of a run's files) as people read it in the current
    language; any other name as it is."""
    number = name.removeprefix("layer ")
    if number.isdigit():
        return _("layer {number}").format(number=number)
    return _("output") if name == "output" else name


def join_sentences(*sentences: str) -> str:
    """Whole sentences one after the other: a space between them in English, none in Chinese (。 ends one)."""
    joined = ""
    for sentence in filter(None, sentences):
        # TRANSLATORS: two whole sentences in a row; Chinese writes them without a space
        joined = _("{sentence} {next_sentence}").format(sentence=joined, next_sentence=sentence) if joined else sentence
    return joined


def join_clauses(clauses: Sequence[str]) -> str:
    """Independent clauses of one sentence, as the evidence of a finding lists its measurements."""
    # TRANSLATORS: separates independent clauses within one sentence (English uses a semicolon)
    return _("; ").join(clauses)


# -- paragraphs in a terminal ----------------------------------------------------------------------------

def _wide(character: str) -> bool:
    return unicodedata.east_asian_width(character) in "WF"


def columns(text: str) -> int:
    """The terminal columns of a text: a wide (CJK) character takes two."""
    return sum(2 if _wide(character) else 1 for character in text)


def ljust(text: str, width: int) -> str:
    """str.ljust by terminal columns, so that a table with Chinese cells lines up."""
    return text + " " * max(0, width - columns(text))


def _joined(previous: str, character: str) -> bool:
    """Whether a line may not break between two characters."""
    if character.isspace() or previous.isspace():
        return character.isspace() and previous.isspace()
    if _wide(character) and unicodedata.category(character) in ("Pe", "Pf", "Po"):
        return True  # closing punctuation stays after its character: ，。）
    if _wide(previous) and unicodedata.category(previous) in ("Ps", "Pi"):
        return True  # opening punctuation stays before it: （
    return not _wide(character) and not _wide(previous)  # a word of narrow characters


def _units(text: str) -> list[str]:
    """The pieces a line may break between: words, runs of spaces, and single wide characters."""
    units: list[str] = []
    for character in text:
        if units and _joined(units[-1][-1], character):
            units[-1] += character
        else:
            units.append(character)
    return units


def fill(text: str, width: int, first_indent: str, indent: str) -> str:
    """textwrap.fill for any language: a line holds at most `width` terminal columns, and Chinese, which has
    no spaces, breaks between characters (never before closing punctuation)."""
    if columns(text) == len(text):  # no wide characters: exactly textwrap's lines
        return textwrap.fill(text, width=width, initial_indent=first_indent, subsequent_indent=indent)
    lines, line, spaced = [], first_indent, False
    for unit in _units(text.strip()):
        if unit.isspace():
            spaced = True
            continue
        piece = (" " if spaced else "") + unit
        if columns(line) + columns(piece) > width and line.strip():
            lines.append(line)
            line, piece = indent, unit
        line, spaced = line + piece, False
    return "\n".join([*lines, line])
