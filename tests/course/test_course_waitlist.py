"""The waiting list as a pure state machine, driven by hypothesis with a clock from outside."""

from __future__ import annotations

import ast
import inspect
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.course import waitlist
from bot.course.waitlist import Result, WaitingList, accept, admit, decline, leave, move, skip, tick

T0 = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)
WOMEN = st.integers(min_value=1, max_value=12)
ACTIONS = st.lists(
    st.tuples(
        st.sampled_from(["admit", "accept", "decline", "leave", "up", "down", "skip", "tick"]),
        WOMEN,
        st.integers(min_value=0, max_value=30),  # hours that pass before the action
    ),
    max_size=60,
)


def _apply(state: WaitingList, action: str, who: int, now: datetime) -> waitlist.Step:
    if action == "admit":
        return admit(state, who, now)
    if action == "accept":
        return accept(state, who, now)
    if action == "decline":
        return decline(state, who, now)
    if action == "leave":
        return leave(state, who, now)
    if action in ("up", "down"):
        return move(state, who, -1 if action == "up" else 1, now)
    if action == "skip":
        return skip(state, who, now)
    return tick(state, now)


@settings(max_examples=400)
@given(capacity=st.integers(min_value=1, max_value=5), actions=ACTIONS)
def test_capacity_people_order_and_lapsed_offers(
    capacity: int, actions: list[tuple[str, int, int]]
) -> None:
    state = WaitingList(capacity)
    now = T0
    present: set[int] = set()  # who should be on the books, by what the steps reported
    joined: dict[int, int] = {}  # when each woman last joined (admitted or put on the list)
    reordered = False
    for action, who, hours in actions:
        now += timedelta(hours=hours)
        step = _apply(state, action, who, now)
        state = step.state
        present -= set(step.lapsed)  # lapsed first: the action itself comes after the tick
        if step.result in (Result.ADMITTED, Result.WAITING):
            present.add(who)
            joined[who] = len(joined) + 1 + max(joined.values(), default=0)
        if step.result in (Result.LEFT, Result.DECLINED):
            present.discard(who)
        if action in ("up", "down", "skip") and step.result is Result.MOVED:
            reordered = True
        everyone = state.everyone()
        # Capacity is never exceeded, open offers included.
        assert state.taken <= state.capacity
        # Nobody lost, nobody counted twice.
        assert len(everyone) == len(set(everyone))
        assert set(everyone) == present
        # No offer is open past its window, and a free place never waits while someone waits.
        assert all(offer.expires > now for offer in state.offers)
        assert state.free == 0 or not state.waiting
        # Without a coordinator's move the list keeps the order women joined in.
        if not reordered:
            assert list(state.waiting) == sorted(state.waiting, key=joined.__getitem__)


@given(capacity=st.integers(min_value=1, max_value=4), extra=st.integers(min_value=1, max_value=4))
def test_an_expired_offer_always_moves_on(capacity: int, extra: int) -> None:
    state = WaitingList(capacity)
    for who in range(1, capacity + extra + 1):
        state = admit(state, who, T0).state
    state = leave(state, 1, T0).state  # a place frees: the first waiting woman is offered it
    offered = state.offers[0]
    assert offered.who == capacity + 1 and offered.expires == T0 + waitlist.CLAIM_WINDOW
    late = tick(state, offered.expires)
    assert late.lapsed == (offered.who,)
    assert offered.who not in late.state.everyone()
    if extra > 1:
        assert late.offered[0].who == capacity + 2
    assert accept(state, offered.who, offered.expires).result is Result.TOO_LATE


def test_accept_just_in_time_and_only_once() -> None:
    state = admit(admit(WaitingList(1), 1, T0).state, 2, T0).state
    state = leave(state, 1, T0).state
    step = accept(state, 2, T0 + waitlist.CLAIM_WINDOW - timedelta(seconds=1))
    assert step.result is Result.ACCEPTED and step.state.admitted == (2,)
    assert accept(step.state, 2, T0).result is Result.ALREADY


def test_skip_passes_an_offer_to_the_next_and_keeps_her_first() -> None:
    state = WaitingList(1)
    for who in (1, 2, 3):
        state = admit(state, who, T0).state
    state = leave(state, 1, T0).state
    assert state.offers[0].who == 2
    step = skip(state, 2, T0)
    assert step.state.offers[0].who == 3 and step.state.waiting == (2,)
    assert [o.who for o in step.offered] == [3]


def test_the_clock_only_comes_from_outside() -> None:
    tree = ast.parse(inspect.getsource(waitlist))
    calls = {
        node.func.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
    }
    assert not calls & {"now", "utcnow", "today", "time", "monotonic"}
    # Same state, same time, same answer.
    state = admit(WaitingList(1), 1, T0).state
    assert admit(state, 2, T0) == admit(state, 2, T0)
