"""Between the stored places of a cohort and the waiting list's rules; and what a woman may type
as her name or a cohort's name."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from bot.course.waitlist import Offer, WaitingList
from storage.course.cohorts import Place

MAX_NAME = 64


def state_of(capacity: int, places: Sequence[Place]) -> WaitingList:
    """The waiting list as the stored places describe it."""
    admitted = tuple(p.telegram_id for p in places if p.status == "admitted")
    offers = tuple(
        Offer(p.telegram_id, p.offer_expires_at)
        for p in places
        if p.status == "offered" and p.offer_expires_at is not None
    )
    waiting = tuple(
        p.telegram_id for p in sorted(places, key=lambda p: p.position) if p.status == "waiting"
    )
    return WaitingList(capacity, admitted, offers, waiting)


class NameProblem(Exception):
    """Why a typed name was refused: `too_long` or `empty`."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def clean_name(text: str) -> str:
    """A name as she wrote it, in any script: spaces tidied, control characters refused.

    HTML is kept as typed (it is escaped wherever it is shown), so "<b>Amina</b>" stays exactly
    that and never becomes markup. Raises NameProblem when nothing is left or it is too long.
    """
    kept = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cs", "Co"))
    name = " ".join(kept.split())
    if not name:
        raise NameProblem("empty")
    if len(name) > MAX_NAME:
        raise NameProblem("too_long")
    return name
