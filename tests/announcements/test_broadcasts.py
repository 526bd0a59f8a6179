"""/broadcast and /broadcasts through the real Application: composing, languages, the preview,
bad input, access on every press, restarts, the report and the history.

The bot's own outbox worker is stopped in these tests; each test drains the outbox with a worker
on a fake clock, so nothing waits real time.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

import handlers.announcements.versions
from bot.broadcasts import parse_send_time
from bot.offline.api import OfflineBotApi
from bot.offline.state import JSON
from handlers.announcements import codecs as composer
from handlers.announcements.codecs import HISTORY_PAGE
from handlers.common.context import Services
from handlers.jobs.announcements.worker import OutboxWorker
from storage.announcements.drafts import DraftRecord, get_draft, save_draft
from storage.announcements.records import NewAnnouncement, Recipient, create_announcement
from storage.districts import upsert_district
from storage.members import set_role
from storage.people import load_person, mark_unreachable
from storage.privacy import collect_personal_data
from tests.announcements.world import (
    KARI,
    alna,
    composing_for_alna,
    drain,
    for_later,
    labels,
    previewed,
    send_photo,
)
from tests.fakes.telegram import ChatDriver, buttons_of
from tests.support.people import ADMIN_ID, make_member, started
from tests.support.restart import restarted
from tests.support.rows import count_rows


async def test_an_announcement_reaches_each_woman_once_in_her_language(
    chat: Callable[..., ChatDriver], quiet: Services, api: OfflineBotApi
) -> None:
    district_id = await alna(quiet, api)
    kari = await started(chat(KARI, "Kari"))
    await kari.send("/broadcast")
    assert kari.last()["text"] == "📢 New announcement for Alna. To whom?"
    assert labels(kari.last())[:4] == [
        "👥 All members (5)", "🤝 The bydelsmødre (3)", "🎓 The participants (1)",
        "🧭 The coordinators (1)",
    ]  # fmt: skip
    await kari.press(composer.AUDIENCE.encode(f"m{district_id}"))
    assert "At most 4096 characters, or 1024 for a caption." in kari.last()["text"]

    await kari.send("Møte <i>fredag</i> & ta med mat")
    versions = kari.last()
    assert "They read: Soomaali 2 · العربية 1 · English 1 · Norsk (bokmål) 1" in versions["text"]
    assert "➕ Soomaali (2)" in labels(versions)
    # Her text counts as the district's language (Norwegian here): no button to add it again.
    assert "✍️ Your text counts as the Norsk (bokmål) version." in versions["text"]
    assert not [label for label in labels(versions) if "Norsk" in label]
    await kari.press(composer.VERSION.encode("so"))
    assert kari.last()["text"].startswith("✍️ Send the text in Soomaali.")
    await kari.send("Kulan jimcaha <b>")
    assert "✅ Versions: Soomaali" in kari.last()["text"]

    await kari.press(composer.PREVIEW.encode())
    texts = kari.texts()
    # The preview is the message itself, rendered as Telegram renders it: HTML-looking text
    # arrives literally (it was escaped), nothing was added to it.
    assert "Møte <i>fredag</i> & ta med mat" in texts and "Kulan jimcaha <b>" in texts
    confirm = kari.last()["text"]
    assert "5 recipients" in confirm
    assert "• Soomaali: 2" in confirm and "• Norsk (bokmål): 3" in confirm
    assert "1 woman reads العربية and gets Norsk (bokmål)" in confirm
    assert "1 woman reads English and gets Norsk (bokmål)" in confirm
    # She reads the language the original is written in: no fallback.
    assert "reads Norsk (bokmål)" not in confirm
    assert labels(kari.last())[0] == "✅ Send now"
    confirm_id = kari.last()["message_id"]
    await kari.press(composer.SEND.encode())
    progress = api.bot_messages_in(KARI)[-1]
    assert progress["message_id"] == confirm_id  # the confirmation became the progress
    assert progress["text"] == "📢 Sending: Alna: all members\n░░░░░░░░░░ 0 / 5"
    assert await get_draft(quiet.db, KARI) is None

    await drain(quiet, api)
    assert [m["text"] for m in api.bot_messages_in(3001)] == ["Kulan jimcaha <b>"]
    assert [m["text"] for m in api.bot_messages_in(3002)] == ["Kulan jimcaha <b>"]
    for other in (3003, 3004):
        assert [m["text"] for m in api.bot_messages_in(other)] == [
            "Møte <i>fredag</i> & ta med mat"
        ]
    edited = next(m for m in api.bot_messages_in(KARI) if m["message_id"] == confirm_id)
    assert edited["text"].endswith("▓▓▓▓▓▓▓▓▓▓ 5 / 5")
    report = api.bot_messages_in(KARI)[-1]["text"]
    assert report.splitlines()[:2] == ["📢 Announcement delivered: Alna: all members", "✅ 5 sent"]
    assert "• Soomaali: ✅ 2 sent" in report and "• Norsk (bokmål): ✅ 3 sent" in report


async def test_too_long_is_refused_with_the_limit_before_anything_is_sent(
    chat: Callable[..., ChatDriver], quiet: Services, api: OfflineBotApi
) -> None:
    kari, _district_id = await composing_for_alna(chat, quiet, api)
    await kari.send("x" * 4097)
    assert kari.last()["text"] == (
        "✂️ Too long: 4097 characters, and Telegram allows at most 4096. Nothing was sent: "
        "shorten it and send it again."
    )
    draft = await get_draft(quiet.db, KARI)
    assert draft is not None and draft.step == "message" and draft.body is None
    await send_photo(kari, "y" * 1025)
    assert "at most 1024" in kari.last()["text"]
    await kari.send("x" * 4096)  # exactly the limit is fine
    assert "They read:" in kari.last()["text"]
    assert await count_rows(quiet.db, "outbox") == 0


async def test_length_is_counted_as_telegram_counts_it_emoji_as_two(
    chat: Callable[..., ChatDriver], quiet: Services, api: OfflineBotApi
) -> None:
    kari, _district_id = await composing_for_alna(chat, quiet, api)
    await send_photo(kari, "🎉" * 600)
    assert kari.last()["text"] == (
        "✂️ Too long: 1200 characters, and Telegram allows at most 1024. Nothing was sent: "
        "shorten it and send it again."
    )
    await send_photo(kari, "🎉" * 512)
    assert "They read:" in kari.last()["text"]  # 1,024 units: exactly the limit
    await kari.press(composer.VERSION.encode("so"))
    await kari.send("🎉" * 513)  # a version of a caption: 1,026 units
    assert "1026 characters" in kari.last()["text"] and "at most 1024" in kari.last()["text"]
    await previewed(kari, "Kulan 🎉")
    await kari.press(composer.SEND.encode())
    await drain(quiet, api)
    assert api.violations == []  # Telegram (the fake counts as it does) took every caption
    draft = await get_draft(quiet.db, KARI)
    assert draft is None


async def test_a_text_of_emoji_over_the_limit_is_refused(
    chat: Callable[..., ChatDriver], quiet: Services, api: OfflineBotApi
) -> None:
    kari, _district_id = await composing_for_alna(chat, quiet, api)
    await kari.send("🎉" * 2049)
    assert kari.last()["text"].startswith("✂️ Too long: 4098 characters")
    assert "at most 4096" in kari.last()["text"]


async def test_a_photo_with_a_caption_goes_as_a_photo(
    chat: Callable[..., ChatDriver], quiet: Services, api: OfflineBotApi
) -> None:
    district_id = await alna(quiet, api)
    kari = await started(chat(KARI, "Kari"))
    await kari.send("/broadcast")
    await kari.press(composer.AUDIENCE.encode(f"r{district_id}.participant"))
    await send_photo(kari, "Festival <3", "photo-of-poster", "u1")
    await kari.press(composer.PREVIEW.encode())
    await kari.press(composer.SEND.encode())
    await drain(quiet, api)
    sent = [c for c in api.calls_to("sendPhoto") if c.params["chat_id"] == 3002]
    assert len(sent) == 1 and sent[0].params["photo"] == "photo-of-poster"
    assert api.bot_messages_in(3002)[0]["caption"] == "Festival <3"
    assert api.bot_messages_in(3001) == []  # a bydelsmor, not a participant


async def test_an_empty_audience_is_refused(
    chat: Callable[..., ChatDriver], quiet: Services, api: OfflineBotApi
) -> None:
    district_id = await alna(quiet, api)
    await mark_unreachable(quiet.db, 3002, datetime.now(UTC))  # the only participant
    kari = await started(chat(KARI, "Kari"))
    await kari.send("/broadcast")
    assert "🎓 The participants (0)" in labels(kari.last())
    await kari.press(composer.AUDIENCE.encode(f"r{district_id}.participant"))
    assert kari.toasts()[-1].startswith("🤷 Nobody to send to")
    draft = await get_draft(quiet.db, KARI)
    assert draft is not None and draft.step == "audience"


async def test_blocked_women_are_left_out_until_they_write_again(
    chat: Callable[..., ChatDriver], quiet: Services, api: OfflineBotApi
) -> None:
    district_id = await alna(quiet, api)
    api.block(3003)
    kari = await started(chat(KARI, "Kari"))
    for text in ("First", "Second"):
        await kari.send("/broadcast")
        await kari.press(composer.AUDIENCE.encode(f"m{district_id}"))
        await previewed(kari, text)
        await kari.press(composer.SEND.encode())
        await drain(quiet, api)
    first, second = await quiet.db.fetch_all(
        "SELECT announcement_id, count(*) AS n, sum(status = 'unreachable') AS unreachable "
        "FROM outbox GROUP BY announcement_id ORDER BY announcement_id"
    )
    assert (first["n"], first["unreachable"]) == (5, 1)
    assert (second["n"], second["unreachable"]) == (4, 0)  # she was left out
    assert any(
        t.startswith("📢 Announcement delivered") and "🚫 1 blocked" in t for t in kari.texts()
    )

    hawa = chat(3003, "Hawa")
    await hawa.send("hello")  # she unblocked the bot and writes: she is back
    await kari.send("/broadcast")
    assert "👥 All members (5)" in labels(kari.last())


async def unreachable(services: Services, telegram_id: int) -> bool:
    person = await load_person(services.db, telegram_id)
    assert person is not None
    return person.unreachable


async def test_only_her_private_messages_presses_or_unblocking_make_her_reachable_again(
    chat: Callable[..., ChatDriver], quiet: Services, api: OfflineBotApi
) -> None:
    await alna(quiet, api)
    hawa = chat(3003, "Hawa")
    await started(hawa, "ar")
    await hawa._process(api.private_bot_status(hawa.user, "kicked"))  # she blocks the bot
    assert await unreachable(quiet, 3003)

    # None of these prove she unblocked the bot.
    group = api.group_chat(-500, "Alna bydelsmødre")
    api.set_member_status(-500, hawa.user, "member")
    await hawa._process(api.send_text(hawa.user, "hei alle", chat=group))
    assert await unreachable(quiet, 3003)
    await hawa._process(api.bot_added_to(api.group_chat(-501, "Andre"), hawa.user)[0])
    assert await unreachable(quiet, 3003)

    # Unblocking does; so does a message or a press in her private chat.
    await hawa._process(api.private_bot_status(hawa.user, "member"))
    assert not await unreachable(quiet, 3003)
    await mark_unreachable(quiet.db, 3003, datetime.now(UTC))
    await hawa.press(composer.TOP.encode())  # any press in her private chat
    assert not await unreachable(quiet, 3003)
    await mark_unreachable(quiet.db, 3003, datetime.now(UTC))
    await hawa.send("hello")
    assert not await unreachable(quiet, 3003)


async def test_blocking_the_bot_in_private_marks_her_unreachable_at_once(
    chat: Callable[..., ChatDriver], quiet: Services, api: OfflineBotApi
) -> None:
    district_id = await alna(quiet, api)
    fadumo = api.user(3001, "Fadumo")
    kari = await started(chat(KARI, "Kari"))
    await kari._process(api.private_bot_status(fadumo, "kicked"))
    assert await unreachable(quiet, 3001)
    await kari.send("/broadcast")
    assert f"bc:a:m{district_id}" in [b["callback_data"] for b in buttons_of(kari.last())]
    assert "👥 All members (4)" in labels(kari.last())  # she is left out


async def test_access_is_checked_on_every_press_and_on_send(
    chat: Callable[..., ChatDriver], quiet: Services, api: OfflineBotApi
) -> None:
    district_id = await alna(quiet, api)
    other = await upsert_district(quiet.db, "stovner", "Stovner", 2)
    kari = await started(chat(KARI, "Kari"))
    await kari.send("/broadcast")
    for forged in (
        composer.DISTRICT.encode(other),
        composer.AUDIENCE.encode(f"m{other}"),
        composer.AUDIENCE.encode("all"),
        composer.AUDIENCE.encode(f"g{other}"),
    ):
        await kari.press(forged)
        assert kari.toasts()[-1] == "🔒 Sorry, only a coordinator of this district can do that."
    draft = await get_draft(quiet.db, KARI)
    assert draft is not None and draft.audience is None
    await kari.press(composer.AUDIENCE.encode("m999999999"))
    await kari.press("bc:zz")
    assert "expired" in kari.toasts()[-1]

    await kari.press(composer.AUDIENCE.encode(f"m{district_id}"))
    await previewed(kari, "Hei")
    await set_role(quiet.db, district_id, KARI, "mother")  # she is no coordinator any more
    await kari.press(composer.SEND.encode())
    assert kari.toasts()[-1].startswith("🔒")
    assert await count_rows(quiet.db, "announcements") == 0

    fadumo = await started(chat(3001, "Fadumo"))
    await fadumo.send("/broadcast")
    assert fadumo.last()["text"].startswith("🔒")


async def test_only_admins_announce_to_everyone(
    chat: Callable[..., ChatDriver], quiet: Services, api: OfflineBotApi
) -> None:
    await alna(quiet, api)
    stovner = await make_member(quiet, 4001, "mother", district="Stovner", locale="tr")
    api.private_chat(api.user(4001, "Elif"))
    admin = await started(chat(ADMIN_ID, "Central"))
    await admin.send("/broadcast")
    menu = labels(admin.last())
    assert "🏘 Alna" in menu and "🏘 Stovner" in menu and "🌍 Everyone (every district)" in menu
    await admin.press(composer.DISTRICT.encode(stovner))
    assert admin.last()["text"] == "📢 New announcement for Stovner. To whom?"
    await admin.press(composer.TOP.encode())
    await admin.press(composer.AUDIENCE.encode("all"))
    await previewed(admin, "Sommerfest!")
    await admin.press(composer.SEND.encode())
    await drain(quiet, api)
    for woman in (KARI, 3001, 3002, 3003, 3004, 4001):
        assert [m.get("text") for m in api.bot_messages_in(woman)].count("Sommerfest!") == 1


async def test_pressing_send_twice_sends_once(
    chat: Callable[..., ChatDriver], quiet: Services, api: OfflineBotApi
) -> None:
    kari, _district_id = await composing_for_alna(chat, quiet, api)
    await previewed(kari, "Once")
    confirm = kari.last_with_buttons()["message_id"]
    await kari.press(composer.SEND.encode(), confirm)
    await kari.press(composer.SEND.encode(), confirm)
    assert "expired" in kari.toasts()[-1]
    assert await count_rows(quiet.db, "outbox") == 5


async def test_a_scheduled_announcement_waits_for_its_time(
    chat: Callable[..., ChatDriver], quiet: Services, api: OfflineBotApi
) -> None:
    kari, _district_id = await composing_for_alna(chat, quiet, api)
    await for_later(kari, "Later")
    await kari.send("tomorrow evening")
    assert kari.last()["text"].startswith("🤔 I could not read that")
    await kari.send("24.12 18:00")
    expected = parse_send_time("24.12 18:00", datetime.now(UTC), quiet.config.tz)
    assert expected is not None
    assert "🕒 To be sent: " in kari.last()["text"]
    assert labels(kari.last())[0] == "✅ Confirm: send then"
    await kari.press(composer.SEND.encode())
    assert api.bot_messages_in(KARI)[-1]["text"].startswith("🕒 Scheduled:")
    row = await quiet.db.fetch_one("SELECT send_at FROM announcements")
    assert row is not None and datetime.fromisoformat(row[0]) == expected
    await drain(quiet, api)  # the fake clock moves on to the time, and it goes
    assert [m["text"] for m in api.bot_messages_in(3001)] == ["Later"]


async def test_a_draft_survives_a_restart(
    chat: Callable[..., ChatDriver], quiet: Services, api: OfflineBotApi, db_path: Path
) -> None:
    kari, _district_id = await composing_for_alna(chat, quiet, api)
    await kari.send("Typed before the restart")

    async with restarted(db_path, api) as second:
        again = ChatDriver(second, api, kari.user)
        await again.send("/broadcast")
        text = again.last()["text"]
        assert text.startswith("✏️ You were writing this announcement:")
        assert "They read:" in text and "🆕 Start again" in labels(again.last())
        await again.press(composer.PREVIEW.encode())
        assert "Typed before the restart" in again.texts()


@pytest.mark.parametrize("step", ["message", "version", "schedule"])
async def test_cancel_throws_away_a_draft_waiting_for_her_typing(
    chat: Callable[..., ChatDriver], quiet: Services, api: OfflineBotApi, step: str
) -> None:
    kari, _district_id = await composing_for_alna(chat, quiet, api)
    if step != "message":
        await kari.send("Møte fredag")
        await kari.press(
            composer.VERSION.encode("so") if step == "version" else composer.PREVIEW.encode()
        )
        if step == "schedule":
            await kari.press(composer.LATER.encode())
    draft = await get_draft(quiet.db, KARI)
    assert draft is not None and draft.step == step
    await kari.send("/cancel")
    assert kari.last()["text"] == "🗑 Nothing was sent; the announcement was thrown away."
    assert await get_draft(quiet.db, KARI) is None
    await kari.send("Møte fredag")  # no longer taken as an announcement
    assert kari.last()["text"].startswith("👇 I understand the buttons best")
    await kari.send("/cancel")
    assert kari.last()["text"] == "↩️ Nothing was changed."


async def test_a_draft_untouched_for_a_day_takes_no_more_typing(
    chat: Callable[..., ChatDriver], quiet: Services, api: OfflineBotApi
) -> None:
    kari, district_id = await composing_for_alna(chat, quiet, api)
    day_ago = (datetime.now(UTC) - timedelta(hours=24, minutes=1)).isoformat()
    await quiet.db.execute("UPDATE broadcast_drafts SET updated_at = ?", (day_ago,))
    await kari.send("Is the meeting still on?")  # meant for something else
    assert kari.last()["text"].startswith("👇 I understand the buttons best")
    assert await get_draft(quiet.db, KARI) is None

    await kari.send("/broadcast")
    await kari.press(composer.AUDIENCE.encode(f"m{district_id}"))
    almost_a_day = (datetime.now(UTC) - timedelta(hours=23)).isoformat()
    await quiet.db.execute("UPDATE broadcast_drafts SET updated_at = ?", (almost_a_day,))
    await kari.send("/broadcast")
    assert kari.last()["text"].startswith("✏️ You were writing this announcement:")
    await quiet.db.execute("UPDATE broadcast_drafts SET updated_at = ?", (day_ago,))
    await kari.send("/broadcast")  # starts afresh
    assert not kari.last()["text"].startswith("✏️")
    draft = await get_draft(quiet.db, KARI)
    assert draft is not None and draft.step == "audience"


async def test_the_progress_shows_0_of_n_before_the_worker_can_see_the_outbox(
    chat: Callable[..., ChatDriver], quiet: Services, api: OfflineBotApi, monkeypatch: Any
) -> None:
    district_id = await alna(quiet, api)
    kari = await started(chat(KARI, "Kari"))
    await kari.send("/broadcast")
    await kari.press(composer.AUDIENCE.encode(f"r{district_id}.participant"))
    await previewed(kari, "Hei")
    confirm_id = kari.last_with_buttons()["message_id"]
    shown_when_written: list[str] = []
    real_create = create_announcement

    async def create(*args: Any) -> int | None:
        message = next(m for m in api.bot_messages_in(KARI) if m["message_id"] == confirm_id)
        shown_when_written.append(message["text"])
        return await real_create(*args)

    monkeypatch.setattr(handlers.announcements.versions, "create_announcement", create)
    await kari.press(composer.SEND.encode())
    # The worker may take the rows the moment they are committed: "0 / 1" was already there.
    assert shown_when_written == [
        "📢 Sending: Alna: the participants in the basic training\n░░░░░░░░░░ 0 / 1"
    ]
    await drain(quiet, api)
    final = next(m for m in api.bot_messages_in(KARI) if m["message_id"] == confirm_id)
    assert final["text"].endswith("1 / 1")


async def test_a_429_during_the_preview_pauses_every_sender_and_the_preview_completes(
    chat: Callable[..., ChatDriver], quiet: Services, api: OfflineBotApi
) -> None:
    kari, _district_id = await composing_for_alna(chat, quiet, api)
    await kari.send("Møte fredag")
    await kari.press(composer.VERSION.encode("so"))
    await kari.send("Kulan jimcaha")
    refusals = iter([None, None, (429, {
        "ok": False, "error_code": 429, "parameters": {"retry_after": 9},
        "description": "Too Many Requests: retry after 9",
    })])  # fmt: skip

    def fault(method: str, params: JSON) -> tuple[int, JSON] | None:
        return next(refusals, None) if method == "sendMessage" else None

    api.fault = fault
    worker = quiet.outbox
    assert isinstance(worker, OutboxWorker)
    before = worker.clock.now()
    await kari.press(composer.PREVIEW.encode())
    texts = kari.texts()
    assert "👁 Preview: Norsk (bokmål)" in texts and "Møte fredag" in texts
    assert "👁 Preview: Soomaali" in texts and "Kulan jimcaha" in texts  # the refused one, again
    assert "✅ Send now" in labels(kari.last())  # the buttons came
    # Every message went on its turn (one a second in her chat), and the 429 paused the plan
    # for every sender: the messages after it waited the 9 seconds.
    assert worker.clock.now() - before >= timedelta(seconds=9 + 3)


async def test_history_lists_announcements_with_their_reports_paged(
    chat: Callable[..., ChatDriver], quiet: Services, api: OfflineBotApi
) -> None:
    district_id = await alna(quiet, api)
    other = await upsert_district(quiet.db, "stovner", "Stovner", 2)
    now = datetime.now(UTC)
    for n, where in enumerate([district_id] * 5 + [other]):
        await save_draft(quiet.db, DraftRecord(9999, "confirm"), now)
        new = NewAnnouncement(9999, where, f"m{where}", f"Notice <{n}>", None, None, {}, now)
        await create_announcement(quiet.db, new, [Recipient(3001 + n % 4, None, None)], now)
    await drain(quiet, api)
    kari = await started(chat(KARI, "Kari"))
    await kari.send("/broadcasts")
    page = kari.last()["text"]
    assert page.startswith("📜 Announcements (page 1 of 2)")
    assert "Notice <4>" in page and "Notice <5>" not in page  # not her district
    assert "📢 Announcement delivered: Alna: all members\n✅ 1 sent" in page
    await kari.press(HISTORY_PAGE.encode(1))
    assert "Notice <0>" in kari.last()["text"]


async def test_the_menu_opens_the_composer(
    chat: Callable[..., ChatDriver], quiet: Services, api: OfflineBotApi
) -> None:
    await alna(quiet, api)
    kari = await started(chat(KARI, "Kari"))
    await kari.press_label("Announce")
    assert kari.last()["text"] == "📢 New announcement for Alna. To whom?"
    await kari.press(composer.CANCEL.encode())
    assert kari.last()["text"] == "❌ Cancelled: nothing was sent."
    assert await get_draft(quiet.db, KARI) is None


# -- the language of her own text -----------------------------------------------------------


async def text_in_english(kari: ChatDriver, district_id: int) -> None:
    """Kari writes to all of Alna, then says her text is in English."""
    await kari.send("/broadcast")
    await kari.press(composer.AUDIENCE.encode(f"m{district_id}"))
    await kari.send("Meeting on Friday")
    assert "✍️ Your text counts as the Norsk (bokmål) version." in kari.last()["text"]
    await kari.press_label("My text is in another language")
    picker = kari.last()
    assert picker["text"] == "🔤 In which language did you write your text?"
    assert len(labels(picker)) == 13 and "🗣 English" in labels(picker)
    assert "🗣 ትግርኛ" in labels(picker) and labels(picker)[-1] == "↩️ Back"
    await kari.press_label("English")


async def test_her_text_in_english_goes_to_english_readers_and_as_the_fallback(
    chat: Callable[..., ChatDriver], quiet: Services, api: OfflineBotApi
) -> None:
    district_id = await alna(quiet, api)
    await make_member(quiet, 3005, "mother", locale="en")
    api.private_chat(api.user(3005, "W"))
    kari = await started(chat(KARI, "Kari"))
    await text_in_english(kari, district_id)
    versions = kari.last()
    assert "✍️ Your text counts as the English version." in versions["text"]
    # English is covered by her text now; Norwegian is not, so it may get a version.
    assert not [label for label in labels(versions) if "English" in label]
    assert "➕ Norsk (bokmål) (1)" in labels(versions)
    stored = await get_draft(quiet.db, KARI)
    assert stored is not None and stored.original_locale == "en"

    await kari.press(composer.PREVIEW.encode())
    texts = kari.texts()
    # No Norwegian version: the district's language falls back to her text, and the preview
    # shows it as what they get.
    assert "👁 Preview: the original text" in texts and "👁 Preview: English" in texts
    confirm = kari.last()["text"]
    assert "• English: 2" in confirm and "• the original text: 4" in confirm
    assert "1 woman reads Norsk (bokmål) and gets the original text" in confirm
    assert "reads English" not in confirm
    await kari.press(composer.SEND.encode())
    rows = await quiet.db.fetch_all(
        "SELECT telegram_id, locale, fallback FROM outbox ORDER BY telegram_id"
    )
    got = {r["telegram_id"]: (r["locale"], r["fallback"]) for r in rows}
    assert got[3005] == ("en", 0) and got[KARI] == ("en", 0)
    assert got[3004] == (None, 1) and got[3001] == (None, 1)

    await drain(quiet, api)
    for woman in (3005, 3004, 3001):
        assert [m["text"] for m in api.bot_messages_in(woman)] == ["Meeting on Friday"]


async def test_a_version_in_the_language_she_picks_stays_that_languages_version(
    chat: Callable[..., ChatDriver], quiet: Services, api: OfflineBotApi
) -> None:
    kari, _district_id = await composing_for_alna(chat, quiet, api)
    await kari.send("Møte fredag")
    await kari.press(composer.VERSION.encode("en"))
    await kari.send("Meeting on Friday")
    await kari.press(composer.ORIGINAL_LANGUAGES.encode())
    await kari.press(composer.ORIGINAL.encode("en"))
    versions = kari.last()
    assert "✍️ Your text counts as the English version." in versions["text"]
    assert "✅ Versions: English" in versions["text"]
    assert "✏️ English (1)" in labels(versions)  # hers, still there to change

    await kari.press(composer.PREVIEW.encode())
    await kari.press(composer.SEND.encode())
    await drain(quiet, api)
    assert [m["text"] for m in api.bot_messages_in(3004)] == ["Møte fredag"]
    sent = await quiet.db.fetch_one("SELECT locale FROM outbox WHERE telegram_id = ?", (KARI,))
    assert sent is not None and sent["locale"] == "en"
    body = await quiet.db.fetch_one("SELECT body FROM announcement_versions WHERE locale = 'en'")
    assert body is not None and body["body"] == "Meeting on Friday"


async def test_a_forged_or_early_language_of_her_text_is_refused(
    chat: Callable[..., ChatDriver], quiet: Services, api: OfflineBotApi
) -> None:
    kari, district_id = await composing_for_alna(chat, quiet, api)
    # before her text: nothing to say the language of
    await kari.press(composer.ORIGINAL.encode("en"))
    assert "expired" in kari.toasts()[-1]
    await kari.send("Hei")
    for forged in ("bc:o:xx", "bc:o:EN", "bc:o:en;x", "bc:o:"):
        await kari.press(forged)
        assert "expired" in kari.toasts()[-1]
        draft = await get_draft(quiet.db, KARI)
        assert draft is not None and draft.original_locale is None
    await set_role(quiet.db, district_id, KARI, "mother")  # she is no coordinator any more
    await kari.press(composer.ORIGINAL.encode("en"))
    assert kari.toasts()[-1].startswith("🔒")
    draft = await get_draft(quiet.db, KARI)
    assert draft is not None and draft.original_locale is None


async def test_the_language_of_her_text_survives_a_restart_and_is_in_her_data(
    chat: Callable[..., ChatDriver], quiet: Services, api: OfflineBotApi, db_path: Path
) -> None:
    district_id = await alna(quiet, api)
    kari = await started(chat(KARI, "Kari"))
    await text_in_english(kari, district_id)
    data = await collect_personal_data(quiet.db, KARI)
    assert data["broadcast_drafts"][0]["original_locale"] == "en"

    async with restarted(db_path, api) as second:
        again = ChatDriver(second, api, kari.user)
        await again.send("/broadcast")
        assert "✍️ Your text counts as the English version." in again.last()["text"]
        await again.press(composer.PREVIEW.encode())
        assert "👁 Preview: English" in again.texts()
