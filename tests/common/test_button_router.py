"""The button router (handlers/common/button_router.py) on patterns the bot cannot register
(overlapping ones, with and without a first word to look up): it still picks what the first of
PTB's CallbackQueryHandlers in registration order would, and it refuses a pattern twice. The
bot's own patterns are compared in tests/common/test_update_costs.py."""

from __future__ import annotations

import re
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from telegram import CallbackQuery, Update, User

from bot.i18n import translator
from bot.offline.api import OfflineBotApi
from handlers.common.button_router import ButtonRouter, Callback
from tests.fakes.callback_data import assert_routed_as_ptb, ptb_choice, ptb_handlers
from tests.fakes.telegram import ChatDriver
from tests.support.people import started

# Overlapping on purpose; in registration order. Keyed by a first word: "ax", "menu";
# "vck" (the whole data); without one: the alternatives, the IGNORECASE one, "q" with no ":"
# after it.
PATTERNS = (
    re.compile(r"^ax:1\Z"),
    re.compile(r"^(a|b)x:(\d)"),
    re.compile(r"^ax:(\d+)\Z"),
    re.compile(r"^menu:(\w+)\Z"),
    re.compile(r"^m", re.IGNORECASE),
    re.compile(r"^q\d"),
    re.compile(r"^q1:(x)\Z"),
    re.compile(r"^vck\Z"),
)
DATA: tuple[str, ...] = ("ax:1", "ax:12", "ax:x", "bx:2", "menu:me", "Menu:me", "mx", "q1:x")
DATA += ("q:1", "q", "", "zz", "vck", "vck\n", "vckx")


def callback_for(number: int) -> Callback:
    async def callback(update: Update, context: Any) -> None:
        context.called = number

    return callback


def pressed(data: str | None, game: str | None = None) -> Update:
    user = User(1, "Amina", is_bot=False)
    query = CallbackQuery("1", user, "1", data=data, game_short_name=game)
    return Update(1, callback_query=query)


def router() -> ButtonRouter:
    made = ButtonRouter()
    for number, pattern in enumerate(PATTERNS):
        made.add(pattern, callback_for(number))
    return made


def test_overlapping_routes_are_taken_in_registration_order_as_ptb_does() -> None:
    buttons = router()
    ptb = ptb_handlers(buttons)
    chosen = {}
    for data in DATA:
        update = pressed(data)
        choice = ptb_choice(ptb, update)
        assert_routed_as_ptb(choice, buttons.check_update(update))
        if choice is not None and choice[1] is not True:
            chosen[data] = PATTERNS.index(choice[0].pattern)
    # A keyed route before an unkeyed one and the other way round ("ax:1", "q1:x"); the flag
    # is honoured; no data at all goes to no route (in PTB, to the first).
    assert chosen == {
        "ax:1": 0,
        "ax:12": 1,
        "bx:2": 1,
        "menu:me": 3,
        "Menu:me": 4,
        "mx": 4,
        "q1:x": 5,
        "vck": 7,
    }


def test_a_game_and_a_message_are_not_routed() -> None:
    buttons = router()
    assert buttons.check_update(pressed(None, game="chess")) is False
    assert buttons.check_update(pressed(None)) is False  # forged: no button lacks data
    assert buttons.check_update(pressed("")) is False
    assert buttons.check_update(Update(2)) is None
    assert buttons.check_update("not an update") is None


async def test_the_route_gets_the_match_as_context_matches() -> None:
    buttons = router()
    update = pressed("menu:me")
    check = buttons.check_update(update)
    context: Any = SimpleNamespace(matches=None, called=None)
    await buttons.handle_update(update, None, check, context)  # type: ignore[arg-type]
    assert context.called == 3 and context.matches[0].groups() == ("me",)


def test_a_pattern_registered_twice_is_refused() -> None:
    buttons = router()
    with pytest.raises(ValueError, match="registered twice"):
        buttons.add(re.compile(r"^menu:(\w+)\Z"), callback_for(9))
    buttons.add(re.compile(r"^menu:(\w+)\Z", re.IGNORECASE), callback_for(9))  # another pattern


async def test_a_forged_press_without_data_is_told_the_button_no_longer_works(
    chat: Callable[..., ChatDriver], api: OfflineBotApi
) -> None:
    woman = await started(chat(7301, "Sahra", "so"), "so")
    before = list(woman.texts())
    update = api.press(woman.user, woman.chat_id, woman.last_with_buttons()["message_id"], "x")
    del update["callback_query"]["data"]
    await woman.app.process_update(Update.de_json(update, woman.app.bot))
    expired = translator("so")._("This button has expired. Send {command} to start again.")
    assert woman.toasts()[-1].startswith(expired.split("{")[0])
    assert woman.texts() == before  # nothing sent, nothing changed, no "sorry"
