"""Progress towards the diploma: which modules she came to, which she missed, and whether she
is on track (the threshold is set per cohort, default 15 of 17; modules 1 and 17 required)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.course.modules import MODULE_COUNT

REQUIRED = frozenset({1, MODULE_COUNT})
DEFAULT_THRESHOLD = 15
ALL_MODULES = frozenset(range(1, MODULE_COUNT + 1))


@dataclass(frozen=True)
class Progress:
    attended: frozenset[int]
    missed: tuple[int, ...]  # modules already held that she did not come to, in order
    threshold: int

    @property
    def done(self) -> int:
        return len(self.attended)

    @property
    def eligible(self) -> bool:
        """Enough modules, the required ones among them: she gets the diploma."""
        return self.done >= self.threshold and self.attended >= REQUIRED

    @property
    def on_track(self) -> bool:
        """She can still make it if she comes to every module not missed yet (a catch-up
        evening can still give her a missed one)."""
        possible = ALL_MODULES - set(self.missed)
        return len(possible) >= self.threshold and possible >= REQUIRED


def progress(attended: Iterable[int], held: Iterable[int], threshold: int) -> Progress:
    came = frozenset(attended) & ALL_MODULES
    missed = tuple(sorted((frozenset(held) & ALL_MODULES) - came))
    return Progress(came, missed, threshold)
