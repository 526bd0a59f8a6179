"""The rules of announcements: audiences, access, versions and fallbacks, limits, retries."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.broadcasts import (
    CAPTION_LIMIT,
    MAX_ATTEMPTS,
    TEXT_LIMIT,
    Audience,
    Candidate,
    TimeProblem,
    backoff,
    deliveries,
    fallbacks,
    languages_read,
    may_announce,
    parse_send_time,
    progress_bar,
    read_send_time,
    telegram_length,
    too_long,
    version_for,
)
from bot.i18n import FSI, PDI, translator
from bot.identity import Identity, Role
from handlers.announcements.announcement_text import language_name
from storage.people import MembershipRecord

OSLO = ZoneInfo("Europe/Oslo")


def coordinator_of(*district_ids: int) -> Identity:
    memberships = tuple(
        MembershipRecord(d, f"d{d}", f"D{d}", 3, "coordinator", "Kari") for d in district_ids
    )
    return Identity(1, "en", True, Role.COORDINATOR, memberships)


ADMIN = Identity(2, "en", True, Role.ADMIN)


@pytest.mark.parametrize("code", ["m12", "r3.mother", "r3.participant", "g7", "p3", "all"])
def test_audience_codes_round_trip(code: str) -> None:
    audience = Audience.parse(code)
    assert audience is not None and audience.code == code


@pytest.mark.parametrize("code", ["", "m", "m-1", "r3.admin", "p5", "everyone", "m1;drop", "g1 "])
def test_forged_audience_codes_are_nothing(code: str) -> None:
    assert Audience.parse(code) is None


def test_a_coordinator_announces_to_her_own_districts_only() -> None:
    kari = coordinator_of(1)
    assert may_announce(kari, Audience("members", district_id=1), [])
    assert may_announce(kari, Audience("chat", district_id=1), [])
    assert not may_announce(kari, Audience("members", district_id=2), [])
    assert not may_announce(kari, Audience("everyone"), [1, 2])
    assert may_announce(kari, Audience("phase", phase=3), [1, 2])  # her district is in it
    assert not may_announce(kari, Audience("phase", phase=2), [2])
    mother = Identity(
        3, "en", True, Role.MOTHER, (MembershipRecord(1, "a", "A", 3, "mother", "F"),)
    )
    assert not may_announce(mother, Audience("members", district_id=1), [])


def test_admins_announce_to_everyone() -> None:
    assert may_announce(ADMIN, Audience("everyone"), [])
    assert may_announce(ADMIN, Audience("members", district_id=99), [])


def test_her_language_else_the_districts_else_the_original() -> None:
    assert version_for("so", "nb", {"so", "nb"}) == "so"
    assert version_for("ar", "nb", {"so", "nb"}) == "nb"
    assert version_for("ar", "nb", {"so"}) is None
    assert version_for(None, "nb", {"nb"}) == "nb"  # never chose: the district's language


def test_fallbacks_say_who_gets_another_language() -> None:
    women = [
        Candidate(1, "so", "nb"), Candidate(2, "so", "nb"), Candidate(3, "ar", "nb"),
        Candidate(4, None, "nb"), Candidate(5, "tr", "nb"),
    ]  # fmt: skip
    assert languages_read(women) == [("so", 2), ("ar", 1), ("nb", 1), ("tr", 1)]
    got = {d.telegram_id: (d.locale, d.fallback) for d in deliveries(women, {"so", "nb"})}
    assert got == {
        1: ("so", False), 2: ("so", False), 3: ("nb", True), 4: ("nb", False), 5: ("nb", True),
    }  # fmt: skip
    assert [(f.reads, f.gets, f.count) for f in fallbacks(women, {"so", "nb"})] == [
        ("ar", "nb", 1), ("tr", "nb", 1),
    ]  # fmt: skip
    assert next((f.reads, f.gets) for f in fallbacks(women, set())) == ("so", None)


def test_limits_are_telegrams() -> None:
    assert too_long("x" * TEXT_LIMIT, has_media=False) is None
    assert too_long("x" * (TEXT_LIMIT + 1), has_media=False) == 4096
    assert too_long("x" * (CAPTION_LIMIT + 1), has_media=True) == 1024
    assert too_long("ب" * TEXT_LIMIT, has_media=False) is None  # characters, not bytes
    # Telegram counts UTF-16 code units: an emoji outside the BMP is two.
    assert telegram_length("🎉") == 2 and telegram_length("ب") == 1
    assert too_long("🎉" * 600, has_media=True) == 1024  # 600 code points, 1,200 units
    assert too_long("🎉" * 512, has_media=True) is None
    assert too_long("🎉" * 2049, has_media=False) == 4096


def test_backoff_doubles_then_gives_up() -> None:
    waits = [backoff(n) for n in range(1, MAX_ATTEMPTS + 1)]
    assert waits[:4] == [2.0, 4.0, 8.0, 16.0] and waits[-1] is None


def test_progress_bar() -> None:
    assert progress_bar(120, 350) == "▓▓▓░░░░░░░"
    assert progress_bar(350, 350) == "▓" * 10
    assert progress_bar(0, 0) == "▓" * 10


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("24.12 18:00", datetime(2026, 12, 24, 17, 0, tzinfo=UTC)),
        ("24.12.2027 18:00", datetime(2027, 12, 24, 17, 0, tzinfo=UTC)),
        ("18:00", datetime(2026, 12, 1, 17, 0, tzinfo=UTC)),
        ("09:00", None),  # passed today: refused, never silently tomorrow
        ("30.11 18:00", None),  # passed yesterday: refused, never silently next year
        ("15.01 09:00", datetime(2027, 1, 15, 8, 0, tzinfo=UTC)),  # the coming January
        ("1.7 12.30", datetime(2027, 7, 1, 10, 30, tzinfo=UTC)),  # summer time
        ("31.02 18:00", None), ("25:00", None), ("tomorrow", None), ("1.1.2020 10:00", None),
    ],
)  # fmt: skip
def test_send_time_in_oslo(typed: str, expected: datetime | None) -> None:
    now = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)  # 11:00 in Oslo
    assert parse_send_time(typed, now, OSLO) == expected


def test_a_left_to_right_language_name_is_isolated_in_right_to_left_text() -> None:
    """Inside Arabic text "Norsk (bokmål)" would scramble its brackets; Arabic needs no help."""
    ar, en = translator("ar"), translator("en")
    assert language_name(ar, "nb") == f"{FSI}Norsk (bokmål){PDI}"
    assert language_name(ar, "ar") == "العربية"
    assert language_name(en, "nb") == "Norsk (bokmål)"
    assert language_name(en, "ar") == "العربية"


def test_a_passed_time_is_refused_with_its_reason() -> None:
    now = datetime(2026, 12, 6, 15, 0, tzinfo=UTC)  # 16:00 in Oslo, 6 December
    assert read_send_time("10:00", now, OSLO).problem is TimeProblem.PASSED_TODAY
    typed = read_send_time("05.12 10:00", now, OSLO)
    assert typed.moment is None and typed.problem is TimeProblem.PASSED_DAY
    assert typed.meant == datetime(2027, 12, 5, 10, 0, tzinfo=OSLO)
    assert read_send_time("05.12.2026 10:00", now, OSLO).problem is TimeProblem.PAST
    assert read_send_time("soon", now, OSLO).problem is TimeProblem.UNREADABLE
