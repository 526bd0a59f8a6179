"""The course's buttons: each has a small codec (encode, an anchored compiled pattern that
bot/app.py registers, decode). Button data carries ids only, parsed strictly; what a press may
do is checked again by its handler. Every pattern starts with "crs", which no other feature
uses, and no two of them match the same data."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_ID = r"(\d{1,12})"


@dataclass(frozen=True)
class Codec:
    """Data "<name>:<id>:<id>..." with exactly `fields` non-negative integer ids."""

    name: str
    fields: int = 0
    pattern: re.Pattern[str] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        body = re.escape(self.name) + (":" + _ID) * self.fields
        object.__setattr__(self, "pattern", re.compile(f"^{body}$"))

    def encode(self, *ids: int) -> str:
        if len(ids) != self.fields or any(i < 0 for i in ids):
            raise ValueError(f"{self.name} takes {self.fields} ids, got {ids}")
        return ":".join([self.name, *map(str, ids)])

    def decode(self, data: str | None) -> tuple[int, ...] | None:
        match = self.pattern.fullmatch(data or "")
        return tuple(int(g) for g in match.groups()) if match else None


# "I want to become a bydelsmor" (she agrees, picks her district, how to reach her, withdraws).
CONSENT = Codec("crsok")
NO_THANKS = Codec("crsno")
DISTRICT = Codec("crsd", 1)
REACH_ON_TELEGRAM = Codec("crstg", 1)
WITHDRAW = Codec("crswd")
WITHDRAW_SURE = Codec("crswdok")
KEEP = Codec("crskeep")  # "no, keep it": nothing changes
# An offer of a freed place: accept or decline (cohort id).
ACCEPT = Codec("crsacc", 1)
DECLINE = Codec("crsdec", 1)
# Coordinators: the cohorts (district), a cohort's card, a new cohort, its capacity.
COHORTS = Codec("crsc", 1)
COHORT = Codec("crsk", 1)
NEW_COHORT = Codec("crsnew", 1)
NEW_CATCHUP = Codec("crsnewc", 1)  # district: catch-up evenings, with their own places
JOIN_CATCHUP = Codec("crsjoin", 1)  # cohort: a participant or bydelsmor signs up herself
CAPACITY = Codec("crscap", 3)  # cohort, version seen, capacity
INTERESTED = Codec("crsi", 1)  # the district's interested women
ADMIT_LIST = Codec("crsal", 1)  # a cohort's "admit" list: the district's interested women
ADMIT = Codec("crsadm", 3)  # cohort, version seen, woman
INTERESTED_PAGE = Codec("crsip", 2)  # district, page
ADMIT_PAGE = Codec("crsalp", 2)  # cohort, page
CAPACITY_MENU = Codec("crscm", 1)
CAPACITY_TYPED = Codec("crsct", 2)  # cohort, version seen: the number is typed
PLACE_CARD = Codec("crspw", 2)  # cohort, woman
PLACES = Codec("crsl", 1)  # a cohort's participants and waiting list
PLACES_PAGE = Codec("crslp", 2)  # cohort, page
PLACE_ACTION = Codec("crspa", 4)  # cohort, version seen, woman, action (see PlaceAction)
OFFER_AGAIN = Codec("crspo", 2)  # cohort, woman: send an offer in doubt again
# Evenings: list, add (module, day offset, length, place), move, cancel, attendance (page).
EVENINGS = Codec("crse", 1)
ADD_EVENING = Codec("crsea", 1)  # cohort
EVENING_MODULE = Codec("crsem", 2)  # cohort, module (0 = an extra evening)
EVENING_LENGTH = Codec("crsel", 2)  # cohort, minutes
EVENING_PLACE = Codec("crsep", 2)  # cohort, location index in the places list (0 = none)
EVENING_SAVE = Codec("crses", 1)  # cohort: save the evening checked on screen
EVENING = Codec("crsv", 1)  # an evening's card
CANCEL_EVENING = Codec("crsvx", 1)
CANCEL_EVENING_SURE = Codec("crsvxok", 1)
MOVE_EVENING = Codec("crsvm", 1)
RENAME_EVENING = Codec("crsvn", 1)  # the district's own name for an evening (typed)
MOVE_EVENING_SURE = Codec("crsvmok", 2)  # evening, new start in minutes since the epoch (UTC)
ATTENDANCE = Codec("crsat", 2)  # evening, page
PRESENT = Codec("crsap", 3)  # evening, page, woman (toggles)
COMING = Codec("crsy", 1)  # an evening reminder's "I'm coming"
NOT_COMING = Codec("crsn", 1)
PROGRESS = Codec("crspr", 1)  # a cohort's on-track view
CSV_FILE = Codec("crscsv", 1)
COMPLETE = Codec("crsdone", 2)  # cohort, version seen
COMPLETE_SURE = Codec("crsdok", 2)
CARDS = Codec("crsid", 1)  # a completed cohort's ID cards
WITHDRAW_CARD = Codec("crsidx", 2)  # cohort, woman
WITHDRAW_CARD_SURE = Codec("crsidxok", 2)
SEND_AGAIN = Codec("crsidre", 2)  # cohort, delivery: an uncertain or failed card or diploma

ALL: tuple[Codec, ...] = tuple(v for v in list(globals().values()) if isinstance(v, Codec))


class PlaceAction:
    UP = 1
    DOWN = 2
    SKIP = 3
    REMOVE = 4
    ALL = (UP, DOWN, SKIP, REMOVE)
