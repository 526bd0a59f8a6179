"""End to end: `bydelsbot run` as a real process over HTTP, the whole course in one story.

A cohort with capacity 2 and three interested women (each says so through the bot); the
coordinator admits all three (the third waits); one withdraws; the third is offered the place
and accepts; attendance is marked for 15 evenings (module 1 and 17 among them); the cohort is
completed; she gets her ID card and becomes a bydelsmor; scanning the card's link says "valid".
Nothing sleeps for time: every wait is for a call the fake observes.
"""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from bot.offline.api import OfflineBotApi
from bot.offline.state import JSON
from handlers.course import codecs
from storage import Database
from storage.course.cohorts import create_cohort
from storage.course.evenings import add_evening
from tests.fakes.bot_process import WAIT, start_bot, stop
from tests.fakes.http_api import BotApiHttpServer
from tests.fakes.telegram import buttons_of
from tests.support.people import alna_in_file

KARI, AMINA, HODAN, ZAHRA, SCANNER = 700, 701, 702, 703, 799


class Story:
    def __init__(self, api: OfflineBotApi, db_path: Path) -> None:
        self.api = api
        self.db_path = db_path

    def messages(self, chat_id: int) -> list[JSON]:
        return self.api.bot_messages_in(chat_id)

    def wait(self, what: str, predicate: Callable[[], bool]) -> None:
        assert self.api.wait_for(predicate, WAIT), f"timed out waiting for {what}"

    def say(self, user: JSON, text: str, expect: str) -> JSON:
        """She types; wait for a new message of the bot's containing `expect`."""
        before = len(self.messages(user["id"]))
        self.api.send_text(user, text)
        return self._new(user["id"], before, expect)

    def press(self, user: JSON, label: str, expect: str) -> None:
        """She presses the newest button whose label holds `label`; wait for `expect` anywhere
        in her chat (a new or an edited message)."""
        for message in reversed(self.messages(user["id"])):
            for button in buttons_of(message):
                if label in button["text"]:
                    self.press_data(user, message["message_id"], button["callback_data"], expect)
                    return
        raise AssertionError(f"no button {label!r}")

    def press_data(self, user: JSON, message_id: int, data: str, expect: str) -> None:
        self.api.press(user, user["id"], message_id, data)
        self.wait(
            expect, lambda: any(expect in m.get("text", "") for m in self.messages(user["id"]))
        )

    def _new(self, chat_id: int, before: int, expect: str) -> JSON:
        def arrived() -> bool:
            return any(expect in m.get("text", "") for m in self.messages(chat_id)[before:])

        self.wait(expect, arrived)
        return next(m for m in self.messages(chat_id)[before:] if expect in m.get("text", ""))

    def row(self, sql: str, params: tuple[object, ...] = ()) -> tuple[object, ...]:
        with sqlite3.connect(self.db_path) as conn:  # a second reader, as WAL allows
            found = conn.execute(sql, params).fetchone()
        assert found is not None
        return tuple(found)


@pytest.mark.timeout(300)  # about a hundred steps, each a round trip through the real process
async def test_from_interest_to_a_valid_id_card(
    fake_telegram: tuple[OfflineBotApi, BotApiHttpServer], tmp_path: Path
) -> None:
    api, server = fake_telegram
    db_path = tmp_path / "course.sqlite3"
    db = await Database.open(db_path)
    now = datetime.now(UTC)
    alna = await alna_in_file(db, KARI, phase=2)
    cohort = await create_cohort(db, alna, "Høst", 2, KARI, now - timedelta(days=200))
    evenings = [
        await add_evening(db, cohort, m, now - timedelta(days=130 - 7 * m), 120, None, None)
        for m in range(1, 18)
    ]
    await db.close()
    users = {
        uid: api.user(uid, name, "en")
        for uid, name in ((KARI, "Kari"), (AMINA, "Amina"), (HODAN, "Hodan"), (ZAHRA, "Zahra"))
    }
    for user in users.values():
        api.private_chat(user)  # each has pressed Start once (the coordinator hears of them)
    story = Story(api, db_path)
    process = start_bot(server, db_path)
    try:
        # Three women say they want to become bydelsmødre (the first from the poster's link).
        for uid in (AMINA, HODAN, ZAHRA):
            user = users[uid]
            story.say(user, "/start course" if uid == AMINA else "/start", "Choose your language")
            story.press(user, "English", "Do you agree?" if uid == AMINA else "Welcome!")
            if uid != AMINA:
                story.say(user, "/course", "Do you agree?")
            story.press(user, "Yes, I agree", "Which district")
            story.press(user, "Alna", "Type your name")
            story.say(user, user["first_name"], "phone number")
            story.say(user, "412 34 567", "Thank you, " + user["first_name"])
        kari = users[KARI]
        story.say(kari, "/start", "Welcome!")  # she chose English long ago
        story.say(kari, "/course", "The basic training")
        story.press(kari, "Alna: Høst", "Participants: 0 of 2")
        story.press(kari, "Admit women", "Press a name to admit her")
        # Each press edits the list (a woman admitted leaves it): wait for each edit.
        story.press(kari, "Amina", "Places taken: 1 of 2")
        story.press(kari, "Hodan", "Places taken: 2 of 2")
        story.press(kari, "Zahra", "Nobody is waiting to be admitted.")
        story.wait(
            "Zahra's turn",
            lambda: any(
                "number 1 on its waiting list" in m.get("text", "") for m in story.messages(ZAHRA)
            ),
        )
        # Hodan withdraws: Zahra is offered the place, and takes it.
        story.say(users[HODAN], "/course", "Høst")
        story.press(users[HODAN], "Withdraw", "Withdraw from the basic training?")
        story.press(users[HODAN], "Yes, withdraw", "You have withdrawn")
        story.wait(
            "the offer",
            lambda: any("free for you" in m.get("text", "") for m in story.messages(ZAHRA)),
        )
        story.press(users[ZAHRA], "Yes, I take the place", "Welcome to the basic training")
        # Attendance for 15 evenings: modules 1-14 and 17.
        for evening in evenings[:14] + evenings[16:]:
            story.press_data(
                kari,
                story.messages(KARI)[-1]["message_id"],
                codecs.ATTENDANCE.encode(evening, 0),
                "Came: 0 of 2",
            )
            story.press(kari, "Amina", "Came: 1 of 2")
            story.press(kari, "Zahra", "Came: 2 of 2")
        (version,) = story.row("SELECT version FROM cohorts WHERE id = ?", (cohort,))
        story.press_data(
            kari,
            story.messages(KARI)[-1]["message_id"],
            codecs.COMPLETE.encode(cohort, int(str(version))),
            "Diploma and ID card for 2",
        )
        story.press(kari, "Yes, complete the course", "The course is completed")
        story.wait("Zahra's card", lambda: bool(api_photos(api, ZAHRA)))
        card = api_photos(api, ZAHRA)[0]
        assert "Congratulations, Zahra!" in card["caption"]
        story.wait("two diplomas", lambda: len(diplomas(api)) == 2)
        (role,) = story.row("SELECT role FROM memberships WHERE telegram_id = ?", (ZAHRA,))
        assert role == "mother"
        # Anyone who scans the card's QR code sees "valid" and nothing else about her.
        link = qr_link(api, card)
        scanner = api.user(SCANNER, "Politi", "en")
        story.say(scanner, "/start " + link.split("start=", 1)[1], "Choose your language")
        story.press(scanner, "English", "This Bydelsmødre ID card is valid.")
    finally:
        code, stderr = stop(process)
    assert code == 0, stderr
    assert "Traceback" not in stderr
    verdict = story.messages(SCANNER)[-1]["text"]
    assert verdict == "✅ This Bydelsmødre ID card is valid." and "Zahra" not in verdict


def api_photos(api: OfflineBotApi, chat_id: int) -> list[JSON]:
    return [m for m in api.bot_messages_in(chat_id) if "photo" in m]


def diplomas(api: OfflineBotApi) -> list[JSON]:
    return [m for m in api.bot_messages_in(KARI) if "document" in m]


def qr_link(api: OfflineBotApi, message: JSON) -> str:
    calls = [c for c in api.calls_to("sendPhoto") if c.params["chat_id"] == message["chat"]["id"]]
    _, png = calls[-1].uploads["photo"]
    [found] = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    return str(found.text)
