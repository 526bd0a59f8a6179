"""The district's group chat: /link and /unlink in a group, the bot added or removed, migrations
to a supergroup and title changes, through the real Application and the checked fake Bot API."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from telegram import Update

from bot.app import BotApplication
from bot.i18n import LANGUAGES, translator
from bot.offline.api import OfflineBotApi
from bot.offline.state import JSON
from handlers.common.context import Services
from handlers.people.codecs import LINK
from storage import Database
from storage.districts import get_district, upsert_district
from storage.group_chats import (
    district_for_chat,
    link_chat,
    migrate_chat,
    rename_chat,
    unlink_chat_by_chat,
)
from storage.people import add_membership, save_locale
from tests.fakes.telegram import buttons_of
from tests.support.people import ADMIN_ID, make_member
from tests.telegram_spec import load_spec

GROUP_ID = -4001
SUPERGROUP_ID = -1009994001

COORDINATOR_ONLY = "Sorry, only a coordinator of this district can do that."
CHAT_ADMIN_ONLY = "Sorry, only an administrator of this group chat can do that."


@dataclass
class Group:
    """One group chat with the bot in it: people write there and press the bot's buttons."""

    app: BotApplication
    api: OfflineBotApi
    chat: JSON

    @property
    def id(self) -> int:
        return int(self.chat["id"])

    async def send(self, user: JSON, text: str) -> None:
        await self.process(self.api.send_text(user, text, chat=self.chat))

    async def press(self, user: JSON, data: str, message_id: int | None = None) -> None:
        """Press a button with this data (forged if no such button) under a bot message."""
        if message_id is None:
            message_id = int(self.api.bot_messages_in(self.id)[-1]["message_id"])
        await self.process(self.api.press(user, self.id, message_id, data))

    async def process(self, updates: JSON | Iterable[JSON]) -> None:
        for update in [updates] if isinstance(updates, dict) else updates:
            await self.app.process_update(Update.de_json(update, self.app.bot))

    async def press_label(self, user: JSON, fragment: str) -> None:
        """Press the newest button whose label contains `fragment`."""
        for message in reversed(self.api.bot_messages_in(self.id)):
            for button in buttons_of(message):
                if fragment in button["text"]:
                    await self.press(user, button["callback_data"], message["message_id"])
                    return
        raise AssertionError(f"no button labelled {fragment!r} in the group")

    def texts(self) -> list[str]:
        return [m.get("text", "") for m in self.api.bot_messages_in(self.id)]

    def last(self) -> JSON:
        return self.api.bot_messages_in(self.id)[-1]


def group(
    app: BotApplication, api: OfflineBotApi, title: str = "Alna mødre", chat_id: int = GROUP_ID
) -> Group:
    return Group(app, api, api.group_chat(chat_id, title))


def toasts(api: OfflineBotApi) -> list[str]:
    return [
        str(c.params["text"]) for c in api.calls_to("answerCallbackQuery") if "text" in c.params
    ]


async def coordinator(
    services: Services, api: OfflineBotApi, chat: Group, user_id: int, *districts: str,
    status: str = "administrator", locale: str = "en",
) -> JSON:  # fmt: skip
    """A coordinator of these districts with this status in the group chat."""
    for district in districts:
        await make_member(services, user_id, "coordinator", district, locale=locale)
    user = api.user(user_id, "Kari")
    api.set_member_status(chat.id, user, status)
    return user


async def linked_by_kari(
    app: BotApplication, api: OfflineBotApi, services: Services
) -> tuple[Group, JSON]:
    """Alna's group chat, linked by Kari (its coordinator and the chat's administrator)."""
    alna = group(app, api)
    kari = await coordinator(services, api, alna, 2001, "Alna")
    await alna.send(kari, "/link")
    return alna, kari


async def linked_district(db: Database, chat_id: int) -> str | None:
    district = await district_for_chat(db, chat_id)
    return district.name if district else None


# -- /link ------------------------------------------------------------------------------------


async def test_coordinator_who_runs_the_chat_links_it(
    app: BotApplication, api: OfflineBotApi, services: Services
) -> None:
    alna = group(app, api, title="Alna <mødre> & venner")
    kari = await coordinator(services, api, alna, 2001, "Alna")
    await alna.send(kari, "/link")

    district = await district_for_chat(services.db, alna.id)
    assert district is not None and district.name == "Alna"
    assert district.chat_title == "Alna <mødre> & venner"
    assert alna.texts() == ["✅ This chat is now the group chat of Bydelsmødre Alna."]
    reply = api.calls_to("sendMessage")[-1].params
    assert reply["reply_parameters"]["message_id"] > 0  # an answer to her, in a busy chat


async def test_district_names_are_escaped_in_the_confirmation(
    app: BotApplication, api: OfflineBotApi, services: Services
) -> None:
    chat = group(app, api)
    kari = await coordinator(services, api, chat, 2001, "Bjerke <&> Grorud")
    await chat.send(kari, "/link")
    assert chat.texts() == ["✅ This chat is now the group chat of Bydelsmødre Bjerke <&> Grorud."]


@pytest.mark.parametrize("status", ["creator", "administrator"])
async def test_the_creator_or_any_administrator_may_link(
    app: BotApplication, api: OfflineBotApi, services: Services, status: str
) -> None:
    alna = group(app, api)
    kari = await coordinator(services, api, alna, 2001, "Alna", status=status)
    await alna.send(kari, "/link")
    assert await linked_district(services.db, alna.id) == "Alna"


@pytest.mark.parametrize("status", ["member", "restricted", "left"])
async def test_coordinator_who_does_not_run_the_chat_is_refused(
    app: BotApplication, api: OfflineBotApi, services: Services, status: str
) -> None:
    alna = group(app, api)
    kari = await coordinator(services, api, alna, 2001, "Alna", status=status)
    await alna.send(kari, "/link")
    assert await linked_district(services.db, alna.id) is None
    assert alna.texts() == ["🔒 " + CHAT_ADMIN_ONLY]


async def test_refusal_is_in_the_language_of_the_woman_who_asked(
    app: BotApplication, api: OfflineBotApi, services: Services
) -> None:
    alna = group(app, api)
    kari = await coordinator(services, api, alna, 2001, "Alna", status="member", locale="so")
    await alna.send(kari, "/link")
    assert alna.texts() == ["🔒 " + translator("so")._(CHAT_ADMIN_ONLY)]


@pytest.mark.parametrize("role", [None, "participant", "mother"])
async def test_chat_admin_who_is_not_a_coordinator_is_refused(
    app: BotApplication, api: OfflineBotApi, services: Services, role: str | None
) -> None:
    alna = group(app, api)
    if role is not None:
        await make_member(services, 2002, role, "Alna")
    hawa = api.user(2002, "Hawa")
    api.set_member_status(alna.id, hawa, "creator")
    await alna.send(hawa, "/link")
    assert await linked_district(services.db, alna.id) is None
    assert alna.texts() == ["🔒 " + COORDINATOR_ONLY]
    assert api.calls_to("getChatMember") == []  # our own records answer first


async def test_link_command_for_another_bot_is_not_ours(
    app: BotApplication, api: OfflineBotApi, services: Services
) -> None:
    alna = group(app, api)
    kari = await coordinator(services, api, alna, 2001, "Alna")
    await alna.send(kari, "/link@SomeOtherBot")
    assert await linked_district(services.db, alna.id) is None
    await alna.send(kari, f"/link@{api.bot_user['username']}")
    assert await linked_district(services.db, alna.id) == "Alna"


# -- choosing among districts, and presses by others -------------------------------------------


async def test_coordinator_of_several_districts_chooses_with_buttons(
    app: BotApplication, api: OfflineBotApi, services: Services
) -> None:
    chat = group(app, api)
    kari = await coordinator(services, api, chat, 2001, "Alna", "Grorud")
    await chat.send(kari, "/link")
    assert await linked_district(services.db, chat.id) is None
    picker = chat.last()
    labels = {b["text"]: b["callback_data"] for b in buttons_of(picker)}
    assert set(labels) == {"🏘 Alna", "🏘 Grorud"}

    await chat.press(kari, labels["🏘 Grorud"], picker["message_id"])
    assert await linked_district(services.db, chat.id) == "Grorud"
    assert chat.last()["message_id"] == picker["message_id"]  # the picker became the answer
    assert chat.last()["text"] == "✅ This chat is now the group chat of Bydelsmødre Grorud."
    assert buttons_of(chat.last()) == []


async def test_a_press_by_someone_else_who_may_not_link_changes_nothing(
    app: BotApplication, api: OfflineBotApi, services: Services
) -> None:
    chat = group(app, api)
    kari = await coordinator(services, api, chat, 2001, "Alna", "Grorud")
    await chat.send(kari, "/link")
    picker = chat.last()
    grorud = next(b["callback_data"] for b in buttons_of(picker) if "Grorud" in b["text"])

    await make_member(services, 2002, "mother", "Grorud")
    hawa = api.user(2002, "Hawa", "en")  # a bydelsmor of Grorud, and even an admin of the chat
    api.set_member_status(chat.id, hawa, "administrator")
    await chat.press(hawa, grorud, picker["message_id"])
    assert toasts(api)[-1] == "🔒 " + COORDINATOR_ONLY

    lena = await coordinator(services, api, chat, 2003, "Grorud", status="member")
    await chat.press(lena, grorud, picker["message_id"])  # her district, but not her chat
    assert toasts(api)[-1] == "🔒 " + CHAT_ADMIN_ONLY

    assert await linked_district(services.db, chat.id) is None
    assert buttons_of(chat.last()) == buttons_of(picker)  # still there for Kari
    await chat.press(kari, grorud, picker["message_id"])
    assert await linked_district(services.db, chat.id) == "Grorud"


async def test_a_forged_press_for_another_district_changes_nothing(
    app: BotApplication, api: OfflineBotApi, services: Services
) -> None:
    chat = group(app, api)
    alna_id = await upsert_district(services.db, "alna", "Alna", 3)
    lena = await coordinator(services, api, chat, 2003, "Grorud")
    await chat.send(lena, "/link")
    assert await linked_district(services.db, chat.id) == "Grorud"

    await chat.press(lena, LINK.encode(alna_id))  # under the bot's confirmation
    assert toasts(api)[-1] == "🔒 " + COORDINATOR_ONLY
    for forged in ("link:99999", "link:abc", "link:", f"link:{alna_id}:x", f"link:0{alna_id}x"):
        await chat.press(lena, forged)
        assert toasts(api)[-1].startswith("This button has expired.")
    assert await linked_district(services.db, chat.id) == "Grorud"


async def test_a_link_button_pressed_in_a_private_chat_changes_nothing(
    app: BotApplication, api: OfflineBotApi, services: Services
) -> None:
    district_id = await make_member(services, 2001, "coordinator", "Alna")
    kari = api.user(2001, "Kari", "en")
    await Group(app, api, api.private_chat(kari)).send(kari, "/link")
    message_id = int(api.bot_messages_in(2001)[-1]["message_id"])
    update = api.press(kari, 2001, message_id, LINK.encode(district_id))
    await app.process_update(Update.de_json(update, app.bot))
    assert toasts(api)[-1].startswith("This button has expired.")
    assert await linked_district(services.db, 2001) is None


async def test_central_admin_may_link_any_district(
    app: BotApplication, api: OfflineBotApi, services: Services
) -> None:
    for name in ("Alna", "Grorud", "Stovner"):
        await upsert_district(services.db, name.lower(), name, 3)
    chat = group(app, api)
    admin = api.user(ADMIN_ID, "Siri", "nb")
    api.set_member_status(chat.id, admin, "creator")
    await chat.send(admin, "/link")
    labels = {b["text"]: b["callback_data"] for b in buttons_of(chat.last())}
    assert set(labels) == {"🏘 Alna", "🏘 Grorud", "🏘 Stovner"}
    await chat.press(admin, labels["🏘 Stovner"])
    assert await linked_district(services.db, chat.id) == "Stovner"


async def test_central_admin_must_also_run_the_chat(
    app: BotApplication, api: OfflineBotApi, services: Services
) -> None:
    await upsert_district(services.db, "alna", "Alna", 3)
    chat = group(app, api)
    admin = api.user(ADMIN_ID, "Siri", "en")
    await chat.send(admin, "/link")  # she wrote, so she is a plain member of the chat
    assert chat.texts() == ["🔒 " + CHAT_ADMIN_ONLY]
    assert await linked_district(services.db, chat.id) is None


# -- moving and replacing links ---------------------------------------------------------------


async def test_a_chat_of_another_district_cannot_be_taken(
    app: BotApplication, api: OfflineBotApi, services: Services
) -> None:
    chat = group(app, api)
    kari = await coordinator(services, api, chat, 2001, "Alna")
    await chat.send(kari, "/link")
    lena = await coordinator(services, api, chat, 2003, "Grorud")
    await chat.send(lena, "/link")
    assert await linked_district(services.db, chat.id) == "Alna"
    assert chat.texts()[-1] == (
        "🔒 This chat is the group chat of Bydelsmødre Alna. Only a coordinator of that district "
        "can change that."
    )


async def test_a_coordinator_of_both_districts_moves_the_chat(
    app: BotApplication, api: OfflineBotApi, services: Services
) -> None:
    chat = group(app, api)
    kari = await coordinator(services, api, chat, 2001, "Alna", "Grorud")
    await chat.send(kari, "/link")
    await chat.press_label(kari, "Alna")
    await chat.send(kari, "/link")
    await chat.press_label(kari, "Grorud")
    assert await linked_district(services.db, chat.id) == "Grorud"
    assert chat.last()["text"] == (
        "✅ This chat is now the group chat of Bydelsmødre Grorud.\n"
        "It is no longer the group chat of Bydelsmødre Alna."
    )


async def test_linking_a_second_chat_replaces_the_first(
    app: BotApplication, api: OfflineBotApi, services: Services
) -> None:
    old, new = group(app, api, "Old", -4001), group(app, api, "New", -4002)
    kari = await coordinator(services, api, old, 2001, "Alna")
    api.set_member_status(new.id, kari, "administrator")
    await old.send(kari, "/link")
    await new.send(kari, "/link")
    assert await linked_district(services.db, old.id) is None
    assert await linked_district(services.db, new.id) == "Alna"
    assert new.texts()[-1] == (
        "✅ This chat is now the group chat of Bydelsmødre Alna.\n"
        "The district's earlier group chat is no longer linked."
    )


# -- /unlink ----------------------------------------------------------------------------------


async def test_coordinator_who_runs_the_chat_unlinks_it(
    app: BotApplication, api: OfflineBotApi, services: Services
) -> None:
    alna, kari = await linked_by_kari(app, api, services)
    await alna.send(kari, "/unlink")
    assert await linked_district(services.db, alna.id) is None
    assert alna.texts()[-1] == "✅ This chat is no longer the group chat of Bydelsmødre Alna."
    await alna.send(kari, "/unlink")
    assert alna.texts()[-1] == "ℹ️ This chat is not linked to a district."


async def test_unlink_needs_the_same_two_rights(
    app: BotApplication, api: OfflineBotApi, services: Services
) -> None:
    alna, kari = await linked_by_kari(app, api, services)
    lena = await coordinator(services, api, alna, 2003, "Grorud")  # runs the chat, not Alna
    await alna.send(lena, "/unlink")
    assert alna.texts()[-1] == "🔒 " + COORDINATOR_ONLY
    api.set_member_status(alna.id, kari, "member")  # she is no longer an admin of the chat
    await alna.send(kari, "/unlink")
    assert alna.texts()[-1] == "🔒 " + CHAT_ADMIN_ONLY
    assert await linked_district(services.db, alna.id) == "Alna"


# -- the bot added and removed ----------------------------------------------------------------


@pytest.mark.parametrize("status", ["kicked", "left"])
async def test_bot_removed_from_a_linked_chat_unlinks_it(
    app: BotApplication, api: OfflineBotApi, services: Services, status: str
) -> None:
    alna, kari = await linked_by_kari(app, api, services)
    sent = len(api.calls_to("sendMessage"))
    await alna.process(api.bot_removed_from(alna.chat, kari, status))
    assert await linked_district(services.db, alna.id) is None
    assert len(api.calls_to("sendMessage")) == sent  # nobody there to tell


async def test_bot_added_to_a_group_says_how_to_link_in_the_adders_language(
    app: BotApplication, api: OfflineBotApi, services: Services
) -> None:
    await save_locale(services.db, 2005, "so")
    chat = api.group_chat(GROUP_ID, "Alna")
    api.bot_removed_from(chat, api.user(2005, "Hodan"), "left")  # the bot starts outside
    hodan = api.user(2005, "Hodan", "en")
    alna = Group(app, api, chat)
    await alna.process(api.bot_added_to(chat, hodan))
    hello = translator("so")._(
        "Hello! To make this the group chat of a district, a coordinator of the district who is "
        "also an administrator of this chat sends {command}."
    )
    assert alna.texts() == ["👋 " + hello.format(command="/link@BydelsmodreDemoBot")]
    assert await linked_district(services.db, alna.id) is None


async def test_bot_promoted_in_a_group_it_is_in_says_nothing(
    app: BotApplication, api: OfflineBotApi, services: Services
) -> None:
    alna = group(app, api)
    promoted = {
        "chat": alna.chat,
        "from": api.user(2001, "Kari"),
        "date": 1767225600,
        "old_chat_member": api.chat_member(api.bot_user, "member"),
        "new_chat_member": api.chat_member(api.bot_user, "administrator"),
    }
    await alna.process({"update_id": 1, "my_chat_member": promoted})
    assert alna.texts() == []


async def test_bot_added_to_a_channel_says_nothing(
    app: BotApplication, api: OfflineBotApi, services: Services
) -> None:
    channel = {"id": -1005550001, "type": "channel", "title": "News"}
    kari = api.user(2001, "Kari")
    updates = api.bot_added_to(channel, kari, "administrator")
    await Group(app, api, channel).process(updates[0])
    assert api.calls_to("sendMessage") == []


# -- migration to a supergroup and title changes -----------------------------------------------


@pytest.mark.parametrize(
    "order",
    [(0, 1), (1, 0), (0,), (1,)],
    ids=["old group first", "new supergroup first", "old group only", "new supergroup only"],
)
async def test_link_follows_the_group_to_its_supergroup(
    app: BotApplication, api: OfflineBotApi, services: Services, order: tuple[int, ...]
) -> None:
    alna, kari = await linked_by_kari(app, api, services)
    messages = api.migrate(alna.chat, SUPERGROUP_ID, kari)
    assert messages[0]["message"]["migrate_to_chat_id"] == SUPERGROUP_ID
    assert messages[1]["message"]["migrate_from_chat_id"] == GROUP_ID
    await alna.process([messages[i] for i in order])
    district = await district_for_chat(services.db, SUPERGROUP_ID)
    assert district is not None and district.name == "Alna" and district.chat_title == "Alna mødre"
    assert await linked_district(services.db, GROUP_ID) is None
    assert api.bot_messages_in(SUPERGROUP_ID) == []

    supergroup = Group(app, api, api.chats[SUPERGROUP_ID])  # her admin rights came along
    await supergroup.send(kari, "/unlink")
    assert supergroup.texts() == ["✅ This chat is no longer the group chat of Bydelsmødre Alna."]


async def test_migration_of_an_unlinked_group_changes_nothing(
    app: BotApplication, api: OfflineBotApi, services: Services
) -> None:
    alna = group(app, api)
    kari = api.user(2001, "Kari")
    await alna.process(api.migrate(alna.chat, SUPERGROUP_ID, kari))
    assert await district_for_chat(services.db, SUPERGROUP_ID) is None
    assert api.calls_to("sendMessage") == []


async def test_title_change_updates_the_stored_title(
    app: BotApplication, api: OfflineBotApi, services: Services
) -> None:
    alna, kari = await linked_by_kari(app, api, services)
    await alna.process(api.rename_group(alna.chat, "Bydelsmødre Alna 2026", kari))
    district = await district_for_chat(services.db, alna.id)
    assert district is not None and district.chat_title == "Bydelsmødre Alna 2026"
    assert len(alna.texts()) == 1  # the confirmation only: a rename gets no reply


# -- outside the group's business -------------------------------------------------------------


async def test_link_in_a_private_chat_says_where_it_works(
    app: BotApplication, api: OfflineBotApi, services: Services
) -> None:
    await make_member(services, 2001, "coordinator", "Alna")
    kari = api.user(2001, "Kari", "en")
    private = Group(app, api, api.private_chat(kari))
    for command in ("/link", "/unlink"):
        await private.send(kari, command)
        assert private.texts()[-1] == (
            "ℹ️ /link and /unlink work in your district's group chat: add me to the group, then "
            "send /link there. You need to be a coordinator of the district and an administrator "
            "of the group."
        )
    assert buttons_of(private.last()) == []


async def test_plain_group_chatter_and_private_commands_get_no_reply(
    app: BotApplication, api: OfflineBotApi, services: Services
) -> None:
    alna, _kari = await linked_by_kari(app, api, services)
    hawa = api.user(2002, "Hawa", "so")
    for text in ("Hei alle sammen!", "/start", "/menu", "/help", "/nonsense", "1"):
        await alna.send(hawa, text)
    assert alna.texts() == ["✅ This chat is now the group chat of Bydelsmødre Alna."]
    assert api.bot_messages_in(2002) == []


# -- the command menu for group admins --------------------------------------------------------


async def test_link_and_unlink_are_in_the_group_admins_menu_in_every_two_letter_locale(
    app: BotApplication, api: OfflineBotApi
) -> None:
    admins_scope = {"type": "all_chat_administrators"}
    published = {
        c.params.get("language_code", ""): c.params["commands"]
        for c in api.calls_to("setMyCommands")
        if c.params.get("scope") == admins_scope
    }
    codes = {lang.telegram_code for lang in LANGUAGES if lang.telegram_code} | {""}
    assert set(published) == codes
    assert [c["command"] for c in published[""]] == ["link", "unlink"]
    so = translator("so")
    assert published["so"][0]["description"] == so._("Make this the group chat of your district")
    default_scope = [c for c in api.calls_to("setMyCommands") if not c.params.get("scope")]
    assert all("link" not in json.dumps(c.params["commands"]) for c in default_scope)


# -- the fake Bot API speaks Telegram's language ----------------------------------------------


def spec_problems(value: JSON, type_name: str) -> list[str]:
    problems: list[str] = []
    load_spec()._check_value(value, [type_name], type_name, problems)  # objects, not calls
    return problems


def test_group_updates_of_the_fake_follow_the_spec() -> None:
    api = OfflineBotApi()
    kari = api.user(2001, "Kari", "nb")
    chat = api.group_chat(GROUP_ID, "Alna")
    updates = [
        *api.bot_added_to(chat, kari, "administrator"),
        api.send_text(kari, "/link", chat=chat),
        api.rename_group(chat, "Alna 2026", kari),
        *api.migrate(chat, SUPERGROUP_ID, kari),
        api.bot_removed_from(api.chats[SUPERGROUP_ID], kari),
    ]
    for update in updates:
        assert spec_problems(update, "Update") == [], update
        assert Update.de_json(update, None) is not None


@pytest.mark.parametrize(
    "status", ["creator", "administrator", "member", "restricted", "left", "kicked"]
)
def test_get_chat_member_answers_every_status_as_the_spec_says(status: str) -> None:
    api = OfflineBotApi()
    kari = api.user(2001, "Kari")
    api.group_chat(GROUP_ID, "Alna")
    api.set_member_status(GROUP_ID, kari, status)
    code, body = api.call("getChatMember", {"chat_id": GROUP_ID, "user_id": 2001})
    assert code == 200 and body["result"]["status"] == status
    assert spec_problems(body["result"], "ChatMember") == []


def test_get_chat_member_refuses_as_telegram_does() -> None:
    api = OfflineBotApi()
    kari = api.user(2001, "Kari")
    chat = api.group_chat(GROUP_ID, "Alna")
    assert api.call("getChatMember", {"chat_id": -1, "user_id": 2001})[0] == 400
    assert api.call("getChatMember", {"chat_id": GROUP_ID, "user_id": 2001})[0] == 400  # unknown
    api.send_text(kari, "hei", chat=chat)
    code, body = api.call("getChatMember", {"chat_id": GROUP_ID, "user_id": 2001})
    assert body["result"]["status"] == "member"  # she wrote there
    api.migrate(chat, SUPERGROUP_ID, kari)
    code, body = api.call("sendMessage", {"chat_id": GROUP_ID, "text": "x"})
    assert code == 400 and body["parameters"] == {"migrate_to_chat_id": SUPERGROUP_ID}
    api.bot_removed_from(api.chats[SUPERGROUP_ID], kari)
    assert api.call("sendMessage", {"chat_id": SUPERGROUP_ID, "text": "x"})[0] == 403


# -- storage ----------------------------------------------------------------------------------


async def test_storage_moves_replaces_migrates_and_renames(db: Database) -> None:
    alna = await upsert_district(db, "alna", "Alna", 3)
    grorud = await upsert_district(db, "grorud", "Grorud", 3)
    first = await link_chat(db, alna, -1, "One")
    assert first is not None and first.previous_chat_id is None
    again = await link_chat(db, alna, -1, "One, renamed")
    assert again is not None and again.previous_chat_id is None  # linking twice is no change
    replaced = await link_chat(db, alna, -2, "Two")
    assert replaced is not None and (replaced.previous_chat_id, replaced.previous_chat_title) == (
        -1, "One, renamed",
    )  # fmt: skip
    moved = await link_chat(db, grorud, -2, "Two")
    assert moved is not None and moved.previous_district_name == "Alna"
    assert await linked_district(db, -2) == "Grorud"
    left_behind = await get_district(db, alna)
    assert left_behind is not None and left_behind.chat_id is None
    assert left_behind.chat_title is None
    assert await link_chat(db, 999, -3, "Nobody's") is None

    assert await migrate_chat(db, -2, -1002) == grorud
    assert await migrate_chat(db, -2, -1002) is None  # the second service message
    assert await rename_chat(db, -1002, "Grorud 2")
    assert not await rename_chat(db, -2, "gone")
    district = await district_for_chat(db, -1002)
    assert district is not None and district.chat_title == "Grorud 2"
    assert await unlink_chat_by_chat(db, -1002) == grorud
    assert await unlink_chat_by_chat(db, -1002) is None


async def test_migration_onto_a_chat_linked_meanwhile_keeps_that_link(db: Database) -> None:
    alna = await upsert_district(db, "alna", "Alna", 3)
    grorud = await upsert_district(db, "grorud", "Grorud", 3)
    await link_chat(db, alna, -1, "Old")
    await link_chat(db, grorud, -1001, "New")
    assert await migrate_chat(db, -1, -1001) is None
    assert await linked_district(db, -1001) == "Grorud"
    assert await linked_district(db, -1) is None


async def test_memberships_survive_linking(db: Database) -> None:
    alna = await upsert_district(db, "alna", "Alna", 3)
    await add_membership(db, 2001, alna, "coordinator", "Kari", datetime.now(UTC), "en")
    await link_chat(db, alna, -1, "Alna")
    district = await get_district(db, alna)
    assert district is not None and district.phase == 3 and district.chat_id == -1
