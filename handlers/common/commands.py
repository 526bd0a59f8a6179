"""The slash commands: which exist, who sees them, and their one-line descriptions.

The same descriptions fill Telegram's command menu (setMyCommands) and the /help text, so a
translator writes each one once.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from telegram import (
    Bot,
    BotCommand,
    BotCommandScope,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeChat,
)

from bot.i18n import LANGUAGES, N_, SOURCE_LOCALE, Translator, translator, wordings_version
from bot.identity import MEMBER_ROLES, Role
from storage import Database
from storage.bot_state import get_state, set_state

EVERYONE = frozenset(Role)
MEMBERS_AND_ADMINS = MEMBER_ROLES | {Role.ADMIN}
COORDINATORS_AND_ADMINS = frozenset({Role.COORDINATOR, Role.ADMIN})


@dataclass(frozen=True)
class Command:
    name: str
    description: str  # message id, translated when shown
    roles: frozenset[Role]


COMMANDS: tuple[Command, ...] = (
    Command("start", N_("Start again"), EVERYONE),
    Command("menu", N_("Show the menu"), EVERYONE),
    Command("info", N_("Where to find help: health, money, violence, Norwegian"), EVERYONE),
    Command("meetings", N_("Your group's next meetings"), MEMBERS_AND_ADMINS),
    Command("course", N_("The basic training: become a bydelsmor"), EVERYONE),
    Command("rsvps", N_("Who is coming to the next meeting"), COORDINATORS_AND_ADMINS),
    Command("members", N_("Your district's members"), COORDINATORS_AND_ADMINS),
    Command("invite", N_("Invite women to your district's group"), COORDINATORS_AND_ADMINS),
    Command("phase", N_("Move your group to another phase"), COORDINATORS_AND_ADMINS),
    Command("voice", N_("Record a voice note for the help guide"), COORDINATORS_AND_ADMINS),
    Command("stats", N_("How often each help topic was opened"), COORDINATORS_AND_ADMINS),
    Command("confirm", N_("Confirm a help-guide phone number or address"), frozenset({Role.ADMIN})),
    Command("broadcast", N_("Send an announcement to your members"), COORDINATORS_AND_ADMINS),
    Command("broadcasts", N_("Past announcements and their reports"), COORDINATORS_AND_ADMINS),
    Command("me", N_("Your district, role and language"), MEMBERS_AND_ADMINS),
    Command("dropin", N_("When and where you can meet a bydelsmor"), EVERYONE),
    Command(
        "rota", N_("The drop-in rota: take a shift"), frozenset({Role.MOTHER, Role.COORDINATOR})
    ),
    Command(
        "reached", N_("How many women you talked with"), frozenset({Role.MOTHER, Role.COORDINATOR})
    ),
    Command("report", N_("The reach report"), COORDINATORS_AND_ADMINS),
    Command("sessions", N_("Create and change drop-in sessions"), COORDINATORS_AND_ADMINS),
    Command("language", N_("Change your language"), EVERYONE),
    Command("mydata", N_("See what the bot stores about you"), EVERYONE),
    Command("forget", N_("Delete everything the bot stores about you"), EVERYONE),
    Command("help", N_("What this bot can do for you"), EVERYONE),
)

# Sent in a district's group chat, so Telegram lists them there for the chat's administrators
# only: a coordinator who links a chat must be one. /help lists the private commands above.
GROUP_ADMIN_COMMANDS: tuple[Command, ...] = (
    Command("link", N_("Make this the group chat of your district"), COORDINATORS_AND_ADMINS),
    Command("unlink", N_("Stop using this chat for your district"), COORDINATORS_AND_ADMINS),
)


def commands_for(role: Role) -> list[Command]:
    return [command for command in COMMANDS if role in command.roles]


# Each role's menu in each language, built on first use and again after a reviewer's wording
# was approved (bot.i18n.wordings_version): sent with every language change.
_MENUS: dict[tuple[Role, str], tuple[int, tuple[BotCommand, ...]]] = {}


def bot_commands(role: Role, t: Translator) -> tuple[BotCommand, ...]:
    """Telegram's command menu for one role, in one language."""
    version = wordings_version()
    kept = _MENUS.get((role, t.locale))
    if kept is not None and kept[0] == version:
        return kept[1]
    menu = tuple(BotCommand(c.name, t._(c.description)) for c in commands_for(role))
    _MENUS[(role, t.locale)] = (version, menu)
    return menu


MENUS_KEY = "command_menus"


def command_menus() -> list[tuple[list[BotCommand], BotCommandScope | None, str | None]]:
    """Every menu the bot publishes: (commands, scope, Telegram language code).

    Telegram picks the list by the language of her app; the English list is the fallback for
    every other language. Her own choice is applied per chat by `set_chat_commands`. /link and
    /unlink go in every group chat's menu, for its administrators.
    """
    admins = BotCommandScopeAllChatAdministrators()
    menus: list[tuple[list[BotCommand], BotCommandScope | None, str | None]] = []
    for scope, commands, role in (
        (None, COMMANDS, Role.PUBLIC),
        (admins, GROUP_ADMIN_COMMANDS, None),
    ):
        for code, telegram_code in [(SOURCE_LOCALE, None)] + [
            (language.code, language.telegram_code)
            for language in LANGUAGES
            if language.telegram_code
        ]:
            t = translator(code)
            shown = [c for c in commands if role is None or role in c.roles]
            menus.append(
                ([BotCommand(c.name, t._(c.description)) for c in shown], scope, telegram_code)
            )
    return menus


async def publish_command_menus(bot: Bot, db: Database) -> bool:
    """Publish the command menus, unless exactly these were published before (by this bot):
    at every start that would be 24 requests for nothing. True if they were published."""
    menus = command_menus()
    content = [
        [[[c.command, c.description] for c in commands], scope.type if scope else None, code]
        for commands, scope, code in menus
    ]
    fingerprint = hashlib.sha256(
        json.dumps([bot.id, content], ensure_ascii=False).encode()
    ).hexdigest()
    if await get_state(db, MENUS_KEY) == fingerprint:
        return False
    for commands, scope, code in menus:
        await bot.set_my_commands(commands, scope=scope, language_code=code)
    await set_state(db, MENUS_KEY, fingerprint)
    return True


async def set_chat_commands(bot: Bot, chat_id: int, role: Role, t: Translator) -> None:
    """Her private chat's command menu, in the language she chose and for her role."""
    await bot.set_my_commands(bot_commands(role, t), scope=BotCommandScopeChat(chat_id))
