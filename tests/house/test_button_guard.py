"""Button presses from group chats: every callback pattern the Application registers is pressed
from a group chat, and only the ones meant for groups do anything there (handlers/common/guard.py).

The patterns are read from the Application itself, so a button added later by any feature is
covered without touching this test.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from telegram import Update

from bot.app import BotApplication
from bot.offline.api import OfflineBotApi
from bot.offline.state import JSON
from handlers.common import menu
from handlers.common.context import Services
from handlers.common.guard import GROUP_BUTTONS
from handlers.common.help_flow import CLEAR
from handlers.help.codecs import TOPIC
from handlers.people.codecs import LINK
from tests.fakes.callback_data import examples, registered_patterns
from tests.support.people import ADMIN_ID, make_member

GROUP_ID = -4101
REFUSAL = "🔒 This button works only in your private chat with me."
EXPIRED = "This button has expired. Send /menu to start again."


def dump(db_path: Path) -> list[str]:
    with sqlite3.connect(db_path) as conn:
        return list(conn.iterdump())


async def test_every_registered_button_pressed_in_a_group_is_refused_and_changes_nothing(
    app: BotApplication, api: OfflineBotApi, services: Services, db_path: Path
) -> None:
    # The one pressing has every right there is: central admin, coordinator of the district.
    await make_member(services, ADMIN_ID, "coordinator", "Alna")
    admin = api.user(ADMIN_ID, "Kari")
    api.set_member_status(GROUP_ID, admin, "creator")
    group = api.group_chat(GROUP_ID, "Alna mødre")
    await process(app, api.send_text(admin, "/menu"))  # her last-seen is fresh: no write later
    for number in range(3):
        await app.bot.send_message(GROUP_ID, f"message {number} of the group")
    message_id = int(api.bot_messages_in(GROUP_ID)[-1]["message_id"])

    patterns = registered_patterns(app)
    assert None in patterns, "the catch-all for stale buttons is registered"
    presses = sorted(
        {data for p in patterns if p is not None for data in examples(p)} | {"zzz", CLEAR.encode()}
    )
    private_only = [d for d in presses if not any(g.match(d) for g in GROUP_BUTTONS)]
    assert len(private_only) > 100 and "hlp:t:violence" in private_only
    before, calls_before = dump(db_path), len(api.calls)
    for data in private_only:
        await process(app, api.press(admin, GROUP_ID, message_id, data))
    await services_settle(app)

    calls = api.calls[calls_before:]
    assert {c.method for c in calls} == {"answerCallbackQuery"}, "nothing posted, edited, deleted"
    assert [c.params.get("text") for c in calls] == [REFUSAL] * len(private_only)
    assert len(api.bot_messages_in(GROUP_ID)) == 3
    assert dump(db_path) == before, "no view counted, nothing stored"
    assert group["id"] == GROUP_ID


async def test_the_group_buttons_still_work_in_a_group(
    app: BotApplication, api: OfflineBotApi, services: Services
) -> None:
    alna_id = await make_member(services, 2001, "coordinator", "Alna")
    await make_member(services, 2001, "coordinator", "Grorud")
    kari = api.user(2001, "Kari")
    api.group_chat(GROUP_ID, "Alna mødre")
    api.set_member_status(GROUP_ID, kari, "administrator")
    await process(app, api.send_text(kari, "/link", chat=api.chats[GROUP_ID]))
    picker = api.bot_messages_in(GROUP_ID)[-1]
    await process(app, api.press(kari, GROUP_ID, picker["message_id"], LINK.encode(alna_id)))
    assert api.bot_messages_in(GROUP_ID)[-1]["text"].startswith("✅")


async def test_the_same_buttons_in_her_private_chat_pass_the_guard(
    app: BotApplication, api: OfflineBotApi
) -> None:
    amina = api.user(1001, "Amina", "en")
    await process(app, api.send_text(amina, "/info"))
    guide = api.bot_messages_in(1001)[-1]
    await process(app, api.press(amina, 1001, guide["message_id"], TOPIC.encode("violence")))
    assert any("112" in m.get("text", "") for m in api.bot_messages_in(1001))
    assert REFUSAL not in [c.params.get("text") for c in api.calls_to("answerCallbackQuery")]


async def test_a_press_on_a_message_the_bot_cannot_see_says_the_button_expired(
    app: BotApplication, api: OfflineBotApi
) -> None:
    amina = api.user(1001, "Amina", "en")
    await process(app, api.send_text(amina, "/start"))
    await process(app, api.press_unseen(amina, CLEAR.encode()))  # an inline message
    await process(app, api.press_unseen(amina, menu.HELP.encode(), message_id=1))  # inaccessible
    answers = [c.params.get("text") for c in api.calls_to("answerCallbackQuery")]
    assert answers[-2:] == [EXPIRED, EXPIRED]
    assert not api.calls_to("deleteMessages") and not api.calls_to("deleteMessage")


async def process(app: BotApplication, update: JSON) -> None:
    await app.process_update(Update.de_json(update, app.bot))


async def services_settle(app: BotApplication) -> None:
    """Background tasks a handler may have started (none should have been) get their turn."""
    await app.update_queue.join()
