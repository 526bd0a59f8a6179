"""Calendar files: valid RFC 5545 with the Europe/Oslo zone, right on both sides of the
daylight-saving change."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import icalendar
import pytest

from bot.days import OSLO
from bot.ics import CalendarEvent, calendar_file

WINTER = datetime(2026, 3, 25, 17, 0, tzinfo=UTC)  # 18:00 CET
SUMMER = datetime(2026, 4, 8, 16, 0, tzinfo=UTC)  # 18:00 CEST
STAMP = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def two_meetings() -> bytes:
    return calendar_file(
        [
            CalendarEvent(
                "meeting-1@bydelsbot",
                WINTER,
                "Bydelsmødre meeting: Alna",
                "Deichman Furuset",
                "Bring a friend; <b>tea</b> & cake",
            ),
            CalendarEvent("meeting-2@bydelsbot", SUMMER, "Bydelsmødre meeting: Alna"),
        ],
        OSLO,
        STAMP,
    )


def test_the_file_parses_back_with_the_same_instants() -> None:
    calendar = icalendar.Calendar.from_ical(two_meetings())
    events = list(calendar.walk("VEVENT"))
    starts = [event.decoded("dtstart") for event in events]
    assert [s.astimezone(UTC) for s in starts] == [WINTER, SUMMER]
    assert [s.hour for s in starts] == [18, 18]  # the wall clock stays 18:00
    assert events[0]["location"] == "Deichman Furuset"
    assert events[0]["description"] == "Bring a friend; <b>tea</b> & cake"
    assert [str(e["uid"]) for e in events] == ["meeting-1@bydelsbot", "meeting-2@bydelsbot"]


def test_times_carry_a_tzid_and_the_zone_is_in_the_file() -> None:
    text = two_meetings().decode()
    assert "DTSTART;TZID=Europe/Oslo:20260325T180000" in text
    assert "DTSTART;TZID=Europe/Oslo:20260408T180000" in text
    calendar = icalendar.Calendar.from_ical(text)
    zones = list(calendar.walk("VTIMEZONE"))
    assert [str(z["tzid"]) for z in zones] == ["Europe/Oslo"]
    # The zone itself knows both offsets, so a reader without a tz database gets it right.
    offsets = {part.decoded("tzoffsetto") for part in zones[0].subcomponents}
    assert offsets == {timedelta(hours=1), timedelta(hours=2)}
    assert "VERSION:2.0" in text and "PRODID:" in text and "DTSTAMP:20260301T090000Z" in text
    assert text.count("BEGIN:VEVENT") == 2 and "\r\n" in text


def test_a_naive_time_is_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        calendar_file([CalendarEvent("x", datetime(2026, 3, 25, 18), "x")], OSLO, STAMP)


def test_long_arabic_and_tigrinya_lines_are_folded_at_75_octets_and_round_trip() -> None:
    place = "مكتبة دايكمان فوروست، الطابق الثاني، غرفة الاجتماعات الكبيرة بجانب المقهى"
    note = "ሓበሬታ: ኣብዚ ኣኼባ ብዛዕባ ጥዕና ኣዴታትን ህጻናትን ክንዛረብ ኢና፣ በጃኹም ምሳኹም ዓርክኹም ኣምጽኡ። " * 2
    changed = datetime(2026, 3, 20, 10, 30, tzinfo=UTC)
    data = calendar_file(
        [CalendarEvent("9f2c@bydelsbot", WINTER, "اجتماع الأمهات: ألنا", place, note, 3, changed)],
        OSLO,
        STAMP,
    )
    assert b"\n" not in data.replace(b"\r\n", b"")  # CRLF everywhere, no bare LF
    lines = data.split(b"\r\n")
    assert lines[-1] == b""  # the file ends with CRLF
    assert all(len(line) <= 75 for line in lines)
    folded = [line for line in lines if line.startswith(b" ")]
    assert len(folded) >= 4  # the long place and note were folded, not left long
    for line in lines:
        line.decode("utf-8")  # a fold never splits a character
    (event,) = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert str(event["location"]) == place and str(event["description"]) == note
    assert event.decoded("sequence") == 3
    assert event.decoded("last-modified") == changed
    assert b"LAST-MODIFIED:20260320T103000Z" in data and b"SEQUENCE:3" in data
