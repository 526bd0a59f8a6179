"""What makes each update cheaper keeps the bot's behaviour (issue 13.3; the figures are in
benchmarks/updates.py): the menu built once per role and language is built again when a
reviewer's wording goes live, a keyboard echoed by Telegram is not parsed again but the Message
is the same, and the faster button check answers as python-telegram-bot's own."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import babel.localedata
import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import CallbackQueryHandler

from bot.app import BotApplication
from bot.i18n import LOCALE_CODES, load_formats, set_live_wordings, translator
from bot.identity import Identity, Role
from bot.offline.api import OfflineBotApi
from bot.offline.state import JSON
from handlers.common.button_router import ButtonRouter, literal_prefix
from handlers.common.language import LANGUAGE
from handlers.common.menu import menu_keyboard
from handlers.common.render import FrozenKeyboard, button, keyboard_dict
from tests.fakes.callback_data import assert_routed_as_ptb, examples, ptb_choice, ptb_handlers
from tests.fakes.telegram import ChatDriver, buttons_of
from tests.support.people import started

HELP = "Help"
NEW_HELP = "Taageero degdeg ah"


@pytest.fixture(autouse=True)
def no_live_wordings_leak() -> Iterator[None]:
    """Approved wordings live in a process-wide cache: leave none behind for other tests."""
    yield
    set_live_wordings({})


async def test_the_kept_menu_takes_a_wording_approved_while_the_bot_runs(
    chat: Callable[..., ChatDriver],
) -> None:
    woman = chat(7001, "Sahra", "so")
    await woman.send("/menu")
    old = translator("so")._(HELP)
    assert "❓ " + old in [b["text"] for b in buttons_of(woman.last())]

    # What bot/review/flow.py does once a second reviewer approves a wording.
    set_live_wordings({"so": {HELP: (NEW_HELP,)}})
    await woman.send("/menu")
    labels = [b["text"] for b in buttons_of(woman.last())]
    assert "❓ " + NEW_HELP in labels and "❓ " + old not in labels

    set_live_wordings({})
    await woman.send("/menu")
    assert "❓ " + old in [b["text"] for b in buttons_of(woman.last())]


async def test_her_command_menu_takes_a_wording_approved_while_the_bot_runs(
    chat: Callable[..., ChatDriver], api: OfflineBotApi
) -> None:
    def sent_menu() -> list[str]:
        commands = api.calls_to("setMyCommands")[-1].params["commands"]
        return [str(c["description"]) for c in commands]

    woman = await started(chat(7005, "Sahra", "so"), "so")
    old = translator("so")._("Show the menu")
    assert old in sent_menu()
    set_live_wordings({"so": {"Show the menu": ("Liiska muuji hadda",)}})
    await woman.send("/language")
    await woman.press(LANGUAGE.encode("so"))
    assert "Liiska muuji hadda" in sent_menu() and old not in sent_menu()


def test_one_menu_object_serves_a_role_in_a_language() -> None:
    so, nb = translator("so"), translator("nb")
    mother = Identity(1, "so", True, Role.MOTHER, ())
    other_mother = Identity(2, "so", True, Role.MOTHER, ())
    coordinator = Identity(3, "so", True, Role.COORDINATOR, ())
    kept = menu_keyboard(mother, so)
    assert menu_keyboard(other_mother, so) is kept
    assert menu_keyboard(coordinator, so) is not kept
    assert menu_keyboard(mother, nb) is not kept
    assert menu_keyboard(coordinator, so) != kept  # coordinators see more


def test_a_frozen_keyboard_sends_what_ptb_would_send() -> None:
    rows = [[InlineKeyboardButton("❓ Help", callback_data="menu:help")]]
    frozen, plain = FrozenKeyboard(rows), InlineKeyboardMarkup(rows)
    assert frozen.to_dict() == plain.to_dict() == frozen.sent
    assert frozen == plain and plain == frozen
    frozen.to_dict()["inline_keyboard"].clear()  # a caller's copy, not the kept form
    assert frozen.to_dict() == plain.to_dict()


async def test_an_echoed_keyboard_is_not_parsed_again_and_the_message_is_the_same(
    app: BotApplication, api: OfflineBotApi
) -> None:
    user = api.user(7002, "Amina", "en")
    api.private_chat(user)
    keyboard = menu_keyboard(Identity(7002, "en", True, Role.MOTHER, ()), translator("en"))
    sent = await app.bot.send_message(7002, "What would you like to do?", reply_markup=keyboard)
    assert sent.reply_markup is keyboard  # taken as sent, not parsed from the answer
    parsed = Message.de_json(api.bot_messages_in(7002)[-1], app.bot)
    assert sent.to_dict() == parsed.to_dict()

    plain = InlineKeyboardMarkup([[InlineKeyboardButton("❓ Help", callback_data="menu:help")]])
    edited = await app.bot.edit_message_text(
        "Edited", chat_id=7002, message_id=sent.message_id, reply_markup=plain
    )
    assert isinstance(edited, Message) and edited.reply_markup == plain
    assert edited.to_dict() == Message.de_json(api.bot_messages_in(7002)[-1], app.bot).to_dict()


async def test_an_answer_with_another_keyboard_is_parsed_as_ptb_does(
    app: BotApplication, api: OfflineBotApi
) -> None:
    user = api.user(7003, "Amina", "en")
    api.private_chat(user)

    def other_buttons(method: str, params: JSON) -> tuple[int, JSON] | None:
        if method != "sendMessage":
            return None
        api.fault = None
        status, body = api.call(method, params)
        body["result"]["reply_markup"] = {
            "inline_keyboard": [[{"text": "changed", "callback_data": "menu:me"}]]
        }
        api.fault = other_buttons
        return status, body

    api.fault = other_buttons
    rows = [[InlineKeyboardButton("❓ Help", callback_data="menu:help")]]
    sent = await app.bot.send_message(7003, "Hello", reply_markup=InlineKeyboardMarkup(rows))
    api.fault = None
    assert sent.reply_markup is not None
    assert sent.reply_markup.inline_keyboard[0][0].text == "changed"


@pytest.mark.parametrize(
    ("pattern", "prefix"),
    [
        (r"^rsvp:(\d{1,12}):([ynm])$", "rsvp:"),
        (r"^menu:me$", "menu:me"),
        (r"^lang:(nb|en)$", "lang:"),
        (r"^(mmv|madd)(ok|x)?:", ""),
        (r"^ab?c", "a"),
        (r"^ab*", "a"),
        (r"^ab{2}", "a"),
        (r"^menu:a|^menu:b", ""),
        (r"^x[|]y", "x"),
        (r"^hlp\:t", "hlp"),
        (r"(?i)^menu", ""),
        (r"^[ab]c", ""),
        (r"menu:", "menu:"),
    ],
)
def test_the_literal_start_of_a_pattern(pattern: str, prefix: str) -> None:
    assert literal_prefix(pattern) == prefix
    for data in ("menu:a", "menu:b", "menu:me", "rsvp:1:y", "ac", "abc", "abbc", "x|y", "hlp:t"):
        if re.match(pattern, data):
            assert data.startswith(prefix), (pattern, data)


def test_the_button_router_answers_as_ptbs_own_handlers_in_registration_order(
    app: BotApplication, api: OfflineBotApi
) -> None:
    """For every registered pattern's data, and forged or near-miss data, the router picks the
    route that the first of PTB's CallbackQueryHandlers, one per route in the same order, would
    pick, with the same match."""
    routers = [h for group in app.handlers.values() for h in group if isinstance(h, ButtonRouter)]
    unchecked = [
        h
        for group in app.handlers.values()
        for h in group
        if type(h) is CallbackQueryHandler and h.pattern is not None
    ]
    assert len(routers) == 1 and unchecked == []  # every pattern is a route of the one router
    router = routers[0]
    assert len(router.routes) > 100
    ptb = ptb_handlers(router)
    data = {d for r in router.routes for d in examples(r.pattern)}
    data |= {d[:-1] for d in data} | {d + "x" for d in data} | {d + "\n" for d in data}
    data |= {"x" + d for d in data} | {"", "x", ":", "menu", "hlp:", "hlp:t:", "zzz"}
    user = api.user(7004, "Amina", "en")
    api.private_chat(user)
    api.send_text(user, "hi")
    presses = [api.press(user, 7004, 1, d) for d in sorted(data)]
    game, no_data = api.press(user, 7004, 1, "x"), api.press(user, 7004, 1, "x")
    game["callback_query"]["game_short_name"] = "chess"
    del game["callback_query"]["data"], no_data["callback_query"]["data"]
    matched = set()
    for update in [Update.de_json(u, app.bot) for u in [*presses, game, no_data]]:
        choice = ptb_choice(ptb, update)
        assert_routed_as_ptb(choice, router.check_update(update))
        if choice is not None and isinstance(choice[1], re.Match):
            matched.add(choice[0])
    assert matched == set(router.routes)  # each matched its own examples, at least
    message = Update.de_json(api.send_text(user, "hello"), app.bot)
    assert router.check_update(message) is None


def test_a_keyboard_of_the_bots_buttons_is_sent_as_ptb_would_send_it() -> None:
    """The direct form of a keyboard (handlers.common.render.keyboard_dict) is what PTB's own
    to_dict gives, and any keyboard it does not know is left to PTB."""
    ours = InlineKeyboardMarkup(
        [[button("🧭", "Topics", "hlp:topics"), button("🧹", "Clear", "hlp:clear")], []]
    )
    assert keyboard_dict(ours) == InlineKeyboardMarkup.to_dict(ours)
    assert FrozenKeyboard(ours.inline_keyboard).to_dict() == InlineKeyboardMarkup.to_dict(ours)
    assert button("🧭", "Topics", "hlp:topics") is button("🧭", "Topics", "hlp:topics")
    others = [
        InlineKeyboardMarkup([[InlineKeyboardButton("a", url="https://example.org")]]),
        InlineKeyboardMarkup([[InlineKeyboardButton("a", callback_data="x", pay=True)]]),
        InlineKeyboardMarkup([[InlineKeyboardButton("a", callback_data="x")]], api_kwargs={"k": 1}),
        InlineKeyboardMarkup([]),
    ]
    for other in others:
        assert keyboard_dict(other) is None
        assert (
            FrozenKeyboard(other.inline_keyboard, api_kwargs=dict(other.api_kwargs)).to_dict()
            == other.to_dict()
        )
    with pytest.raises(ValueError, match="callback data too long"):
        button("🧭", "Too long", "x" * 65)


def test_every_languages_date_formats_are_loaded_at_start() -> None:
    """After start-up's load_formats (bot.application.settle_heap), formatting a date in any
    shipped language reads no more of Babel's data files (an update used to wait for that)."""
    load_formats()
    loaded = set(babel.localedata._cache)
    moment = datetime(2026, 12, 8, 18, tzinfo=UTC)
    oslo = ZoneInfo("Europe/Oslo")
    for code in LOCALE_CODES:
        t = translator(code)
        assert t.format_datetime(moment, oslo)
        assert t.format_day(moment, oslo)
        assert t.format_short(moment, oslo)
        assert t.format_weekday_name(moment.date())
    assert set(babel.localedata._cache) == loaded
