"""Chinese without a CJK font would be boxes: the app then speaks English, and the status bar says, in
English, which package provides a font."""

import pytest

from workbench.core import i18n
from workbench.ui import fonts, language


@pytest.fixture
def no_cjk_font(monkeypatch):
    monkeypatch.setattr(language, "fonts_covering", lambda system: [])


def test_a_machine_without_a_cjk_font_is_told_which_package_provides_one(qtbot, no_cjk_font):
    notice = fonts.missing_font_notice("zh_CN")
    assert "fonts-noto-cjk" in notice and notice.isascii()  # readable although Chinese is not
    assert fonts.missing_font_notice("en") == ""


def test_with_a_cjk_font_installed_nothing_is_said(qtbot, monkeypatch):
    monkeypatch.setattr(language, "fonts_covering", lambda system: ["Noto Sans CJK SC"])
    assert fonts.missing_font_notice("zh_CN") == ""
    assert language.can_show("zh_CN") and language.can_show("en")


def test_chosen_chinese_without_a_font_reads_in_english_with_the_notice(qtbot, no_cjk_font):
    notice = fonts.FontNotice()
    qtbot.addWidget(notice)
    notice.show()
    try:
        language.show_language("zh_CN")  # the LanguageChange event retranslates the label
        qtbot.waitUntil(lambda: notice.isVisible() and "fonts-noto-cjk" in notice.text())
        assert language.wanted_language() == "zh_CN" and i18n.current_language() == "en"  # no boxes
    finally:
        language.show_language("en")
    qtbot.waitUntil(lambda: not notice.isVisible())
    assert notice.text() == ""
