"""The reach report as a picture: women reached per month, one bar each, readable on a phone.

Pure: numbers in, PNG bytes out. Only digits are drawn (month numbers, counts), with the font
Pillow ships, so no language needs a font of its own; the title goes in the message's caption,
in her language.
"""

from __future__ import annotations

import io
from collections.abc import Collection, Sequence

from PIL import Image, ImageDraw, ImageFont

from bot.help_guide import STATS_SMALLEST as SMALLEST

WIDTH, HEIGHT = 1080, 720  # a phone screen's width; Telegram shows it full width
MARGIN, BASE = 60, 90
BAR = (46, 125, 50)
HIGHLIGHT = (230, 81, 0)
INK = (33, 33, 33)
GRID = (220, 220, 220)


def bar_chart(
    months: Sequence[tuple[str, int]],
    highlight: str | None = None,
    hidden: Collection[str] = (),
) -> bytes:
    """A bar per ('2026-03', women) pair, labelled with its month number and its count; a
    month in `hidden` (fewer than 5, bot/dropin/report.py) has no bar and reads "<5"."""
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=34)
    small = ImageFont.load_default(size=28)
    months = [(month, 0 if month in hidden else n) for month, n in months]
    top = max((n for _, n in months), default=0) or 1
    count = max(len(months), 1)
    slot = (WIDTH - 2 * MARGIN) / count
    floor = HEIGHT - BASE
    draw.line([(MARGIN, floor), (WIDTH - MARGIN, floor)], fill=GRID, width=3)
    for index, (month, women) in enumerate(months):
        left = MARGIN + index * slot + slot * 0.15
        right = MARGIN + (index + 1) * slot - slot * 0.15
        height = (floor - MARGIN - 40) * women / top
        colour = HIGHLIGHT if month == highlight else BAR
        if women:
            draw.rectangle([(left, floor - height), (right, floor)], fill=colour)
        centre = (left + right) / 2
        label = f"<{SMALLEST}" if month in hidden else str(women)
        draw.text((centre, floor - height - 8), label, fill=INK, font=small, anchor="md")
        draw.text((centre, floor + 12), month[-2:], fill=INK, font=font, anchor="ma")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
