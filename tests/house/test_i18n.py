"""Translators: language guesses, right-to-left isolation, dates in Europe/Oslo."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.i18n import FSI, LANGUAGES, PDI, guess_locale, translator

OSLO = ZoneInfo("Europe/Oslo")


@pytest.mark.parametrize(
    ("hint", "locale"),
    [("nb", "nb"), ("no", "nb"), ("nn", "nb"), ("en-GB", "en"), ("ar", "ar"), ("fa", "fa_AF"),
     ("fa-AF", "fa_AF"), ("hr", "bs"), ("sr", "bs"), ("ckb", "ckb"), ("so", "so"),
     ("pl", None), (None, None), ("", None)],
)  # fmt: skip
def test_guess_from_telegram_hint(hint: str | None, locale: str | None) -> None:
    assert guess_locale(hint) == locale


def test_rtl_languages_isolate_left_to_right_pieces() -> None:
    rtl = {lang.code for lang in LANGUAGES if lang.rtl}
    assert rtl == {"ar", "ur", "fa_AF", "ckb"}
    for lang in LANGUAGES:
        t = translator(lang.code)
        expected = f"{FSI}/help{PDI}" if lang.rtl else "/help"
        assert t.command("help") == expected


@pytest.mark.parametrize("locale", [lang.code for lang in LANGUAGES])
def test_meeting_time_stays_18_00_across_daylight_saving(locale: str) -> None:
    t = translator(locale)
    winter = datetime(2026, 1, 14, 17, 0, tzinfo=UTC)  # 18:00 CET
    summer = datetime(2026, 6, 17, 16, 0, tzinfo=UTC)  # 18:00 CEST
    for moment in (winter, summer):
        text = t.format_datetime(moment, OSLO)
        assert "18:00" in text, (locale, text)


def test_dates_use_her_language() -> None:
    moment = datetime(2026, 12, 2, 17, 0, tzinfo=UTC)
    assert "desember" in translator("nb").format_datetime(moment, OSLO)
    assert "Diseembar" in translator("so").format_datetime(moment, OSLO)
    arabic = translator("ar").format_datetime(moment, OSLO)
    assert "ديسمبر" in arabic and f"{FSI}18:00{PDI}" in arabic


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        translator("en").format_datetime(datetime(2026, 1, 1, 18, 0), OSLO)


def test_unknown_locale_falls_back_to_english() -> None:
    assert translator("xx").locale == "en"


def test_latin_words_in_rtl_translations_are_isolated() -> None:
    from bot.i18n import isolate_latin_runs

    assert isolate_latin_runs("في Oslo و Bydelsmødre sentralt.") == (
        f"في {FSI}Oslo{PDI} و {FSI}Bydelsmødre sentralt{PDI}."
    )
    untouched = "<b>{district}</b> &amp; {role}"
    assert isolate_latin_runs(untouched) == untouched
    urdu = translator("ur")._(
        "Welcome! Bydelsmødre are women in Oslo who help other women, in their own language."
    )
    assert f"{FSI}Bydelsmødre{PDI}" in urdu and f"{FSI}Oslo{PDI}" in urdu
    somali = translator("so")._("Help")
    assert FSI not in somali  # left-to-right languages are left as they are
