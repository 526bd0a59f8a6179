"""A name that mixes scripts (Latin and Arabic, Tigrinya, Gurmukhi) is drawn run by run, each
run in the font that has its letters, in the order the Unicode bidi algorithm shows them: no
letter comes out as the font's empty box (.notdef)."""

from __future__ import annotations

import io
from datetime import date
from functools import cache
from pathlib import Path

import pytest
import zxingcpp
from bidi import get_display
from PIL import Image, ImageDraw, ImageFont

from bot.course import cards

MIXED = [
    "Amina أمينة",
    "أمينة Hassan",
    "Saba ሳባ ገብረሂወት",
    "Gurpreet ਗੁਰਪ੍ਰੀਤ Kaur",
    "فاطمة Ali ሳባ",
]
NOT_A_LETTER = "\U0010fffd"  # a private-use code point no bundled font has: its box


@cache
def glyph(path: Path, ch: str) -> bytes:
    """The character drawn alone in the font, letter by letter (no shaping)."""
    font = ImageFont.truetype(str(path), 48, layout_engine=ImageFont.Layout.BASIC)
    image = Image.new("L", (120, 120))
    ImageDraw.Draw(image).text((20, 20), ch, font=font, fill=255)
    return image.tobytes()


def is_box(path: Path, ch: str) -> bool:
    """Does the font draw this character as its .notdef box (it has no glyph for it)?"""
    return glyph(path, ch) == glyph(path, NOT_A_LETTER)


def runs_of(name: str) -> list[tuple[str, Path]]:
    # Before the fix the card drew a whole name in the font of its first letter.
    split = getattr(cards, "script_runs", None)
    return split(name, True) if split else [(name, cards.font_file(name, True))]


def test_the_box_check_sees_a_box() -> None:
    latin = cards.FONTS / "NotoSans-Bold.ttf"
    assert is_box(latin, "أ") and is_box(latin, "ሳ") and not is_box(latin, "A")


@pytest.mark.parametrize("name", MIXED)
def test_every_letter_of_a_mixed_name_is_in_the_font_it_is_drawn_with(name: str) -> None:
    boxes = [
        (ch, path.name)
        for piece, path in runs_of(name)
        for ch in piece
        if not ch.isspace() and is_box(path, ch)
    ]
    assert boxes == []
    assert "".join(piece for piece, _ in runs_of(name)) == name  # nothing lost or doubled


@pytest.mark.parametrize("name", MIXED)
def test_the_runs_are_drawn_in_bidi_order(name: str) -> None:
    """Left to right on the card, the runs read as the bidi algorithm shows the name (a
    right-to-left run's letters reversed, as python-bidi gives them without shaping)."""
    drawn = "".join(
        piece[::-1] if rtl else piece for piece, _, rtl in cards.visual_pieces(name, True)
    )
    assert drawn == get_display(name)


@pytest.mark.parametrize("name", MIXED)
def test_a_mixed_name_renders_on_the_card_and_the_diploma(name: str) -> None:
    link = "https://t.me/BydelsmodreDemoBot?start=card-AbCdEfGhIjKlMnOpQrStUv"
    png = cards.render_card(name, "Søndre Nordstrand", date(2026, 12, 6), link)
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert [f.text for f in found] == [link]
    gray = cards.draw_name(name, 80).convert("L")
    assert min(gray.tobytes()) < 128  # ink on it
    assert cards.render_diploma(name, "Stovner", date(2026, 12, 6))[:4] == b"\x89PNG"
