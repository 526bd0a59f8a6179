"""The ID card and the diploma: names in any script shaped, the QR code read back, and the
whole completion through the bot: roles, welcome, card, diploma, verification, withdrawal."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
import zxingcpp
from PIL import Image, ImageChops, features

from bot.course.cards import A4, CARD_SIZE, draw_name, render_card, render_diploma
from bot.offline.api import OfflineBotApi
from handlers.common.clock import Clock
from handlers.common.context import Services
from handlers.common.language import LANGUAGE
from handlers.course import codecs
from storage.course.evenings import set_present
from storage.people import load_person
from tests.course.world import KARI, cohort_in_alna, hold_clock, seventeen_evenings
from tests.fakes.telegram import ChatDriver
from tests.support.people import started

LINK = "https://t.me/BydelsmodreDemoBot?start=card-AbCdEfGhIjKlMnOpQrStUv"
NAMES = {
    "arabic": "أمينة حسن",
    "tigrinya": "ሳባ ገብረሂወት",
    "gurmukhi": "ਗੁਰਪ੍ਰੀਤ ਕੌਰ",
    "latin": "Åse Nordmann-Øvrebø",
}
T0 = datetime(2027, 6, 1, 10, 0, tzinfo=UTC)


def qr_text(png: bytes) -> list[str]:
    return [found.text for found in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


def test_pillow_can_shape_text() -> None:
    assert features.check("raqm"), "install libfribidi0 and libharfbuzz0b (see README)"


@pytest.mark.parametrize("script", sorted(NAMES))
def test_the_card_shows_her_name_and_its_qr_code_reads_back(script: str) -> None:
    png = render_card(NAMES[script], "Søndre Nordstrand", date(2026, 12, 6), LINK)
    image = Image.open(io.BytesIO(png))
    assert image.size == CARD_SIZE
    assert qr_text(png) == [LINK]


@pytest.mark.parametrize("script", ["arabic", "gurmukhi"])
def test_names_are_shaped_not_drawn_letter_by_letter(script: str) -> None:
    """Joined Arabic letters right to left, Gurmukhi vowel signs in place: the raqm layout
    draws a different picture from Pillow's basic one, which puts isolated letters left to
    right."""
    shaped, unshaped = draw_name(NAMES[script], 80), draw_name(NAMES[script], 80, raqm=False)
    differs = shaped.size != unshaped.size or ImageChops.difference(shaped, unshaped).getbbox()
    assert differs
    # Latin needs no shaping: both layouts agree on the letters' places, near enough.
    latin = draw_name("Amina", 80), draw_name("Amina", 80, raqm=False)
    assert abs(latin[0].size[0] - latin[1].size[0]) <= 2


def test_arabic_runs_right_to_left() -> None:
    """The first letter of an Arabic name is drawn at the right: "با" (ba, alef) has its alef
    on the left; drawn left to right it would be on the right."""
    image = draw_name("با", 120).convert("L")
    width, height = image.size
    pixels = image.tobytes()  # one byte a pixel, row by row
    columns = [sum(1 for y in range(height) if pixels[y * width + x] < 128) for x in range(width)]
    inked = [x for x, n in enumerate(columns) if n]
    # Alef is a tall stroke: the tallest column is in the left half.
    tallest = max(inked, key=lambda x: columns[x])
    assert tallest < width / 2


def test_the_diploma_is_a4_with_her_name() -> None:
    png = render_diploma(NAMES["tigrinya"], "Stovner", date(2026, 12, 6))
    image = Image.open(io.BytesIO(png))
    assert image.size == A4 and round(image.info["dpi"][0]) == 300


@pytest.fixture(autouse=True)
def fixed_clock(clock: Clock) -> list[datetime]:
    return hold_clock(clock, T0)


async def test_completion_makes_bydelsmodre_with_cards_and_diplomas(
    chat: Callable[..., ChatDriver], services: Services, api: OfflineBotApi
) -> None:
    _, cohort = await cohort_in_alna(services, {1001: NAMES["arabic"], 1002: "Hodan"}, T0)
    for module, evening in enumerate(await seventeen_evenings(services, cohort, T0), 1):
        if module not in (5, 9):  # Amina: 15 of 17, module 1 and 17 included
            await set_present(services.db, evening, 1001, True)
        if module < 17:  # Hodan: 16 of 17, but not module 17
            await set_present(services.db, evening, 1002, True)
    amina, hodan = await started(chat(1001, "Amina"), "ar"), await started(chat(1002, "Hodan"))
    kari = await started(chat(KARI, "Kari"))
    await kari.press(codecs.COHORT.encode(cohort), kari.last()["message_id"])
    await kari.press_label("Complete the course")
    assert "Not enough modules" in kari.last()["text"] and "⚠️ Hodan" in kari.last()["text"]
    await kari.press_label("Yes, complete the course")
    person = await load_person(services.db, 1001)
    assert person is not None and [m.role for m in person.memberships] == ["mother"]
    hodan_person = await load_person(services.db, 1002)
    assert hodan_person is not None and [m.role for m in hodan_person.memberships] == [
        "participant"
    ]
    photo = api.calls_to("sendPhoto")[-1]
    assert photo.params["chat_id"] == 1001
    _, png = photo.uploads["photo"]
    [link] = qr_text(png)
    assert link.startswith("https://t.me/BydelsmodreDemoBot?start=card-")
    diplomas = [c for c in api.calls_to("sendDocument") if c.params["chat_id"] == KARI]
    assert len(diplomas) == 1 and diplomas[0].uploads["document"][0] == "diplom-1001.png"
    # Anyone who scans the card sees "valid", and nothing about her.
    scanner = chat(3000, "Politi")
    await scanner.send("/start " + link.split("start=")[1])
    await scanner.press(LANGUAGE.encode("nb"))
    assert scanner.last()["text"].startswith("✅") and NAMES["arabic"] not in scanner.last()["text"]
    # The coordinator withdraws it: the same link now says so.
    await kari.press(codecs.COHORT.encode(cohort), kari.last()["message_id"])
    await kari.press_label("ID cards")
    await kari.press(codecs.WITHDRAW_CARD.encode(cohort, 1001))
    await kari.press(codecs.WITHDRAW_CARD_SURE.encode(cohort, 1001))
    await scanner.send("/start " + link.split("start=")[1])
    assert scanner.last()["text"].startswith("⛔")
    assert amina.last() and hodan.last()
