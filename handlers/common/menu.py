"""The main menu: big picture buttons that depend on who she is."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ParseMode

from bot.i18n import N_, Translator, wordings_version
from bot.identity import Identity, Role
from handlers.common.codec import Codec
from handlers.common.commands import COORDINATORS_AND_ADMINS, EVERYONE, MEMBERS_AND_ADMINS
from handlers.common.context import BotContext
from handlers.common.help_flow import remember_if_open
from handlers.common.receipts import Sent, send_unread
from handlers.common.render import FrozenKeyboard, button

ROTA_ROLES = frozenset({Role.MOTHER, Role.COORDINATOR})
CommandCallback = Callable[[Update, BotContext], Coroutine[Any, Any, None]]


# The menu's buttons, one codec each; what each opens is registered in bot/app.py.
MEMBERS = Codec("menu:members")
INVITE = Codec("menu:invite")
PHASE = Codec("menu:phase")
BROADCAST = Codec("menu:broadcast")
MEETINGS = Codec("menu:meetings")
ME = Codec("menu:me")
ROTA = Codec("menu:rota")
HELP = Codec("menu:help")
COURSE = Codec("menu:course")
MYDATA = Codec("menu:mydata")
LANGUAGE = Codec("menu:language")
DROPIN = Codec("menu:dropin")


@dataclass(frozen=True)
class MenuItem:
    codec: Codec
    emoji: str
    label: str  # message id
    roles: frozenset[Role]


# Each capability adds its entry here; the callback for its button lives in its own module.
MENU: tuple[MenuItem, ...] = (
    MenuItem(MEMBERS, "👥", N_("Members"), COORDINATORS_AND_ADMINS),
    MenuItem(INVITE, "📨", N_("Invite"), COORDINATORS_AND_ADMINS),
    MenuItem(PHASE, "🔄", N_("Phase"), COORDINATORS_AND_ADMINS),
    MenuItem(BROADCAST, "📢", N_("Announce"), COORDINATORS_AND_ADMINS),
    MenuItem(MEETINGS, "📅", N_("Meetings"), MEMBERS_AND_ADMINS),
    MenuItem(ME, "👤", N_("My profile"), MEMBERS_AND_ADMINS),
    MenuItem(ROTA, "🗓", N_("Rota"), ROTA_ROLES),
    MenuItem(HELP, "❓", N_("Help"), EVERYONE),
    MenuItem(COURSE, "🎓", N_("Basic training"), EVERYONE),
    MenuItem(MYDATA, "🔒", N_("My data"), EVERYONE),
    MenuItem(LANGUAGE, "🌍", N_("Language"), EVERYONE),
    MenuItem(DROPIN, "📍", N_("Meet a bydelsmor"), EVERYONE),
)


# One menu per role and language, built on first use and again after a reviewer's wording was
# approved (bot.i18n.wordings_version): the menu is the bot's most frequent message.
_MENUS: dict[tuple[Role, str], tuple[int, FrozenKeyboard]] = {}


def menu_keyboard(identity: Identity, t: Translator) -> InlineKeyboardMarkup:
    version = wordings_version()
    kept = _MENUS.get((identity.role, t.locale))
    if kept is not None and kept[0] == version:
        return kept[1]
    items = [item for item in MENU if identity.role in item.roles]
    rows = [
        [button(item.emoji, t._(item.label), item.codec.encode()) for item in items[i : i + 2]]
        for i in range(0, len(items), 2)
    ]
    keyboard = FrozenKeyboard(rows)
    _MENUS[(identity.role, t.locale)] = (version, keyboard)
    return keyboard


async def send_menu(chat_id: int, context: BotContext, intro: str | None = None) -> Sent:
    """Send the menu, under an optional line of text already in her language."""
    t = context.t
    text = intro or t._("What would you like to do?")
    keyboard = menu_keyboard(context.identity, t)
    return await send_unread(
        context.bot, chat_id, text, parse_mode=ParseMode.HTML, reply_markup=keyboard
    )


def opened_from_menu(command: CommandCallback) -> CommandCallback:
    """Let a menu button do what its command does (the press is answered first)."""

    async def callback(update: Update, context: BotContext) -> None:
        assert update.callback_query is not None
        await update.callback_query.answer()
        await command(update, context)

    callback.__doc__ = command.__doc__
    return callback


async def menu_command(update: Update, context: BotContext) -> None:
    """Show the menu."""
    assert update.effective_chat is not None
    reply = await send_menu(update.effective_chat.id, context)
    remember_if_open(update, context, [reply])  # sent during the help guide: 🧹 deletes it too
