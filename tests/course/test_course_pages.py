"""The coordinator's long lists are paged with the attendance's pager, so that 130 women and
more fit: the interested women, the women to admit, and the places and waiting list."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from datetime import timedelta

import pytest

from bot.offline.state import JSON
from handlers.common.clock import Clock
from handlers.common.context import Services
from handlers.course import codecs
from storage.course.cohorts import create_cohort, places_of
from storage.course.interest import save_interest
from tests.course.world import KARI, T0, hold_clock
from tests.fakes.telegram import ChatDriver, buttons_of
from tests.support.people import make_member, started

WOMEN = 130
NAMES = {2000 + i: f"Kvinne {i:03d}" for i in range(1, WOMEN + 1)}


@pytest.fixture(autouse=True)
def fixed_clock(clock: Clock) -> None:
    hold_clock(clock, T0)


async def every_page(kari: ChatDriver, first: JSON) -> list[JSON]:
    """Press ▶️ until the last page; every page's message as it was shown."""
    pages, message = [copy.deepcopy(first)], first
    while nxt := [b for b in buttons_of(message) if b["text"].startswith("▶️")]:
        await kari.press(nxt[0]["callback_data"], message["message_id"])
        message = kari.last()
        pages.append(copy.deepcopy(message))  # the message edits itself: keep each page
    return pages


def names_in(text: str) -> set[str]:
    return set(re.findall(r"Kvinne \d{3}", text))


def button_names(message: JSON) -> set[str]:
    return {n for b in buttons_of(message) for n in names_in(b["text"])}


async def test_130_women_fit_in_every_list(
    chat: Callable[..., ChatDriver], services: Services
) -> None:
    district = await make_member(services, KARI, "coordinator")
    for n, (who, name) in enumerate(NAMES.items()):
        await save_interest(services.db, who, district, name, None, T0 + timedelta(seconds=n), "so")
    cohort = await create_cohort(services.db, district, "Høst 2026", 25, KARI, T0)
    kari = await started(chat(KARI, "Kari"))

    # The interested women: a new message, paged; every one of the 130 is on some page.
    await kari.send("/course")
    await kari.press(codecs.INTERESTED.encode(district), kari.last()["message_id"])
    pages = await every_page(kari, kari.last())
    assert len(pages) == 7 and "Page 1 of 7" in pages[0]["text"]
    assert set().union(*(names_in(p["text"]) for p in pages)) == set(NAMES.values())
    assert all(len(p["text"]) < 4096 for p in pages)

    # Admitting: each page's names are buttons; admitting one keeps her page.
    await kari.press(codecs.ADMIT_LIST.encode(cohort), kari.last()["message_id"])
    pages = await every_page(kari, kari.last())
    assert set().union(*(button_names(p) for p in pages)) == set(NAMES.values())
    last = next(b for b in buttons_of(pages[-1]) if "Kvinne 130" in b["text"])
    await kari.press(last["callback_data"], pages[-1]["message_id"])
    assert "Page 7 of 7" in kari.last()["text"]
    assert [p.name for p in await places_of(services.db, cohort)] == ["Kvinne 130"]
    for page in range(6, -1, -1):  # the rest, from the last page back to the first
        await kari.press(codecs.ADMIT_PAGE.encode(cohort, page), kari.last()["message_id"])
        while admit := [b for b in buttons_of(kari.last()) if b["text"].startswith("🙋")]:
            await kari.press(admit[0]["callback_data"], kari.last()["message_id"])
    places = await places_of(services.db, cohort)
    assert len(places) == WOMEN and sum(p.status == "admitted" for p in places) == 25

    # The places and waiting list: 25 participants and 105 waiting, every one on some page,
    # each with a button, the waiting ones numbered by their real position.
    await kari.press(codecs.PLACES.encode(cohort), kari.last()["message_id"])
    pages = await every_page(kari, kari.last())
    assert len(pages) == 7
    assert set().union(*(button_names(p) for p in pages)) == set(NAMES.values())
    assert set().union(*(names_in(p["text"]) for p in pages)) == set(NAMES.values())
    waiting = [p for p in places if p.status == "waiting"]
    assert f"105. {waiting[-1].name}" in pages[-1]["text"]
    assert all(len(p["text"]) < 4096 for p in pages)
