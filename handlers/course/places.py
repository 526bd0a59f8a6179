"""Changing a cohort's places in one transaction: read them, let the waiting list's rules
decide, write the result and the memberships it implies. Two presses at the same moment are
taken one after the other (the database gives each transaction the connection to itself), so the
capacity holds whatever is pressed."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from bot.course.admission import state_of
from bot.course.waitlist import Result, Step, WaitingList
from storage import Database
from storage.course.cohorts import (
    Cohort,
    bump_version,
    drop_participant,
    get_cohort,
    make_participant,
    places_of,
    save_places,
)


@dataclass(frozen=True)
class Changed:
    cohort: Cohort
    step: Step
    stale: bool = False  # another coordinator changed the cohort since this button was made


async def change_places(
    db: Database,
    cohort_id: int,
    change: Callable[[WaitingList], Step],
    now: datetime,
    *,
    seen_version: int | None = None,
    names: Mapping[int, str] | None = None,
) -> Changed | None:
    """Apply `change` to the cohort's waiting list; None if the cohort does not exist."""
    async with db.transaction() as tx:
        cohort = await get_cohort(tx, cohort_id)
        if cohort is None:
            return None
        places = await places_of(tx, cohort_id)
        before = state_of(cohort.capacity, places)
        if cohort.completed_at is not None or (
            seen_version is not None and not await bump_version(tx, cohort_id, seen_version)
        ):
            return Changed(cohort, Step(before, Result.CANNOT), stale=True)
        step = change(before)
        state = step.state
        await save_places(
            tx,
            cohort_id,
            state.capacity,
            state.admitted,
            [(o.who, o.expires) for o in state.offers],
            state.waiting,
            names or {},
            now,
        )
        if cohort.kind == "course":
            named = {p.telegram_id: p.name for p in places} | dict(names or {})
            for who in set(state.admitted) - set(before.admitted):
                await make_participant(tx, who, cohort.district_id, named[who], now)
            for who in set(before.admitted) - set(state.admitted):
                await drop_participant(tx, who, cohort.district_id)
        cohort = await get_cohort(tx, cohort_id)
        assert cohort is not None
    return Changed(cohort, step)
