"""The demo shows real meeting dates and a reminder she can answer (`!remind`)."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from bot.days import OSLO
from bot.demo import demo_anchor, one_off_start, run_demo
from storage import Database


async def demo(script: str, role: str, path: Path | None = None) -> str:
    out = io.StringIO()
    assert await run_demo(role, path, io.StringIO(script), out) == 0
    return out.getvalue()


async def test_a_demo_mother_sees_the_dates_gets_a_reminder_and_answers_it() -> None:
    output = await demo("/start\n2\n/meetings\n!remind\n1\n", "mother")
    assert "Next meetings" in output and "Wednesday" in output and "18:00" in output
    before_jump, after_jump = output.split("(demo: the clock jumps to", 1)
    assert "Reminder: your group meets soon." not in before_jump  # nothing before she asks
    assert "⏰ Reminder: your group meets soon. Will you come?" in after_jump
    assert "[1] ✅ Coming   [2] ❌ Not coming   [3] 🤔 Maybe" in after_jump
    assert "💬 Thank you! Your answer: ✅ Coming" in after_jump
    assert "✏️  (edited) ⏰ Reminder" in after_jump and "Your answer: ✅ Coming" in after_jump


async def meetings_kept(path: Path, where: str) -> list[str]:
    """The start of each meeting of a kept demo database that fits `where`."""
    db = await Database.open(path)
    try:
        rows = await db.fetch_all(f"SELECT starts_at FROM meetings WHERE {where}")
    finally:
        await db.close()
    return [str(row[0]) for row in rows]


async def test_a_kept_demo_database_gets_its_single_meeting_once(tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite3"
    await demo("/start\n", "coordinator", path)
    await demo("/start\n", "coordinator", path)
    assert len(await meetings_kept(path, "rule_key IS NULL")) == 1


def test_the_demo_rule_keeps_the_next_meeting_three_to_nine_days_ahead() -> None:
    for day in range(1, 15):
        today = date(2026, 12, day)
        anchor = demo_anchor(today)
        assert anchor.weekday() == 2 and 3 <= (anchor - today).days <= 9


async def test_remind_twice_jumps_to_the_next_reminder_each_time() -> None:
    output = await demo("/start\n2\n!remind\n!remind\n", "mother")
    jumps = [line for line in output.splitlines() if line.startswith("(demo: the clock jumps")]
    assert len(jumps) == 2 and jumps[0] < jumps[1], jumps
    assert output.count("⏰ Reminder: your group meets soon.") == 2


async def test_a_button_of_a_cleared_message_gets_the_bots_answer() -> None:
    # /info, a topic, 🧹 clear; then "1" presses a button of a message 🧹 deleted.
    output = await demo("/start\n2\n/info\n1\n4\n1\n", "public")
    assert "(a message was deleted)" in output
    assert output.rstrip().endswith("💬 This button has expired. Send /menu to start again.")


async def test_a_meetings_place_and_note_can_be_typed_in_the_demo() -> None:
    output = await demo("/start\n2\n/meetings\n1\n7\nFuruset library\\nBring tea\n", "coordinator")
    assert "📍 Furuset library" in output and "📝 Bring tea" in output


def test_the_demos_own_meeting_is_at_17_on_a_free_day_before_its_first_reminder() -> None:
    wednesday = date(2026, 12, 9)  # the regular meeting's day
    for hour in range(24):
        now = datetime(2026, 12, 6, hour, 47, tzinfo=UTC)
        start = one_off_start(now, OSLO, {wednesday})
        local = start.astimezone(OSLO)
        assert local.time() == time(17, 0), now  # not at midnight, whenever the demo starts
        assert local.date() != wednesday  # not beside the regular meeting
        assert timedelta(hours=48) < start - now <= timedelta(hours=48 + 24 + 24), now
    # Late on Sunday evening: Tuesday's 17:00 is under 48 hours away, Wednesday is taken.
    late = datetime(2026, 12, 6, 22, 0, tzinfo=UTC)
    assert one_off_start(late, OSLO, {wednesday}).astimezone(OSLO).date() == date(2026, 12, 10)


async def test_the_demos_meetings_are_at_daytime_hours_one_a_day(tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite3"
    await demo("/start\n", "coordinator", path)
    kept = await meetings_kept(path, "cancelled_at IS NULL")
    starts = [datetime.fromisoformat(start).astimezone(OSLO) for start in kept]
    assert len(starts) > 1 and all(9 <= s.hour <= 20 for s in starts), starts
    assert len({s.date() for s in starts}) == len(starts), starts
