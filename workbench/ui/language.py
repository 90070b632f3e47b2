"""The app's language: Qt translators for the widgets' texts and the core's gettext catalogues for what the
core says (findings, errors), switched together and live from View → Language, remembered for the app
only (QSettings: the CLI's --lang and WORKBENCH_LANG are not changed by it).

Every widget sets its texts in a retranslate() method, called once it is built and again on
QEvent.LanguageChange, which Qt sends to every widget when a translator is installed or removed
(`Translated` makes that call). Texts that are not a widget's (actions of a QObject, plot titles) are set
again by the widget that owns them. The catalogues are locale/workbench_ui_<language>.ts, compiled to .qm
by `make translations`; English needs one too, for the plural forms of "%n findings" and the like.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QSettings, QTranslator
from PySide6.QtGui import QFontDatabase

from workbench.core import i18n
from workbench.core.resources import resource_path

# Each language named in itself, so that whoever reads it finds their own in the menu whatever is shown.
LANGUAGE_NAMES = {"en": "English", "zh_CN": "简体中文"}
SETTINGS_LANGUAGE = "app/language"
CATALOGUE = "workbench_ui"  # locale/workbench_ui_<language>.qm
QT_CATALOGUE = "qtbase"  # Qt's own texts (a message box's Cancel button), from Qt's translations folder

# The languages whose characters a Latin font lacks, and the writing system a font must cover to show them.
WRITING_SYSTEMS = {"zh_CN": QFontDatabase.WritingSystem.SimplifiedChinese}

_installed: list[QTranslator] = []
_wanted = i18n.SOURCE_LANGUAGE  # the language chosen for the app, whether or not a font can show it


class Translated:
    """Mixed into a widget (before its Qt class) that sets its texts in a retranslate() method: it is
    called again whenever the language changes."""

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


def use_language(code: str) -> None:
    """Speak `code` (one of i18n.SUPPORTED_LANGUAGES) from now on: the widgets retranslate themselves,
    and the core's new texts (the findings of the next epoch) come in it too."""
    app = QCoreApplication.instance()
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    i18n.set_language(code)
    # Qt asks the translator installed last first: a text the language has no translation for yet reads
    # in English, its plurals too ("1 finding.", not "1 finding(s).")
    catalogues = [(CATALOGUE, i18n.SOURCE_LANGUAGE), (CATALOGUE, code), (QT_CATALOGUE, code)]
    for name, language in dict.fromkeys(catalogues):
        translator = QTranslator(app)
        if name == CATALOGUE:
            loaded = _load_from_memory(translator, resource_path("locale") / f"{name}_{language}.qm")
        else:  # there is no qtbase_en: Qt's texts are English
            loaded = translator.load(f"{name}_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
        if loaded:
            app.installTranslator(translator)
            _installed.append(translator)


def _load_from_memory(translator: QTranslator, path: Path) -> bool:
    """Load a .qm file read into memory. Loaded by name, Qt maps the file into memory instead, and a file
    rewritten while the app runs (`make translations`, an upgrade in place) kills the app with SIGBUS at
    its next translated text. Qt does not copy the bytes: the translator keeps them."""
    try:
        data = path.read_bytes()
    except OSError:
        return False
    translator.qm_bytes = data
    return translator.load(data)


def current_language() -> str:
    return i18n.current_language()


def saved_language() -> str | None:
    """The language chosen in View → Language at an earlier launch, if any."""
    code = QSettings().value(SETTINGS_LANGUAGE)
    return code if code in i18n.SUPPORTED_LANGUAGES else None


def fonts_covering(system: QFontDatabase.WritingSystem) -> list[str]:
    """The installed font families that have the characters of a writing system."""
    return QFontDatabase.families(system)


def can_show(code: str) -> bool:
    """Whether an installed font has the characters of language `code` (Qt falls back to it by itself)."""
    system = WRITING_SYSTEMS.get(code)
    return system is None or bool(fonts_covering(system))


def show_language(code: str) -> None:
    """The app speaks `code` where a font can show it, and English instead of empty boxes where none can
    (fonts.FontNotice then says what to install); wanted_language() stays `code`."""
    global _wanted
    _wanted = code
    use_language(code if can_show(code) else i18n.SOURCE_LANGUAGE)


def wanted_language() -> str:
    return _wanted


def choose_language(code: str) -> None:
    """View → Language: speak `code` now and at the next launch of the app."""
    show_language(code)
    QSettings().setValue(SETTINGS_LANGUAGE, code)


def startup_language() -> str:
    """The app's language at launch: the one chosen in the app before, else the one the command line chose
    (--lang, WORKBENCH_LANG, the system locale)."""
    return saved_language() or i18n.current_language()
