"""The drop-in buttons' callback data: for each, encode, an anchored compiled pattern (the
one bot/app.py registers) and decode. Ids and compact dates only, at most 64 bytes; decode
returns None for anything that does not match exactly, and access is checked on every press.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.dropin.plan import day_key, parse_day_key

_ID = r"(\d{1,9})"
_DAY = r"(\d{8})"
_TOPIC = r"([a-z0-9-]{1,30})"

# Women: the list (0 = all districts, or a district's id), remind me / stop, a place's calendar.
WOMEN = re.compile(rf"^dw:l:{_ID}$")
REMIND = re.compile(rf"^dw:([ru]):{_ID}:{_DAY}$")
CALENDAR = re.compile(rf"^dw:c:{_ID}$")
# Bydelsmødre: the rota of a district, and take / withdraw / offer a swap / accept a swap.
ROTA = re.compile(rf"^dr:l:{_ID}$")
SHIFT = re.compile(rf"^dr:([tws]):{_ID}:{_DAY}$")
ACCEPT = re.compile(rf"^dr:a:{_ID}$")
MY_CALENDAR = re.compile(r"^dr:c$")
# Coordinators' alert: ask all bydelsmødre, cancel (asked, then confirmed).
ALERT = re.compile(rf"^da:([ack]):{_ID}:{_DAY}$")
# The reach log: a topic, then a count (a stepper), then save (and confirm a large count).
REACH_TOPIC = re.compile(rf"^dx:t:{_ID}:{_ID}:{_DAY}:{_TOPIC}$")
REACH_COUNT = re.compile(rf"^dx:([nsc]):{_ID}:{_ID}:{_DAY}:{_TOPIC}:(\d{{1,3}})$")
# /reached by a bydelsmor of several districts: the district she logs for.
REACH_DISTRICT = re.compile(rf"^dx:d:{_ID}$")
# The report: scope (0 = all districts), period ('m202612' or 'y2026'), form (t, c, p).
REPORT = re.compile(r"^dp:(\d{1,9}):(m\d{6}|y\d{4}):([tcp])$")

# A coordinator's sessions: the list, a session's card and its pickers (o card, w weekday,
# t time, l languages, x extra date, z end, Z end confirmed), a setting chosen (W weekday,
# T start, E end, q on duty a/b/c/d = min-1/min+1/max-1/max+1 and e/f = the cut-off for
# withdrawing 12 hours shorter/longer, L language, X extra date), and a
# new session: a place, a kind, a weekday, then it is made (K).
SESSIONS = re.compile(rf"^ds:s:{_ID}$")
SESSION = re.compile(rf"^ds:([owtlxzZ]):{_ID}$")
SESSION_SET = re.compile(rf"^ds:([WTEqLX]):{_ID}:([0-9a-f]{{1,8}})$")
NEW = re.compile(rf"^ds:n:{_ID}$")
NEW_PLACE = re.compile(rf"^ds:p:{_ID}:{_ID}$")
NEW_KIND = re.compile(rf"^ds:k:{_ID}:{_ID}:([a-z]{{1,8}})$")
CREATE = re.compile(rf"^ds:K:{_ID}:{_ID}:([a-z]{{1,8}}):([0-6])$")

PATTERNS = (
    WOMEN,
    REMIND,
    CALENDAR,
    ROTA,
    SHIFT,
    ACCEPT,
    MY_CALENDAR,
    ALERT,
    REACH_TOPIC,
    REACH_COUNT,
    REACH_DISTRICT,
    REPORT,
    SESSIONS,
    SESSION,
    SESSION_SET,
    NEW,
    NEW_PLACE,
    NEW_KIND,
    CREATE,
)


@dataclass(frozen=True)
class Dated:
    """A button about one occurrence: an action letter, the session and the date."""

    action: str
    session_id: int
    day: date


def _dated(pattern: re.Pattern[str], data: str) -> Dated | None:
    match = pattern.fullmatch(data)
    if match is None:
        return None
    day = parse_day_key(match[3])
    return Dated(match[1], int(match[2]), day) if day else None


def women(district_id: int) -> str:
    return f"dw:l:{district_id}"


def remind(action: str, session_id: int, day: date) -> str:
    return f"dw:{action}:{session_id}:{day_key(day)}"


def decode_remind(data: str) -> Dated | None:
    return _dated(REMIND, data)


def calendar(session_id: int) -> str:
    return f"dw:c:{session_id}"


def rota(district_id: int) -> str:
    return f"dr:l:{district_id}"


def shift(action: str, session_id: int, day: date) -> str:
    return f"dr:{action}:{session_id}:{day_key(day)}"


def decode_shift(data: str) -> Dated | None:
    return _dated(SHIFT, data)


def my_calendar() -> str:
    return "dr:c"


def accept(swap_id: int) -> str:
    return f"dr:a:{swap_id}"


def alert(action: str, session_id: int, day: date) -> str:
    return f"da:{action}:{session_id}:{day_key(day)}"


def decode_alert(data: str) -> Dated | None:
    return _dated(ALERT, data)


def decode_id(pattern: re.Pattern[str], data: str) -> int | None:
    match = pattern.fullmatch(data)
    return int(match[1]) if match else None


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
    return f"dx:t:{district_id}:{session_id}:{day_key(day)}:{topic}"


def reach_count(action: str, log: Reach, women: int) -> str:
    return f"dx:{action}:{log.district_id}:{log.session_id}:{day_key(log.day)}:{log.topic}:{women}"


def reach_district(district_id: int) -> str:
    return f"dx:d:{district_id}"


def decode_reach_district(data: str) -> int | None:
    match = REACH_DISTRICT.fullmatch(data)
    return int(match[1]) if match else None


def decode_reach(data: str) -> Reach | None:
    match = REACH_TOPIC.fullmatch(data)
    if match is not None:
        day = parse_day_key(match[3])
        return Reach(int(match[1]), int(match[2]), day, match[4]) if day else None
    match = REACH_COUNT.fullmatch(data)
    if match is None:
        return None
    day = parse_day_key(match[4])
    if day is None:
        return None
    return Reach(int(match[2]), int(match[3]), day, match[5], int(match[6]), match[1])


@dataclass(frozen=True)
class ReportAsk:
    district_id: int  # 0: all districts (admins)
    period: str  # 'm202612' or 'y2026'
    form: str  # t (message), c (CSV), p (picture)


def report(district_id: int, period: str, form: str) -> str:
    return f"dp:{district_id}:{period}:{form}"


def decode_report(data: str) -> ReportAsk | None:
    match = REPORT.fullmatch(data)
    return ReportAsk(int(match[1]), match[2], match[3]) if match else None


@dataclass(frozen=True)
class SessionAsk:
    """A press on a coordinator's session screens: what, which session, and a value."""

    action: str
    session_id: int
    value: str = ""


def session(action: str, session_id: int, value: str = "") -> str:
    return f"ds:{action}:{session_id}:{value}" if value else f"ds:{action}:{session_id}"


def decode_session(data: str) -> SessionAsk | None:
    match = SESSION.fullmatch(data)
    if match is not None:
        return SessionAsk(match[1], int(match[2]))
    match = SESSION_SET.fullmatch(data)
    return SessionAsk(match[1], int(match[2]), match[3]) if match else None


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
        return f"ds:n:{district_id}"
    if kind is None:
        return f"ds:p:{district_id}:{place}"
    if weekday is None:
        return f"ds:k:{district_id}:{place}:{kind}"
    return f"ds:K:{district_id}:{place}:{kind}:{weekday}"


def decode_new(data: str) -> NewSession | None:
    for pattern in (CREATE, NEW_KIND, NEW_PLACE, NEW):
        match = pattern.fullmatch(data)
        if match is not None:
            groups = match.groups()
            return NewSession(
                int(groups[0]),
                int(groups[1]) if len(groups) > 1 else None,
                groups[2] if len(groups) > 2 else None,
                int(groups[3]) if len(groups) > 3 else None,
            )
    return None
