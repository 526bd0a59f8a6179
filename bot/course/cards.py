"""The ID card and the diploma, drawn with Pillow.

Names are drawn as she wrote them, in any script, also mixed ("Amina أمينة"): the name is cut
into runs by script, each drawn in the bundled font that has its letters (one font for all of
it would draw the other script as empty boxes), in bidi order. Pillow's raqm layout shapes each
run with HarfBuzz and orders it with FriBiDi, so Arabic letters join and run right to left and
Gurmukhi vowel signs sit where they belong (Pillow's basic layout would draw the letters one by
one, left to right). The fonts are bundled (Noto, OFL: bot/assets/fonts/OFL.txt), so the card
looks the same in Docker and on a laptop, and nothing is downloaded. The card's QR code holds
only the verification link; its fixed words are Norwegian, the language of those who check it.
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
MONTHS = (
    "januar",
    "februar",
    "mars",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
)


class ShapingMissing(RuntimeError):
    """Pillow cannot shape text (libraqm, FriBiDi or HarfBuzz missing): names would come out
    wrong, so no card is drawn. See the README's prerequisites."""


def can_shape() -> bool:
    return bool(features.check("raqm"))


def script_of(ch: str) -> str | None:
    """The bundled font family a letter needs, or None for a character any of them draws
    (spaces, punctuation, digits, joiners), which goes with the letters around it."""
    name = unicodedata.name(ch, "")
    if name.startswith(("ARABIC", "PERSIAN")):
        return "arabic"
    if name.startswith("ETHIOPIC"):
        return "ethiopic"
    if name.startswith("GURMUKHI"):
        return "gurmukhi"
    if ch.isalpha():
        return "latin"
    return None  # also a combining mark: it belongs to the letter before it


def _family_file(script: str, bold: bool) -> Path:
    if script == "arabic":
        return FONTS / ("NotoSansArabic-Bold.ttf" if bold else "NotoSansArabic-Regular.ttf")
    if script == "ethiopic":
        return FONTS / "NotoSansEthiopic-Regular.ttf"
    if script == "gurmukhi":
        return FONTS / "NotoSansGurmukhi-Regular.ttf"
    return FONTS / ("NotoSans-Bold.ttf" if bold else "NotoSans-Regular.ttf")


def font_file(text: str, bold: bool = False) -> Path:
    """The Noto font for the script of the text's first letter."""
    first = next((s for s in map(script_of, text) if s is not None), "latin")
    return _family_file(first, bold)


def script_runs(text: str, bold: bool = False) -> list[tuple[str, Path]]:
    """The text cut where its script changes, each piece with the font that has its letters,
    in logical (typed) order. A name may mix scripts ("Amina أمينة"): one font for all of it
    would draw the other script's letters as empty boxes. Spaces and digits stay with the
    letters before them (or, at the start, after them)."""
    runs: list[list[str]] = []  # [script, text]
    for ch in text:
        script = script_of(ch)
        if runs and (script is None or script == runs[-1][0]):
            runs[-1][1] += ch
        elif runs and runs[-1][0] == "":
            runs[-1] = [script or "", runs[-1][1] + ch]
        else:
            runs.append([script or "", ch])
    return [(piece, _family_file(script or "latin", bold)) for script, piece in runs]


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


Piece = tuple[str, Path, bool]  # text, its font, whether it runs right to left


def visual_pieces(text: str, bold: bool = False) -> list[Piece]:
    """The script runs in the order they are drawn from left to right (the Unicode bidi
    algorithm for two levels): the text's first strong letter sets its direction; a space
    between two runs of one direction takes theirs, any other space the text's; in a
    right-to-left name the runs go right to left, while each run keeps its own direction
    inside (raqm shapes and orders it)."""
    base = is_rtl(text)
    found: list[tuple[str, Path, bool | None]] = []  # None: spaces, decided below
    for piece, path in script_runs(text, bold):
        core = piece.rstrip()
        if core:
            found.append((core, path, is_rtl(core) if any(map(script_of, core)) else base))
        if len(core) < len(piece):
            found.append((piece[len(core) :], path, None))
    pieces: list[Piece] = []
    for i, (piece, path, rtl) in enumerate(found):
        if rtl is None:  # between two runs of one direction it takes theirs, else the text's
            before = found[i - 1][2] if i > 0 else base
            after = found[i + 1][2] if i + 1 < len(found) else base
            rtl = before if before == after and before is not None else base
        pieces.append((piece, path, rtl))
    groups: list[list[Piece]] = []
    for p in pieces:
        if groups and groups[-1][-1][2] == p[2]:
            groups[-1].append(p)
        else:
            groups.append([p])
    if base:
        groups.reverse()
    return [p for g in groups for p in (reversed(g) if g[0][2] else g)]


def _pieces_fonts(
    text: str, size: int, bold: bool, raqm: bool = True
) -> list[tuple[str, ImageFont.FreeTypeFont]]:
    if raqm and not can_shape():
        raise ShapingMissing("Pillow has no raqm layout: install libfribidi0 and libharfbuzz0b")
    return [(piece, _font(path, size, raqm)) for piece, path, _ in visual_pieces(text, bold)]


def line_width(text: str, size: int, *, bold: bool = False, raqm: bool = True) -> float:
    return sum(font.getlength(piece) for piece, font in _pieces_fonts(text, size, bold, raqm))


def _fitted(text: str, size: int, width: int, *, bold: bool = False) -> int:
    """The largest size up to `size` at which the text fits the width."""
    while size > 12 and line_width(text, size, bold=bold) > width:
        size -= 2
    return size


def draw_line(
    draw: ImageDraw.ImageDraw,
    xy: tuple[float, float],
    text: str,
    size: int,
    *,
    bold: bool = False,
    align: str = "l",
    fill: tuple[int, int, int] = INK,
    raqm: bool = True,
) -> None:
    """Draw one line whose middle is at y, starting at x (align "l"), ending there ("r") or
    centred on it ("m"): each script run in its own font on one baseline."""
    parts = _pieces_fonts(text, size, bold, raqm)
    if not parts:
        return
    width = sum(font.getlength(piece) for piece, font in parts)
    x = xy[0] - {"l": 0.0, "m": width / 2, "r": width}[align]
    ascent = max(font.getmetrics()[0] for _, font in parts)
    descent = max(font.getmetrics()[1] for _, font in parts)
    baseline = xy[1] + (ascent - descent) / 2
    for piece, font in parts:
        draw.text((x, baseline), piece, font=font, fill=fill, anchor="ls")
        x += font.getlength(piece)


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
    """The name alone on white, as the card draws it (the tests look at it)."""
    parts = _pieces_fonts(name, size, True, raqm)
    width = int(line_width(name, size, bold=True, raqm=raqm)) + 20
    height = max(sum(font.getmetrics()) for _, font in parts) + 20
    image = Image.new("RGB", (width, height), PAPER)
    draw_line(ImageDraw.Draw(image), (10, height / 2), name, size, bold=True, raqm=raqm)
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
    name_size = _fitted(name, 64, text_width, bold=True)
    if is_rtl(name):
        draw_line(draw, (40 + text_width, 220), name, name_size, bold=True, align="r")
    else:
        draw_line(draw, (40, 220), name, name_size, bold=True)
    draw_line(draw, (40, 320), district, _fitted(district, 44, text_width))
    since_text = f"Bydelsmor siden {norwegian_date(since)}"
    draw_line(draw, (40, 400), since_text, _fitted(since_text, 36, text_width))
    draw.text(
        (40, 560),
        "Skann QR-koden for å sjekke at kortet er gyldig.",
        font=font_for("S", 24),
        fill=INK,
        anchor="lm",
    )
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
    draw_line(
        draw, (middle, 1050), name, _fitted(name, 160, width, bold=True), bold=True, align="m"
    )
    line = f"har fullført grunnutdannelsen med {len(MODULES)} moduler og er bydelsmor i {district}"
    draw_line(draw, (middle, 1300), line, _fitted(line, 60, width), align="m")
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
