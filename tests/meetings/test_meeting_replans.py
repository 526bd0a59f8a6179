"""A new rule (from the seed file or /phase) updates the future in place: same ids, answers,
place, note and cancellation; only dates the rule no longer gives go, never a meeting a
coordinator changed; every member gets one message listing what moved or was removed."""

from __future__ import annotations

from datetime import timedelta

from bot.app import BotApplication
from bot.days import OSLO
from bot.offline.api import OfflineBotApi
from handlers.common.context import Services
from handlers.meetings.planning import plan_all
from storage.meetings.meetings import (
    cancel_meeting,
    move_meeting,
    set_place_and_note,
    upcoming_meetings,
)
from storage.meetings.rsvps import get_rsvp, set_rsvp
from storage.organisation import apply_seed
from tests.meetings.world import FADUMO, HAWA, KARI, LOCATION, alna, alna_group, now


async def future(services: Services, district_id: int) -> list:  # type: ignore[type-arg]
    return await upcoming_meetings(
        services.db, [district_id], now(), now() + timedelta(days=90), include_cancelled=True
    )


async def test_a_new_time_keeps_answers_place_note_and_cancellation_and_tells_once(
    app: BotApplication, services: Services, api: OfflineBotApi
) -> None:
    district_id = await alna_group(services, api, app)
    first, second, third, *rest = await future(services, district_id)
    await set_rsvp(services.db, first.id, FADUMO, "yes", now())
    await set_rsvp(services.db, second.id, HAWA, "no", now())
    await set_place_and_note(services.db, first.id, "Furuset library", "Bring tea", KARI, now())
    await cancel_meeting(services.db, third.id, KARI, now())
    before = {m: len(api.bot_messages_in(m)) for m in (FADUMO, HAWA, KARI)}

    await apply_seed(services.db, [LOCATION], [alna(meeting_time="18:30")], now())
    await plan_all(app.bot, services, now())

    after = await future(services, district_id)
    assert [m.id for m in after] == [m.id for m in (first, second, third, *rest)]  # in place
    assert all(m.starts_at.astimezone(OSLO).strftime("%H:%M") == "18:30" for m in after)
    assert [m.uid for m in after] == [m.uid for m in (first, second, third, *rest)]
    assert await get_rsvp(services.db, first.id, FADUMO) == "yes"
    assert await get_rsvp(services.db, second.id, HAWA) == "no"
    assert after[0].place == "Furuset library" and after[0].note == "Bring tea"
    assert after[2].cancelled  # a new time does not bring a cancelled meeting back
    assert after[1].revision == 1  # the calendar sees a newer version
    for member in (FADUMO, HAWA, KARI):
        told = api.bot_messages_in(member)[before[member] :]
        assert len(told) == 1  # one message, however many meetings moved
        text = told[0]["text"]
        assert text.startswith("🕒 These meetings have a new time:")
        assert text.count("→ now") == len(after) - 1  # the cancelled one is no news
        assert "18:30" in text
    # The same file again, and the hourly refresh: nothing changes and nobody is told.
    counts = {m: len(api.bot_messages_in(m)) for m in (FADUMO, HAWA, KARI)}
    await apply_seed(services.db, [LOCATION], [alna(meeting_time="18:30")], now())
    await plan_all(app.bot, services, now())
    await plan_all(app.bot, services, now())
    assert {m: len(api.bot_messages_in(m)) for m in (FADUMO, HAWA, KARI)} == counts
    assert [(m.id, m.starts_at, m.revision) for m in await future(services, district_id)] == [
        (m.id, m.starts_at, m.revision) for m in after
    ]


async def test_a_new_weekday_removes_the_old_dates_but_never_a_coordinators(
    app: BotApplication, services: Services, api: OfflineBotApi
) -> None:
    district_id = await alna_group(services, api, app)
    first, second, *_ = await future(services, district_id)
    await set_place_and_note(services.db, first.id, "Furuset library", None, KARI, now())
    await set_rsvp(services.db, second.id, FADUMO, "yes", now())
    anchor = first.starts_at.astimezone(OSLO).date() + timedelta(days=1)  # Thursdays now
    before = len(api.bot_messages_in(FADUMO))

    thursdays = alna(meeting_weekday=3, meeting_anchor=anchor.isoformat())
    await apply_seed(services.db, [LOCATION], [thursdays], now())
    await plan_all(app.bot, services, now())

    after = await future(services, district_id)
    ids = {m.id for m in after}
    assert first.id in ids  # she gave it a place: it stays, on its Wednesday
    assert second.id not in ids  # a Wednesday the rule no longer gives
    assert all(m.starts_at.astimezone(OSLO).weekday() == 3 for m in after if m.id != first.id)
    (told,) = api.bot_messages_in(FADUMO)[before:]
    assert "🗑 These meetings will not take place:" in told["text"]
    assert "These meetings have a new time" not in told["text"]


async def test_a_meeting_moved_past_its_rule_time_survives_the_hourly_refresh(
    app: BotApplication, services: Services, api: OfflineBotApi
) -> None:
    district_id = await alna_group(services, api, app)
    first, *_ = await future(services, district_id)
    await set_rsvp(services.db, first.id, FADUMO, "yes", now())
    tomorrow = first.starts_at + timedelta(days=1)
    assert await move_meeting(services.db, first.id, tomorrow, KARI, now())
    # The hourly refresh an hour after the rule's Wednesday 18:00, while it waits for Thursday.
    later = first.starts_at + timedelta(hours=1)
    await plan_all(app.bot, services, later)
    kept = await upcoming_meetings(services.db, [district_id], later, later + timedelta(days=2))
    assert [m.id for m in kept] == [first.id] and kept[0].starts_at == tomorrow
    assert await get_rsvp(services.db, first.id, FADUMO) == "yes"
    # Nor does a new time move her meeting back to the rule's day.
    await apply_seed(services.db, [LOCATION], [alna(meeting_time="18:30")], later)
    await plan_all(app.bot, services, later)
    kept = await upcoming_meetings(services.db, [district_id], later, later + timedelta(days=2))
    assert [m.starts_at for m in kept] == [tomorrow]
