"""The meeting rule from the phone (issue 12) through the real Application: a coordinator sets
the weekday, time, holidays, days off and reminders with buttons, sees the next five dates before
she saves, members are told of what moved; a seed run keeps her rule unless the file's rule
changed since."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from bot.app import BotApplication
from bot.days import OSLO
from bot.meetings.rule_draft import RuleDraft, apply_change, parse_days_off_typed
from bot.offline.api import OfflineBotApi
from handlers.common.context import Services
from handlers.meetings.codecs import RULE_CHOSEN, RULE_SETTING
from handlers.meetings.reminders import notices_sent
from storage.meetings.meetings import upcoming_meetings
from storage.meetings.rules import meeting_settings
from storage.organisation import apply_seed
from tests.fakes.telegram import ChatDriver, buttons_of
from tests.meetings.world import FADUMO, KARI, LOCATION, alna, alna_group, now
from tests.support.people import started


async def test_a_coordinator_sets_the_rule_sees_the_dates_and_members_are_told(
    app: BotApplication, services: Services, api: OfflineBotApi, chat: Callable[..., ChatDriver]
) -> None:
    district_id = await alna_group(services, api, app)
    kari = await started(chat(KARI, "Kari"))
    await kari.send("/meetings")
    await kari.press_label("Regular meetings")
    text = kari.last()["text"]
    assert "📅 Every second week on: Wednesday" in text and "🕒 Time: 18:00" in text
    assert text.count("\n• ") == 5  # the next five dates

    await kari.press(RULE_SETTING.encode(district_id, "wd"))
    assert kari.last()["text"] == "📅 Which weekday?"
    await kari.press(RULE_CHOSEN.encode(district_id, "wd3"))  # Thursday
    await kari.press(RULE_SETTING.encode(district_id, "tm"))
    await kari.press(RULE_CHOSEN.encode(district_id, "tm1700"))
    await kari.press(RULE_CHOSEN.encode(district_id, "hon"))  # holidays: the next working day
    await kari.press(RULE_SETTING.encode(district_id, "rh"))
    await kari.press(RULE_CHOSEN.encode(district_id, "rh1"))  # 24 and 3 hours
    await kari.press(RULE_SETTING.encode(district_id, "do"))  # days off: buttons, or typed
    assert kari.last()["text"].startswith("🚫 Which days are days off?")
    assert [b["text"] for b in buttons_of(kari.last())][:2] == ["✅ 24.12", "▫️ 27.12"]
    await kari.press(RULE_CHOSEN.encode(district_id, "dt1227"))
    assert [b["text"] for b in buttons_of(kari.last())][1] == "✅ 27.12"
    await kari.press(RULE_CHOSEN.encode(district_id, "dt1227"))  # and off again
    await kari.press(RULE_SETTING.encode(district_id, "dd"))
    await kari.send("24.12, 17.5")
    text = kari.last()["text"]
    assert "Every second week on: Thursday" in text and "🕒 Time: 17:00" in text
    assert "moved to the next working day" in text and "Days off: 17.05, 24.12" in text
    assert "Reminders: 24, 3 hours before" in text
    dates = [line for line in text.split("\n") if line.startswith("• ")]
    assert len(dates) == 5 and all("Thursday" in d and "17:00" in d for d in dates), dates
    settings = await meeting_settings(services.db, district_id)
    assert settings is not None and settings.meeting_weekday == 2, "nothing saved before ✅"

    await kari.press_label("Save and tell the members")
    await notices_sent()
    assert kari.last()["text"].startswith("✅ Saved.")
    settings = await meeting_settings(services.db, district_id)
    assert settings is not None and settings.meeting_weekday == 3
    assert settings.meeting_time == "17:00" and settings.reminder_hours == "24,3"
    assert settings.days_off == "05-17,12-24" and settings.holiday_policy == "next_working_day"
    future = await upcoming_meetings(services.db, [district_id], now(), now() + timedelta(days=60))
    regular = [m for m in future if m.rule_key is not None]
    assert regular and all(m.starts_at.astimezone(OSLO).weekday() == 3 for m in regular)
    told = api.bot_messages_in(FADUMO)[-1]["text"]
    assert told.startswith("🔁 Your group's regular meetings have a new rule.")
    assert "The next meeting:" in told and "These meetings will not take place:" in told
    who = await services.db.fetch_one(
        "SELECT rule_changed_by, rule_changed_at FROM districts WHERE id = ?", (district_id,)
    )
    assert who is not None and who[0] == KARI and who[1] is not None

    # A seed run with the same (older) file keeps her rule, and says so ...
    counts = await apply_seed(services.db, [LOCATION], [alna()], now())
    assert counts.rules_kept == ("alna",)
    settings = await meeting_settings(services.db, district_id)
    assert settings is not None and settings.meeting_weekday == 3
    # ... until the file's rule changes: then the file's newer change wins.
    counts = await apply_seed(services.db, [LOCATION], [alna(meeting_time="19:00")], now())
    assert counts.rules_kept == ()
    settings = await meeting_settings(services.db, district_id)
    assert settings is not None and settings.meeting_weekday == 2
    assert settings.meeting_time == "19:00"


async def test_a_monthly_rule_in_phase_four_and_cancel_changes_nothing(
    app: BotApplication, services: Services, api: OfflineBotApi, chat: Callable[..., ChatDriver]
) -> None:
    district_id = await alna_group(services, api, app)
    await apply_seed(services.db, [LOCATION], [alna(phase=4)], now())
    kari = await started(chat(KARI, "Kari"))
    await kari.send("/meetings")
    await kari.press_label("Regular meetings")
    await kari.press(RULE_SETTING.encode(district_id, "mo"))
    await kari.press(RULE_SETTING.encode(district_id, "mow5"))
    await kari.press(RULE_CHOSEN.encode(district_id, "mow54"))  # the last Friday
    text = kari.last()["text"]
    assert "Every month: the last Friday of the month" in text
    dates = [line for line in text.split("\n") if line.startswith("• ")]
    assert len(dates) == 5 and all(d.startswith("• Friday") for d in dates), dates
    await kari.press_label("Cancel")
    assert kari.last()["text"] == "↩️ Nothing was changed."
    settings = await meeting_settings(services.db, district_id)
    assert settings is not None and settings.monthly_rule == "weekday:1:2"
    await kari.press(RULE_CHOSEN.encode(district_id, "zz9"))  # forged
    assert kari.toasts()[-1].startswith("This button has expired")
    assert buttons_of(kari.last()) == []


def test_presses_and_typed_days_are_read_strictly() -> None:
    draft = RuleDraft(3, 2, "18:00", "2026-12-02", None, "skip", "48,3", "12-24")
    assert apply_change(draft, "wd4") == RuleDraft(
        3, 4, "18:00", "2026-12-04", None, "skip", "48,3", "12-24"
    )  # the first date follows the weekday, in the same week
    for forged in ("wd7", "tm0900", "an20261332", "mod29", "rh9", "xx1"):
        assert apply_change(draft, forged) is None, forged
    assert parse_days_off_typed("24.12, 31.12.") == "12-24,12-31"
    assert parse_days_off_typed("-") == ""
    assert parse_days_off_typed("31.02") is None and parse_days_off_typed("soon") is None
