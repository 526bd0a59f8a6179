"""/reached, and the question after a shift: how many women she talked with, and about what.

Buttons only: the help guide's topics and "other", then a number. Never a name, never free text
about a woman; only the count is stored (storage/dropin/reach.py). A large count is asked to be
confirmed before it is saved.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode

from bot.access import may_take_shifts
from bot.dropin.plan import day_key, parse_day_key
from bot.dropin.report import OTHER
from bot.dropin.rota import MAX_COUNT, count_needs_confirming, valid_count
from bot.i18n import N_, Translator
from bot.referrals import Catalogue
from handlers.common.awaiting import Question, ask, end
from handlers.common.catalogue import catalogue_of
from handlers.common.context import BotContext
from handlers.common.render import answer_expired, button, edit_in_place
from handlers.dropin import codecs
from storage.dropin.reach import log_reach
from storage.dropin.sessions import get_session

# Her typed number, when she does not press one; nothing about a woman is in it.
COUNT = Question("dropin.count", N_("I no longer wait for the number of women."))
NUMBERS = (1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 15, 20, 25, 30, 40, 50)
OLDEST = timedelta(days=14)  # a count for a day longer ago than this is no longer taken


def topic_labels(t: Translator, catalogue: Catalogue) -> dict[str, str]:
    """Topic id -> its picture and name in her language; the contact topic is no subject."""
    labels = {p.id: f"{p.emoji} {t._(p.label)}" for p in catalogue.topics if not p.is_contact}
    labels[OTHER] = "💬 " + t._("Something else")
    return labels


def question(t: Translator) -> str:
    return "📝 " + t._(
        "How many women did you talk with, and about what? Choose a topic. "
        "Only the numbers are kept: no names."
    )


def topics_keyboard(
    t: Translator, catalogue: Catalogue, district_id: int, session_id: int, day: date
) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                label, callback_data=codecs.reach_topic(district_id, session_id, day, topic)
            )
        ]
        for topic, label in topic_labels(t, catalogue).items()
    ]
    return InlineKeyboardMarkup(rows)


def reach_districts(context: BotContext) -> list[int]:
    identity = context.identity
    return [m.district_id for m in identity.memberships if may_take_shifts(identity, m.district_id)]


async def reached_command(update: Update, context: BotContext) -> None:
    """Log women reached today, by topic."""
    assert update.effective_chat is not None
    t = context.t
    districts = reach_districts(context)
    if not districts:
        await context.bot.send_message(
            update.effective_chat.id, "🔒 " + t._("The rota is for bydelsmødre of a district.")
        )
        return
    if len(districts) > 1:
        # She is a bydelsmor in several districts: she says which one she met them in. (After
        # a shift the question already carries the shift's district.)
        names = {m.district_id: m.district_name for m in context.identity.memberships}
        rows = [[button("🏘", names.get(d, "?"), codecs.reach_district(d))] for d in districts]
        keyboard = InlineKeyboardMarkup(rows)
        text = "🏘 " + t._("Which district?")
        await context.bot.send_message(update.effective_chat.id, text, reply_markup=keyboard)
        return
    today = context.clock.now().astimezone(context.services.config.tz).date()
    keyboard = topics_keyboard(t, catalogue_of(context), districts[0], 0, today)
    await context.bot.send_message(update.effective_chat.id, question(t), reply_markup=keyboard)


async def district_callback(update: Update, context: BotContext) -> None:
    """The district chosen: the topics, for a log in that district (her right checked again)."""
    query = update.callback_query
    assert query is not None and query.data is not None
    district_id = codecs.decode_reach_district(query.data)
    if district_id is None or district_id not in reach_districts(context):
        await answer_expired(query, context.t)
        return
    await query.answer()
    today = context.clock.now().astimezone(context.services.config.tz).date()
    keyboard = topics_keyboard(context.t, catalogue_of(context), district_id, 0, today)
    await edit_in_place(query, question(context.t), keyboard)


def valid_log(context: BotContext, log: codecs.Reach) -> bool:
    today = context.clock.now().astimezone(context.services.config.tz).date()
    return (
        may_take_shifts(context.identity, log.district_id)
        and log.district_id in reach_districts(context)
        and today - OLDEST <= log.day <= today
        and log.topic in topic_labels(context.t, catalogue_of(context))
    )


async def known_log(context: BotContext, log: codecs.Reach | None) -> bool:
    """Her right to log for that district, day and topic, and the session of that district."""
    if log is None or not valid_log(context, log):
        return False
    if log.session_id:
        session = await get_session(context.db, log.session_id)
        return session is not None and session.district_id == log.district_id
    return True


async def reach_callback(update: Update, context: BotContext) -> None:
    """A topic chosen (then the numbers, or she types one), a number chosen (saved, or asked
    to confirm)."""
    query = update.callback_query
    assert query is not None and query.data is not None
    t = context.t
    log = codecs.decode_reach(query.data)
    if (
        log is None
        or not await known_log(context, log)
        or (log.action != "t" and not valid_count(log.women))
    ):
        await answer_expired(query, t)
        return
    await query.answer()
    if log.action == "t":
        label = topic_labels(t, catalogue_of(context))[log.topic]
        await edit_in_place(query, count_question(t, label), numbers_keyboard(log))
        await ask(context, COUNT, *log_values(log))
        return
    await end(context, COUNT)
    text, keyboard = await settle(context, log, confirmed=log.action == "c")
    await edit_in_place(query, text, keyboard)


def log_values(log: codecs.Reach) -> tuple[str, str, str, str]:
    return str(log.district_id), str(log.session_id), day_key(log.day), log.topic


async def count_answered(update: Update, context: BotContext, values: tuple[str, ...]) -> None:
    """She typed the number of women instead of pressing one."""
    assert update.effective_chat is not None and update.effective_message is not None
    t = context.t
    day = parse_day_key(values[2]) if len(values) == 4 else None
    ids = values[:2] if len(values) == 4 else ()
    log = None
    if day is not None and all(v.isdecimal() for v in ids):
        log = codecs.Reach(int(values[0]), int(values[1]), day, values[3])
    if log is None or not await known_log(context, log):
        text = "↩️ " + t._("That can no longer be saved. Send {command} to start again.")
        await context.bot.send_message(
            update.effective_chat.id, text.format(command=t.command("reached"))
        )
        return
    typed = (update.effective_message.text or "").strip()
    if not typed.isdecimal() or not valid_count(int(typed)):
        await ask(context, COUNT, *values)
        text = "🔢 " + t._("Please type a number from 1 to {most}, or press one.").format(
            most=t.ltr(MAX_COUNT)
        )
        await context.bot.send_message(update.effective_chat.id, text)
        return
    text, keyboard = await settle(context, replace(log, women=int(typed), action="n"), False)
    await context.bot.send_message(
        update.effective_chat.id, text, parse_mode=ParseMode.HTML, reply_markup=keyboard
    )


async def settle(
    context: BotContext, log: codecs.Reach, confirmed: bool
) -> tuple[str, InlineKeyboardMarkup]:
    """Save the count, or first ask about a large one; the text and buttons to show."""
    t = context.t
    if count_needs_confirming(log.women) and not confirmed:
        text = "❓ " + t._("{n} women in one shift: is that right?").format(n=t.ltr(log.women))
        again = codecs.reach_topic(log.district_id, log.session_id, log.day, log.topic)
        save = button("✅", t._("Yes, save it"), codecs.reach_count("c", log, log.women))
        keyboard = InlineKeyboardMarkup([[save, button("↩️", t._("No, choose again"), again)]])
        return text, keyboard
    await log_reach(
        context.db,
        log.district_id,
        log.session_id or None,
        log.day,
        log.topic,
        log.women,
        context.clock.now(),
    )
    label = topic_labels(t, catalogue_of(context))[log.topic]
    text = "✅ " + t.ngettext(
        "Saved: {n} woman, {topic}.", "Saved: {n} women, {topic}.", log.women
    ).format(n=t.ltr(log.women), topic=label)
    text += "\n\n" + t._("Did you talk about another topic too? Choose it, or stop here.")
    catalogue = catalogue_of(context)
    return text, topics_keyboard(t, catalogue, log.district_id, log.session_id, log.day)


def count_question(t: Translator, label: str) -> str:
    return "📝 " + label + "\n" + t._("How many women? Press a number, or type it.")


def numbers_keyboard(log: codecs.Reach) -> InlineKeyboardMarkup:
    row = [
        InlineKeyboardButton(f"👩 {n}", callback_data=codecs.reach_count("n", log, n))
        for n in NUMBERS
    ]
    return InlineKeyboardMarkup([row[i : i + 4] for i in range(0, len(row), 4)])
