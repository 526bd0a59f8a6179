"""A cohort as a spreadsheet file: one row per participant, one column per evening.

CSV in UTF-8 with a byte-order mark, so that Excel reads names in any script correctly (without
the mark it guesses the Windows code page), and with semicolons between the fields, the list
separator of Norwegian Excel; LibreOffice asks and detects both.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from zoneinfo import ZoneInfo

from bot.course.modules import MODULE_BY_NUMBER, MODULE_COUNT
from bot.course.progress import progress
from storage.course.cohorts import Place
from storage.course.evenings import Evening

FORMER = "(tidligere deltaker)"  # "a former participant": someone who used /forget


def _heading(evening: Evening, tz: ZoneInfo) -> str:
    day = evening.starts_at.astimezone(tz).strftime("%d.%m.%Y")
    if evening.module in MODULE_BY_NUMBER:
        name = evening.title or MODULE_BY_NUMBER[evening.module].norwegian  # the district's own
        return f"Modul {evening.module}: {name} ({day})"
    return f"{evening.title or 'Ekstra'} ({day})"


def _cell(text: str) -> str:
    # A name starting with = + - @ would be run as a formula by Excel: keep it text.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def cohort_csv(
    evenings: Sequence[Evening],
    places: Sequence[Place],
    came: Mapping[int, Sequence[int | None]],
    threshold: int,
    tz: ZoneInfo,
) -> bytes:
    held = [e for e in evenings if e.cancelled_at is None]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        ["Navn", "Status", *(_heading(e, tz) for e in held), f"Moduler av {MODULE_COUNT}", "Diplom"]
    )
    for place in places:
        present = [place.telegram_id in came.get(e.id, ()) for e in held]
        modules = [e.module for e, here in zip(held, present, strict=True) if here and e.module]
        mine = progress(modules, [], threshold)
        status = {"admitted": "deltaker", "offered": "tilbudt plass", "waiting": "venteliste"}
        writer.writerow(
            [
                _cell(place.name),
                status.get(place.status, place.status),
                *("x" if here else "" for here in present),
                mine.done,
                "ja" if mine.eligible else "nei",
            ]
        )
    former = [sum(1 for who in came.get(e.id, ()) if who is None) for e in held]
    if any(former):
        writer.writerow([FORMER, "", *(n or "" for n in former), "", ""])
    return out.getvalue().encode("utf-8-sig")
