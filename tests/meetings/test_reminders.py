"""Reminder dispatch with a controlled clock: due, late but still ahead, passed, already sent,
a restart in between; "not coming" skips the second reminder; blocked members, flood control,
server errors and a group chat that became a supergroup never break a run."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from telegram.error import NetworkError, TimedOut

from bot.app import BotApplication
from bot.application import build_application, close_services, open_services
from bot.config import Config
from bot.i18n import translator
from bot.offline.api import OfflineBotApi
from bot.offline.state import JSON
from bot.offline.transport import OfflineRequest
from handlers.common.context import SERVICES_KEY, Outbox, Services
from handlers.jobs.meetings import dispatch_reminders, schedule_wakeups
from handlers.meetings.codecs import RSVP, RSVP_ON_REMINDER
from storage.group_chats import link_chat
from storage.meetings.meetings import add_meeting
from storage.meetings.reminders import claim_reminder, mark_interrupted, reminder_outcomes
from storage.meetings.rsvps import set_rsvp
from storage.people import load_person
from tests.fakes.clock import VirtualClock
from tests.fakes.telegram import TEST_TOKEN, ChatDriver, buttons_of
from tests.support.people import make_member

# The meeting is ahead of the real clock too, so that pressing its buttons is accepted.
MEETING = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(days=5)
HOURS = timedelta(hours=1)
FADUMO, HAWA, KARI = 3001, 3002, 3003


def backoffs(clock: VirtualClock) -> list[float]:
    """The careful sender's growing pauses (1, 2, 4 s) among the bot's noted sleeps: the rate
    plan's waits for a turn are shorter, its pause after a 429 is the retry_after asked."""
    return [w for w in clock.slept if w in (1.0, 2.0, 4.0)]


async def alna_with_a_meeting(services: Services, api: OfflineBotApi) -> tuple[int, int]:
    district_id = 0
    for user_id, name, role in ((FADUMO, "Fadumo", "mother"), (HAWA, "Hawa", "participant"),
                                (KARI, "Kari", "coordinator")):  # fmt: skip
        district_id = await make_member(services, user_id, role)
        api.private_chat(api.user(user_id, name))  # each pressed Start once
    meeting_id = await add_meeting(
        services.db, district_id, MEETING, KARI, MEETING - 10 * HOURS * 24
    )
    return district_id, meeting_id


def reminders_to(api: OfflineBotApi, user_id: int) -> list[JSON]:
    return [m for m in api.bot_messages_in(user_id) if m.get("text", "").startswith("⏰")]


async def dispatch(app: BotApplication, services: Services, now: datetime) -> int:
    return await dispatch_reminders(app.bot, services.db, services.config.tz, now, services.clock)


async def test_a_due_reminder_is_sent_once_with_the_answer_buttons(
    app: BotApplication, services: Services, api: OfflineBotApi
) -> None:
    _, meeting_id = await alna_with_a_meeting(services, api)
    assert await dispatch(app, services, MEETING - 49 * HOURS) == 0  # not yet
    assert await dispatch(app, services, MEETING - 47 * HOURS) == 3
    assert await dispatch(app, services, MEETING - 46 * HOURS) == 0  # sent already
    (reminder,) = reminders_to(api, FADUMO)
    assert "Reminder: your group meets soon." in reminder["text"]
    assert "Alna" in reminder["text"]
    labels = [b["text"] for b in buttons_of(reminder)]
    assert labels[:3] == ["✅ Coming", "❌ Not coming", "🤔 Maybe"]
    # The reminder's own answer buttons: pressing one redraws the reminder as a reminder.
    expected = [RSVP_ON_REMINDER.encode(meeting_id, code) for code in "ynm"]
    assert [b["callback_data"] for b in buttons_of(reminder)][:3] == expected
    outcomes = await reminder_outcomes(services.db, meeting_id)
    assert outcomes == {(p, 48): "sent" for p in (FADUMO, HAWA, KARI)}


async def test_the_second_reminder_skips_those_not_coming(
    app: BotApplication, services: Services, api: OfflineBotApi
) -> None:
    _, meeting_id = await alna_with_a_meeting(services, api)
    await dispatch(app, services, MEETING - 48 * HOURS)
    await set_rsvp(services.db, meeting_id, HAWA, "no", MEETING - 40 * HOURS)
    await set_rsvp(services.db, meeting_id, FADUMO, "maybe", MEETING - 40 * HOURS)
    assert await dispatch(app, services, MEETING - 3 * HOURS) == 2
    assert len(reminders_to(api, FADUMO)) == 2 and len(reminders_to(api, KARI)) == 2
    assert len(reminders_to(api, HAWA)) == 1
    assert "Your answer: 🤔 Maybe" in reminders_to(api, FADUMO)[-1]["text"]
    outcomes = await reminder_outcomes(services.db, meeting_id)
    assert outcomes[(HAWA, 3)] == "skipped_not_coming"


async def test_late_but_ahead_sends_only_the_latest_reminder(
    app: BotApplication, services: Services, api: OfflineBotApi
) -> None:
    _, meeting_id = await alna_with_a_meeting(services, api)
    # The bot was down for both lead times; the meeting is still an hour ahead.
    assert await dispatch(app, services, MEETING - 1 * HOURS) == 3
    assert [len(reminders_to(api, p)) for p in (FADUMO, HAWA, KARI)] == [1, 1, 1]
    outcomes = await reminder_outcomes(services.db, meeting_id)
    assert outcomes[(FADUMO, 3)] == "sent" and outcomes[(FADUMO, 48)] == "skipped_late"
    assert await dispatch(app, services, MEETING - 30 * 60 * timedelta(seconds=1)) == 0


async def test_a_meeting_that_has_passed_gets_no_reminder(
    app: BotApplication, services: Services, api: OfflineBotApi
) -> None:
    _, meeting_id = await alna_with_a_meeting(services, api)
    assert await dispatch(app, services, MEETING + 60 * timedelta(seconds=1)) == 0
    assert await dispatch(app, services, MEETING) == 0
    assert reminders_to(api, FADUMO) == []
    assert await reminder_outcomes(services.db, meeting_id) == {}


async def test_a_reminder_claimed_before_a_crash_is_never_sent_again(
    app: BotApplication, services: Services, api: OfflineBotApi
) -> None:
    _, meeting_id = await alna_with_a_meeting(services, api)
    now = MEETING - 47 * HOURS
    # A run claimed Fadumo's reminder and the process died before it could finish.
    await claim_reminder(services.db, meeting_id, FADUMO, 48, (), "skipped_late", now)
    assert await dispatch(app, services, now) == 2
    assert reminders_to(api, FADUMO) == []


async def test_a_restart_in_between_sends_nothing_twice(
    app: BotApplication, services: Services, api: OfflineBotApi, db_path: Path
) -> None:
    _, _meeting_id = await alna_with_a_meeting(services, api)
    await dispatch(app, services, MEETING - 47 * HOURS)
    for _ in range(3):  # three restarts over the same database
        config = Config(token=TEST_TOKEN, db_path=db_path)
        again = build_application(config, request=OfflineRequest(api), with_updater=False)
        async with again:
            await open_services(again)  # rebuilds the wake-ups, runs the start-up dispatch
            await again.start()
            fresh: Services = again.bot_data[SERVICES_KEY]
            assert await dispatch(again, fresh, MEETING - 46 * HOURS) == 0
            await again.stop()
            await close_services(again)
    assert [len(reminders_to(api, p)) for p in (FADUMO, HAWA, KARI)] == [1, 1, 1]
    assert await dispatch(app, services, MEETING - 2 * HOURS) == 3  # the 3-hour one, once
    assert [len(reminders_to(api, p)) for p in (FADUMO, HAWA, KARI)] == [2, 2, 2]


async def test_two_runs_at_once_still_send_each_reminder_once(
    app: BotApplication, services: Services, api: OfflineBotApi
) -> None:
    await alna_with_a_meeting(services, api)
    now = MEETING - 47 * HOURS
    sent = await asyncio.gather(*(dispatch(app, services, now) for _ in range(3)))
    assert sum(sent) == 3
    assert [len(reminders_to(api, p)) for p in (FADUMO, HAWA, KARI)] == [1, 1, 1]


async def test_a_woman_who_blocked_the_bot_is_marked_and_the_others_still_get_it(
    app: BotApplication, services: Services, api: OfflineBotApi
) -> None:
    _, meeting_id = await alna_with_a_meeting(services, api)
    api.block(HAWA)
    assert await dispatch(app, services, MEETING - 47 * HOURS) == 2
    record = await load_person(services.db, HAWA)
    assert record is not None
    hawa = await services.db.fetch_one(
        "SELECT unreachable_since FROM people WHERE telegram_id = ?", (HAWA,)
    )
    assert hawa is not None and hawa["unreachable_since"] is not None
    outcomes = await reminder_outcomes(services.db, meeting_id)
    assert outcomes[(HAWA, 48)] == "unreachable" and outcomes[(FADUMO, 48)] == "sent"


async def test_flood_control_waits_and_retries_the_same_message(
    app: BotApplication, services: Services, api: OfflineBotApi, turns_clock: VirtualClock
) -> None:
    await alna_with_a_meeting(services, api)
    answers = iter([
        (429, {"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 7",
               "parameters": {"retry_after": 7}}),
        (500, {"ok": False, "error_code": 500, "description": "Internal Server Error"}),
        (502, {"ok": False, "error_code": 502, "description": "Bad Gateway"}),
    ])  # fmt: skip

    def fault(method: str, params: JSON) -> tuple[int, JSON] | None:
        return next(answers, None) if method == "sendMessage" else None

    api.fault = fault
    assert await dispatch(app, services, MEETING - 47 * HOURS) == 3
    # The bot's rate limiter waited out the 429 (pausing every sender), then a growing back-off.
    assert len([w for w in turns_clock.slept if 6.9 < w <= 7.0]) == 1
    assert backoffs(turns_clock) == [1.0, 2.0]
    assert [len(reminders_to(api, p)) for p in (FADUMO, HAWA, KARI)] == [1, 1, 1]


async def test_a_server_that_keeps_failing_gives_up_on_that_one_and_goes_on(
    app: BotApplication, services: Services, api: OfflineBotApi
) -> None:
    _, meeting_id = await alna_with_a_meeting(services, api)

    def fault(method: str, params: JSON) -> tuple[int, JSON] | None:
        if method == "sendMessage" and int(params["chat_id"]) == FADUMO:
            return 500, {"ok": False, "error_code": 500, "description": "Internal Server Error"}
        return None

    api.fault = fault
    assert await dispatch(app, services, MEETING - 47 * HOURS) == 2
    outcomes = await reminder_outcomes(services.db, meeting_id)
    assert outcomes[(FADUMO, 48)] == "failed"
    assert await dispatch(app, services, MEETING - 46 * HOURS) == 0  # not retried for ever


class Pacer:
    """Stands in for the announcement worker's rate plan: records who waited for a turn (and
    takes it from the real worker's plan, if given one)."""

    def __init__(self, real: Outbox | None = None) -> None:
        self.real = real
        self.turns: list[tuple[int, bool]] = []
        self.pauses: list[float] = []

    def wake(self) -> None:
        return None

    async def pace(self, chat_id: int, *, group: bool = False) -> None:
        self.turns.append((chat_id, group))
        if self.real is not None:
            await self.real.pace(chat_id, group=group)

    def pause(self, seconds: float) -> None:
        self.pauses.append(seconds)
        if self.real is not None:
            self.real.pause(seconds)


async def test_every_reminder_and_the_group_post_wait_their_turn_under_the_one_rate_plan(
    app: BotApplication, services: Services, api: OfflineBotApi
) -> None:
    district_id, _ = await alna_with_a_meeting(services, api)
    api.group_chat(-4001, "Alna bydelsmødre")
    await link_chat(services.db, district_id, -4001, "Alna bydelsmødre")
    pacer = Pacer()
    sent = await dispatch_reminders(
        app.bot, services.db, services.config.tz, MEETING - 47 * HOURS, services.clock, pacer
    )
    assert sent == 3
    assert sorted(pacer.turns) == [(-4001, True), (FADUMO, False), (HAWA, False), (KARI, False)]


async def test_a_429_to_a_reminder_pauses_the_one_rate_plan_for_every_sender(
    app: BotApplication, services: Services, api: OfflineBotApi
) -> None:
    await alna_with_a_meeting(services, api)
    answers = iter([
        (429, {"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 7",
               "parameters": {"retry_after": 7}}),
    ])  # fmt: skip

    def fault(method: str, params: JSON) -> tuple[int, JSON] | None:
        return next(answers, None) if method == "sendMessage" else None

    api.fault = fault
    pacer = Pacer(services.outbox)
    sent = await dispatch_reminders(
        app.bot, services.db, services.config.tz, MEETING - 47 * HOURS, services.clock, pacer
    )
    assert sent == 3
    assert pacer.pauses == [7.0]  # the announcement worker waits too, not only this sender


async def test_the_group_chat_gets_one_short_post_and_follows_a_migration(
    app: BotApplication, services: Services, api: OfflineBotApi
) -> None:
    district_id, _ = await alna_with_a_meeting(services, api)
    old = api.group_chat(-4001, "Alna bydelsmødre")
    await link_chat(services.db, district_id, -4001, "Alna bydelsmødre")
    api.migrate(old, -1004001, api.user(KARI, "Kari"))
    await dispatch(app, services, MEETING - 47 * HOURS)
    await dispatch(app, services, MEETING - 2 * HOURS)
    posts = api.bot_messages_in(-1004001)
    # The group chat reads the district's default language (Norwegian here).
    heading = translator("nb")._("Our next meeting:")
    assert heading != "Our next meeting:"
    assert len(posts) == 1 and heading in posts[0]["text"]
    assert buttons_of(posts[0]) == []
    row = await services.db.fetch_one("SELECT chat_id FROM districts WHERE id = ?", (district_id,))
    assert row is not None and row["chat_id"] == -1004001


async def test_pressing_coming_in_the_reminder_records_it_and_shows_it(
    app: BotApplication, services: Services, api: OfflineBotApi,
    chat: Callable[..., ChatDriver],
) -> None:  # fmt: skip
    _, meeting_id = await alna_with_a_meeting(services, api)
    await dispatch(app, services, MEETING - 47 * HOURS)
    fadumo = chat(FADUMO, "Fadumo")
    await fadumo.press(
        RSVP_ON_REMINDER.encode(meeting_id, "y"), reminders_to(api, FADUMO)[0]["message_id"]
    )
    assert fadumo.toasts()[-1] == "Thank you! Your answer: ✅ Coming"
    edited = reminders_to(api, FADUMO)[0]
    assert "Your answer: ✅ Coming" in edited["text"] and edited["text"].startswith("⏰")
    assert len(buttons_of(edited)) == 4  # she can still change it
    await fadumo.press(RSVP_ON_REMINDER.encode(meeting_id, "m"), edited["message_id"])
    assert "Your answer: 🤔 Maybe" in reminders_to(api, FADUMO)[0]["text"]
    row = await services.db.fetch_one(
        "SELECT answer FROM rsvps WHERE meeting_id = ? AND telegram_id = ?", (meeting_id, FADUMO)
    )
    assert row is not None and row["answer"] == "maybe"


async def test_what_an_answer_redraws_comes_from_the_button_not_the_text(
    app: BotApplication, services: Services, api: OfflineBotApi,
    chat: Callable[..., ChatDriver],
) -> None:  # fmt: skip
    """The card's answer button, pressed on a message that reads like a reminder, redraws a card."""
    _, meeting_id = await alna_with_a_meeting(services, api)
    await dispatch(app, services, MEETING - 47 * HOURS)
    fadumo = chat(FADUMO, "Fadumo")
    reminder_id = reminders_to(api, FADUMO)[0]["message_id"]
    await fadumo.press(RSVP.encode(meeting_id, "n"), reminder_id)
    (edited,) = [m for m in api.bot_messages_in(FADUMO) if m["message_id"] == reminder_id]
    assert not edited["text"].startswith("⏰") and "Your answer: ❌ Not coming" in edited["text"]


async def test_wakeups_cover_the_next_36_hours_and_are_rebuilt_without_duplicates(
    app: BotApplication, services: Services, api: OfflineBotApi
) -> None:
    district_id, far = await alna_with_a_meeting(services, api)  # 5 days ahead: 48 h in 3 days
    now = datetime.now(UTC)
    near = await add_meeting(services.db, district_id, now + 30 * HOURS, KARI, now)
    soon = await add_meeting(services.db, district_id, now + 60 * HOURS, KARI, now)
    assert app.job_queue is not None
    for _ in range(2):  # as at start-up, then at the next hourly refresh
        assert await schedule_wakeups(app.job_queue, services.db, now) == 2
    names = sorted(job.name or "" for job in app.job_queue.jobs() if job.name)
    reminders = [name for name in names if name.startswith("remind:")]
    assert reminders == sorted([f"remind:{near}:3", f"remind:{soon}:48"])  # each once
    assert f"remind:{far}:48" not in names and "meetings:refresh" in names


async def test_a_timeout_is_never_resent_and_is_recorded_as_uncertain(
    app: BotApplication,
    services: Services,
    api: OfflineBotApi,
    turns_clock: VirtualClock,
) -> None:
    _, meeting_id = await alna_with_a_meeting(services, api)
    calls: list[int] = []

    def fault(method: str, params: JSON) -> tuple[int, JSON] | None:
        if method == "sendMessage" and int(params["chat_id"]) == FADUMO:
            calls.append(FADUMO)
            # The request went out; the answer never came back: perhaps it was delivered.
            raise TimedOut from httpx.ReadTimeout("read timed out")
        return None

    api.fault = fault
    assert await dispatch(app, services, MEETING - 47 * HOURS) == 2
    assert calls == [FADUMO] and backoffs(turns_clock) == []  # tried once, never again
    outcomes = await reminder_outcomes(services.db, meeting_id)
    assert outcomes[(FADUMO, 48)] == "uncertain" and outcomes[(HAWA, 48)] == "sent"
    assert await dispatch(app, services, MEETING - 46 * HOURS) == 0
    assert calls == [FADUMO]


async def test_a_refused_connection_is_retried_and_a_lost_one_is_not(
    app: BotApplication,
    services: Services,
    api: OfflineBotApi,
    turns_clock: VirtualClock,
) -> None:
    _, meeting_id = await alna_with_a_meeting(services, api)
    refused = iter([True])

    def fault(method: str, params: JSON) -> tuple[int, JSON] | None:
        if method != "sendMessage":
            return None
        if int(params["chat_id"]) == FADUMO and next(refused, False):
            raise NetworkError("httpx.ConnectError: refused") from httpx.ConnectError("refused")
        if int(params["chat_id"]) == HAWA:
            raise NetworkError("httpx.ReadError: reset") from httpx.ReadError("reset")
        return None

    api.fault = fault
    await dispatch(app, services, MEETING - 47 * HOURS)
    outcomes = await reminder_outcomes(services.db, meeting_id)
    assert outcomes[(FADUMO, 48)] == "sent" and backoffs(turns_clock) == [1.0]
    assert outcomes[(HAWA, 48)] == "uncertain"
    assert len(reminders_to(api, FADUMO)) == 1


async def test_a_meeting_cancelled_while_its_reminders_go_out_gets_no_more(
    app: BotApplication, services: Services, api: OfflineBotApi, db_path: Path
) -> None:
    _, meeting_id = await alna_with_a_meeting(services, api)
    sent: list[int] = []

    def fault(method: str, params: JSON) -> tuple[int, JSON] | None:
        if method == "sendMessage":
            sent.append(int(params["chat_id"]))
            if len(sent) == 1:  # the coordinator cancels it while the first one goes out
                with sqlite3.connect(db_path) as other:
                    other.execute(
                        "UPDATE meetings SET cancelled_at = ? WHERE id = ?",
                        (datetime.now(UTC).isoformat(), meeting_id),
                    )
        return None

    api.fault = fault
    assert await dispatch(app, services, MEETING - 47 * HOURS) == 1
    assert len(sent) == 1
    outcomes = await reminder_outcomes(services.db, meeting_id)
    assert len(outcomes) == 1  # nobody else was claimed


async def test_a_claim_is_refused_for_a_cancelled_passed_or_moved_meeting(
    services: Services, api: OfflineBotApi
) -> None:
    _, meeting_id = await alna_with_a_meeting(services, api)
    now = MEETING - 47 * HOURS
    assert not await claim_reminder(services.db, meeting_id, FADUMO, 48, (), "x", now,
                                    MEETING + HOURS)  # fmt: skip
    assert not await claim_reminder(services.db, meeting_id, FADUMO, 48, (), "x", MEETING)
    await services.db.execute("UPDATE meetings SET cancelled_at = ? WHERE id = ?",
                              (now.isoformat(), meeting_id))  # fmt: skip
    assert not await claim_reminder(services.db, meeting_id, FADUMO, 48, (), "x", now)
    assert await reminder_outcomes(services.db, meeting_id) == {}


class StuckPacer(Pacer):
    """A rate plan that gives one turn and then makes everyone wait (until the test kills it)."""

    def __init__(self) -> None:
        super().__init__()
        self.waiting = asyncio.Event()

    async def pace(self, chat_id: int, *, group: bool = False) -> None:
        await super().pace(chat_id, group=group)
        if len(self.turns) > 1:
            self.waiting.set()
            await asyncio.Event().wait()  # her turn never comes before the kill


async def test_a_kill_while_a_reminder_waits_for_its_turn_loses_nothing(
    app: BotApplication, services: Services, api: OfflineBotApi
) -> None:
    _, meeting_id = await alna_with_a_meeting(services, api)
    now = MEETING - 47 * HOURS
    pacer = StuckPacer()
    run = asyncio.create_task(
        dispatch_reminders(app.bot, services.db, services.config.tz, now, services.clock, pacer)
    )
    await pacer.waiting.wait()
    run.cancel()  # the process dies while the second reminder waits for its turn
    with contextlib.suppress(asyncio.CancelledError):
        await run
    assert len(await reminder_outcomes(services.db, meeting_id)) == 1  # only the one sent

    # The restart: what was claimed and not finished is "interrupted"; then the due ones go.
    assert await mark_interrupted(services.db, now, now) == 0
    assert await dispatch(app, services, now + HOURS) == 2
    assert [len(reminders_to(api, p)) for p in (FADUMO, HAWA, KARI)] == [1, 1, 1]
    assert set((await reminder_outcomes(services.db, meeting_id)).values()) == {"sent"}
