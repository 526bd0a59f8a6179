"""The help guide through the real Application: topics, cards, safety, voice notes, /stats."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from bot.app import BotApplication
from bot.i18n import translator
from bot.offline.api import OfflineBotApi
from bot.offline.state import JSON
from bot.referrals import load_catalogue, map_search_url, parse_catalogue
from handlers.common import menu
from handlers.common.catalogue import CATALOGUE_KEY
from handlers.common.context import Services
from handlers.common.help_flow import CLEAR
from handlers.help.codecs import (
    ASK,
    CONSENT_YES,
    GUIDE_LANGUAGE,
    REQUEST_CHANNEL,
    REQUEST_DISTRICT,
    TOPIC,
    TOPIC_VOICE,
    TOPICS,
    VOICE_DELETE,
    VOICE_DISCARD,
    VOICE_KEEP,
    VOICE_LANGUAGE,
)
from storage.help import count_view, voice_note
from storage.people import load_person
from storage.privacy import tables_mentioning
from tests.fakes.clock import VirtualClock
from tests.fakes.telegram import ChatDriver, buttons_of
from tests.help.world import asks_to_record, send_voice, waiting_for_a_voice_note, whole_topic
from tests.support.people import ADMIN_ID, make_member, started
from tests.support.rows import count_rows

ZAHRA = 5550004321  # long and unusual, so that finding it in a table is never a coincidence
TOPIC_IDS = [topic.id for topic in load_catalogue().topics]


def labels(message: JSON) -> list[str]:
    return [b["text"] for b in buttons_of(message)]


def sent_html(api: OfflineBotApi, chat_id: int) -> list[str]:
    """The HTML of every sendMessage to this chat, as the bot wrote it (links included)."""
    return [
        str(c.params["text"])
        for c in api.calls_to("sendMessage")
        if int(c.params["chat_id"]) == chat_id
    ]


# -- topics and cards ---------------------------------------------------------------------------


async def test_help_shows_the_topics_as_picture_buttons(chat: Callable[..., ChatDriver]) -> None:
    amina = await started(chat())
    await amina.send("/help")
    message = amina.api.bot_messages_in(amina.chat_id)[-2]  # the topics first
    assert "/language —" in amina.last()["text"]  # the commands after them
    assert "Where to find help. Choose a topic:" in message["text"]
    assert labels(message) == [
        "🤰 Pregnancy and women's health",
        "👶 Children and family",
        "💰 Money, NAV and work",
        "🛡 Violence in close relationships",
        "💚 Mental health",
        "🩺 Doctor and emergency",
        "📚 Norwegian courses",
        "🤝 Talk to a bydelsmor",
        "🧹 Clear this conversation",
    ]


@pytest.mark.parametrize("locale", ["so", "ar", "ti", "ckb"])
async def test_info_and_the_menu_open_the_guide_in_her_language(
    chat: Callable[..., ChatDriver], locale: str
) -> None:
    t = translator(locale)
    hawa = await started(chat(1002, "Hawa"), locale)
    await hawa.send("/info")
    assert hawa.last()["text"].startswith("🧭 " + t._("Where to find help. Choose a topic:"))
    await hawa.press(menu.HELP.encode(), hawa.api.bot_messages_in(hawa.chat_id)[1]["message_id"])
    assert labels(hawa.last_with_buttons())[0] == "🤰 " + t._("Pregnancy and women's health")
    for label in labels(hawa.last_with_buttons()):
        assert not label[0].isalpha(), label


async def test_pregnancy_says_free_with_a_phone_number_and_a_map_link(
    chat: Callable[..., ChatDriver], api: OfflineBotApi
) -> None:
    amina = await started(chat())
    await amina.send("/info")
    pages = await whole_topic(amina, "pregnancy")
    text = pages[0]["text"]
    assert text.startswith("🤰 Pregnancy and women's health\n")
    checkups = text[text.index("Pregnancy check-ups (svangerskapskontroll)") :]
    assert checkups.split("\n\n")[1].startswith("🆓 FREE\n🗣 Free interpreter")
    assert any("📞 +47 23 01 34 34 — Oslo legevakt" in page["text"] for page in pages)
    link = html.escape(map_search_url("Storgata 40, Oslo"))
    assert any(f'🗺 <a href="{link}">Storgata 40, Oslo</a>' in page
               for page in sent_html(api, amina.chat_id))  # fmt: skip
    assert labels(amina.last()) == [
        "🤝 Talk to a bydelsmor", "⬅️ All topics", "🧹 Clear this conversation",
    ]  # fmt: skip
    assert labels(pages[0])[0] == "➡️ Next page" and pages[0]["text"].endswith(
        f"Page 1 of {len(pages)}"
    )


async def test_violence_opens_with_112_and_116_006_before_anything_else(
    chat: Callable[..., ChatDriver], api: OfflineBotApi
) -> None:
    amina = await started(chat())
    await amina.send("/info")
    before = len(api.bot_messages_in(amina.chat_id))
    await amina.press(TOPIC.encode("violence"))
    first = api.bot_messages_in(amina.chat_id)[before]
    text = first["text"]
    assert text.startswith("Police emergency (politiet)\n"), text[:80]
    phones = [line for line in text.split("\n") if line.startswith("📞")]
    assert phones[:2] == ["📞 112 — Police, emergency", phones[1]]
    assert phones[1].startswith("📞 116 006")
    assert text.index("116 006") < text.index("🛡 Violence in close relationships")


async def test_the_public_never_sees_an_unconfirmed_number_coordinators_see_it_marked(
    chat: Callable[..., ChatDriver], services: Services
) -> None:
    amina = await started(chat())
    await amina.send("/info")
    await amina.press(TOPIC.encode("violence"))
    await whole_topic(amina, "violence")
    assert "22 48 03 80" not in "".join(amina.texts())
    await make_member(services, 2001, "coordinator")
    kari = await started(chat(2001, "Kari"))
    await kari.send("/info")
    await whole_topic(kari, "violence")
    assert "📞 +47 22 48 03 80 — Oslo Krisesenter ⚠️ unconfirmed" in "".join(kari.texts())


async def test_a_place_with_sourced_coordinates_is_sent_as_a_venue(
    app: BotApplication, chat: Callable[..., ChatDriver], api: OfflineBotApi
) -> None:
    app.bot_data[CATALOGUE_KEY] = parse_catalogue(VENUE_CATALOGUE)
    amina = await started(chat())
    await amina.send("/info")
    await amina.press(TOPIC.encode("violence"))
    venue = api.calls_to("sendVenue")[-1].params
    assert (venue["latitude"], venue["longitude"]) == (59.91, 10.75)
    assert venue["title"] == "Police" and venue["address"] == "Grønlandsleiret 44, Oslo"
    assert "📍 Grønlandsleiret 44, Oslo" in amina.texts()[-2]
    assert labels(amina.last())[-1] == "🧹 Clear this conversation"  # buttons under the venue


VENUE_CATALOGUE = """\
[emergency]
topic = "violence"
first = ["police"]

[[topic]]
id = "violence"
emoji = "🛡"
label = "Violence"
order = 1

[[service]]
id = "police"
name = "Police"
helps_with = "Call when someone is in danger."
topics = ["violence"]
cost = "free"
interpreter_free = false
source = "https://example.org/police"
checked = 2026-11-01
[[service.phones]]
number = "112"
label = "Police"
unconfirmed = false
[service.address]
street = "Grønlandsleiret 44, Oslo"
unconfirmed = false
latitude = 59.91
longitude = 10.75
coordinates_source = "https://example.org/police/map"
"""


async def test_a_long_topic_is_split_into_messages_telegram_accepts(
    chat: Callable[..., ChatDriver], api: OfflineBotApi, services: Services
) -> None:
    await make_member(services, 2001, "coordinator")
    kari = await started(chat(2001, "Kari"), "ti")  # coordinators see every card, with sources
    await kari.send("/info")
    for topic in TOPIC_IDS:
        await kari.press(TOPIC.encode(topic))
    assert all(len(text) <= 4096 for text in sent_html(api, kari.chat_id))
    assert api.violations == []


# -- before she has chosen a language -----------------------------------------------------------


@pytest.mark.parametrize("command", ["/help", "/info"])
async def test_a_newcomer_gets_one_tap_for_her_language_then_the_guide(
    chat: Callable[..., ChatDriver], services: Services, command: str
) -> None:
    hodan = chat(1003, "Hodan", "ar")
    await hodan.send(command)
    picker = hodan.last()
    assert picker["text"] == "🌍 " + translator("ar")._("Choose your language")
    assert len(buttons_of(picker)) == 12
    assert await load_person(services.db, 1003) is None, "nothing stored before she chooses"
    await hodan.press(GUIDE_LANGUAGE.encode("so"))
    so = translator("so")
    assert hodan.last()["text"].startswith("🧭 " + so._("Where to find help. Choose a topic:"))
    record = await load_person(services.db, 1003)
    assert record is not None and record.locale == "so"


async def test_both_language_pickers_are_one_picker_with_two_prefixes(
    chat: Callable[..., ChatDriver], api: OfflineBotApi
) -> None:
    """The guide's picker is onboarding's, with hlang: instead of lang: (one helper, no copy)."""
    hodan = chat(1003, "Hodan", "ar")
    await hodan.send("/info")
    guide = [[(b["text"], b["callback_data"]) for b in row]
             for row in hodan.last()["reply_markup"]["inline_keyboard"]]  # fmt: skip
    await hodan.send("/start")
    start = [[(b["text"], b["callback_data"]) for b in row]
             for row in hodan.last()["reply_markup"]["inline_keyboard"]]  # fmt: skip
    assert guide == [[(text, "h" + data) for text, data in row] for row in start]
    commands_before = len(api.calls_to("setMyCommands"))
    await hodan.press(GUIDE_LANGUAGE.encode("ti"), api.bot_messages_in(1003)[1]["message_id"])
    assert api.bot_messages_in(1003)[1]["text"] == "✅ ትግርኛ"
    assert len(api.calls_to("setMyCommands")) > commands_before, "her command menu follows"


# -- clear this conversation --------------------------------------------------------------------


async def test_clear_deletes_exactly_the_messages_of_the_flow(
    chat: Callable[..., ChatDriver], api: OfflineBotApi, services: Services
) -> None:
    await make_member(services, 2001, "coordinator")
    zahra = await started(chat(ZAHRA, "Zahra"))
    await zahra.send("hello")  # unrelated: before the flow
    earlier = [m["message_id"] for m in api.messages_in(ZAHRA)]
    await zahra.send("/help")
    await zahra.press(TOPIC.encode("violence"))
    await zahra.press(TOPIC.encode("bydelsmor"))
    await zahra.press(ASK.encode())
    await zahra.press(CONSENT_YES.encode())
    await zahra.press(REQUEST_DISTRICT.encode(1))
    await zahra.press(REQUEST_CHANNEL.encode(1, "ph"))
    await zahra.send("412 34 567")
    flow = [m["message_id"] for m in api.messages_in(ZAHRA) if m["message_id"] not in earlier]
    assert len(flow) >= 6
    await zahra.press(CLEAR.encode())
    left = api.messages_in(ZAHRA)
    assert [m["message_id"] for m in left[:-1]] == earlier
    assert left[-1]["text"] == "👋 Send /menu to begin."
    deleted = {i for c in api.calls_to("deleteMessages") for i in c.params["message_ids"]}
    assert deleted == set(flow)


async def test_the_neutral_line_says_nothing_in_any_language(
    chat: Callable[..., ChatDriver], api: OfflineBotApi
) -> None:
    for locale in ("so", "ar", "fa_AF"):
        t = translator(locale)
        zahra = await started(chat(ZAHRA, "Zahra"), locale)
        await zahra.send("/info")
        await zahra.press(TOPIC.encode("violence"))
        await zahra.press(CLEAR.encode())
        line = zahra.last()["text"]
        assert line == "👋 " + t._("Send {command} to begin.").format(command=t.command("menu"))
        assert buttons_of(zahra.last()) == []
        for word in ("Violence", t._("Violence in close relationships"), "112", "116"):
            assert word not in line


async def test_after_a_restart_clear_deletes_what_it_knows_and_never_fails(
    app: BotApplication, chat: Callable[..., ChatDriver], api: OfflineBotApi
) -> None:
    zahra = await started(chat(ZAHRA, "Zahra"))
    await zahra.send("/info")
    await zahra.press(TOPIC.encode("mental"))
    app.chat_data[ZAHRA].clear()  # what a restart forgets (chat_data is in memory only)
    pressed = zahra.last()["message_id"]
    await zahra.press(CLEAR.encode())
    assert pressed not in [m["message_id"] for m in api.messages_in(ZAHRA)]
    assert zahra.last()["text"] == "👋 Send /menu to begin."


async def test_clear_says_nothing_is_clean_while_telegram_refuses_to_delete(
    chat: Callable[..., ChatDriver], api: OfflineBotApi
) -> None:
    zahra = await started(chat(ZAHRA, "Zahra"))
    await zahra.send("/info")
    await zahra.press(TOPIC.encode("money"))
    flow = [m["message_id"] for m in api.messages_in(ZAHRA)][-3:]  # /info, the guide, the cards

    def refuse_deleting(method: str, params: JSON) -> tuple[int, JSON] | None:
        if method == "deleteMessages":
            return 400, {"ok": False, "error_code": 400,
                         "description": "Bad Request: message can't be deleted"}  # fmt: skip
        return None

    api.fault = refuse_deleting
    await zahra.press(CLEAR.encode())
    kept = [m["message_id"] for m in api.messages_in(ZAHRA)]
    assert set(flow) <= set(kept), "everything she saw is still on her screen"
    assert all(m.get("text") != "👋 Send /menu to begin." for m in api.messages_in(ZAHRA))
    assert zahra.last()["text"].startswith("⏳ Not everything could be deleted yet.")
    assert labels(zahra.last()) == ["🧹 Clear this conversation"]
    assert "Money" not in zahra.last()["text"]

    api.fault = None  # Telegram works again: the second press clears all of it
    await zahra.press(buttons_of(zahra.last())[0]["callback_data"])
    left = [m["message_id"] for m in api.messages_in(ZAHRA)]
    assert not set(flow) & set(left)
    assert zahra.last()["text"] == "👋 Send /menu to begin."
    assert len([m for m in api.messages_in(ZAHRA) if "⏳" in m.get("text", "")]) == 0


async def test_a_failed_delete_keeps_the_ids_and_the_button_tries_again(
    chat: Callable[..., ChatDriver], api: OfflineBotApi
) -> None:
    zahra = await started(chat(ZAHRA, "Zahra"))
    await zahra.send("/info")
    await zahra.press(TOPIC.encode("mental"))
    flow = [m["message_id"] for m in api.messages_in(ZAHRA)][-3:]
    failures = [0]

    def trouble(method: str, params: JSON) -> tuple[int, JSON] | None:
        if method != "deleteMessages" or failures[0] >= 1:
            return None
        failures[0] += 1
        return 500, {"ok": False, "error_code": 500, "description": "Internal Server Error"}

    api.fault = trouble
    await zahra.press(CLEAR.encode())
    assert failures[0] == 1
    assert zahra.last()["text"].startswith("⏳ Not everything could be deleted yet.")
    assert set(flow) <= {m["message_id"] for m in api.messages_in(ZAHRA)}
    await zahra.press(buttons_of(zahra.last())[0]["callback_data"])
    assert not set(flow) & {m["message_id"] for m in api.messages_in(ZAHRA)}
    assert zahra.last()["text"] == "👋 Send /menu to begin."


@pytest.mark.parametrize("times", [1, 2])
async def test_flood_control_is_waited_out_under_the_one_plan_and_the_chat_is_cleared(
    chat: Callable[..., ChatDriver], api: OfflineBotApi, turns_clock: VirtualClock, times: int
) -> None:
    zahra = await started(chat(ZAHRA, "Zahra"))
    earlier = [m["message_id"] for m in api.messages_in(ZAHRA)]
    await zahra.send("/info")
    await zahra.press(TOPIC.encode("mental"))
    refused = [0]

    def once(method: str, params: JSON) -> tuple[int, JSON] | None:
        if method != "deleteMessages" or refused[0] >= times:
            return None
        refused[0] += 1
        return 429, {"ok": False, "error_code": 429, "parameters": {"retry_after": 3},
                     "description": "Too Many Requests: retry after 3"}  # fmt: skip

    api.fault = once
    await zahra.press(CLEAR.encode())
    # The bot's rate limiter paused every sender as Telegram asked, then sent the same request;
    # the clearing did not wait a second time on its own (every sleep is on the one clock).
    assert len([w for w in turns_clock.slept if 2.9 < w <= 3.0]) == times
    assert zahra.last()["text"] == "👋 Send /menu to begin."
    assert [m["message_id"] for m in api.messages_in(ZAHRA)][:-1] == earlier


async def test_after_a_restart_the_button_clears_from_the_flows_first_message(
    app: BotApplication, chat: Callable[..., ChatDriver], api: OfflineBotApi
) -> None:
    zahra = await started(chat(ZAHRA, "Zahra"))
    earlier = [m["message_id"] for m in api.messages_in(ZAHRA)]
    await zahra.send("/info")
    await zahra.press(TOPIC.encode("mental"))
    await zahra.press(TOPIC.encode("doctor"))
    data = buttons_of(zahra.last())[-1]["callback_data"]
    assert data == f"hlp:clear:{earlier[-1] + 1}"  # her /info
    app.chat_data[ZAHRA].clear()  # what a restart forgets (chat_data is in memory only)
    await zahra.press(data)
    left = api.messages_in(ZAHRA)
    assert [m["message_id"] for m in left[:-1]] == earlier
    assert left[-1]["text"] == "👋 Send /menu to begin."


async def test_what_she_types_or_sends_during_the_guide_is_cleared_with_it(
    chat: Callable[..., ChatDriver], api: OfflineBotApi
) -> None:
    zahra = await started(chat(ZAHRA, "Zahra"))
    earlier = [m["message_id"] for m in api.messages_in(ZAHRA)]
    await zahra.send("/info")
    await zahra.press(TOPIC.encode("violence"))
    await zahra.send("my husband hits me")
    assert zahra.last()["text"].startswith("👇 I understand the buttons best.")
    sticker = {"file_id": "s1", "file_unique_id": "s1", "type": "regular", "width": 512,
               "height": 512, "is_animated": False, "is_video": False}  # fmt: skip
    await zahra._process(api.send_other(zahra.user, sticker=sticker))
    await zahra.send("/nonsense")
    await zahra.press(TOPIC.encode("mental"))
    await zahra.send("thank you")  # after the last topic: her words and the reply go too
    flow = [m["message_id"] for m in api.messages_in(ZAHRA) if m["message_id"] not in earlier]
    await zahra.press(CLEAR.encode(), api.bot_messages_in(ZAHRA)[-2]["message_id"])
    deleted = {i for c in api.calls_to("deleteMessages") for i in c.params["message_ids"]}
    assert deleted == set(flow)
    left = api.messages_in(ZAHRA)
    assert [m["message_id"] for m in left[:-1]] == earlier
    assert left[-1]["text"] == "👋 Send /menu to begin."


async def test_her_own_help_command_is_part_of_the_flow(
    chat: Callable[..., ChatDriver], api: OfflineBotApi
) -> None:
    zahra = await started(chat(ZAHRA, "Zahra"))
    await zahra.send("/info")
    mine = [m for m in api.messages_in(ZAHRA) if m["from"]["id"] == ZAHRA and m.get("text")]
    assert mine[-1]["text"] == "/info"
    await zahra.press(CLEAR.encode())
    assert all(m.get("text") != "/info" for m in api.messages_in(ZAHRA))


# -- what is stored -----------------------------------------------------------------------------


async def test_after_browsing_every_topic_no_table_holds_her_id_next_to_a_topic(
    chat: Callable[..., ChatDriver], services: Services
) -> None:
    zahra = await started(chat(ZAHRA, "Zahra"), "so")
    await zahra.send("/info")
    for topic in TOPIC_IDS:
        await zahra.press(TOPIC.encode(topic))
    await zahra.press(TOPICS.encode())
    await zahra.press(CLEAR.encode())
    # Her id is in one place only: the row that holds the language she chose.
    assert await tables_mentioning(services.db, ZAHRA) == ["people.telegram_id"]
    row = await services.db.fetch_one("SELECT * FROM people WHERE telegram_id = ?", (ZAHRA,))
    assert row is not None and set(row.keys()) == {"telegram_id", "locale", "unreachable_since"}
    views = await services.db.fetch_all("SELECT topic, locale, views FROM help_views")
    assert sorted((r["topic"], r["locale"], r["views"]) for r in views) == sorted(
        (topic, "so", 1) for topic in TOPIC_IDS
    )


async def test_stats_counts_full_days_topics_and_languages_apart_and_hides_small_counts(
    chat: Callable[..., ChatDriver], services: Services
) -> None:
    today = datetime.now(UTC).astimezone(services.config.tz).date()
    for days_ago, topic, locale, views in (
        (1, "pregnancy", "so", 6), (3, "pregnancy", "ar", 2), (20, "pregnancy", "ar", 4),
        (20, "violence", "ti", 1), (40, "pregnancy", "ar", 9),  # 40 days: too old
    ):  # fmt: skip
        for _ in range(views):
            await count_view(services.db, today - timedelta(days=days_ago), topic, locale)
    for user_id in (1001, 1002, 1003):  # today: not counted yet
        woman = await started(chat(user_id), "so")
        await woman.send("/info")
        await woman.press(TOPIC.encode("mental"))
    await make_member(services, 2001, "coordinator")
    kari = await started(chat(2001, "Kari"))
    await kari.send("/info")
    await kari.press(TOPIC.encode("violence"))  # a coordinator checking cards is not counted
    await kari.send("/stats")
    text = kari.last()["text"]
    assert "🤰 Pregnancy and women's health: 8 / 12" in text
    assert "🛡 Violence in close relationships: fewer than 5 / fewer than 5" in text
    assert "Mental" not in text, "today's views wait for tomorrow"
    assert "🗣 Soomaali: 6 / 6" in text and "🗣 العربية: fewer than 5 / 6" in text
    assert "🗣 ትግርኛ: fewer than 5 / fewer than 5" in text
    topics, languages = text.index("Topics"), text.index("Languages")
    assert topics < text.index("Pregnancy") < languages < text.index("Soomaali")
    assert text.index("Soomaali") < text.index("العربية") < text.index("ትግርኛ")
    assert text.count("🗣") == 3, "a topic is never shown per language"


async def test_stats_are_split_into_messages_telegram_accepts(
    chat: Callable[..., ChatDriver], api: OfflineBotApi, services: Services
) -> None:
    today = datetime.now(UTC).astimezone(services.config.tz).date()
    # Topics since removed from the catalogue keep their counts, listed by id: 90 long ids
    # outgrow one message, as a catalogue with many topics in a long script would.
    removed = [f"{'t' * 36}-{i:03d}" for i in range(90)]
    for topic in removed:
        await count_view(services.db, today - timedelta(days=1), topic, "ckb")
    await make_member(services, 2001, "coordinator")
    kari = await started(chat(2001, "Kari"), "ckb")
    before = len(api.calls_to("sendMessage"))
    await kari.send("/stats")
    pages = [str(c.params["text"]) for c in api.calls_to("sendMessage")[before:]]
    assert len(pages) >= 2 and all(len(page) <= 4096 for page in pages)
    assert sum(page.count("• ") for page in pages) == len(removed)
    assert pages[0].startswith("📊 ") and "ℹ️ " in pages[-1]
    assert api.violations == []


async def test_stats_with_no_views_says_so(
    chat: Callable[..., ChatDriver], services: Services
) -> None:
    admin = await started(chat(ADMIN_ID, "Admin"))
    await admin.send("/stats")
    assert "No topic was opened in the last 30 days." in admin.last()["text"]


@pytest.mark.parametrize("role", [None, "participant", "mother"])
async def test_stats_and_voice_are_for_coordinators_and_admins_only(
    chat: Callable[..., ChatDriver], services: Services, role: str | None
) -> None:
    if role:
        await make_member(services, 2002, role)
    fadumo = await started(chat(2002, "Fadumo"))
    for command in ("/stats", "/voice"):
        await fadumo.send(command)
        assert fadumo.last()["text"].startswith("🔒 "), command


# -- voice notes --------------------------------------------------------------------------------


async def record(
    kari: ChatDriver,
    topic: str,
    locale: str,
    file_id: str,
    answer: str | None = VOICE_KEEP.encode(),
) -> None:
    """She records a voice note, hears it played back, and keeps it (or `answer`s otherwise)."""
    await asks_to_record(kari, topic, locale)
    await send_voice(kari, file_id)
    if answer is not None:
        await kari.press(answer)


async def test_a_coordinator_records_a_voice_note_women_of_that_language_hear_it(
    chat: Callable[..., ChatDriver], api: OfflineBotApi, services: Services
) -> None:
    await make_member(services, 2001, "coordinator")
    kari = await started(chat(2001, "Kari"))
    await record(kari, "pregnancy", "so", "voice-file-so-1")
    assert kari.last()["text"].startswith("✅ Saved. Women who read “Pregnancy and women's health”")
    assert await voice_note(services.db, "pregnancy", "so") == "voice-file-so-1"

    fadumo = await started(chat(1001, "Fadumo"), "so")
    await fadumo.send("/info")
    await fadumo.press(TOPIC.encode("pregnancy"))
    listen = "🔊 " + translator("so")._("Listen")
    assert listen in labels(fadumo.last())
    await fadumo.press(TOPIC_VOICE.encode("pregnancy"))
    sent = api.calls_to("sendVoice")[-1].params
    assert sent["voice"] == "voice-file-so-1" and int(sent["chat_id"]) == 1001
    assert "voice" in api.bot_messages_in(1001)[-1]

    hawa = await started(chat(1002, "Hawa"), "ar")
    await hawa.send("/info")
    await hawa.press(TOPIC.encode("pregnancy"))
    assert not any(label.startswith("🔊") for label in labels(hawa.last()))
    await hawa.press(TOPIC_VOICE.encode("pregnancy"))  # forged: there is no Arabic voice note
    ar = translator("ar")
    expired = ar._("This button has expired. Send {command} to start again.")
    assert hawa.toasts()[-1] == expired.format(command=ar.command("menu"))


async def test_a_recording_is_played_back_and_saved_only_if_she_keeps_it(
    chat: Callable[..., ChatDriver], api: OfflineBotApi, services: Services
) -> None:
    await make_member(services, 2001, "coordinator")
    kari = await started(chat(2001, "Kari"))
    await record(kari, "doctor", "ar", "take-1", answer=None)
    played = api.calls_to("sendVoice")[-1].params
    assert played["voice"] == "take-1" and int(played["chat_id"]) == 2001
    assert kari.last()["text"].startswith("🎧 Listen to it above. Keep it as the voice note")
    assert labels(kari.last()) == ["✅ Keep", "🗑 Discard"]
    assert await voice_note(services.db, "doctor", "ar") is None, "nothing saved before ✅"
    await kari.press(VOICE_DISCARD.encode())
    assert kari.last()["text"] == "🗑 Discarded. Nothing was saved."
    assert await voice_note(services.db, "doctor", "ar") is None
    # an old button: nothing to keep
    await kari.press(VOICE_KEEP.encode(), kari.last()["message_id"])
    assert kari.toasts()[-1] == "This button has expired. Send /menu to start again."
    assert await voice_note(services.db, "doctor", "ar") is None
    await record(kari, "doctor", "ar", "take-2")
    assert kari.last()["text"].startswith("✅ Saved.")
    assert await voice_note(services.db, "doctor", "ar") == "take-2"


async def test_voice_lists_the_notes_there_are_and_deletes_one(
    chat: Callable[..., ChatDriver], services: Services
) -> None:
    await make_member(services, 2001, "coordinator")
    kari = await started(chat(2001, "Kari"))
    await record(kari, "doctor", "ar", "note-ar")
    await record(kari, "pregnancy", "so", "note-so")
    await kari.send("/voice")
    assert "🗑 Or delete a voice note there is:" in kari.last()["text"]
    deletes = [b for b in buttons_of(kari.last()) if b["callback_data"].startswith("vcd:")]
    assert [b["text"] for b in deletes] == [
        "🗑 🩺 Doctor and emergency — العربية",
        "🗑 🤰 Pregnancy and women's health — Soomaali",
    ]
    await kari.press(VOICE_DELETE.encode("doctor", "ar"))
    assert kari.last()["text"] == "🗑 Deleted the voice note for “Doctor and emergency” in العربية."
    assert await voice_note(services.db, "doctor", "ar") is None
    assert await voice_note(services.db, "pregnancy", "so") == "note-so"
    await make_member(services, 2002, "mother")
    fadumo = await started(chat(2002, "Fadumo"))
    await fadumo.press(VOICE_DELETE.encode("pregnancy", "so"))  # forged: a mother may not delete
    assert fadumo.toasts()[-1].startswith("🔒 ")
    assert await voice_note(services.db, "pregnancy", "so") == "note-so"


async def test_a_voice_note_of_a_woman_who_is_not_recording_is_not_saved(
    chat: Callable[..., ChatDriver], services: Services
) -> None:
    await make_member(services, 2002, "mother")
    fadumo = await started(chat(2002, "Fadumo"))
    await fadumo.press(VOICE_LANGUAGE.encode("pregnancy", "so"))  # forged: a mother may not record
    await send_voice(fadumo, "x", 3)
    assert await voice_note(services.db, "pregnancy", "so") is None
    assert fadumo.last()["text"].startswith("👇 ")


async def test_a_coordinator_who_lost_her_role_while_recording_saves_nothing(
    chat: Callable[..., ChatDriver], services: Services
) -> None:
    kari = await waiting_for_a_voice_note(chat, services)
    await services.db.execute("UPDATE memberships SET role = 'mother' WHERE telegram_id = 2001")
    await send_voice(kari, "late", 3)
    assert await voice_note(services.db, "doctor", "ar") is None
    assert kari.last()["text"].startswith("🔒 ")


# -- forged and old buttons ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    ["hlp:t:nope", "hlp:t:", "hlp:x:pregnancy", "hlp:t:pregnancy:1", "hlang:xx", "hlang:",
     "vc:nope", "vc:pregnancy:xx", "hlp:d:1", "hlp:c:1:ph", "hlp:c:1:sms", "req:done:999",
     "req:done:abc", "hlp:v:" + "a" * 50, "vck", "vcx", "vcd:nope:so", "vcd:doctor:xx"],
)  # fmt: skip
async def test_forged_help_buttons_change_nothing(
    chat: Callable[..., ChatDriver], services: Services, data: str
) -> None:
    await make_member(services, 2001, "coordinator")
    kari = await started(chat(2001, "Kari"))
    before = len(kari.texts())
    await kari.press(data)
    assert kari.toasts()[-1] == "This button has expired. Send /menu to start again."
    assert len(kari.texts()) == before
    assert await count_rows(services.db, "contact_requests") == 0


@pytest.mark.parametrize("locale", ["so", "ar", "ti", "pa"])
async def test_no_help_guide_message_is_longer_than_a_phone_screen_or_two(
    chat: Callable[..., ChatDriver], services: Services, locale: str
) -> None:
    await make_member(services, 2001, "coordinator", locale=locale)  # sees the longest cards
    for user_id in (1001, 2001):
        driver = await started(chat(user_id), locale)
        await driver.send("/info")
        for topic in TOPIC_IDS:
            pages = await whole_topic(driver, topic)
            texts = [page.get("text", "") for page in pages]
            assert all(len(text) <= 1250 for text in texts), (topic, [len(x) for x in texts])
            if len(texts) > 1:  # every page says where she is; each card stays whole
                assert texts[-1].endswith(f" {len(texts)}") or str(len(texts)) in texts[-1]
