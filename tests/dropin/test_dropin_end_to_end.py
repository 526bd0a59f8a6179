"""End to end: `bydelsbot run` as a real process over HTTP. A woman asks /dropin in Urdu and
gets the session with its place; she asks for a reminder and gets it that morning; a bydelsmor
takes a shift and gets her reminder; she logs 3 women reached about health; the coordinator's
report for the month shows 3. Nothing sleeps: every wait is for a call the fake observes.

The process reads the clock itself, so the test picks the bot's time zone (BYDELSBOT_TZ) so that
it is about noon there now, and puts the session on today's date at 15:00: the morning (08:00)
has come, the shift is still ahead, whatever the hour the test runs at.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.i18n import translator
from bot.offline.api import OfflineBotApi
from bot.offline.state import JSON
from handlers.common.language import LANGUAGE
from handlers.dropin import codecs
from storage import Database
from storage.dropin.sessions import SessionSeed
from storage.organisation import DistrictSeed, LocationSeed, apply_seed
from storage.people import add_membership
from tests.fakes.bot_process import WAIT, start_bot, stop
from tests.fakes.http_api import BotApiHttpServer
from tests.fakes.telegram import buttons_of

KARI, HODAN, AMINA = 7101, 7102, 7103
PLACE = LocationSeed("deichman-furuset", "Deichman Furuset", "Trygve Lies plass 1, Oslo")


def noon_zone(now: datetime) -> str:
    """A whole-hour zone where it is between 12:00 and 13:00 now (Etc/GMT signs are inverted)."""
    offset = 12 - now.hour  # -11 .. 12
    return "Etc/GMT" + ("-" if offset > 0 else "+") + str(abs(offset)) if offset else "Etc/GMT"


async def test_a_woman_a_bydelsmor_and_the_report(
    fake_telegram: tuple[OfflineBotApi, BotApiHttpServer], tmp_path: Path
) -> None:
    api, server = fake_telegram
    now = datetime.now(UTC)
    zone = noon_zone(now)
    today = now.astimezone(ZoneInfo(zone)).date()
    db_path = tmp_path / "e2e.sqlite3"
    db = await Database.open(db_path)
    session = SessionSeed(
        "furuset-today", "alna", PLACE.id, "dropin", today.weekday(), "15:00", "17:00",
        today.isoformat(), languages="nb,ur,so", min_on_duty=1, max_on_duty=3,
        # An extra date too: today stays a session day even if it is a public holiday.
        exceptions=((today.isoformat(), "extra", None),),
    )  # fmt: skip
    await apply_seed(db, [PLACE], [DistrictSeed("alna", "Alna", 4)], now, [session])
    row = await db.fetch_one("SELECT id, district_id FROM dropin_sessions")
    assert row is not None
    session_id, district_id = int(row["id"]), int(row["district_id"])
    await add_membership(db, KARI, district_id, "coordinator", "Kari", now, "en")
    await add_membership(db, HODAN, district_id, "mother", "Hodan", now, "en")
    await db.close()
    amina, hodan, kari = (api.user(i, n) for i, n in ((AMINA, "Amina"), (HODAN, "Hodan"),
                                                        (KARI, "Kari")))  # fmt: skip
    for user in (amina, hodan, kari):
        api.private_chat(user)
    ur = translator("ur")

    process = start_bot(server, db_path, env={"BYDELSBOT_TZ": zone})
    try:
        api.send_text(amina, "/start")
        urdu = LANGUAGE.encode("ur")
        assert api.wait_for(lambda: bool(buttons_in(api, AMINA, urdu)), WAIT)
        api.press(amina, AMINA, buttons_in(api, AMINA, urdu)[0]["message_id"], urdu)
        # Her language is stored before she asks: the picker's answer says "✅ اردو".
        assert api.wait_for(lambda: bool(texts_with(api, AMINA, "✅")), WAIT)
        api.send_text(amina, "/dropin")
        listing = ur._("Where you can meet a bydelsmor")
        assert api.wait_for(lambda: bool(texts_with(api, AMINA, listing)), WAIT), "no sessions"
        shown = texts_with(api, AMINA, listing)[-1]
        assert "Deichman Furuset" in shown["text"] and "اردو" in shown["text"]
        remind = codecs.remind("r", session_id, today)
        assert remind in [b["callback_data"] for b in buttons_of(shown)]
        api.press(amina, AMINA, shown["message_id"], remind)
        morning = ur._("Today you can meet a bydelsmor:")
        assert api.wait_for(lambda: bool(texts_with(api, AMINA, morning)), WAIT), "no reminder"

        api.send_text(hodan, "/rota")
        assert api.wait_for(lambda: bool(texts_with(api, HODAN, "Rota: Alna")), WAIT)
        rota = texts_with(api, HODAN, "Rota: Alna")[-1]
        api.press(hodan, HODAN, rota["message_id"], codecs.shift("t", session_id, today))
        on_duty = "Reminder: you are on duty."
        assert api.wait_for(lambda: bool(texts_with(api, HODAN, on_duty)), WAIT), "no reminder"

        api.send_text(hodan, "/reached")
        topic = codecs.reach_topic(district_id, 0, today, "pregnancy")
        assert api.wait_for(lambda: bool(buttons_in(api, HODAN, topic)), WAIT)
        api.press(hodan, HODAN, buttons_in(api, HODAN, topic)[0]["message_id"], topic)
        three = codecs.reach_count("n", codecs.Reach(district_id, 0, today, "pregnancy"), 3)
        assert api.wait_for(lambda: bool(buttons_in(api, HODAN, three)), WAIT)
        api.press(hodan, HODAN, buttons_in(api, HODAN, three)[0]["message_id"], three)
        assert api.wait_for(lambda: bool(texts_with(api, HODAN, "Saved: 3 women")), WAIT)

        api.send_text(kari, "/report")
        # Her 3 are counted (the topic's line is there), and read "fewer than 5": a count that
        # small could point to a woman (README, "The reach report").
        few = "Women reached: fewer than 5"
        assert api.wait_for(lambda: bool(texts_with(api, KARI, few)), WAIT)
        assert (
            "Pregnancy and women's health: fewer than 5" in texts_with(api, KARI, few)[-1]["text"]
        )
    finally:
        code, stderr = stop(process)
    assert code == 0, stderr
    assert "Traceback" not in stderr
    assert len(texts_with(api, AMINA, morning)) == 1
    assert len(texts_with(api, HODAN, on_duty)) == 1


def texts_with(api: OfflineBotApi, chat_id: int, fragment: str) -> list[JSON]:
    return [m for m in api.bot_messages_in(chat_id) if fragment in str(m.get("text", ""))]


def buttons_in(api: OfflineBotApi, chat_id: int, data: str) -> list[JSON]:
    """The messages in her chat that carry a button with this data."""
    return [
        m
        for m in api.bot_messages_in(chat_id)
        if any(b.get("callback_data") == data for b in buttons_of(m))
    ]
