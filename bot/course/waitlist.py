"""Admission and the waiting list of one cohort, as a pure state machine.

A cohort has a capacity. A woman admitted while there is room is in; beyond it she waits, in
order. A place that frees is offered to the first woman waiting, for a claim window (48 hours by
default, real time); she accepts (she is in), declines, or lets it lapse, and either way the
place goes to the next. An offer counts against the capacity while it is open, so however many
women press "accept" at the same moment, the capacity is never exceeded.

Every function takes the state and `now` and returns a new state and what happened: nothing here
reads a clock, touches the database or talks to Telegram (the tests drive it with hypothesis).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum

CLAIM_WINDOW = timedelta(hours=48)
MIN_CAPACITY = 1
MAX_CAPACITY = 200


@dataclass(frozen=True)
class Offer:
    who: int
    expires: datetime


@dataclass(frozen=True)
class WaitingList:
    capacity: int
    admitted: tuple[int, ...] = ()
    offers: tuple[Offer, ...] = ()
    waiting: tuple[int, ...] = ()
    window: timedelta = CLAIM_WINDOW

    @property
    def taken(self) -> int:
        """Places taken: admitted women, and offers still open."""
        return len(self.admitted) + len(self.offers)

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.taken)

    def offer_of(self, who: int) -> Offer | None:
        return next((offer for offer in self.offers if offer.who == who), None)

    def everyone(self) -> tuple[int, ...]:
        return self.admitted + tuple(o.who for o in self.offers) + self.waiting

    def position(self, who: int) -> int | None:
        """Her place on the waiting list, counted from 1; None if she is not waiting."""
        return self.waiting.index(who) + 1 if who in self.waiting else None


class Result(StrEnum):
    ADMITTED = "admitted"
    WAITING = "waiting"
    ALREADY = "already"  # she has a place, an offer or a turn already
    ACCEPTED = "accepted"
    TOO_LATE = "too_late"  # her offer lapsed (or she never had one)
    DECLINED = "declined"
    LEFT = "left"
    NOT_THERE = "not_there"
    MOVED = "moved"
    CANNOT = "cannot"  # a move past either end, a skip with nobody to skip to
    CAPACITY_SET = "capacity_set"
    CAPACITY_TOO_SMALL = "capacity_too_small"


@dataclass(frozen=True)
class Step:
    """A new state, the answer for whoever acted, and who must be told what."""

    state: WaitingList
    result: Result
    offered: tuple[Offer, ...] = ()  # new offers: each woman gets accept / decline buttons
    lapsed: tuple[int, ...] = field(default=())  # offers that ran out: passed on


def fill(state: WaitingList, now: datetime) -> tuple[WaitingList, tuple[Offer, ...]]:
    """Offer every free place to the first women waiting, in order."""
    offers = list(state.offers)
    waiting = list(state.waiting)
    new: list[Offer] = []
    while waiting and len(state.admitted) + len(offers) < state.capacity:
        offer = Offer(waiting.pop(0), now + state.window)
        offers.append(offer)
        new.append(offer)
    return replace(state, offers=tuple(offers), waiting=tuple(waiting)), tuple(new)


def tick(state: WaitingList, now: datetime) -> Step:
    """Let offers whose window has closed lapse, and pass their places on."""
    lapsed = tuple(o.who for o in state.offers if o.expires <= now)
    kept = tuple(o for o in state.offers if o.expires > now)
    filled, offered = fill(replace(state, offers=kept), now)
    return Step(filled, Result.MOVED if lapsed else Result.NOT_THERE, offered, lapsed)


def _then(step: Step, state: WaitingList, result: Result, now: datetime) -> Step:
    filled, offered = fill(state, now)
    return Step(filled, result, step.offered + offered, step.lapsed)


def admit(state: WaitingList, who: int, now: datetime) -> Step:
    """A coordinator admits her: in if there is room, otherwise last on the waiting list."""
    step = tick(state, now)
    state = step.state
    if who in state.everyone():
        return replace(step, result=Result.ALREADY)
    if state.free > 0:  # after `fill`, room means nobody is waiting
        return _then(step, replace(state, admitted=(*state.admitted, who)), Result.ADMITTED, now)
    return _then(step, replace(state, waiting=(*state.waiting, who)), Result.WAITING, now)


def accept(state: WaitingList, who: int, now: datetime) -> Step:
    """She accepts her offer, if it is still open at `now`."""
    step = tick(state, now)
    state = step.state
    offer = state.offer_of(who)
    if offer is None:
        return replace(step, result=Result.ALREADY if who in state.admitted else Result.TOO_LATE)
    state = replace(
        state,
        offers=tuple(o for o in state.offers if o.who != who),
        admitted=(*state.admitted, who),
    )
    return _then(step, state, Result.ACCEPTED, now)


def leave(state: WaitingList, who: int, now: datetime, result: Result = Result.LEFT) -> Step:
    """She withdraws, declines her offer or is taken off the list: her place passes on."""
    step = tick(state, now)
    state = step.state
    if who not in state.everyone():
        return replace(step, result=Result.NOT_THERE)
    state = replace(
        state,
        admitted=tuple(w for w in state.admitted if w != who),
        offers=tuple(o for o in state.offers if o.who != who),
        waiting=tuple(w for w in state.waiting if w != who),
    )
    return _then(step, state, result, now)


def decline(state: WaitingList, who: int, now: datetime) -> Step:
    """She says no to her offer: it passes to the next woman."""
    step = tick(state, now)
    if step.state.offer_of(who) is None:
        return replace(step, result=Result.TOO_LATE)
    return leave(state, who, now, Result.DECLINED)


def move(state: WaitingList, who: int, places: int, now: datetime) -> Step:
    """The coordinator moves a waiting woman up (negative) or down (positive) the list."""
    step = tick(state, now)
    state = step.state
    if who not in state.waiting:
        return replace(step, result=Result.NOT_THERE)
    waiting = list(state.waiting)
    index = waiting.index(who)
    target = index + places
    if places == 0 or not 0 <= target < len(waiting):
        return replace(step, result=Result.CANNOT)
    waiting.insert(target, waiting.pop(index))
    return _then(step, replace(state, waiting=tuple(waiting)), Result.MOVED, now)


def skip(state: WaitingList, who: int, now: datetime) -> Step:
    """The coordinator lets the next woman go first: an open offer passes to her, and the
    skipped woman becomes first on the list; a waiting woman swaps with the one behind her."""
    step = tick(state, now)
    state = step.state
    if state.offer_of(who) is None:
        if who not in state.waiting:
            return replace(step, result=Result.NOT_THERE)
        moved = move(state, who, 1, now)
        return replace(moved, offered=step.offered + moved.offered, lapsed=step.lapsed)
    if not state.waiting:
        return replace(step, result=Result.CANNOT)
    without = replace(state, offers=tuple(o for o in state.offers if o.who != who))
    filled, offered = fill(without, now)
    filled = replace(filled, waiting=(who, *filled.waiting))
    return Step(filled, Result.MOVED, step.offered + offered, step.lapsed)


def set_capacity(state: WaitingList, capacity: int, now: datetime) -> Step:
    """Change the capacity; never below the places already taken or offered."""
    step = tick(state, now)
    state = step.state
    if not MIN_CAPACITY <= capacity <= MAX_CAPACITY or capacity < state.taken:
        return replace(step, result=Result.CAPACITY_TOO_SMALL)
    return _then(step, replace(state, capacity=capacity), Result.CAPACITY_SET, now)
