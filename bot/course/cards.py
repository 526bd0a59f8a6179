"""The ID card and the diploma, drawn with Pillow.

Names are drawn as she wrote them, in any script: Pillow's raqm layout shapes the text with
HarfBuzz and orders it with FriBiDi, so Arabic letters join and run right to left and Gurmukhi
vowel signs sit where they belong (Pillow's basic layout would draw the letters one by one, left
to right). The fonts are bundled (Noto, OFL: bot/assets/fonts/OFL.txt), so the card looks the
same in Docker and on a laptop, and nothing is downloaded. The card's QR code holds only the
verification link; its fixed words are Norwegian, the language of the people who check it.
"""

from __future__ import annotations

import io
import unicodedata
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path

import segno
from PIL import Image, ImageDraw, ImageFont, features

from bot.course.modules import MODULES

FONTS = Path(str(resources.files("bot").joinpath("assets", "fonts")))
CARD_SIZE = (1012, 638)  # 85.6 x 54 mm at 300 dpi
A4 = (2480, 3508)  # 210 x 297 mm at 300 dpi
INK = (32, 33, 36)
ACCENT = (176, 38, 96)
PAPER = (255, 255, 255)
MONTHS = ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september",
          "oktober", "november", "desember")  # fmt: skip


class ShapingMissing(RuntimeError):
    """Pillow cannot shape text (libraqm, FriBiDi or HarfBuzz missing): names would come out
    wrong, so no card is drawn. See the README's prerequisites."""


def can_shape() -> bool:
    return bool(features.check("raqm"))


def font_file(text: str, bold: bool = False) -> Path:
    """The Noto font for the script of the text's first letter."""
    for ch in text:
        name = unicodedata.name(ch, "")
        if name.startswith(("ARABIC", "PERSIAN")):
            return FONTS / ("NotoSansArabic-Bold.ttf" if bold else "NotoSansArabic-Regular.ttf")
        if name.startswith("ETHIOPIC"):
            return FONTS / "NotoSansEthiopic-Regular.ttf"
        if name.startswith("GURMUKHI"):
            return FONTS / "NotoSansGurmukhi-Regular.ttf"
        if ch.isalpha():
            break
    return FONTS / ("NotoSans-Bold.ttf" if bold else "NotoSans-Regular.ttf")


@cache
def _font(path: Path, size: int, raqm: bool) -> ImageFont.FreeTypeFont:
    layout = ImageFont.Layout.RAQM if raqm else ImageFont.Layout.BASIC
    return ImageFont.truetype(str(path), size, layout_engine=layout)


def font_for(
    text: str, size: int, *, bold: bool = False, raqm: bool = True
) -> ImageFont.FreeTypeFont:
    if raqm and not can_shape():
        raise ShapingMissing("Pillow has no raqm layout: install libfribidi0 and libharfbuzz0b")
    return _font(font_file(text, bold), size, raqm)


def _fitted(text: str, size: int, width: int, *, bold: bool = False) -> ImageFont.FreeTypeFont:
    """The largest font up to `size` in which the text fits the width."""
    font = font_for(text, size, bold=bold)
    while size > 12 and font.getlength(text) > width:
        size -= 2
        font = font_for(text, size, bold=bold)
    return font


def is_rtl(text: str) -> bool:
    """Does the text start, in its first strong letter, right to left?"""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def norwegian_date(day: date) -> str:
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}"


def qr_image(link: str, size: int) -> Image.Image:
    buffer = io.BytesIO()
    segno.make(link, error="m").save(buffer, kind="png", scale=10, border=2)
    buffer.seek(0)
    return Image.open(buffer).convert("RGB").resize((size, size), Image.Resampling.NEAREST)


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(300, 300))
    return out.getvalue()


def draw_name(name: str, size: int, *, raqm: bool = True) -> Image.Image:
    """The name alone on white (what the card shows; the tests compare the two layouts)."""
    font = font_for(name, size, bold=True, raqm=raqm)
    left, top, right, bottom = font.getbbox(name)
    image = Image.new("RGB", (int(right - left) + 20, int(bottom - top) + 20), PAPER)
    ImageDraw.Draw(image).text((10 - left, 10 - top), name, font=font, fill=INK)
    return image


def render_card(name: str, district: str, since: date, link: str, withdrawn: bool = False) -> bytes:
    """The ID card as a PNG: name, district, "Bydelsmor siden <date>", and the QR code."""
    image = Image.new("RGB", CARD_SIZE, PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, CARD_SIZE[0], 110), fill=ACCENT)
    draw.text((40, 55), "Bydelsmødre", font=font_for("B", 56, bold=True), fill=PAPER, anchor="lm")
    draw.text((CARD_SIZE[0] - 40, 55), "ID-kort", font=font_for("I", 40), fill=PAPER, anchor="rm")
    text_width = CARD_SIZE[0] - 420
    # A right-to-left name starts at the right edge of its column, as it is read.
    name_font = _fitted(name, 64, text_width, bold=True)
    if is_rtl(name):
        draw.text((40 + text_width, 220), name, font=name_font, fill=INK, anchor="rm")
    else:
        draw.text((40, 220), name, font=name_font, fill=INK, anchor="lm")
    draw.text((40, 320), district, font=_fitted(district, 44, text_width), fill=INK, anchor="lm")
    since_text = f"Bydelsmor siden {norwegian_date(since)}"
    draw.text(
        (40, 400), since_text, font=_fitted(since_text, 36, text_width), fill=INK, anchor="lm"
    )
    draw.text((40, 560), "Skann QR-koden for å sjekke at kortet er gyldig.",
              font=font_for("S", 24), fill=INK, anchor="lm")  # fmt: skip
    image.paste(qr_image(link, 320), (CARD_SIZE[0] - 360, 170))
    if withdrawn:
        draw.text(
            (40, 480),
            "TRUKKET TILBAKE",
            font=font_for("T", 44, bold=True),
            fill=ACCENT,
            anchor="lm",
        )
    return _png(image)


def render_diploma(name: str, district: str, completed: date) -> bytes:
    """A printable A4 diploma (PNG, 300 dpi) for the ceremony, her name in her script."""
    image = Image.new("RGB", A4, PAPER)
    draw = ImageDraw.Draw(image)
    width, middle = A4[0] - 400, A4[0] // 2
    draw.rectangle((80, 80, A4[0] - 80, A4[1] - 80), outline=ACCENT, width=12)
    draw.text((middle, 420), "DIPLOM", font=font_for("D", 200, bold=True), fill=ACCENT, anchor="mm")
    draw.text(
        (middle, 700),
        "Bydelsmødrenes grunnutdannelse",
        font=font_for("B", 90),
        fill=INK,
        anchor="mm",
    )
    draw.text(
        (middle, 1050), name, font=_fitted(name, 160, width, bold=True), fill=INK, anchor="mm"
    )
    line = f"har fullført grunnutdannelsen med {len(MODULES)} moduler og er bydelsmor i {district}"
    draw.text((middle, 1300), line, font=_fitted(line, 60, width), fill=INK, anchor="mm")
    for i, module in enumerate(MODULES):
        text = f"Modul {module.number}: {module.norwegian}"
        draw.text((400, 1500 + i * 80), text, font=font_for(text, 48), fill=INK, anchor="lm")
    draw.text(
        (middle, 3050),
        f"Oslo, {norwegian_date(completed)}",
        font=font_for("O", 64),
        fill=INK,
        anchor="mm",
    )
    draw.line((middle - 500, 3300, middle + 500, 3300), fill=INK, width=4)
    draw.text((middle, 3350), "Lokal koordinator", font=font_for("L", 48), fill=INK, anchor="mm")
    return _png(image)
