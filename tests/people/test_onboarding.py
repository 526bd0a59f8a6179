"""/start, the language picker and /language, through the real Application and a checked fake."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from bot.app import BotApplication
from bot.i18n import LANGUAGES, translator
from bot.offline.api import OfflineBotApi
from handlers.common.context import Services
from handlers.common.language import LANGUAGE
from storage.people import load_person
from tests.fakes.telegram import ChatDriver, buttons_of


async def test_start_shows_every_language_in_its_own_script(
    chat: Callable[..., ChatDriver],
) -> None:
    amina = chat()
    await amina.send("/start")
    labels = [b["text"] for b in buttons_of(amina.last())]
    assert labels == [f"🗣 {lang.native_name}" for lang in LANGUAGES]
    assert len(labels) == 12
    assert {"Soomaali", "العربية", "ትግርኛ", "دری", "کوردی (سۆرانی)", "ਪੰਜਾਬੀ"} <= {
        label.removeprefix("🗣 ") for label in labels
    }


async def test_question_follows_telegram_hint_before_she_chooses(
    chat: Callable[..., ChatDriver],
) -> None:
    hawa = chat(1002, "Hawa", language_code="ar")
    await hawa.send("/start")
    assert translator("ar")._("Choose your language") in hawa.last()["text"]
    assert hawa.last()["text"] != "🌍 Choose your language"


async def test_choosing_somali_stores_it_and_shows_the_menu_in_somali(
    chat: Callable[..., ChatDriver], services: Services, api: OfflineBotApi
) -> None:
    amina = chat(language_code="en")
    await amina.send("/start")
    await amina.press(LANGUAGE.encode("so"))

    record = await load_person(services.db, amina.chat_id)
    assert record is not None and record.locale == "so"
    so = translator("so")
    assert amina.texts()[-2] == "✅ Soomaali"  # the picker, edited in place
    menu = amina.last()
    assert (
        so._("Welcome! Bydelsmødre are women in Oslo who help other women, in their own language.")
        in menu["text"]
    )
    assert [b["text"] for b in buttons_of(menu)] == [
        f"❓ {so._('Help')}",
        f"🎓 {so._('Basic training')}",
        f"🔒 {so._('My data')}",
        f"🌍 {so._('Language')}",
        f"📍 {so._('Meet a bydelsmor')}",
    ]
    # Her own command menu follows her choice, whatever her Telegram app's language is.
    scoped = api.calls_to("setMyCommands")[-1].params
    assert scoped["scope"] == {"type": "chat", "chat_id": amina.chat_id}
    assert {"command": "help", "description": so._("What this bot can do for you")} in scoped[
        "commands"
    ]


async def test_her_choice_wins_over_telegram_hint_later(chat: Callable[..., ChatDriver]) -> None:
    amina = chat(language_code="nb")
    await amina.send("/start")
    await amina.press(LANGUAGE.encode("ti"))
    await amina.send("/menu")
    assert translator("ti")._("What would you like to do?") in amina.last()["text"]


async def test_start_again_after_choosing_shows_menu_not_picker(
    chat: Callable[..., ChatDriver],
) -> None:
    amina = chat()
    await amina.send("/start")
    await amina.press(LANGUAGE.encode("en"))
    await amina.send("/start")
    assert "Welcome!" in amina.last()["text"]
    assert not any(b["callback_data"].startswith("lang:") for b in buttons_of(amina.last()))


async def test_language_command_and_menu_button_change_language(
    chat: Callable[..., ChatDriver], services: Services
) -> None:
    amina = chat()
    await amina.send("/start")
    await amina.press(LANGUAGE.encode("en"))
    await amina.press_label("Language")
    await amina.press(LANGUAGE.encode("bs"))
    await amina.send("/language")
    await amina.press(LANGUAGE.encode("ur"))
    record = await load_person(services.db, amina.chat_id)
    assert record is not None and record.locale == "ur"


async def test_forged_language_button_changes_nothing(
    chat: Callable[..., ChatDriver], services: Services
) -> None:
    amina = chat()
    await amina.send("/start")
    await amina.press(LANGUAGE.encode("en"))
    before = amina.texts()
    await amina.press("lang:xx")
    await amina.press("lang:")
    assert amina.texts() == before
    assert amina.toasts()[-1].startswith("This button has expired.")
    record = await load_person(services.db, amina.chat_id)
    assert record is not None and record.locale == "en"


async def test_unknown_and_old_buttons_answer_expired_in_her_language(
    chat: Callable[..., ChatDriver],
) -> None:
    amina = chat()
    await amina.send("/start")
    await amina.press(LANGUAGE.encode("so"))
    before = amina.texts()
    for data in ("menu:nothing", "x" * 64, "vote:9999:yes", "😀"):
        await amina.press(data)
    assert amina.texts() == before
    expired = translator("so")._("This button has expired. Send {command} to start again.")
    assert amina.toasts()[-4:] == [expired.format(command="/menu")] * 4


async def test_deep_link_parameter_is_answered_after_language(
    chat: Callable[..., ChatDriver],
) -> None:
    amina = chat()
    await amina.send("/start someCode_123")
    await amina.press(LANGUAGE.encode("so"))
    so = translator("so")
    invalid = so._("This link is not valid or has expired. Ask your coordinator for a new one.")
    assert any(invalid in text for text in amina.texts())
    assert so._("What would you like to do?") not in amina.last()["text"]  # the welcome instead


async def test_nothing_is_stored_before_she_chooses_a_language(
    chat: Callable[..., ChatDriver], services: Services
) -> None:
    amina = chat()
    await amina.send("/start")
    await amina.send("I need help")
    assert await load_person(services.db, amina.chat_id) is None


async def test_command_menus_published_for_every_two_letter_locale(
    app: BotApplication, api: OfflineBotApi
) -> None:
    published = {
        (json.dumps(c.params.get("scope")), c.params.get("language_code", ""))
        for c in api.calls_to("setMyCommands")
    }
    expected_codes = {lang.telegram_code for lang in LANGUAGES if lang.telegram_code} | {""}
    assert {code for scope, code in published if scope == "null"} == expected_codes
    assert "ckb" not in {code for _, code in published}  # Sorani has no two-letter code
    somali = next(c for c in api.calls_to("setMyCommands") if c.params.get("language_code") == "so")
    assert {"command": "language", "description": translator("so")._("Change your language")} in (
        somali.params["commands"]
    )


async def test_a_double_tap_on_a_language_is_no_error(chat: Callable[..., ChatDriver]) -> None:
    amina = chat()
    await amina.send("/start")
    picker = amina.last_with_buttons()["message_id"]
    await amina.press(LANGUAGE.encode("so"), picker)
    await amina.press(LANGUAGE.encode("so"), picker)  # cheap phone, slow network: she pressed again
    assert not any(text.startswith("😔") for text in amina.texts())


async def test_when_her_identity_cannot_be_loaded_she_hears_it_once_in_her_apps_language(
    chat: Callable[..., ChatDriver], monkeypatch: pytest.MonkeyPatch
) -> None:
    import handlers.common.identity

    async def broken(*args: object) -> None:
        raise RuntimeError("database is locked")

    monkeypatch.setattr(handlers.common.identity, "load_person", broken)
    hawa = chat(1002, "Hawa", language_code="ar")
    await hawa.send("/start")
    sorry = translator("ar")._(
        "Sorry, something went wrong on our side. Please try again in a moment."
    )
    assert hawa.texts() == [f"😔 {sorry}"]
