"""Hostile input through the real Application: thousands of generated updates (every script,
HTML and markdown fragments, overlong text, forged button data, unknown chats, edited messages,
member changes). Nothing may raise past the error handler, every request the bot makes must pass
the Bot API specification check, and nobody's rights may change."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from telegram import Update

from bot.app import BotApplication
from bot.offline.api import OfflineBotApi
from bot.offline.state import JSON
from handlers.common.context import Services
from storage import Database
from tests.support.people import make_member

MOTHERS = (8101, 8102)
STRANGERS = (8201, 8202, 8203)
PEOPLE = MOTHERS + STRANGERS
UNKNOWN_GROUP = -8300
PREFIXES = (
    "lang:",
    "menu:",
    "hlp:",
    "hlp:t:",
    "hlp:clear:",
    "hlang:",
    "inv:",
    "join:",
    "mem:",
    "mcard:",
    "mrm:",
    "mrmok:",
    "mrole:",
    "ph:",
    "phok:",
    "mtg:",
    "rsvp:",
    "ics:",
    "mans:",
    "rsvd:",
    "mcan:",
    "mcanok:",
    "mmv:",
    "madd:",
    "mnote:",
    "bc:",
    "bch:",
    "link:",
    "req:done:",
    "vc:",
    "vcd:",
    "vck",
    "hlp:d:",
    "hlp:c:",
    "hlp:ok",
    "hlp:no",
)  # fmt: skip  (every feature's buttons but /forget's: forgetting herself is her right)

FRAGMENTS = st.sampled_from([
    "<b>", "</i>", "<a href='tg://user?id=1'>x</a>", "&amp;", "&", "<", "*bold*", "_x_",
    "`code`", "[link](http://x)", "\u2068", "\u202e", "\u200f", "🧕🏽", "ﷺ", "\x00", "/start",
    "/menu@BydelsmodreDemoBot", "/help x", "/info", "/broadcast", "/members", "/link",
    "/language", "/mydata", "/cancel", "/me", "+47 912 34 567",
])  # fmt: skip
TEXT = st.one_of(
    st.text(max_size=60),
    st.lists(st.one_of(FRAGMENTS, st.text(max_size=8)), max_size=8).map("".join),
    st.integers(4000, 5000).map(lambda n: "ش" * n),  # overlong
).filter(lambda text: "forget" not in text)
DATA = st.one_of(
    st.tuples(st.sampled_from(PREFIXES), st.text("0123456789:abcyn.-", max_size=20)).map("".join),
    st.text(max_size=30),
).filter(lambda data: 0 < len(data.encode()) <= 64 and "forget" not in data)


@st.composite
def actions(draw: Any) -> tuple[str, int, str]:
    kind = draw(st.sampled_from(["text", "text", "press", "press", "edit", "group", "member"]))
    return kind, draw(st.sampled_from(PEOPLE)), draw(DATA if kind == "press" else TEXT)


def make_update(api: OfflineBotApi, kind: str, who: int, value: str) -> JSON | None:
    user = api.user(who, f"W{who}", "en")
    if kind == "text":
        return api.send_text(user, value)
    if kind == "group":
        return api.send_text(user, value or ".", chat=api.chats[UNKNOWN_GROUP])
    if kind == "member":
        return api.private_bot_status(user, "kicked" if len(value) % 2 else "member")
    messages = api.bot_messages_in(who)
    if not messages:
        return api.send_text(user, "/start")
    if kind == "press":
        return api.press(user, who, int(messages[-1]["message_id"]), value)
    update = api.send_text(user, value or ".")
    update["edited_message"] = {**update.pop("message"), "edit_date": 1}
    return update


async def rights(db: Database) -> list[tuple[Any, ...]]:
    rows = await db.fetch_all(
        "SELECT telegram_id, district_id, role FROM memberships ORDER BY 1, 2"
    )
    admins = await db.fetch_all("SELECT telegram_id FROM admins ORDER BY 1")
    return [tuple(r) for r in rows] + [("admin", r[0]) for r in admins]


@pytest.fixture
async def fuzzed(app: BotApplication, api: OfflineBotApi, services: Services) -> BotApplication:
    for mother in MOTHERS:
        await make_member(services, mother, "mother")
    api.group_chat(UNKNOWN_GROUP, "Not ours")
    return app


@settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(actions(), min_size=1, max_size=12))
async def test_hostile_updates_raise_nothing_break_no_rule_and_change_no_rights(
    fuzzed: BotApplication,
    api: OfflineBotApi,
    services: Services,
    db_path: Path,
    caplog: pytest.LogCaptureFixture,
    steps: list[tuple[str, int, str]],
) -> None:
    before = await rights(services.db)
    caplog.clear()
    with caplog.at_level(logging.ERROR):
        for kind, who, value in steps:
            update = make_update(api, kind, who, value)
            if update is not None:
                await fuzzed.process_update(Update.de_json(update, fuzzed.bot))
    assert api.violations == [], "the bot made calls Telegram would refuse"
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [], "a handler failed"
    assert await rights(services.db) == before
