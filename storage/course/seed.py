"""Cohorts and their evenings from the seed file (`bydelsbot seed`), for coordinators who plan at
a desk. Written inside the seed's one transaction; a re-run creates nothing twice and never
deletes: a cohort is matched by its district and name, an evening by its cohort and start. An
evening in the past is refused (as the bot refuses it), unless it is in the database exactly as
the file says: an operator re-running last month's file must not fail on evenings already held,
while a new or changed past evening (attendance may hang on it) stops the whole file."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from storage.db import StorageError, Transaction
from storage.organisation import Tally


@dataclass(frozen=True)
class CohortSeed:
    district_slug: str
    name: str
    capacity: int
    threshold: int


@dataclass(frozen=True)
class EveningSeed:
    cohort: str  # the name of a CohortSeed of the same file
    district_slug: str
    module: int | None
    title: str | None
    starts_at: datetime  # UTC
    minutes: int
    location_id: str | None
    lecturer: str | None
    index: int = 0  # its place among the file's [[evening]] tables, to name its line


class EveningInThePast(StorageError):
    """An evening of the file starts in the past and is not in the database as it is: the bot
    refuses such an evening too. `index` says which [[evening]] of the file."""

    def __init__(self, index: int, starts_at: datetime) -> None:
        super().__init__(f"evening {index + 1} of the file starts in the past")
        self.index = index
        self.starts_at = starts_at


@dataclass(frozen=True)
class CourseCounts:
    cohorts: Tally
    evenings: Tally


async def apply_course_seed(
    tx: Transaction, cohorts: Sequence[CohortSeed], evenings: Sequence[EveningSeed], now: datetime
) -> CourseCounts:
    ids: dict[tuple[str, str], int] = {}
    made = changed = same = 0
    for cohort in cohorts:
        district = await tx.fetch_one(
            "SELECT id FROM districts WHERE slug = ?", (cohort.district_slug,)
        )
        assert district is not None  # the file's own districts are written first
        row = await tx.fetch_one(
            "SELECT id, capacity, threshold FROM cohorts WHERE district_id = ? AND name = ?",
            (district["id"], cohort.name),
        )
        if row is None:
            await tx.execute(
                "INSERT INTO cohorts (district_id, name, capacity, threshold, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (district["id"], cohort.name, cohort.capacity, cohort.threshold, now.isoformat()),
            )
            row = await tx.fetch_one("SELECT last_insert_rowid() AS id")
            made += 1
        elif (row["capacity"], row["threshold"]) != (cohort.capacity, cohort.threshold):
            await tx.execute(
                "UPDATE cohorts SET capacity = ?, threshold = ?, version = version + 1 WHERE id "
                "= ?",
                (cohort.capacity, cohort.threshold, row["id"]),
            )
            changed += 1
        else:
            same += 1
        assert row is not None
        ids[cohort.district_slug, cohort.name] = int(row["id"])
    cohort_tally = Tally(made, changed, same)
    made = changed = same = 0
    for evening in evenings:
        cohort_id = ids[evening.district_slug, evening.cohort]
        wanted = (
            evening.module,
            evening.title,
            evening.minutes,
            evening.location_id,
            evening.lecturer,
        )
        row = await tx.fetch_one(
            "SELECT id, module, title, minutes, location_id, lecturer FROM course_evenings "
            "WHERE cohort_id = ? AND starts_at = ?",
            (cohort_id, evening.starts_at.isoformat()),
        )
        unchanged = row is not None and tuple(row)[1:] == wanted
        if evening.starts_at <= now and not unchanged:
            # A new or changed evening in the past is refused, as the bot refuses it; the same
            # evening already written (a re-run of last month's file) passes unchanged.
            raise EveningInThePast(evening.index, evening.starts_at)
        if row is None:
            await tx.execute(
                "INSERT INTO course_evenings (cohort_id, module, title, starts_at, minutes, "
                "location_id, lecturer) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    cohort_id,
                    evening.module,
                    evening.title,
                    evening.starts_at.isoformat(),
                    evening.minutes,
                    evening.location_id,
                    evening.lecturer,
                ),
            )
            made += 1
        elif tuple(row)[1:] != wanted:
            await tx.execute(
                "UPDATE course_evenings SET module = ?, title = ?, minutes = ?, location_id = ?, "
                "lecturer = ? WHERE id = ?",
                (*wanted, row["id"]),
            )
            changed += 1
        else:
            same += 1
    return CourseCounts(cohort_tally, Tally(made, changed, same))
