"""The course's test world: its clock held by the test, Kari coordinating Alna, women interested,
a cohort opened from the phone and filled."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from handlers.common.clock import Clock
from handlers.common.context import Services
from handlers.course import codecs
from storage.course.cohorts import create_cohort, get_cohort, save_places
from storage.course.evenings import add_evening
from storage.people import add_membership
from tests.fakes.telegram import ChatDriver, buttons_of
from tests.support.people import make_member, started

T0 = datetime(2026, 9, 1, 10, 0, tzinfo=UTC)  # the course tests' start
KARI = 5000  # the coordinator
WOMEN = ["Amina", "Hodan", "Zahra"]  # 1001, 1002, 1003


def hold_clock(clock: Clock, start: datetime) -> list[datetime]:
    """The bot's clock (the `clock` fixture), moved by the test: now[0] is the time."""
    now = [start]
    clock.now = lambda: now[0]
    return now


async def interested(driver: ChatDriver, name: str, phone: str | None = "41234567") -> None:
    await driver.send("/course")
    await driver.press(codecs.CONSENT.encode())
    await driver.press_label("Alna")
    await driver.send(name)
    if phone is None:
        await driver.press_label("Telegram")
    else:
        await driver.send(phone)


async def coordinator(chat: Callable[..., ChatDriver], services: Services) -> ChatDriver:
    await make_member(services, KARI, "coordinator")
    return await started(chat(KARI, "Kari"))


async def open_cohort(kari: ChatDriver, capacity: int) -> int:
    await kari.send("/course")
    await kari.press_label("New cohort")
    await kari.send("Autumn 2026")
    cohort_id = codecs.CAPACITY_MENU.ids(
        next(b["callback_data"] for b in buttons_of(kari.last()) if "Capacity" in b["text"])
    )
    assert cohort_id is not None
    await kari.press(codecs.CAPACITY_MENU.encode(cohort_id[0]))
    await kari.press_label(f" {capacity}") if capacity in (10, 15, 18, 20, 25, 30, 40) else None
    return cohort_id[0]


async def admit_all(kari: ChatDriver, cohort_id: int, names: list[str]) -> None:
    await kari.press(codecs.ADMIT_LIST.encode(cohort_id))
    for name in names:
        await kari.press_label(name)


async def three_interested(
    chat: Callable[..., ChatDriver], services: Services
) -> tuple[ChatDriver, list[ChatDriver]]:
    """Kari coordinates Alna; Amina, Hodan and Zahra have said they are interested."""
    kari = await coordinator(chat, services)
    women = [await started(chat(1000 + i, n)) for i, n in enumerate(WOMEN, 1)]
    for woman in women:
        await interested(woman, woman.user["first_name"])
    return kari, women


async def set_capacity(kari: ChatDriver, services: Services, cohort_id: int, places: int) -> None:
    """Kari presses a capacity on the cohort's card, with the version she saw."""
    cohort = await get_cohort(services.db, cohort_id)
    assert cohort is not None
    await kari.press(
        codecs.CAPACITY.encode(cohort_id, cohort.version, places), kari.last()["message_id"]
    )


async def full_list(
    chat: Callable[..., ChatDriver], services: Services
) -> tuple[ChatDriver, int, list[ChatDriver]]:
    """Capacity 1: Amina has the place, Hodan and Zahra wait."""
    kari, women = await three_interested(chat, services)
    cohort_id = await open_cohort(kari, 25)
    await set_capacity(kari, services, cohort_id, 1)
    await admit_all(kari, cohort_id, WOMEN)
    return kari, cohort_id, women


async def withdraws(woman: ChatDriver) -> None:
    await woman.send("/course")
    await woman.press(codecs.WITHDRAW.encode())
    await woman.press(codecs.WITHDRAW_SURE.encode())


def message_by_id(driver: ChatDriver, message_id: int) -> dict[str, object]:
    return next(
        m for m in driver.api.bot_messages_in(driver.chat_id) if m["message_id"] == message_id
    )


async def cohort_in_alna(
    services: Services, women: dict[int, str], at: datetime, *, places: int = 25, locale: str = "ar"
) -> tuple[int, int]:
    """Kari coordinates Alna; these women (by id, with their names) are participants with places
    in its cohort "Vår 2027", made at `at`. Returns (district, cohort)."""
    district = await make_member(services, KARI, "coordinator")
    for who, name in women.items():
        await add_membership(services.db, who, district, "participant", name, at, locale)
    cohort = await create_cohort(services.db, district, "Vår 2027", places, KARI, at)
    async with services.db.transaction() as tx:
        await save_places(tx, cohort, places, list(women), [], [], women, at)
    return district, cohort


async def seventeen_evenings(services: Services, cohort: int, at: datetime) -> list[int]:
    """The cohort's 17 module evenings, one a day, the last 23 days before `at`: their ids."""
    return [
        await add_evening(
            services.db, cohort, module, at - timedelta(days=40 - module), 120, None, None
        )
        for module in range(1, 18)
    ]
