""" "Ask a bydelsmor to contact me": consent first, the right district only, purged 30 days on."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.app import BotApplication
from bot.i18n import translator
from bot.offline.api import OfflineBotApi
from bot.offline.state import JSON
from handlers.common.awaiting import KEY as AWAITING_KEY
from handlers.common.context import SERVICES_KEY, Services
from handlers.common.help_flow import CLEAR, CONSENT_KEY
from handlers.help.codecs import (
    ASK,
    CONSENT_NO,
    CONSENT_YES,
    REQUEST_CHANNEL,
    REQUEST_DISTRICT,
    REQUEST_DONE,
    TOPIC,
)
from handlers.jobs.help import purge_contact_requests as purge
from handlers.people.codecs import FORGET
from storage import Database
from storage.districts import upsert_district
from storage.help import create_contact_request, get_contact_request, mark_handled
from storage.people import add_membership, mark_unreachable
from tests.fakes.telegram import ChatDriver, buttons_of, checked_api
from tests.help.world import two_districts, up_to_the_channel
from tests.support.people import make_member, started
from tests.support.restart import restarted
from tests.support.rows import count_rows

ZAHRA = 5550004321


async def requests(services: Services) -> list[dict[str, object]]:
    rows = await services.db.fetch_all("SELECT * FROM contact_requests ORDER BY id")
    return [dict(row) for row in rows]


async def zahra_chooses_how_in_alna(
    chat: Callable[..., ChatDriver], api: OfflineBotApi, services: Services
) -> tuple[ChatDriver, int]:
    """Zahra (English) has agreed and chosen Alna: the bot asks phone or Telegram. Returns her
    chat and Alna's id."""
    alna, _ = await two_districts(services, api)
    zahra = await started(chat(ZAHRA, "Zahra"))
    await up_to_the_channel(zahra, alna)
    return zahra, alna


async def test_consent_is_shown_first_and_no_means_nothing_is_stored(
    chat: Callable[..., ChatDriver], api: OfflineBotApi, services: Services
) -> None:
    await two_districts(services, api)
    zahra = await started(chat(ZAHRA, "Zahra"))
    await zahra.send("/info")
    await zahra.press(TOPIC.encode("bydelsmor"))
    assert "Furuset library (Deichman Furuset)" in zahra.last()["text"]
    assert buttons_of(zahra.last())[0]["text"] == "📞 Ask a bydelsmor to contact me"
    await zahra.press(ASK.encode())
    consent = zahra.last()["text"]
    assert "Only the coordinators of the district you choose see it." in consent
    assert (
        "It is deleted 30 days after a bydelsmor has handled it, or after 30 days if nobody "
        "has handled it by then." in consent
    )
    assert [b["callback_data"].split(":")[1] for b in buttons_of(zahra.last())] == [
        "ok", "no", "clear",
    ]  # fmt: skip
    await zahra.press(CONSENT_NO.encode())
    assert zahra.last()["text"] == "👍 All right. Nothing was stored."
    await zahra.press(REQUEST_DISTRICT.encode(1))  # the district step, without a "yes"
    assert await requests(services) == []


async def test_a_phone_request_reaches_only_that_districts_coordinators(
    chat: Callable[..., ChatDriver], api: OfflineBotApi, services: Services,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    alna, _ = await two_districts(services, api)
    for user_id in (2001, 2002, 2003):
        await started(chat(user_id))
    seen = {user_id: len(api.bot_messages_in(user_id)) for user_id in (2001, 2002, 2003)}
    zahra = await started(chat(ZAHRA, "Zahra"), "so")
    caplog.set_level(logging.INFO)
    await up_to_the_channel(zahra, alna)
    await zahra.press(REQUEST_CHANNEL.encode(alna, "ph"))
    await zahra.send("412 34 567")

    [stored] = await requests(services)
    assert (stored["telegram_id"], stored["district_id"], stored["locale"]) == (ZAHRA, alna, "so")
    assert (stored["channel"], stored["contact"]) == ("phone", "+47 412 34 567")
    assert len(api.bot_messages_in(2002)) == seen[2002], "Stovner's coordinator sees nothing"
    assert len(api.bot_messages_in(2003)) == seen[2003], "a bydelsmor is not a coordinator"
    note = api.bot_messages_in(2001)[-1]
    assert note["text"].startswith("📞 A woman asks a bydelsmor to contact her\n🏘 District: Alna")
    assert "🗣 Her language: Soomaali" in note["text"]
    assert "📞 By phone: +47 412 34 567" in note["text"]
    assert "Pregnancy" not in note["text"] and "bydelsmor" not in note["text"].split("\n")[1]
    assert [b["callback_data"] for b in buttons_of(note)] == [f"req:done:{stored['id']}"]
    # She is thanked in her own language (Somali), not in English.
    thanks = translator("so")._("Thank you. A bydelsmor from {district} will call you.")
    assert thanks != "Thank you. A bydelsmor from {district} will call you."
    assert zahra.last()["text"] == "✅ " + thanks.format(district="Alna")
    assert "412" not in caplog.text and "34 567" not in caplog.text, "a phone is never logged"


async def test_a_telegram_request_names_her_safely(
    chat: Callable[..., ChatDriver], api: OfflineBotApi, services: Services
) -> None:
    alna, _ = await two_districts(services, api)
    zahra = await started(chat(ZAHRA, "<b>Zahra</b> & <i>co"))
    await up_to_the_channel(zahra, alna)
    await zahra.press(REQUEST_CHANNEL.encode(alna, "tg"))
    [stored] = await requests(services)
    assert stored["contact"] == "<b>Zahra</b> & <i>co"
    html_sent = [
        c.params["text"] for c in api.calls_to("sendMessage") if int(c.params["chat_id"]) == 2001
    ][-1]
    link = f'<a href="tg://user?id={ZAHRA}">&lt;b&gt;Zahra&lt;/b&gt; &amp; &lt;i&gt;co</a>'
    assert f"💬 On Telegram: {link}" in html_sent
    assert api.violations == []


@pytest.mark.parametrize(
    "typed",
    ["<b>412</b>", "hello", "123", "0047 0000 0000", "4" * 16, "9" * 4096, "+47 412 34 56 78 9",
     "٤١٢٣٤٥٦٧"],
)  # fmt: skip
async def test_what_is_not_a_phone_number_is_asked_again_and_not_stored(
    chat: Callable[..., ChatDriver], api: OfflineBotApi, services: Services, typed: str
) -> None:
    zahra, alna = await zahra_chooses_how_in_alna(chat, api, services)
    await zahra.press(REQUEST_CHANNEL.encode(alna, "ph"))
    await zahra.send(typed)
    assert zahra.last()["text"].startswith("🤔 That does not look like a phone number.")
    assert await requests(services) == []
    await zahra.send("+47 22 40 00 40")  # she can try again
    [stored] = await requests(services)
    assert stored["contact"] == "+47 22 40 00 40"


async def test_help_works_while_the_bot_waits_for_her_number(
    chat: Callable[..., ChatDriver], api: OfflineBotApi, services: Services
) -> None:
    zahra, alna = await zahra_chooses_how_in_alna(chat, api, services)
    await zahra.press(REQUEST_CHANNEL.encode(alna, "ph"))
    await zahra.send("/help")
    assert "Where to find help. Choose a topic:" in zahra.texts()[-2]
    await zahra.send("98765432")
    [stored] = await requests(services)
    assert stored["contact"] == "+47 987 65 432"


async def test_typed_text_is_not_taken_for_a_number_unless_the_bot_asked(
    chat: Callable[..., ChatDriver], api: OfflineBotApi, services: Services
) -> None:
    await two_districts(services, api)
    zahra = await started(chat(ZAHRA, "Zahra"))
    await zahra.send("41234567")
    assert zahra.last()["text"].startswith("👇 I understand the buttons best.")
    assert await requests(services) == []


async def test_a_district_without_a_reachable_coordinator_keeps_nothing(
    chat: Callable[..., ChatDriver], api: OfflineBotApi, services: Services
) -> None:
    grorud = await upsert_district(services.db, "grorud", "Grorud", 3)
    await add_membership(services.db, 2005, grorud, "coordinator", "Ayan", datetime.now(UTC), "so")
    api.block(2005)
    zahra = await started(chat(ZAHRA, "Zahra"))
    await up_to_the_channel(zahra, grorud)
    await zahra.press(REQUEST_CHANNEL.encode(grorud, "tg"))
    assert await requests(services) == []
    assert "no bydelsmor in this district can take requests yet" in zahra.last()["text"]
    row = await services.db.fetch_one(
        "SELECT unreachable_since FROM people WHERE telegram_id = 2005"
    )
    assert row is not None and row[0] is not None


async def test_handled_is_pressed_by_that_districts_coordinator_only(
    chat: Callable[..., ChatDriver], api: OfflineBotApi, services: Services
) -> None:
    alna, _ = await two_districts(services, api)
    api.private_chat(api.user(2004))
    await make_member(services, 2004, "coordinator", "Alna", locale="so")  # a second, in Somali
    kari, ayan, fadumo = [await started(chat(i)) for i in (2001, 2002, 2003)]
    hodan = await started(chat(2004), "so")
    zahra = await started(chat(ZAHRA, "Zahra"))
    await up_to_the_channel(zahra, alna)
    await zahra.press(REQUEST_CHANNEL.encode(alna, "ph"))
    await zahra.send("412 34 567")
    [stored] = await requests(services)
    data = REQUEST_DONE.encode(str(stored["id"]))
    hodans_copy = api.bot_messages_in(2004)[-1]
    assert "412 34 567" in hodans_copy["text"] and buttons_of(hodans_copy)

    for outsider in (ayan, fadumo, zahra):  # forged presses on their own messages
        await outsider.press(data, api.bot_messages_in(outsider.chat_id)[-1]["message_id"])
        assert outsider.toasts()[-1].startswith("🔒 ")
    request = await get_contact_request(services.db, int(str(stored["id"])))
    assert request is not None and request.handled_at is None

    await kari.press(data)
    request = await get_contact_request(services.db, int(str(stored["id"])))
    assert request is not None and request.handled_at is not None
    assert kari.last()["text"].endswith("✅ Handled by Member.") and buttons_of(kari.last()) == []
    assert "412" not in kari.last()["text"], "her number leaves every copy once handled"
    assert kari.toasts()[-1] == "✅ Marked as handled."
    # The second coordinator's copy changed too, in her language: no number, no live button.
    hodans_copy = next(
        m for m in api.messages_in(2004) if m["message_id"] == hodans_copy["message_id"]
    )
    assert "412" not in hodans_copy["text"] and buttons_of(hodans_copy) == []
    handled = translator("so")._("Handled by {name}.").format(name="Member")
    assert hodans_copy["text"].endswith("✅ " + handled)
    await hodan.press(data, hodans_copy["message_id"])  # her old button, pressed anyway
    assert hodan.toasts()[-1] != "✅ Marked as handled."
    await kari.press(data, kari.last()["message_id"])  # a second press
    assert kari.toasts()[-1] == "✅ Another coordinator has handled it already."
    assert api.violations == []


async def test_requests_are_purged_30_days_after_they_are_handled_or_made(
    app: BotApplication, db: Database
) -> None:
    now = datetime(2026, 12, 1, 4, 0, tzinfo=UTC)
    alna = await upsert_district(db, "alna", "Alna", 3)
    old = await create_contact_request(db, 1, alna, "so", "phone", "+47 412 34 567", now)
    recent = await create_contact_request(db, 2, alna, "ar", "telegram", "Hawa", now)
    waiting = await create_contact_request(db, 3, alna, "ti", "telegram", "Letay", now)
    forgotten = await create_contact_request(
        db, 4, alna, "ti", "telegram", "Saba", now - timedelta(days=30, minutes=1)
    )
    await mark_handled(db, old, 99, now - timedelta(days=30, minutes=1))
    await mark_handled(db, recent, 99, now - timedelta(days=29, hours=23))
    assert await purge(app.bot, db, now) == 2
    assert await get_contact_request(db, old) is None
    assert await get_contact_request(db, forgotten) is None, "nobody handled it: not kept either"
    assert await get_contact_request(db, recent) is not None
    assert await get_contact_request(db, waiting) is not None
    assert await purge(app.bot, db, now + timedelta(days=1)) == 1  # the next night: the next
    assert await get_contact_request(db, waiting) is not None  # made today: kept for now
    assert await purge(app.bot, db, now + timedelta(days=30, minutes=1)) == 1
    assert await get_contact_request(db, waiting) is None


async def test_the_purge_takes_her_details_out_of_every_copy_left(
    chat: Callable[..., ChatDriver], api: OfflineBotApi, services: Services, app: BotApplication
) -> None:
    zahra, alna = await zahra_chooses_how_in_alna(chat, api, services)
    await zahra.press(REQUEST_CHANNEL.encode(alna, "ph"))
    await zahra.send("412 34 567")
    copy = api.bot_messages_in(2001)[-1]
    assert "412 34 567" in copy["text"]
    assert await purge(app.bot, services.db, datetime.now(UTC) + timedelta(days=31)) == 1
    copy = next(m for m in api.messages_in(2001) if m["message_id"] == copy["message_id"])
    assert "412" not in copy["text"] and "Zahra" not in copy["text"]
    assert copy["text"].startswith("🗑 ") and buttons_of(copy) == []
    assert await count_rows(services.db, "contact_request_deliveries") == 0


async def test_start_up_purges_and_schedules_the_nightly_purge(tmp_path: Path) -> None:
    db_path = tmp_path / "bot.sqlite3"
    db = await Database.open(db_path)
    alna = await upsert_district(db, "alna", "Alna", 3)
    now = datetime.now(UTC)
    old = await create_contact_request(db, 1, alna, "so", "phone", "+47 412 34 567", now)
    await mark_handled(db, old, 99, now - timedelta(days=31))
    await db.close()

    api = checked_api()
    async with restarted(db_path, api) as application:
        services = application.bot_data[SERVICES_KEY]
        assert await get_contact_request(services.db, old) is None
        assert application.job_queue is not None
        [job] = application.job_queue.get_jobs_by_name("help-guide-purge")
        assert job.callback.__name__ == "contact_requests_purge_job"


async def test_clearing_ends_the_request_and_what_she_types_next_is_not_taken(
    chat: Callable[..., ChatDriver], api: OfflineBotApi, services: Services
) -> None:
    zahra, alna = await zahra_chooses_how_in_alna(chat, api, services)
    await zahra.press(REQUEST_CHANNEL.encode(alna, "ph"))
    await zahra.press(CLEAR.encode())
    await zahra.send("41234567")
    assert zahra.last()["text"].startswith("👇 I understand the buttons best.")
    assert await requests(services) == []


async def test_her_request_is_in_mydata_and_forget_deletes_it(
    chat: Callable[..., ChatDriver], api: OfflineBotApi, services: Services
) -> None:
    zahra, alna = await zahra_chooses_how_in_alna(chat, api, services)
    await zahra.press(REQUEST_CHANNEL.encode(alna, "tg"))
    await zahra.send("/mydata")
    text = next(t for t in reversed(zahra.texts()) if t.startswith("🔒 "))
    assert "📞 You asked 1 time for a bydelsmor to contact you." in text
    await zahra.send("/forget")
    await zahra.press(FORGET.encode("yes"))
    assert await requests(services) == []


async def test_a_request_telegram_failed_to_deliver_is_not_kept(
    chat: Callable[..., ChatDriver], api: OfflineBotApi, services: Services
) -> None:
    zahra, alna = await zahra_chooses_how_in_alna(chat, api, services)

    def server_trouble(method: str, params: dict[str, object]) -> tuple[int, JSON] | None:
        if method == "sendMessage" and str(params.get("chat_id")) == "2001":
            return 500, {"ok": False, "error_code": 500, "description": "Internal Server Error"}
        return None

    api.fault = server_trouble
    await zahra.press(REQUEST_CHANNEL.encode(alna, "tg"))
    assert await requests(services) == []
    assert zahra.last()["text"].startswith("😔 Sorry, something went wrong on our side.")


async def test_a_half_sent_request_is_taken_back_from_the_coordinator_it_reached(
    chat: Callable[..., ChatDriver], api: OfflineBotApi, services: Services
) -> None:
    alna, _ = await two_districts(services, api)
    api.private_chat(api.user(2009))
    await make_member(services, 2009, "coordinator", "Alna")  # sent to after Kari (2001)
    zahra = await started(chat(ZAHRA, "Zahra"))
    await up_to_the_channel(zahra, alna)
    before = {m["message_id"] for m in api.bot_messages_in(2001)}

    def second_fails(method: str, params: dict[str, object]) -> tuple[int, JSON] | None:
        if method == "sendMessage" and str(params.get("chat_id")) == "2009":
            return 500, {"ok": False, "error_code": 500, "description": "Internal Server Error"}
        return None

    api.fault = second_fails
    await zahra.press(REQUEST_CHANNEL.encode(alna, "tg"))
    assert await requests(services) == []
    assert zahra.last()["text"].startswith("😔 Sorry, something went wrong on our side.")
    left = [m for m in api.bot_messages_in(2001) if m["message_id"] not in before]
    assert left == [], "Kari's copy, with its dead button, is gone"
    assert await count_rows(services.db, "contact_request_deliveries") == 0


async def test_only_districts_with_a_reachable_coordinator_are_offered(
    chat: Callable[..., ChatDriver], api: OfflineBotApi, services: Services
) -> None:
    alna, _stovner = await two_districts(services, api)
    await mark_unreachable(services.db, 2002, datetime.now(UTC))  # Stovner's only coordinator
    await upsert_district(services.db, "grorud", "Grorud", 3)  # nobody coordinates it yet
    zahra = await started(chat(ZAHRA, "Zahra"))
    await up_to_the_channel(zahra, alna)
    await zahra.press(CONSENT_NO.encode())
    await zahra.press(ASK.encode())
    await zahra.press(CONSENT_YES.encode())
    offered = [b["callback_data"] for b in buttons_of(zahra.last())]
    assert offered[:-2] == [f"hlp:d:{alna}"]


async def test_with_no_coordinator_anywhere_she_is_told_before_any_question(
    chat: Callable[..., ChatDriver], api: OfflineBotApi, services: Services
) -> None:
    await upsert_district(services.db, "alna", "Alna", 3)
    await make_member(services, 2003, "mother", "Alna")
    zahra = await started(chat(ZAHRA, "Zahra"))
    await zahra.send("/info")
    await zahra.press(TOPIC.encode("bydelsmor"))
    await zahra.press(ASK.encode())
    assert zahra.last()["text"].startswith("😔 Sorry, no bydelsmor can take requests yet.")
    assert "Do you agree?" not in "".join(zahra.texts())
    assert next(b["callback_data"] for b in buttons_of(zahra.last())) == "hlp:topics"


async def test_an_old_yes_and_an_old_question_expire(
    app: BotApplication, chat: Callable[..., ChatDriver], api: OfflineBotApi,
    services: Services,
) -> None:  # fmt: skip
    zahra, alna = await zahra_chooses_how_in_alna(chat, api, services)
    await zahra.press(REQUEST_CHANNEL.encode(alna, "ph"))
    questions = app.bot_data[AWAITING_KEY]
    questions.open[ZAHRA] = replace(questions.open[ZAHRA], until=datetime.now(UTC))
    await zahra.send("41234567")  # the question ran out: this is just text now
    assert zahra.last()["text"].startswith("👇 I understand the buttons best.")

    await zahra.press(CONSENT_YES.encode(), zahra.last_with_buttons()["message_id"])
    app.chat_data[ZAHRA][CONSENT_KEY] = datetime.now(UTC) - timedelta(minutes=31)
    await zahra.press(REQUEST_CHANNEL.encode(alna, "tg"))
    assert zahra.toasts()[-1] == "This button has expired. Send /menu to start again."
    assert await requests(services) == []
