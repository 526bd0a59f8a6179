"""The slash commands: which exist, who sees them, and their one-line descriptions.

The same descriptions fill Telegram's command menu (setMyCommands) and the /help text, so a
translator writes each one once.
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Bot, BotCommand, BotCommandScopeAllChatAdministrators, BotCommandScopeChat

from bot.i18n import LANGUAGES, N_, SOURCE_LOCALE, Translator, translator
from bot.identity import MEMBER_ROLES, Role

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
    Command("broadcast", N_("Send an announcement to your members"), COORDINATORS_AND_ADMINS),
    Command("broadcasts", N_("Past announcements and their reports"), COORDINATORS_AND_ADMINS),
    Command("me", N_("Your district, role and language"), MEMBERS_AND_ADMINS),
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


def bot_commands(role: Role, t: Translator) -> list[BotCommand]:
    """Telegram's command menu for one role, in one language."""
    return [BotCommand(c.name, t._(c.description)) for c in commands_for(role)]


async def publish_command_menus(bot: Bot) -> None:
    """Localize Telegram's command menu for every language that has a two-letter code.

    Telegram picks the list by the language of her app; the English list is the fallback for
    every other language. Her own choice is applied per chat by `set_chat_commands`.
    """
    await bot.set_my_commands(bot_commands(Role.PUBLIC, translator(SOURCE_LOCALE)))
    for language in LANGUAGES:
        if language.telegram_code:
            commands = bot_commands(Role.PUBLIC, translator(language.code))
            await bot.set_my_commands(commands, language_code=language.telegram_code)
    await publish_group_admin_menus(bot)


async def publish_group_admin_menus(bot: Bot) -> None:
    """/link and /unlink in every group chat's command menu, for its administrators."""
    scope = BotCommandScopeAllChatAdministrators()

    def localized(t: Translator) -> list[BotCommand]:
        return [BotCommand(c.name, t._(c.description)) for c in GROUP_ADMIN_COMMANDS]

    await bot.set_my_commands(localized(translator(SOURCE_LOCALE)), scope=scope)
    for language in LANGUAGES:
        if language.telegram_code:
            commands = localized(translator(language.code))
            await bot.set_my_commands(commands, scope=scope, language_code=language.telegram_code)


async def set_chat_commands(bot: Bot, chat_id: int, role: Role, t: Translator) -> None:
    """Her private chat's command menu, in the language she chose and for her role."""
    await bot.set_my_commands(bot_commands(role, t), scope=BotCommandScopeChat(chat_id))
