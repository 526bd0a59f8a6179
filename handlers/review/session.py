"""/review: a reviewer goes through her language one message at a time, on her phone.

✅ Good counts the message as checked; ✏️ Better wording waits for her typed wording, checks it
and keeps it until a second person approves it; ⏭ Skip passes it over for this session; ⏹ Stop
ends. `/review <word>` goes to the messages that contain a word ("handled"). Every press checks
her reviewer right again: a button names a language and a message, never who may press it.
"""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ParseMode

from bot.i18n import LANGUAGE_BY_CODE, N_
from bot.identity import Role
from bot.review.catalogue import plural_count
from bot.review.flow import (
    approve_wording,
    checked_wording,
    item_at,
    keep_suggestion,
    may_review,
    next_item,
    progress,
)
from handlers.common.awaiting import Question, ask, end
from handlers.common.context import BotContext
from handlers.common.render import answer_expired, button, edit_in_place
from handlers.review.card import (
    ask_wording_text,
    card_keyboard,
    card_text,
    findings_text,
    progress_line,
)
from handlers.review.codecs import decode_review, language_data
from storage.review import get_wording, mark_good, reviewer_locales

# The typed answer to ✏️ Better wording; its values are (locale, index, key) of the message.
WORDING = Question(
    "review.wording",
    N_("I no longer wait for your better wording. Send {command} to go on reviewing."),
    resume="review",
)
SESSION_KEY = "review"  # chat_data: {"skipped": {msgid, ...}, "search": str | None}


async def reviewable(context: BotContext) -> tuple[str, ...]:
    """The languages she may review now (looked up fresh: a right taken away counts at once)."""
    identity = context.identity
    rights = await reviewer_locales(context.db, identity.telegram_id)
    admins_approve = context.services.config.review_admins_approve
    return may_review(rights, identity.role is Role.ADMIN, admins_approve)


async def refuse_review(update: Update, context: BotContext) -> None:
    text = "🔒 " + context.t._(
        "Only translation reviewers can do this. A coordinator can give you the right."
    )
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
    elif update.effective_chat is not None:
        await context.bot.send_message(update.effective_chat.id, text)


def _session(context: BotContext) -> dict[str, Any]:
    data = context.chat_data if context.chat_data is not None else {}
    session = data.setdefault(SESSION_KEY, {"skipped": set(), "search": None})
    assert isinstance(session, dict)
    return session


async def review_command(update: Update, context: BotContext) -> None:
    """Start (or go on with) reviewing; with a word, only the messages that contain it."""
    assert update.effective_chat is not None
    languages = await reviewable(context)
    if not languages:
        await refuse_review(update, context)
        return
    search = " ".join(context.args or []).strip() or None
    if context.chat_data is not None:
        context.chat_data[SESSION_KEY] = {"skipped": set(), "search": search}
    if len(languages) == 1:
        await send_next(update.effective_chat.id, context, languages[0])
        return
    t = context.t
    rows = [
        [button("🗣", LANGUAGE_BY_CODE[code].native_name, language_data(code))] for code in languages
    ]
    await context.bot.send_message(
        update.effective_chat.id,
        "📝 " + t._("Which language do you want to review?"),
        reply_markup=InlineKeyboardMarkup(rows),
    )


async def render_next(context: BotContext, locale: str) -> tuple[str, InlineKeyboardMarkup | None]:
    t, session = context.t, _session(context)
    item = await next_item(
        context.db, locale, context.identity.telegram_id, session["skipped"], session["search"]
    )
    checked, total = await progress(context.db, locale)
    language = LANGUAGE_BY_CODE[locale].native_name
    if item is not None:
        return card_text(t, locale, item, checked, total), card_keyboard(t, locale, item)
    if session["search"]:
        text = "🔎 " + t._("Nothing left to review contains {word}.").format(
            word=t.ltr(session["search"])
        )
    else:
        text = "🎉 " + t._("Every message in {language} has been checked. Thank you!").format(
            language=t.ltr(language)
        )
    return text + "\n" + progress_line(t, checked, total), None


async def send_next(chat_id: int, context: BotContext, locale: str) -> None:
    text, keyboard = await render_next(context, locale)
    await context.bot.send_message(chat_id, text, parse_mode=ParseMode.HTML, reply_markup=keyboard)


async def review_callback(update: Update, context: BotContext) -> None:
    """A press on a review card: the language, ✅, ✏️, ⏭ or ⏹."""
    query = update.callback_query
    assert query is not None and query.data is not None and update.effective_chat is not None
    press = decode_review(query.data)
    if press is None:
        await answer_expired(query, context.t)
        return
    languages = await reviewable(context)
    t, now = context.t, context.clock.now()
    if press.verb == "x":
        await end(context, WORDING)
        await query.answer()
        text = "⏹ " + t._("Review stopped. Send {command} to go on later.").format(
            command=t.command("review")
        )
        await edit_in_place(query, text)
        return
    if press.verb == "a":
        wording = await get_wording(context.db, press.wording_id)
        if wording is None or wording.locale not in languages:
            await (refuse_review(update, context) if wording else answer_expired(query, t))
            return
        if not await approve_wording(context.db, wording, context.identity.telegram_id, now):
            await answer_expired(query, t)
            return
        language = LANGUAGE_BY_CODE[wording.locale].native_name
        live = t._("Thank you! The new wording is live now for everyone who reads {language}.")
        await query.answer("✅ " + live.format(language=language))
        text, keyboard = await render_next(context, wording.locale)
        await edit_in_place(query, text, keyboard)
        return
    if press.locale not in languages:
        await refuse_review(update, context)
        return
    if press.verb == "l":
        await query.answer()
        text, keyboard = await render_next(context, press.locale)
        await edit_in_place(query, text, keyboard)
        return
    item = item_at(press.locale, press.index)
    if item is None or item.message.key != press.key:
        await answer_expired(query, t)
        return
    if press.verb == "g":
        message = item.message
        by = context.identity.telegram_id
        await mark_good(context.db, press.locale, message.msgid, message.source_hash, by, now)
        await query.answer("✅ " + t._("Thank you!"))
    elif press.verb == "s":
        _session(context)["skipped"].add(item.message.msgid)
        await query.answer()
    else:  # "b": she types the better wording next
        await query.answer()
        await ask(context, WORDING, press.locale, str(press.index), press.key)
        forms = plural_count(press.locale)
        await context.bot.send_message(
            update.effective_chat.id,
            ask_wording_text(t, press.locale, item, forms),
            parse_mode=ParseMode.HTML,
        )
        return
    text, keyboard = await render_next(context, press.locale)
    await edit_in_place(query, text, keyboard)


async def wording_answered(update: Update, context: BotContext, values: tuple[str, ...]) -> None:
    """Her typed wording (the question is closed): checked; kept if it passes, explained and
    asked again if not. Her right is checked again: it may have been taken away meanwhile."""
    message = update.message
    assert message is not None and message.text is not None and update.effective_chat is not None
    locale, index, key = values[0], int(values[1]), values[2]
    chat_id, t = update.effective_chat.id, context.t
    item = item_at(locale, index)
    if locale not in await reviewable(context) or item is None or item.message.key != key:
        await refuse_review(update, context)
        return
    forms, findings = checked_wording(locale, item.message, message.text)
    if findings:
        await ask(context, WORDING, *values)  # she may try again
        await context.bot.send_message(
            chat_id, findings_text(t, findings), parse_mode=ParseMode.HTML
        )
        return
    await keep_suggestion(
        context.db, locale, item.message, forms, context.identity.telegram_id, context.clock.now()
    )
    kept = t._("Thank you! Your wording is kept. It goes live when a second reviewer approves it.")
    await context.bot.send_message(chat_id, "✅ " + kept)
    await send_next(chat_id, context, locale)
