"""The drop-in buttons' callback data: codecs on the shared Codec (handlers/common/codec.py:
encode, an anchored compiled pattern that bot/app.py registers, decode), and the presses they
read as. Ids and compact dates only, at most 64 bytes; the decoders return None for anything that
does not match exactly, and access is checked on every press.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.dropin.plan import day_key, parse_day_key
from handlers.common.codec import Codec, Word

_ID = r"\d{1,9}"
_DAY = r"\d{8}"
_TOPIC = r"[a-z0-9-]{1,30}"
_KIND = r"[a-z]{1,8}"

# Women: the list (0 = all districts, or a district's id), remind me / stop, a place's calendar.
WOMEN = Codec("dw", (Word("l"), _ID))
REMIND = Codec("dw", ("[ru]", _ID, _DAY))
CALENDAR = Codec("dw", (Word("c"), _ID))
# Bydelsmødre: the rota of a district, and take / withdraw / offer a swap / accept a swap.
ROTA = Codec("dr", (Word("l"), _ID))
SHIFT = Codec("dr", ("[tws]", _ID, _DAY))
ACCEPT = Codec("dr", (Word("a"), _ID))
MY_CALENDAR = Codec("dr", (Word("c"),))
# Coordinators' alert: ask all bydelsmødre, cancel (asked, then confirmed).
ALERT = Codec("da", ("[ack]", _ID, _DAY))
# The reach log: a topic, then a count (a stepper), then save (and confirm a large count).
REACH_TOPIC = Codec("dx", (Word("t"), _ID, _ID, _DAY, _TOPIC))
REACH_COUNT = Codec("dx", ("[nsc]", _ID, _ID, _DAY, _TOPIC, r"\d{1,3}"))
# /reached by a bydelsmor of several districts: the district she logs for.
REACH_DISTRICT = Codec("dx", (Word("d"), _ID))
# The report: scope (0 = all districts), period ('m202612' or 'y2026'), form (t, c, p).
REPORT = Codec("dp", (_ID, r"m\d{6}|y\d{4}", "[tcp]"))

# A coordinator's sessions: the list, a session's card and its pickers (o card, w weekday,
# t time, l languages, x extra date, z end, Z end confirmed), a setting chosen (W weekday,
# T start, E end, q on duty a/b/c/d = min-1/min+1/max-1/max+1 and e/f = the cut-off for
# withdrawing 12 hours shorter/longer, L language, X extra date), and a
# new session: a place, a kind, a weekday, then it is made (K).
SESSIONS = Codec("ds", (Word("s"), _ID))
SESSION = Codec("ds", ("[owtlxzZ]", _ID))
SESSION_SET = Codec("ds", ("[WTEqLX]", _ID, "[0-9a-f]{1,8}"))
NEW = Codec("ds", (Word("n"), _ID))
NEW_PLACE = Codec("ds", (Word("p"), _ID, _ID))
NEW_KIND = Codec("ds", (Word("k"), _ID, _ID, _KIND))
CREATE = Codec("ds", (Word("K"), _ID, _ID, _KIND, "[0-6]"))


@dataclass(frozen=True)
class Dated:
    """A button about one occurrence: an action letter, the session and the date."""

    action: str
    session_id: int
    day: date


def _dated(codec: Codec, data: str) -> Dated | None:
    fields = codec.decode(data)
    if fields is None:
        return None
    day = parse_day_key(fields[2])
    return Dated(fields[0], int(fields[1]), day) if day else None


def women(district_id: int) -> str:
    return WOMEN.encode(district_id)


def remind(action: str, session_id: int, day: date) -> str:
    return REMIND.encode(action, session_id, day_key(day))


def decode_remind(data: str) -> Dated | None:
    return _dated(REMIND, data)


def calendar(session_id: int) -> str:
    return CALENDAR.encode(session_id)


def rota(district_id: int) -> str:
    return ROTA.encode(district_id)


def shift(action: str, session_id: int, day: date) -> str:
    return SHIFT.encode(action, session_id, day_key(day))


def decode_shift(data: str) -> Dated | None:
    return _dated(SHIFT, data)


def my_calendar() -> str:
    return MY_CALENDAR.encode()


def accept(swap_id: int) -> str:
    return ACCEPT.encode(swap_id)


def alert(action: str, session_id: int, day: date) -> str:
    return ALERT.encode(action, session_id, day_key(day))


def decode_alert(data: str) -> Dated | None:
    return _dated(ALERT, data)


def decode_id(codec: Codec, data: str) -> int | None:
    """The one id of a codec with one field."""
    fields = codec.decode(data)
    return int(fields[0]) if fields else None


@dataclass(frozen=True)
class Reach:
    """A reach log in the making: district, session (0 = none), day, topic and count."""

    district_id: int
    session_id: int
    day: date
    topic: str
    women: int = 0
    action: str = "t"  # t: topic chosen, n: count changed, s: save, c: confirmed


def reach_topic(district_id: int, session_id: int, day: date, topic: str) -> str:
    return REACH_TOPIC.encode(district_id, session_id, day_key(day), topic)


def reach_count(action: str, log: Reach, women: int) -> str:
    day = day_key(log.day)
    return REACH_COUNT.encode(action, log.district_id, log.session_id, day, log.topic, women)


def reach_district(district_id: int) -> str:
    return REACH_DISTRICT.encode(district_id)


def decode_reach_district(data: str) -> int | None:
    return decode_id(REACH_DISTRICT, data)


def decode_reach(data: str) -> Reach | None:
    fields = REACH_TOPIC.decode(data)
    if fields is not None:
        day = parse_day_key(fields[2])
        return Reach(int(fields[0]), int(fields[1]), day, fields[3]) if day else None
    fields = REACH_COUNT.decode(data)
    if fields is None:
        return None
    action, district_id, session_id, day_text, topic, women = fields
    day = parse_day_key(day_text)
    if day is None:
        return None
    return Reach(int(district_id), int(session_id), day, topic, int(women), action)


@dataclass(frozen=True)
class ReportAsk:
    district_id: int  # 0: all districts (admins)
    period: str  # 'm202612' or 'y2026'
    form: str  # t (message), c (CSV), p (picture)


def report(district_id: int, period: str, form: str) -> str:
    return REPORT.encode(district_id, period, form)


def decode_report(data: str) -> ReportAsk | None:
    fields = REPORT.decode(data)
    return ReportAsk(int(fields[0]), fields[1], fields[2]) if fields else None


@dataclass(frozen=True)
class SessionAsk:
    """A press on a coordinator's session screens: what, which session, and a value."""

    action: str
    session_id: int
    value: str = ""


def session(action: str, session_id: int, value: str = "") -> str:
    if value:
        return SESSION_SET.encode(action, session_id, value)
    if action == "s":  # the list of sessions, from a session's screen
        return SESSIONS.encode(session_id)
    return SESSION.encode(action, session_id)


def decode_session(data: str) -> SessionAsk | None:
    fields = SESSION.decode(data)
    if fields is not None:
        return SessionAsk(fields[0], int(fields[1]))
    fields = SESSION_SET.decode(data)
    return SessionAsk(fields[0], int(fields[1]), fields[2]) if fields else None


@dataclass(frozen=True)
class NewSession:
    district_id: int
    place: int | None = None  # a location's number (rowid)
    kind: str | None = None
    weekday: int | None = None


def new_session(
    district_id: int, place: int | None = None, kind: str | None = None, weekday: int | None = None
) -> str:
    if place is None:
        return NEW.encode(district_id)
    if kind is None:
        return NEW_PLACE.encode(district_id, place)
    if weekday is None:
        return NEW_KIND.encode(district_id, place, kind)
    return CREATE.encode(district_id, place, kind, weekday)


def decode_new(data: str) -> NewSession | None:
    for codec in (CREATE, NEW_KIND, NEW_PLACE, NEW):
        fields = codec.decode(data)
        if fields is not None:
            return NewSession(
                int(fields[0]),
                int(fields[1]) if len(fields) > 1 else None,
                fields[2] if len(fields) > 2 else None,
                int(fields[3]) if len(fields) > 3 else None,
            )
    return None
