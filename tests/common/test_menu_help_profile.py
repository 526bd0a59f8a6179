"""The menu, /help and /me depend on who she is; typed text and unknown commands find the menu."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from bot.i18n import translator
from bot.offline.api import OfflineBotApi
from handlers.common.context import Services
from handlers.common.language import LANGUAGE
from tests.fakes.telegram import ChatDriver, buttons_of
from tests.support.people import ADMIN_ID, make_member, started

# The menu of a woman who is in no district group.
PUBLIC_MENU = ["❓ Help", "🎓 Basic training", "🔒 My data", "🌍 Language", "📍 Meet a bydelsmor"]


def labels(driver: ChatDriver) -> list[str]:
    return [b["text"] for b in buttons_of(driver.last())]


async def test_public_menu_has_no_member_entries(chat: Callable[..., ChatDriver]) -> None:
    amina = await started(chat())
    assert labels(amina) == PUBLIC_MENU


@pytest.mark.parametrize("role", ["participant", "mother", "coordinator"])
async def test_member_menu_adds_meetings_and_profile(
    chat: Callable[..., ChatDriver], services: Services, role: str
) -> None:
    await make_member(services, 2001, role)
    fadumo = await started(chat(2001, "Fadumo"))
    coordinating = (
        ["👥 Members", "📨 Invite", "🔄 Phase", "📢 Announce"] if role == "coordinator" else []
    )
    everyone = ["❓ Help", "🎓 Basic training", "🔒 My data", "🌍 Language", "📍 Meet a bydelsmor"]
    rota = ["🗓 Rota"] if role in ("mother", "coordinator") else []
    assert labels(fadumo) == [*coordinating, "📅 Meetings", "👤 My profile", *rota, *everyone]
    assert all(label[0] not in "abcdefghijklmnopqrstuvwxyz" for label in labels(fadumo))


async def test_every_menu_button_starts_with_a_picture(
    chat: Callable[..., ChatDriver], services: Services
) -> None:
    await make_member(services, 2001, "coordinator")
    for locale in ("ar", "so", "ti"):
        kari = chat(2001, "Kari")
        await kari.send("/language")
        await kari.press(LANGUAGE.encode(locale))
        for label in labels(kari):
            assert not label[0].isalpha(), label


async def test_help_is_written_per_role(
    chat: Callable[..., ChatDriver], services: Services
) -> None:
    texts = {}
    await make_member(services, 2001, "mother")
    await make_member(services, 2002, "coordinator")
    for user_id in (1001, 2001, 2002, ADMIN_ID):
        driver = await started(chat(user_id))
        await driver.send("/help")
        topics, commands = driver.texts()[-2:]  # the topic buttons first, then the commands
        assert "Where to find help. Choose a topic:" in topics and "Commands" in commands
        texts[user_id] = topics + "\n" + commands
    assert len(set(texts.values())) == 4
    assert "/me —" not in texts[1001] and "/me —" in texts[2001]
    assert "coordinator" in texts[2002] and "administrator" in texts[ADMIN_ID]
    assert "/language" in texts[1001]


async def test_help_in_arabic_isolates_commands(chat: Callable[..., ChatDriver]) -> None:
    hawa = await started(chat(1002, "Hawa"), "ar")
    await hawa.send("/help")
    assert "\u2068/language\u2069" in hawa.last()["text"]


async def test_profile_shows_district_role_and_language_in_her_language(
    chat: Callable[..., ChatDriver], services: Services
) -> None:
    await make_member(services, 2001, "mother", district="Stovner", phase=4)
    fadumo = await started(chat(2001, "Fadumo"), "so")
    await fadumo.press_label(translator("so")._("My profile"))
    so = translator("so")
    text = fadumo.last()["text"]
    assert (
        so._("{district} (phase {phase}): {role}").format(
            district="Stovner", phase=4, role=so._("bydelsmor")
        )
        in text
    )
    assert so._("Language: {language}").format(language="Soomaali") in text


async def test_profile_escapes_html_in_names(
    chat: Callable[..., ChatDriver], services: Services
) -> None:
    await make_member(services, 2001, "mother", district="<b>Alna</b> & <script>")
    fadumo = await started(chat(2001, "Fadumo"))
    await fadumo.send("/me")
    # The fake rejects unescaped HTML like Telegram does; what she sees is the literal name.
    assert "<b>Alna</b> & <script> (phase 3): bydelsmor" in fadumo.last()["text"]


async def test_public_profile_says_not_a_member(chat: Callable[..., ChatDriver]) -> None:
    amina = await started(chat())
    await amina.send("/me")
    assert "You are not a member of a district group yet." in amina.last()["text"]


@pytest.mark.parametrize(
    "text",
    ["hello", "مرحبا، أحتاج مساعدة", "ሰላም", "x" * 4096, "<b>not html</b> & stuff", "🙂" * 50],
)
async def test_free_text_of_any_length_or_script_points_to_the_menu(
    chat: Callable[..., ChatDriver], text: str
) -> None:
    amina = await started(chat())
    await amina.send(text)
    assert amina.last()["text"].startswith("👇 I understand the buttons best.")
    assert labels(amina) == PUBLIC_MENU


async def test_free_text_before_choosing_asks_for_the_language(
    chat: Callable[..., ChatDriver],
) -> None:
    amina = chat()
    await amina.send("hello")
    assert len(buttons_of(amina.last())) == 12


async def test_unknown_command_points_to_help(chat: Callable[..., ChatDriver]) -> None:
    amina = await started(chat(), "so")
    await amina.send("/doesnotexist")
    so = translator("so")
    assert (
        so._("I do not know that command. Press a button, or send {command}.").format(
            command="/help"
        )
        in amina.last()["text"]
    )


async def test_group_messages_get_no_reply(
    chat: Callable[..., ChatDriver], api: OfflineBotApi
) -> None:
    amina = chat()
    group: dict[str, Any] = {"id": -100123, "type": "supergroup", "title": "Bydelsmødre Alna"}
    api.chats[-100123] = group
    for text in ("hello everyone", "/start", "/help"):
        await amina._process(api.send_text(amina.user, text, chat=group))
    assert api.bot_messages_in(-100123) == []


@pytest.mark.parametrize(
    "content",
    [
        {"voice": {"file_id": "v1", "file_unique_id": "v1", "duration": 4}},
        {"photo": [{"file_id": "p1", "file_unique_id": "p1", "width": 90, "height": 90}]},
        {"sticker": {"file_id": "s1", "file_unique_id": "s1", "type": "regular", "width": 512,
                     "height": 512, "is_animated": False, "is_video": False}},
        {"location": {"latitude": 59.95, "longitude": 10.9}},
    ],
)  # fmt: skip
async def test_voice_photos_and_stickers_are_answered_with_the_menu(
    chat: Callable[..., ChatDriver], api: OfflineBotApi, content: dict[str, Any]
) -> None:
    amina = await started(chat(), "so")
    await amina._process(api.send_other(amina.user, **content))
    assert amina.last()["text"].startswith("👇 ")
