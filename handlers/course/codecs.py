"""The course's buttons: each has a codec (handlers/common/codec.py: encode, an anchored
compiled pattern that bot/app.py registers, decode). Button data carries ids only, read with
`Codec.ids`; what a press may do is checked again by its handler. Every pattern starts with "crs",
which no other feature uses, and no two of them match the same data."""

from __future__ import annotations

from handlers.common.codec import ID, Codec


def _ids(count: int) -> tuple[str, ...]:
    return (ID,) * count


# "I want to become a bydelsmor" (she agrees, picks her district, how to reach her, withdraws).
CONSENT = Codec("crsok")
NO_THANKS = Codec("crsno")
DISTRICT = Codec("crsd", _ids(1))
REACH_ON_TELEGRAM = Codec("crstg", _ids(1))
WITHDRAW = Codec("crswd")
WITHDRAW_SURE = Codec("crswdok")
KEEP = Codec("crskeep")  # "no, keep it": nothing changes
# An offer of a freed place: accept or decline (cohort id).
ACCEPT = Codec("crsacc", _ids(1))
DECLINE = Codec("crsdec", _ids(1))
# Coordinators: the cohorts (district), a cohort's card, a new cohort, its capacity.
COHORTS = Codec("crsc", _ids(1))
COHORT = Codec("crsk", _ids(1))
NEW_COHORT = Codec("crsnew", _ids(1))
NEW_CATCHUP = Codec("crsnewc", _ids(1))  # district: catch-up evenings, with their own places
JOIN_CATCHUP = Codec("crsjoin", _ids(1))  # cohort: a participant or bydelsmor signs up herself
CAPACITY = Codec("crscap", _ids(3))  # cohort, version seen, capacity
INTERESTED = Codec("crsi", _ids(1))  # the district's interested women
ADMIT_LIST = Codec("crsal", _ids(1))  # a cohort's "admit" list: the district's interested women
ADMIT = Codec("crsadm", _ids(3))  # cohort, version seen, woman
INTERESTED_PAGE = Codec("crsip", _ids(2))  # district, page
ADMIT_PAGE = Codec("crsalp", _ids(2))  # cohort, page
CAPACITY_MENU = Codec("crscm", _ids(1))
CAPACITY_TYPED = Codec("crsct", _ids(2))  # cohort, version seen: the number is typed
PLACE_CARD = Codec("crspw", _ids(2))  # cohort, woman
PLACES = Codec("crsl", _ids(1))  # a cohort's participants and waiting list
PLACES_PAGE = Codec("crslp", _ids(2))  # cohort, page
PLACE_ACTION = Codec("crspa", _ids(4))  # cohort, version seen, woman, action (see PlaceAction)
OFFER_AGAIN = Codec("crspo", _ids(2))  # cohort, woman: send an offer in doubt again
# Evenings: list, add (module, day offset, length, place), move, cancel, attendance (page).
EVENINGS = Codec("crse", _ids(1))
ADD_EVENING = Codec("crsea", _ids(1))  # cohort
EVENING_MODULE = Codec("crsem", _ids(2))  # cohort, module (0 = an extra evening)
EVENING_LENGTH = Codec("crsel", _ids(2))  # cohort, minutes
EVENING_PLACE = Codec("crsep", _ids(2))  # cohort, location index in the places list (0 = none)
EVENING_SAVE = Codec("crses", _ids(1))  # cohort: save the evening checked on screen
EVENING = Codec("crsv", _ids(1))  # an evening's card
CANCEL_EVENING = Codec("crsvx", _ids(1))
CANCEL_EVENING_SURE = Codec("crsvxok", _ids(1))
MOVE_EVENING = Codec("crsvm", _ids(1))
RENAME_EVENING = Codec("crsvn", _ids(1))  # the district's own name for an evening (typed)
MOVE_EVENING_SURE = Codec("crsvmok", _ids(2))  # evening, new start in minutes since the epoch (UTC)
ATTENDANCE = Codec("crsat", _ids(2))  # evening, page
PRESENT = Codec("crsap", _ids(3))  # evening, page, woman (toggles)
COMING = Codec("crsy", _ids(1))  # an evening reminder's "I'm coming"
NOT_COMING = Codec("crsn", _ids(1))
PROGRESS = Codec("crspr", _ids(1))  # a cohort's on-track view
CSV_FILE = Codec("crscsv", _ids(1))
COMPLETE = Codec("crsdone", _ids(2))  # cohort, version seen
COMPLETE_SURE = Codec("crsdok", _ids(2))
CARDS = Codec("crsid", _ids(1))  # a completed cohort's ID cards
WITHDRAW_CARD = Codec("crsidx", _ids(2))  # cohort, woman
WITHDRAW_CARD_SURE = Codec("crsidxok", _ids(2))
SEND_AGAIN = Codec("crsidre", _ids(2))  # cohort, delivery: an uncertain or failed card or diploma

ALL: tuple[Codec, ...] = tuple(v for v in list(globals().values()) if isinstance(v, Codec))


class PlaceAction:
    UP = 1
    DOWN = 2
    SKIP = 3
    REMOVE = 4
    ALL = (UP, DOWN, SKIP, REMOVE)
