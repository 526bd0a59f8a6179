""" "I want to become a bydelsmor": consent first, then her district, her name and how to reach
her; the district's coordinators are told. She can withdraw at any time (/course)."""

from __future__ import annotations

from datetime import datetime, timedelta

from telegram import InlineKeyboardMarkup, Update

from bot.course import waitlist
from bot.course.admission import MAX_NAME, NameProblem, clean_name
from bot.help_guide import parse_phone
from bot.i18n import LANGUAGE_BY_CODE, Translator
from handlers.common.awaiting import ask, end
from handlers.common.context import BotContext
from handlers.common.render import answer_expired, button, edit_in_place, escape
from handlers.course import codecs, typed
from handlers.course.places import change_places
from handlers.jobs.course import deliver_offers, tell_coordinators
from storage.course.cohorts import places_of_person
from storage.course.interest import get_interest, save_interest, withdraw_interest
from storage.districts import get_district, list_districts

CONSENT_KEY = "course_consent"
PENDING_KEY = "course_pending"  # {"district": id, "name": str} while she fills the form in
CONSENT_LASTS = timedelta(minutes=30)
DEEP_LINK = "course"  # https://t.me/<bot>?start=course, for posters


def consent_text(t: Translator) -> str:
    return "\n".join(
        [
            "🙋 <b>" + t._("Become a bydelsmor") + "</b>",
            "",
            t._(
                "Bydelsmødre take a basic training of 17 evenings, and then help other women in "
                "their district as volunteers. If you are interested, a coordinator of your "
                "district will contact you for a talk."
            ),
            t._(
                "For this the bot keeps your district, your name, your language and your phone "
                "number (or that you want to be contacted on Telegram). Only the coordinators of "
                "your district see it."
            ),
            t._(
                "It is deleted when you withdraw, or after 12 months if you have not been given a "
                "place in a course by then. You can withdraw at any time with {command}."
            ).format(command=t.command("course")),
            "",
            t._("Do you agree?"),
        ]
    )


async def show_consent(chat_id: int, context: BotContext) -> None:
    t = context.t
    keyboard = InlineKeyboardMarkup(
        [
            [button("✅", t._("Yes, I agree"), codecs.CONSENT.encode())],
            [button("✖️", t._("No, thank you"), codecs.NO_THANKS.encode())],
        ]
    )
    await context.bot.send_message(
        chat_id, consent_text(t), parse_mode="HTML", reply_markup=keyboard
    )


def _consented(context: BotContext) -> bool:
    given = (context.chat_data or {}).get(CONSENT_KEY)
    return isinstance(given, datetime) and context.clock.now() - given < CONSENT_LASTS


async def consent_callback(update: Update, context: BotContext) -> None:
    """She agrees: which district does she live in?"""
    query = update.callback_query
    assert query is not None and context.chat_data is not None
    context.chat_data[CONSENT_KEY] = context.clock.now()
    await query.answer()
    districts = await list_districts(context.db)
    t = context.t
    if not districts:
        await edit_in_place(
            query, "😔 " + t._("Sorry, no district takes part yet. Nothing was stored.")
        )
        return
    rows = [[button("🏘", d.name, codecs.DISTRICT.encode(d.id))] for d in districts]
    rows.append([button("✖️", t._("No, thank you"), codecs.NO_THANKS.encode())])
    await edit_in_place(
        query, "🏘 " + t._("Which district do you live in?"), InlineKeyboardMarkup(rows)
    )


async def no_thanks_callback(update: Update, context: BotContext) -> None:
    """She does not want to go on: nothing is stored."""
    query = update.callback_query
    assert query is not None and context.chat_data is not None
    context.chat_data.pop(CONSENT_KEY, None)
    context.chat_data.pop(PENDING_KEY, None)
    await query.answer()
    await edit_in_place(query, "👍 " + context.t._("All right. Nothing was stored."))


async def district_callback(update: Update, context: BotContext) -> None:
    """Her district: now her name."""
    query = update.callback_query
    assert query is not None and context.chat_data is not None
    ids = codecs.DISTRICT.ids(query.data)
    district = await get_district(context.db, ids[0]) if ids and _consented(context) else None
    if district is None:
        await answer_expired(query, context.t)
        return
    await query.answer()
    context.chat_data[PENDING_KEY] = {"district": district.id}
    await ask(context, typed.NAME)
    text = "✍️ " + context.t._("Type your name, as you want the coordinator to see it.")
    await edit_in_place(query, "🏘 " + escape(district.name) + "\n\n" + text)


def name_problem_text(t: Translator, problem: NameProblem) -> str:
    if problem.reason == "too_long":
        return "⚠️ " + t._(
            "That name is too long: at most {n} characters. Please type it again."
        ).format(n=t.ltr(MAX_NAME))
    return "⚠️ " + t._("Please type a name.")


async def name_answered(update: Update, context: BotContext, values: tuple[str, ...]) -> None:
    """Her name: then how to reach her."""
    message = update.effective_message
    assert message is not None and context.chat_data is not None
    t = context.t
    pending = context.chat_data.get(PENDING_KEY)
    if not isinstance(pending, dict) or not _consented(context):
        await message.reply_text(
            "⌛ "
            + t._("This took too long. Nothing was stored. Send {command} to start again.").format(
                command=t.command("course")
            )
        )
        return
    try:
        pending["name"] = clean_name(message.text or "")
    except NameProblem as problem:
        await ask(context, typed.NAME)
        await message.reply_text(name_problem_text(t, problem))
        return
    await ask(context, typed.PHONE)
    keyboard = InlineKeyboardMarkup(
        [
            [
                button(
                    "💬",
                    t._("Contact me here on Telegram"),
                    codecs.REACH_ON_TELEGRAM.encode(pending["district"]),
                )
            ]
        ]
    )
    await message.reply_text(
        "📞 "
        + t._(
            "Type your phone number (for example 412 34 567), or press the button to be "
            "contacted here on Telegram."
        ),
        reply_markup=keyboard,
    )


async def phone_answered(update: Update, context: BotContext, values: tuple[str, ...]) -> None:
    """Her phone number: the interest is stored."""
    message = update.effective_message
    assert message is not None
    phone = parse_phone(message.text or "")
    if phone is None:
        await ask(context, typed.PHONE)
        await message.reply_text(
            "⚠️ "
            + context.t._(
                "That does not look like a phone number. Type it like 412 34 567, or press the "
                "button."
            )
        )
        return
    await finish(update, context, phone)


async def telegram_callback(update: Update, context: BotContext) -> None:
    """Contact her on Telegram: the interest is stored without a phone number."""
    query = update.callback_query
    assert query is not None
    if codecs.REACH_ON_TELEGRAM.ids(query.data) is None:
        await answer_expired(query, context.t)
        return
    await query.answer()
    await end(context, typed.PHONE)
    await finish(update, context, None)


async def finish(update: Update, context: BotContext, phone: str | None) -> None:
    assert update.effective_chat is not None and context.chat_data is not None
    t = context.t
    pending = context.chat_data.pop(PENDING_KEY, None)
    if not isinstance(pending, dict) or "name" not in pending or not _consented(context):
        text = "⌛ " + t._("This took too long. Nothing was stored. Send {command} to start again.")
        await context.bot.send_message(
            update.effective_chat.id, text.format(command=t.command("course"))
        )
        return
    me = context.identity
    name, district_id = str(pending["name"]), int(pending["district"])
    if not await save_interest(
        context.db, me.telegram_id, district_id, name, phone, context.clock.now(), me.locale
    ):
        await context.bot.send_message(
            update.effective_chat.id,
            "⚠️ " + t._("This district no longer exists. Nothing was stored."),
        )
        return
    context.chat_data.pop(CONSENT_KEY, None)
    district = await get_district(context.db, district_id)
    district_name = district.name if district else ""
    text = "\n".join(
        [
            "✅ " + t._("Thank you, {name}!").format(name=escape(name)),
            t._(
                "A coordinator of {district} will contact you for a talk. After that, she "
                "chooses the women for the next course; you will hear from her here."
            ).format(district=t.ltr(escape(district_name))),
            t._("You can see or withdraw your interest at any time with {command}.").format(
                command=t.command("course")
            ),
        ]
    )
    await context.bot.send_message(update.effective_chat.id, text, parse_mode="HTML")
    language = LANGUAGE_BY_CODE.get(me.locale)

    def tell(ct: Translator) -> str:
        contact = (
            escape(phone) if phone else f'<a href="tg://user?id={me.telegram_id}">Telegram</a>'
        )
        return "\n".join(
            [
                "🙋 <b>" + ct._("New interest in the basic training") + "</b>",
                f"{escape(name)} — {language.native_name if language else me.locale}",
                "📞 " + ct.ltr(contact),
                "🏘 " + ct.ltr(escape(district_name)),
                ct._("All interested women: {command}").format(command=ct.command("course")),
            ]
        )

    await tell_coordinators(context.bot, context.services, district_id, tell)


async def withdraw_callback(update: Update, context: BotContext) -> None:
    """Ask once more before she withdraws."""
    query = update.callback_query
    assert query is not None
    t = context.t
    await query.answer()
    keyboard = InlineKeyboardMarkup(
        [
            [button("✅", t._("Yes, withdraw"), codecs.WITHDRAW_SURE.encode())],
            [button("↩️", t._("No, keep it"), codecs.KEEP.encode())],
        ]
    )
    text = "❓ " + t._(
        "Withdraw from the basic training? Your place or your turn on the waiting list passes to "
        "the next woman, and your name and phone number are deleted."
    )
    await edit_in_place(query, text, keyboard)


async def keep_callback(update: Update, context: BotContext) -> None:
    """She keeps her place or her interest: nothing changes."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    await edit_in_place(query, "↩️ " + context.t._("Nothing was changed."))


async def withdraw_sure_callback(update: Update, context: BotContext) -> None:
    """She withdraws: her places pass on, her interest is deleted."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    await withdraw_everything(context, context.identity.telegram_id)
    await edit_in_place(
        query, "✅ " + context.t._("You have withdrawn. Thank you for your interest!")
    )


async def withdraw_everything(context: BotContext, who: int) -> None:
    now = context.clock.now()
    for cohort, _place in await places_of_person(context.db, who):
        if cohort.completed_at is None:
            await change_places(context.db, cohort.id, lambda s: waitlist.leave(s, who, now), now)
    await withdraw_interest(context.db, who)
    await deliver_offers(context.bot, context.services)


async def current_interest_text(context: BotContext) -> str | None:
    interest = await get_interest(context.db, context.identity.telegram_id)
    if interest is None:
        return None
    t = context.t
    return "\n".join(
        [
            "🙋 "
            + t._("You told us on {date} that you want to become a bydelsmor ({district}).").format(
                date=t.format_day(interest.created_at, context.services.config.tz),
                district=t.ltr(escape(interest.district_name)),
            ),
            t._("A coordinator will contact you."),
        ]
    )
