"""[[cohort]] and [[evening]] tables of the seed file: a cohort's evenings planned at a desk.

Checked with the one TOML reader (bot/toml_reader.py), as the rest of the seed file: every
mistake names its line, an unknown key gets "did you mean", and the whole file is refused if
anything is wrong. An evening in the past is refused when the file is applied (only the
database knows whether it is one already held and unchanged: see storage/course/seed.py);
`past_evening_error` names its line.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from bot.course.admission import MAX_NAME
from bot.course.modules import MODULE_COUNT
from bot.course.progress import DEFAULT_THRESHOLD
from bot.course.waitlist import MAX_CAPACITY, MIN_CAPACITY
from bot.days import local_instant, parse_time
from bot.seeding import Seed, SeedError, _tally
from bot.toml_reader import Checker, Table, locate, show, tables
from storage.course.seed import CohortSeed, CourseCounts, EveningInThePast, EveningSeed

COHORT_KEYS = ("district", "name", "capacity", "threshold")
EVENING_KEYS = ("cohort", "module", "title", "date", "time", "minutes", "location", "lecturer")
DEFAULT_CAPACITY = 25
DEFAULT_MINUTES = 120


def parse_course(
    check: Checker,
    document: dict[str, Any],
    district_slugs: set[str],
    location_ids: set[str],
    tz: ZoneInfo,
) -> tuple[list[CohortSeed], list[EveningSeed]]:
    cohorts: list[CohortSeed] = []
    named: dict[str, str] = {}  # cohort name -> its district, for the evenings
    seen: dict[tuple[str, str], int] = {}
    for index, data in enumerate(tables(check, document, "cohort")):
        table = Table(check, "cohort", index, data)
        table.refuse_unknown(COHORT_KEYS)
        district = table.slug("district")
        if district is not None and district not in district_slugs:
            table.fail(
                "district",
                f"district {show(district)} is not the slug of a [[district]] in this file",
            )
        name = table.text("name", MAX_NAME)
        capacity = _optional_int(table, "capacity", MIN_CAPACITY, MAX_CAPACITY, DEFAULT_CAPACITY)
        threshold = _optional_int(table, "threshold", 1, MODULE_COUNT, DEFAULT_THRESHOLD)
        if name is not None and name in named:
            table.fail(
                "name", f"name {show(name)} is already used on line {seen[named[name], name]}"
            )
        if (
            table.failed
            or district is None
            or name is None
            or capacity is None
            or threshold is None
        ):
            continue
        named[name] = district
        seen[district, name] = table.line("name")
        cohorts.append(CohortSeed(district, name, capacity, threshold))
    evenings: list[EveningSeed] = []
    for index, data in enumerate(tables(check, document, "evening")):
        table = Table(check, "evening", index, data)
        evening = _evening(table, named, location_ids, tz, index)
        if evening is not None and not table.failed:
            evenings.append(evening)
    return cohorts, evenings


def _optional_int(table: Table, key: str, low: int, high: int, default: int) -> int | None:
    if table.get(key, required=False) is None:
        return default
    return table.integer(key, low, high)


def _evening(
    table: Table, cohorts: dict[str, str], location_ids: set[str], tz: ZoneInfo, index: int
) -> EveningSeed | None:
    table.refuse_unknown(EVENING_KEYS)
    cohort = table.text("cohort", MAX_NAME)
    if cohort is not None and cohort not in cohorts:
        table.fail("cohort", f"cohort {show(cohort)} is not the name of a [[cohort]] in this file")
    module = None
    if table.get("module", required=False) is not None:
        module = table.integer("module", 1, MODULE_COUNT)
    title = table.text("title", MAX_NAME, required=False)
    if table.get("module", required=False) is None and title is None:
        table.missing("module", f"{table.title} needs a module (1-{MODULE_COUNT}) or a title")
    day = table.get("date", required=True)
    if day is not None and (not isinstance(day, date) or hasattr(day, "hour")):
        table.fail("date", f"date must be a date such as 2027-09-07 (no quotes), got {show(day)}")
        day = None
    at = table.choice("time", parse_time, 'a time such as "18:00"')
    if table.get("time", required=True) is None:
        at = None
    minutes = _optional_int(table, "minutes", 15, 600, DEFAULT_MINUTES)
    location = table.slug("location", required=False)
    if location is not None and location not in location_ids:
        table.fail(
            "location", f"location {show(location)} is not the id of a [[location]] in this file"
        )
    lecturer = table.text("lecturer", MAX_NAME, required=False)
    if table.failed or cohort is None or day is None or at is None or minutes is None:
        return None
    return EveningSeed(
        cohort,
        cohorts[cohort],
        module,
        title,
        local_instant(day, at, tz),
        minutes,
        location,
        lecturer,
        index,
    )


def past_evening_error(seed: Seed, exc: EveningInThePast, tz: ZoneInfo) -> SeedError:
    """What only the database can tell: this evening starts in the past and is not there as it
    is (a re-run of a file whose evenings were held passes). The bot refuses it the same way."""
    local = exc.starts_at.astimezone(tz)
    reason = (
        f"{local:%Y-%m-%d %H:%M} has passed already: type a date in the future (an evening "
        "already held passes a re-run only as it is in the database; change it in the bot)"
    )
    return SeedError(seed.source, locate(seed.text, "evening", exc.index, ("date",)), reason)


def course_summary(counts: CourseCounts) -> str:
    """The course's part of the seed's one line."""
    return f"{_tally(counts.cohorts, 'cohort')}, {_tally(counts.evenings, 'course evening')}"
