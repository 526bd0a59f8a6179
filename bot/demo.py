"""`bydelsbot demo`: the whole bot in the terminal, offline, on a database of its own.

The same Application and handlers as `bydelsbot run`; only the transport differs. Lines typed (or
piped) become her messages; a number presses that button of the bot's latest buttons. Bot replies
are printed with their buttons numbered.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import threading
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from telegram import Update

from bot.app import BotApplication
from bot.application import build_application, close_services, open_services
from bot.config import Config
from bot.course.demo_data import seed_course_demo
from bot.days import local_instant
from bot.identity import Role
from bot.meetings.seed import DEFAULT_REMINDER_HOURS
from bot.offline.api import OfflineBotApi
from bot.offline.state import JSON
from bot.offline.transport import OfflineRequest
from bot.review.catalogue import message_by_id
from bot.review.flow import keep_suggestion
from handlers.common.context import SERVICES_KEY, Services
from handlers.jobs.announcements.worker import OutboxWorker
from handlers.jobs.meetings import dispatch_reminders, next_reminder_moment, schedule_wakeups
from handlers.meetings.planning import plan_all
from storage.districts import list_districts
from storage.dropin.rota import take_shift
from storage.dropin.sessions import SessionSeed, list_sessions
from storage.meetings.meetings import add_meeting, upcoming_meetings
from storage.organisation import DistrictSeed, LocationSeed, apply_seed
from storage.people import add_membership
from storage.review import set_reviewer

DEMO_TOKEN = "1234567890:DEMO-offline-token-not-a-real-one-xx"  # noqa: S105 - never sent anywhere
DEMO_USER_ID = 424242
DEMO_ROLES = ("public", "participant", "mother", "coordinator", "admin", "reviewer")
REVIEWER = "reviewer"  # a bydelsmor with the right to review the Somali translation

# A district in fase 3 with a few members who read different languages.
DEMO_MEMBERS = (
    (500001, "Fadumo", "mother", "so"),
    (500002, "Hawa", "mother", "ar"),
    (500003, "Leyla", "participant", "tr"),
    (500004, "Kari", "coordinator", "nb"),
)


@dataclass
class TerminalPrinter:
    """Prints what the bot shows in her chat, numbering the buttons she can press."""

    out: TextIO
    chat_id: int
    buttons: dict[int, tuple[int, str]] = field(default_factory=dict)
    _fresh_batch: bool = True

    def start_batch(self) -> None:
        self._fresh_batch = True

    def on_event(self, event: str, payload: JSON) -> None:
        if payload.get("chat", {}).get("id") != self.chat_id:
            return
        if event == "toast":
            self._print(f"  💬 {payload['text']}")
        elif event == "delete":
            self._print("  🗑  (a message was deleted)")
        else:
            prefix = "✏️  (edited) " if event == "edit" else ""
            self._print_message(payload, prefix)

    def _print_message(self, message: JSON, prefix: str) -> None:
        body = message.get("text") or message.get("caption") or ""
        for kind in ("document", "photo", "voice"):
            if kind in message:
                body = f"[{kind}] {body}".strip()
        if "venue" in message:  # a place on the map (the help guide's service cards)
            body = f"[venue] {message['venue']['title']}, {message['venue']['address']}"
        self._print("\n" + "─" * 40)
        self._print(prefix + body)
        rows = (message.get("reply_markup") or {}).get("inline_keyboard") or []
        if rows and self._fresh_batch:
            self.buttons.clear()
            self._fresh_batch = False
        for row in rows:
            cells = []
            for btn in row:
                number = len(self.buttons) + 1
                if "callback_data" in btn:
                    self.buttons[number] = (int(message["message_id"]), btn["callback_data"])
                    cells.append(f"[{number}] {btn['text']}")
                else:
                    cells.append(f"[{btn['text']}: {btn.get('url', '')}]")
            self._print("   " + "   ".join(cells))

    def _print(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()


DEMO_LOCATION = LocationSeed("deichman-furuset", "Deichman Furuset", "Trygve Lies plass 1, Oslo")
# Furuset's Wednesday drop-in with its rota: /dropin as a woman, /rota as a bydelsmor (Fadumo is
# on duty next Wednesday: one more is needed), /report as a coordinator.
DEMO_SESSION = SessionSeed(
    "furuset-wednesday",
    "alna",
    DEMO_LOCATION.id,
    "dropin",
    2,
    "12:00",
    "15:00",
    "2026-01-07",
    languages="nb,so,ar,ur,tr",
    min_on_duty=2,
    max_on_duty=3,
)
# Typing this line in the demo moves its clock to the moment the next reminder is due.
REMIND_LINE = "!remind"
# The demo's own meeting: at this local hour, far enough ahead that its first reminder (48 hours
# before, DEFAULT_REMINDER_HOURS of bot/meetings/seed.py) is still to come.
ONE_OFF_AT = time(17, 0)
REMINDER_AHEAD = timedelta(hours=DEFAULT_REMINDER_HOURS[0], minutes=5)


def demo_anchor(today: date) -> date:
    """A Wednesday that puts Alna's next fortnightly meeting 3 to 9 days ahead, so that no
    reminder goes out before she has typed anything (`!remind` shows one when she wants)."""
    days = (2 - today.weekday()) % 7
    return today + timedelta(days=days if days >= 3 else days + 7)


async def seed_demo_data(services: Services, role: str) -> None:
    db = services.db
    now = datetime.now(UTC)
    today = now.astimezone(services.config.tz).date()
    alna = DistrictSeed(
        "alna",
        "Alna",
        3,
        location_id=DEMO_LOCATION.id,
        meeting_weekday=2,
        meeting_time="18:00",
        meeting_anchor=demo_anchor(today).isoformat(),
        monthly_rule="weekday:1:2",
    )
    await apply_seed(db, [DEMO_LOCATION], [alna], now, [DEMO_SESSION])
    district_id = next(d.id for d in await list_districts(db) if d.slug == "alna")
    for telegram_id, name, member_role, locale in DEMO_MEMBERS:
        await add_membership(db, telegram_id, district_id, member_role, name, now, locale)
    session = next(s for s in await list_sessions(db) if s.district_id == district_id)
    wednesday = today + timedelta(days=(2 - today.weekday()) % 7 or 7)
    await take_shift(db, session.id, wednesday, DEMO_MEMBERS[0][0], now)
    if role in {Role.PARTICIPANT, Role.MOTHER, Role.COORDINATOR}:
        # Her language stays unchosen: the demo starts, like a real first visit, with /start.
        await add_membership(db, DEMO_USER_ID, district_id, role, "Amina", now, locale=None)
    # The basic training: Leyla (and Amina, as a participant) in a cohort with evenings behind
    # and ahead, two women interested, catch-up evenings for a missed module.
    participants = {500003: "Leyla"}
    if role == Role.PARTICIPANT:
        participants[DEMO_USER_ID] = "Amina"
    await seed_course_demo(db, district_id, participants, DEMO_LOCATION.id, now, services.config.tz)
    if role == REVIEWER:
        # Kari made her a Somali reviewer; Fadumo has suggested a better Somali wording of the
        # menu's question, which waits for a second reviewer: /review shows it first.
        await add_membership(db, DEMO_USER_ID, district_id, "mother", "Amina", now, locale=None)
        await set_reviewer(db, DEMO_USER_ID, "so", 500004, now, on=True)
        menu_question = message_by_id()["What would you like to do?"]
        wording = ("Maxaad rabtaa inaad hadda samayso?",)
        await keep_suggestion(db, "so", menu_question, wording, 500001, now)
    # A single meeting of its own, soon, so that a reminder comes quickly (or at once with
    # `!remind`).
    upcoming = await upcoming_meetings(db, [district_id], now, now + timedelta(days=7))
    if not any(m.rule_key is None for m in upcoming):
        tz = services.config.tz
        # The regular meetings are planned after this (plan_all): their first day is the anchor.
        busy = {m.starts_at.astimezone(tz).date() for m in upcoming} | {demo_anchor(today)}
        await add_meeting(db, district_id, one_off_start(now, tz, busy), 500004, now)


def one_off_start(now: datetime, tz: ZoneInfo, busy_days: set[date]) -> datetime:
    """When the demo's own meeting starts: at an hour a coordinator would choose (17:00), on the
    first day without another meeting whose 17:00 is over 48 hours ahead, so that its first
    reminder (48 hours before) is still to come, within a day. Counted from the hour the demo
    starts, it once landed at midnight, beside the regular meeting of the same day."""
    day = (now + REMINDER_AHEAD).astimezone(tz).date()
    while True:
        start = local_instant(day, ONE_OFF_AT, tz)
        if start > now + REMINDER_AHEAD and day not in busy_days:
            return start
        day += timedelta(days=1)


async def run_demo(
    role: str, db_path: Path | None, lines: Iterable[str], out: TextIO = sys.stdout
) -> int:
    with tempfile.TemporaryDirectory(prefix="bydelsbot-demo-") as tmp:
        config = Config(
            token=DEMO_TOKEN,
            db_path=db_path or Path(tmp) / "demo.sqlite3",
            admins=frozenset({DEMO_USER_ID}) if role == Role.ADMIN else frozenset(),
        )
        api = OfflineBotApi()
        for telegram_id, name, _, _ in DEMO_MEMBERS:
            # They have started the bot, so it can write to them (e.g. Kari, the coordinator,
            # receives a contact request from the help guide).
            api.private_chat(api.user(telegram_id, name))
        printer = TerminalPrinter(out, DEMO_USER_ID)
        api.listeners.append(printer.on_event)
        app = build_application(config, request=OfflineRequest(api), with_updater=False)
        async with app:
            await open_services(app)
            try:
                services = app.bot_data[SERVICES_KEY]
                await seed_demo_data(services, role)
                # Plan the demo data now: start-up planning ran before it existed.
                now = datetime.now(UTC)
                await plan_all(app.bot, services, now)
                assert app.job_queue is not None
                await schedule_wakeups(app.job_queue, services.db, now)
                await app.start()
                try:
                    await _converse(app, api, printer, role, lines, out)
                finally:
                    await app.stop()
            finally:
                await close_services(app)
    return 0


async def _converse(
    app: BotApplication,
    api: OfflineBotApi,
    printer: TerminalPrinter,
    role: str,
    lines: Iterable[str],
    out: TextIO,
) -> None:
    user = api.user(DEMO_USER_ID, "Amina")
    out.write(
        f"Bydelsmødre bot, offline demo. You are Amina ({role}). Type /start; type a number to "
        f"press a button; {REMIND_LINE} jumps to the next meeting reminder; \\n in a line is a "
        "line break (a meeting's place, then its note); end with Ctrl-D.\n"
    )
    clock = datetime.now(UTC)  # where `!remind` last moved the demo's clock
    async for raw in _read_lines(lines):
        line = raw.rstrip("\r\n")
        if not line.strip():
            continue
        printer.start_batch()
        choice = line.strip()
        if choice == REMIND_LINE:
            clock = await _jump_to_next_reminder(app, out, max(clock, datetime.now(UTC)))
            continue
        if choice.isdecimal() and int(choice) in printer.buttons:
            message_id, data = printer.buttons[int(choice)]
            if api.has_message(DEMO_USER_ID, message_id):
                update = api.press(user, DEMO_USER_ID, message_id, data)
            else:  # deleted (🧹): Telegram delivers the press without the message's content
                update = api.press_unseen(user, data, message_id=message_id)
        else:
            # A typed "\n" is a line break: a terminal line cannot hold one.
            update = api.send_text(user, line.replace("\\n", "\n"))
        await app.process_update(Update.de_json(update, app.bot))
    await _let_announcements_finish(app)


async def _let_announcements_finish(app: BotApplication, patience: float = 30.0) -> None:
    """At the end of a scripted demo, let an announcement just confirmed reach its report."""
    services = app.bot_data[SERVICES_KEY]
    worker = services.outbox
    if not isinstance(worker, OutboxWorker):
        return
    loop = asyncio.get_running_loop()
    deadline = loop.time() + patience
    while not await worker.settled() and loop.time() < deadline:  # noqa: ASYNC110 - polls the db
        await asyncio.sleep(0.05)


async def _read_lines(lines: Iterable[str]) -> AsyncIterator[str]:
    """Lines as she types them, read in a daemon thread so that the bot's jobs keep running
    while she thinks, and Ctrl-C is not held up by a thread waiting for input."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[str | None] = asyncio.Queue()

    def pump() -> None:
        for line in lines:
            loop.call_soon_threadsafe(queue.put_nowait, line)
        loop.call_soon_threadsafe(queue.put_nowait, None)

    threading.Thread(target=pump, name="demo-stdin", daemon=True).start()
    while (line := await queue.get()) is not None:
        yield line


async def _jump_to_next_reminder(app: BotApplication, out: TextIO, now: datetime) -> datetime:
    """Demo only: run the reminder dispatch as if the clock stood where the next one after
    `now` is due; returns where the clock stands, so that the next jump goes further."""
    services: Services = app.bot_data[SERVICES_KEY]
    moment = await next_reminder_moment(services.db, now)
    if moment is None:
        out.write("(demo: no reminder is planned)\n")
        return now
    local = moment.astimezone(services.config.tz)
    out.write(f"(demo: the clock jumps to {local:%Y-%m-%d %H:%M}, when a reminder is due)\n")
    await dispatch_reminders(
        app.bot, services.db, services.config.tz, moment, services.clock, services.outbox
    )
    return moment
