"""Chinese without a CJK font would be boxes: the status bar then says, in English, which package has one."""

import pytest

from workbench.ui import fonts, language


@pytest.fixture
def no_cjk_font(monkeypatch):
    monkeypatch.setattr(fonts, "fonts_covering", lambda system: [])


def test_a_machine_without_a_cjk_font_is_told_which_package_provides_one(qtbot, no_cjk_font):
    notice = fonts.missing_font_notice("zh_CN")
    assert "fonts-noto-cjk" in notice and notice.isascii()  # readable although Chinese is not
    assert fonts.missing_font_notice("en") == ""


def test_with_a_cjk_font_installed_nothing_is_said(qtbot, monkeypatch):
    monkeypatch.setattr(fonts, "fonts_covering", lambda system: ["Noto Sans CJK SC"])
    assert fonts.missing_font_notice("zh_CN") == ""


def test_the_notice_shows_while_chinese_is_chosen_and_hides_in_english(qtbot, no_cjk_font):
    notice = fonts.FontNotice()
    qtbot.addWidget(notice)
    notice.show()
    try:
        language.use_language("zh_CN")  # the LanguageChange event retranslates the label
        qtbot.waitUntil(lambda: notice.isVisible() and "fonts-noto-cjk" in notice.text())
    finally:
        language.use_language("en")
    qtbot.waitUntil(lambda: not notice.isVisible())
    assert notice.text() == ""
