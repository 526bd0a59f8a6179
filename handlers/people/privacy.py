"""/mydata shows her everything the bot stores about her; /forget deletes it after she confirms.

Both work only in her own private chat, and /forget only ever forgets the woman who pressed
the button: the button's data says "yes" or "no", never whom.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from telegram import BotCommandScopeChat, InlineKeyboardMarkup, InputFile, Update
from telegram.constants import ChatType, ParseMode

from bot.i18n import LANGUAGE_BY_CODE, Translator
from bot.identity import Role
from handlers.common.codec import fields_of
from handlers.common.context import BotContext
from handlers.common.labels import ROLE_NAMES, reviewer_line
from handlers.common.render import answer_expired, button, escape
from handlers.course.interest import withdraw_everything
from handlers.help.contact_copies import forget_request_copies
from handlers.people import codecs
from storage.privacy import collect_personal_data, forget_person, stores_nothing

MYDATA_FILE_NAME = "bydelsbot-mydata.json"


def in_her_private_chat(update: Update) -> bool:
    """Her data is only ever shown, and forgotten, in the private chat with her."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None:
        return False
    return chat.type == ChatType.PRIVATE and chat.id == user.id


async def mydata_command(update: Update, context: BotContext) -> None:
    """Send her what the bot stores about her, as text and as a JSON file."""
    assert update.effective_chat is not None
    await send_mydata(update.effective_chat.id, context)


async def mydata_menu_callback(update: Update, context: BotContext) -> None:
    """Send her what the bot stores about her, from the menu's 🔒 button."""
    query = update.callback_query
    assert query is not None and update.effective_chat is not None
    if not in_her_private_chat(update):
        await answer_expired(query, context.t)
        return
    await query.answer()
    await send_mydata(update.effective_chat.id, context)


async def send_mydata(chat_id: int, context: BotContext) -> None:
    t = context.t
    data = await collect_personal_data(context.db, context.identity.telegram_id)
    if stores_nothing(data):
        await context.bot.send_message(chat_id, "🔒 " + t._("The bot stores nothing about you."))
        return
    forget = button("🗑", t._("Delete my data"), codecs.FORGET.encode("ask"))
    await context.bot.send_message(
        chat_id,
        mydata_text(data, t, context.services.config.tz),
        parse_mode=ParseMode.HTML,
        reply_markup=InlineKeyboardMarkup([[forget]]),
    )
    content = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    await context.bot.send_document(chat_id, InputFile(content, filename=MYDATA_FILE_NAME))


def mydata_text(data: dict[str, Any], t: Translator, tz: ZoneInfo) -> str:
    """Her stored data in words, in her language; every stored string escaped."""

    def when(iso: str) -> str:
        return t.format_datetime(datetime.fromisoformat(iso), tz)

    lines = ["🔒 <b>" + t._("What this bot stores about you") + "</b>", ""]
    person = data["people"]
    if person and person["locale"]:
        language = LANGUAGE_BY_CODE.get(person["locale"])
        name = language.native_name if language else escape(person["locale"])
        lines.append("🌍 " + t._("Language: {language}").format(language=name))
    if person and person["unreachable_since"]:
        # TRANSLATORS: Telegram told the bot she had blocked it; {date} is a date and time.
        text = t._("Marked as unreachable since {date}: the bot could not send you messages.")
        lines.append("📵 " + text.format(date=when(person["unreachable_since"])))
    for membership in data["memberships"]:
        lines += membership_lines(membership, t, when)
    if data.get("reviewers"):
        lines += ["", reviewer_line(t, tuple(r["locale"] for r in data["reviewers"]))]
    lines += activity_lines(data, t, when)
    lines += ["", t._("The file below holds the same, in JSON format.")]
    text = t._("To delete it all, press the button or send {command}.")
    lines.append(text.format(command=t.command("forget")))
    return "\n".join(lines)


def membership_lines(m: dict[str, Any], t: Translator, when: Callable[[str], str]) -> list[str]:
    # TRANSLATORS: e.g. "Alna: bydelsmor" (her district group and her role in it).
    heading = t._("{district}: {role}").format(
        district="<b>" + t.ltr(escape(m["district"])) + "</b>",
        role=t._(ROLE_NAMES[Role(m["role"])]),
    )
    lines = [
        "",
        "🏘 " + heading,
        # TRANSLATORS: the name under which her coordinator sees her in the member list.
        t._("Your name in the group: {name}").format(name=escape(m["display_name"])),
        t._("Joined: {date}").format(date=when(m["joined_at"])),
    ]
    if m["last_seen"]:
        lines.append(t._("Last seen: {date}").format(date=when(m["last_seen"])))
    return lines


def activity_lines(data: dict[str, Any], t: Translator, when: Callable[[str], str]) -> list[str]:
    """Admin rights, and what she did that the districts keep: counted, details in the file."""
    lines: list[str] = []
    if data["admins"]:
        text = t._("Administrator at Bydelsmødre sentralt since {date}")
        lines.append("🏛 " + text.format(date=when(data["admins"]["added_at"])))
    counted = (
        (
            "📨",
            "invite_uses",
            t.ngettext(
                "You joined with {n} invite link.",
                "You joined with {n} invite links.",
                len(data["invite_uses"]),
            ),
        ),
        (
            "🔗",
            "invites",
            t.ngettext(
                "You made {n} invite link.",
                "You made {n} invite links.",
                len(data["invites"]),
            ),
        ),
        (
            "🔄",
            "phase_changes",
            t.ngettext(
                "You moved a group to another phase {n} time.",
                "You moved a group to another phase {n} times.",
                len(data["phase_changes"]),
            ),
        ),
        (
            "📞",
            "contact_requests",
            t.ngettext(
                "You asked {n} time for a bydelsmor to contact you.",
                "You asked {n} times for a bydelsmor to contact you.",
                len(data["contact_requests"]),
            ),
        ),
        (
            "✅",
            "rsvps",
            t.ngettext(
                "You answered {n} meeting.",
                "You answered {n} meetings.",
                len(data["rsvps"]),
            ),
        ),
        (
            "⏰",
            "reminder_deliveries",
            t.ngettext(
                "The bot sent you {n} meeting reminder.",
                "The bot sent you {n} meeting reminders.",
                len(data["reminder_deliveries"]),
            ),
        ),
        # TRANSLATORS: better wordings she suggested for the bot's texts in her language.
        (
            "✏️",
            "review_wordings",
            t.ngettext(
                "You suggested {n} wording for a translation.",
                "You suggested {n} wordings for translations.",
                len(data.get("review_wordings", [])),
            ),
        ),
        (
            "⏰",
            "dropin_subscriptions",
            t.ngettext(
                "You asked for {n} drop-in reminder (deleted the day after the session).",
                "You asked for {n} drop-in reminders (deleted the day after the session).",
                len(data.get("dropin_subscriptions", [])),
            ),
        ),
        (
            "🗓",
            "dropin_shifts",
            t.ngettext(
                "You took {n} drop-in shift.",
                "You took {n} drop-in shifts.",
                len(data.get("dropin_shifts", [])),
            ),
        ),
        # TRANSLATORS: 30 days after its report an announcement keeps only its counts.
        (
            "📢",
            "announcements",
            t.ngettext(
                "You sent {n} announcement (its text is deleted 30 days after its report).",
                "You sent {n} announcements (their texts are deleted 30 days after their reports).",
                len(data.get("announcements", [])),
            ),
        ),
        # TRANSLATORS: the record of who got an announcement is deleted 30 days after its report.
        (
            "📬",
            "outbox",
            t.ngettext(
                "{n} announcement was sent to you (the bot forgets this 30 days after its report).",
                "{n} announcements were sent to you (the bot forgets this 30 days after their "
                "reports).",
                len(data.get("outbox", [])),
            ),
        ),
        # The basic training (details, such as the name and phone number she gave, in the file).
        ("🙋", "course_interest", t._("You said you want to become a bydelsmor.")),
        (
            "🎓",
            "course_places",
            t.ngettext(
                "You have a place or a turn in {n} course.",
                "You have a place or a turn in {n} courses.",
                len(data.get("course_places", [])),
            ),
        ),
        (
            "📚",
            "course_attendance",
            t.ngettext(
                "You came to {n} course evening.",
                "You came to {n} course evenings.",
                len(data.get("course_attendance", [])),
            ),
        ),
        (
            "🪪",
            "course_cards",
            t.ngettext(
                "You have {n} ID card.",
                "You have {n} ID cards.",
                len(data.get("course_cards", [])),
            ),
        ),
    )
    for emoji, key, text in counted:
        if data.get(key):
            lines.append(f"{emoji} " + text.format(n=t.ltr(len(data[key]))))
    return ["", *lines] if lines else []


async def forget_command(update: Update, context: BotContext) -> None:
    """Explain what /forget deletes and ask her to confirm with a button."""
    assert update.effective_chat is not None
    await ask_to_forget(update.effective_chat.id, context)


async def ask_to_forget(chat_id: int, context: BotContext) -> None:
    t = context.t
    data = await collect_personal_data(context.db, context.identity.telegram_id)
    if stores_nothing(data):
        await context.bot.send_message(chat_id, "🔒 " + t._("The bot stores nothing about you."))
        return
    text = "\n\n".join(
        [
            "🗑 <b>" + t._("Delete everything the bot stores about you?") + "</b>",
            *what_forgetting_means(data, t),
            t._("This cannot be undone."),
        ]
    )
    keyboard = [
        [button("🗑", t._("Delete my data"), codecs.FORGET.encode("yes"))],
        [button("↩️", t._("Keep my data"), codecs.FORGET.encode("no"))],
    ]
    await context.bot.send_message(
        chat_id, text, parse_mode=ParseMode.HTML, reply_markup=InlineKeyboardMarkup(keyboard)
    )


def what_forgetting_means(data: dict[str, Any], t: Translator) -> list[str]:
    """What /forget means for her, from what is stored: a woman who only chose a language is
    not told about groups or rights she never had; a member learns how she comes back."""
    lines = [t._("This deletes your language and everything else the bot stores about you.")]
    if data["memberships"]:
        lines.append(
            t._("You leave your district group: your name and role in it are deleted.")
            + " "
            + comeback_text(t)
        )
    if data["admins"]:
        lines.append(t._("Your administrator rights end."))
    if data["invites"] or data["phase_changes"]:
        lines.append(
            t._(
                "Invite links and phase changes you made stay with the district, without your name."
            )
        )
    return lines


def comeback_text(t: Translator) -> str:
    return t._("To come back to a district group, you need a new invitation from a coordinator.")


async def forget_callback(update: Update, context: BotContext) -> None:
    """Ask again, keep everything, or forget the woman who pressed (never anyone else)."""
    query = update.callback_query
    assert query is not None and update.effective_chat is not None
    (choice,) = fields_of(context.matches)
    if not in_her_private_chat(update):
        await answer_expired(query, context.t)
        return
    t = context.t  # her language, kept: forgetting deletes the row that remembers it
    await query.answer()
    if choice == "ask":
        await ask_to_forget(update.effective_chat.id, context)
    elif choice == "no":
        await query.edit_message_text("↩️ " + t._("Nothing was deleted."))
    else:
        # The copies of her contact requests in coordinators' chats lose her details first.
        await forget_request_copies(
            context.bot, context.db, query.from_user.id, context.clock.now()
        )
        # Her places in the basic training pass to the next women on the lists first.
        await withdraw_everything(context, query.from_user.id)
        counts = await forget_person(context.db, query.from_user.id)
        await forget_outside_the_database(update.effective_chat.id, context)
        await query.edit_message_text(forgotten_text(counts, t), parse_mode=ParseMode.HTML)


async def forget_outside_the_database(chat_id: int, context: BotContext) -> None:
    """What the running bot and Telegram still hold: her in-memory data, her command menu."""
    if context.user_data is not None:
        context.user_data.clear()
    if context.chat_data is not None:
        context.chat_data.clear()
    # Her chat's command menu was set in her language and for her role; back to the default.
    await context.bot.delete_my_commands(scope=BotCommandScopeChat(chat_id))


def forgotten_text(counts: dict[str, int], t: Translator) -> str:
    """What was deleted, counted, in the language she had before it was deleted."""
    if not counts:
        lines = ["✅ " + t._("There was nothing left to delete.")]
    else:
        lines = ["✅ <b>" + t._("Deleted:") + "</b>"]
        lines += ["• " + line for line in deleted_lines(counts, t)]
    lines += [
        "",
        t._("Messages in this chat stay on your phone until you delete the chat in Telegram."),
        t._("You can start again at any time with {command}.").format(command=t.command("start")),
    ]
    if counts.get("memberships"):
        lines.append(comeback_text(t))
    return "\n".join(lines)


def deleted_lines(counts: dict[str, int], t: Translator) -> list[str]:
    left = dict(counts)
    lines = [t._("your language")] if left.pop("people", 0) else []
    if left.pop("admins", 0):
        lines.append(t._("your administrator rights"))
    counted: dict[str, Callable[[int], str]] = {
        "memberships": lambda n: t.ngettext(
            "{n} membership of a district group", "{n} memberships of district groups", n
        ),
        "invite_uses": lambda n: t.ngettext(
            "{n} invite link you used", "{n} invite links you used", n
        ),
        "invites": lambda n: t.ngettext(
            "your name on {n} invite link", "your name on {n} invite links", n
        ),
        "phase_changes": lambda n: t.ngettext(
            "your name on {n} phase change", "your name on {n} phase changes", n
        ),
        "rsvps": lambda n: t.ngettext("{n} answer to a meeting", "{n} answers to meetings", n),
        "reminder_deliveries": lambda n: t.ngettext(
            "{n} record of a reminder sent to you", "{n} records of reminders sent to you", n
        ),
        # Tables added later are still counted, even before they get words of their own.
        "": lambda n: t.ngettext("{n} other record", "{n} other records", n),
    }
    left[""] = sum(n for key, n in left.items() if key not in counted)
    for key, text in counted.items():
        if n := left.get(key, 0):
            lines.append(text(n).format(n=t.ltr(n)))
    return lines
