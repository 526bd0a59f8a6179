"""The reach report as a picture: women reached per month, one bar each, readable on a phone.

Pure: numbers in, PNG bytes out. Only digits are drawn (month numbers, counts), with the font
Pillow ships, so no language needs a font of its own; the title goes in the message's caption,
in her language.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1080, 720  # a phone screen's width; Telegram shows it full width
MARGIN, BASE = 60, 90
BAR = (46, 125, 50)
HIGHLIGHT = (230, 81, 0)
INK = (33, 33, 33)
GRID = (220, 220, 220)


def bar_chart(months: Sequence[tuple[str, int]], highlight: str | None = None) -> bytes:
    """A bar per ('2026-03', women) pair, labelled with its month number and its count."""
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=34)
    small = ImageFont.load_default(size=28)
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
        draw.text((centre, floor - height - 8), str(women), fill=INK, font=small, anchor="md")
        draw.text((centre, floor + 12), month[-2:], fill=INK, font=font, anchor="ma")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
