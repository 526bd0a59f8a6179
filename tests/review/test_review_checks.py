"""The checks a reviewer's wording must pass, over every message of every catalogue: today's
text passes; a broken placeholder, a changed number, stray HTML, a too-long button or a missing
plural form fails."""

from __future__ import annotations

import re

import pytest

from bot.i18n import LOCALE_CODES
from bot.review.catalogue import (
    LIMITS,
    Kind,
    ReviewMessage,
    catalogue_forms,
    plural_count,
    review_messages,
)
from bot.review.checks import PLACEHOLDER, Problem, check_wording, split_forms
from bot.review.doubts import parse_doubts

MESSAGES = review_messages()
DIGITS = re.compile(r"\d\d+")


def problems(message: ReviewMessage, forms: tuple[str, ...], locale: str) -> set[Problem]:
    return {f.problem for f in check_wording(message, forms, plural_count(locale))}


def test_every_message_is_reviewable_and_buttons_are_found() -> None:
    assert len(MESSAGES) > 400
    kinds = {m.msgid: m.kind for m in MESSAGES}
    assert kinds["Mark as handled"] is Kind.BUTTON
    assert kinds["Good"] is Kind.BUTTON and kinds["Thank you!"] is Kind.POPUP
    assert kinds["Show the menu"] is Kind.COMMAND
    assert kinds["What would you like to do?"] is Kind.MESSAGE
    assert kinds["Announce"] is Kind.BUTTON  # a menu entry, defined apart from its button
    # A help-guide topic name is a button too, though it lives in data.
    assert sum(1 for m in MESSAGES if m.kind is Kind.BUTTON) > 50


@pytest.mark.parametrize("locale", LOCALE_CODES)
def test_todays_catalogue_passes_every_check(locale: str) -> None:
    failing = {
        m.msgid: check_wording(m, catalogue_forms(locale, m), plural_count(locale))
        for m in MESSAGES
    }
    assert {k: v for k, v in failing.items() if v} == {}


@pytest.mark.parametrize("locale", LOCALE_CODES)
def test_broken_wordings_fail_for_every_message(locale: str) -> None:
    for message in MESSAGES:
        forms = catalogue_forms(locale, message)
        first = forms[0]
        # A placeholder broken (renamed), or one added where the original has none.
        broken = PLACEHOLDER.sub(lambda p: p.group(0)[:-1] + "x}", first, count=1)
        if broken == first:
            broken = first + " {name}"
        assert Problem.PLACEHOLDERS in problems(message, (broken, *forms[1:]), locale), broken
        # A number changed (a phone number, 113), or one added where there is none.
        changed = DIGITS.sub(lambda d: str(int(d.group(0)) + 1), first, count=1)
        if changed == first:
            changed = first + " 113"
        assert Problem.NUMBERS in problems(message, (changed, *forms[1:]), locale), changed
        # HTML the original lacks.
        marked = first + " <a href='x'>y</a>"
        assert Problem.MARKUP in problems(message, (marked, *forms[1:]), locale), marked
        # Longer than Telegram allows where it is shown (a button: far less than a message).
        long = first + " " + "a" * LIMITS[message.kind]
        assert Problem.TOO_LONG in problems(message, (long, *forms[1:]), locale)
        if message.msgid_plural is not None:
            missing = forms[:-1] if len(forms) > 1 else (*forms, forms[0])
            assert Problem.FORMS in problems(message, missing, locale)


def test_a_button_stays_short() -> None:
    button = next(m for m in MESSAGES if m.msgid == "Mark as handled")
    assert problems(button, ("Markér som fulgt opp",), "nb") == set()
    too_long = "Markér denne forespørselen som fulgt opp av en bydelsmor i dag, takk skal du ha"
    assert problems(button, (too_long,), "nb") == {Problem.TOO_LONG}


def test_a_phone_number_must_stay_but_may_be_spaced_or_in_another_script() -> None:
    message = next(m for m in MESSAGES if "412 34 567" in m.msgid)
    arabic = catalogue_forms("ar", message)[0]
    assert problems(message, (arabic,), "ar") == set()
    assert problems(message, (arabic.replace("412", "٤١٢"),), "ar") == set()
    assert problems(message, (arabic.replace("412", "413"),), "ar") == {Problem.NUMBERS}


def test_typed_plural_forms_are_one_per_line() -> None:
    message = next(m for m in MESSAGES if m.msgid_plural == "{count} members")
    forms = split_forms("{count} xubin\n\n{count} xubnood\n", plural_count("so"), message)
    assert forms == ("{count} xubin", "{count} xubnood")
    assert problems(message, forms, "so") == set()
    assert problems(message, forms[:1], "so") == {Problem.FORMS}


def test_a_stray_less_than_sign_is_refused() -> None:
    message = next(m for m in MESSAGES if m.msgid == "What would you like to do?")
    assert Problem.MARKUP in problems(message, ("Maxaad rabtaa <3",), "so")
    assert Problem.MARKUP in problems(message, ("Maxaad & rabtaa",), "so")
    assert problems(message, ("Maxaad rabtaa inaad samayso?",), "so") == set()


def test_the_drafters_doubts_are_parsed_per_language() -> None:
    text = (
        '# Title\n- "not a language"\n## Soomaali (so)\n- Meetings: "Imanayaa / Iman maayo";\n'
        '  "baaji" for cancel.\n## Türkçe (tr)\n- "İlgilenildi olarak işaretle" (long button)\n'
    )
    parsed = parse_doubts(text)
    assert set(parsed) == {"so", "tr"}
    assert parsed["so"][0].words == ("Imanayaa", "Iman maayo", "baaji")
    assert "cancel" in parsed["so"][0].note


@pytest.mark.parametrize("locale", [code for code in LOCALE_CODES if code != "en"])
def test_every_review_card_is_valid_telegram_html_within_the_limit(locale: str) -> None:
    """Each message's card (all three texts, notes and doubts) is one message Telegram takes."""
    from bot.i18n import translator
    from bot.review.flow import item_at, review_order
    from handlers.review.card import card_keyboard, card_text
    from tests.telegram_spec.validator import parse_html

    t = translator(locale)
    for index in range(len(review_order(locale))):
        item = item_at(locale, index)
        assert item is not None
        parsed = parse_html(card_text(t, locale, item, 84, len(MESSAGES)))
        assert parsed.errors == [] and 0 < len(parsed.text) <= 4096, item.message.msgid
        card_keyboard(t, locale, item)  # callback data within 64 bytes, or it raises
