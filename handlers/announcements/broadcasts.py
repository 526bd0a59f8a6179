"""/broadcast: a coordinator composes an announcement, step by step: her presses and what she
types (the screens of each step: handlers/announcements/screens.py).

Composing is a state machine whose state is her draft row in the database (bot/broadcasts.py
Step), so a restart loses nothing she typed and /broadcast picks up where she was: the audience
(her district's members, one role, the group chat, every district in a phase; everyone only for
admins), the message (a text, or one photo or document with a caption), versions in the
languages the audience reads (and which language her own text is in, if not the one assumed),
a preview exactly as they will see it (who gets a fallback language included), an optional
time, then send or cancel.

Buttons carry only short codes; every press, every typed step and the final "send" check again
that she may announce to that audience. Sending writes the announcement and its whole outbox in
one transaction and wakes the worker (handlers/jobs/announcements/), which edits the
confirmation into a progress message and sends the report.
"""

from __future__ import annotations

from dataclasses import replace

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode

from bot.broadcasts import (
    DRAFT_KEPT,
    TYPED_STEPS,
    Audience,
    Step,
    draft_expired,
    read_send_time,
    telegram_length,
    too_long,
)
from bot.i18n import LANGUAGE_BY_CODE, N_
from handlers.announcements import codecs
from handlers.announcements.announcement_text import time_refusal
from handlers.announcements.audience import (
    announcing,
    draft_label,
    empty_audience,
    permitted,
    resolve,
)
from handlers.announcements.screens import (
    audience_start,
    district_audiences,
    message_prompt,
    screen_for,
)
from handlers.announcements.versions import (
    confirm_screen,
    paced,
    send_pressed,
    send_preview,
    versions_screen,
)
from handlers.common import fallback
from handlers.common.access import refuse
from handlers.common.awaiting import Question, Takes, ask, end
from handlers.common.codec import fields_of, routed_by
from handlers.common.context import BotContext
from handlers.common.language import language_keyboard
from handlers.common.render import answer_expired, button, edit_in_place
from storage.announcements.drafts import DraftRecord, delete_draft, get_draft, save_draft
from storage.districts import get_district

# The typed question: what the draft's step waits for (the step is the value). The draft lives
# in the database and so does the question: both survive a restart.
TEXT = Question(
    "broadcast.text",
    N_("I no longer wait for your announcement. It is kept as a draft: {command} goes back to it."),
    Takes.ANY,
    lasts=DRAFT_KEPT,
    resume="broadcast",
)


# -- starting and resuming ------------------------------------------------------------------


async def broadcast_command(update: Update, context: BotContext) -> None:
    """Start an announcement, or pick up the one she was composing."""
    assert update.effective_chat is not None
    chat_id, author = update.effective_chat.id, context.identity.telegram_id
    districts = await announcing(context)
    if not districts:
        await refuse(update, context)
        return
    draft = await current_draft(context, author)
    if draft is not None and draft.step != Step.AUDIENCE:
        text, keyboard = await screen_for(context, draft)
        text = "✏️ " + context.t._("You were writing this announcement:") + "\n\n" + text
        keyboard = InlineKeyboardMarkup(
            [
                *keyboard.inline_keyboard,
                [button("🆕", context.t._("Start again"), codecs.NEW.encode())],
            ]
        )
        await asked_for_step(context, draft)
    else:
        draft = DraftRecord(author, Step.AUDIENCE)
        await save_draft(context.db, draft, context.clock.now())
        text, keyboard = await audience_start(context, districts)
    await context.bot.send_message(chat_id, text, parse_mode=ParseMode.HTML, reply_markup=keyboard)


async def asked_for_step(context: BotContext, draft: DraftRecord) -> None:
    """Her next message answers the draft's step, if it is one she types; else nothing is asked."""
    if draft.step in TYPED_STEPS:
        await ask(context, TEXT, str(draft.step))
    else:
        await end(context, TEXT)


async def current_draft(context: BotContext, author: int) -> DraftRecord | None:
    """Her draft, unless she left it untouched for a day: then it is deleted, and forgotten."""
    draft = await get_draft(context.db, author)
    if draft is not None and draft_expired(draft.updated_at, context.clock.now()):
        await delete_draft(context.db, author)
        return None
    return draft


# -- the presses ----------------------------------------------------------------------------


async def broadcast_callback(update: Update, context: BotContext) -> None:
    """Take one step of composing: audience, versions, preview, time, send or cancel."""
    query = update.callback_query
    assert query is not None
    matches, author = context.matches, context.identity.telegram_id
    draft = await get_draft(context.db, author)
    if draft is None:
        await answer_expired(query, context.t)
        return
    if not await announcing(context):
        await refuse(update, context)
        return
    stored = Audience.parse(draft.audience) if draft.audience else None
    if draft.audience and (stored is None or not await permitted(context, stored)):
        await refuse(update, context)
        return
    value = fields_of(matches)
    if routed_by(matches, codecs.DISTRICT):
        await district_pressed(update, context, draft, int(value[0]))
    elif routed_by(matches, codecs.AUDIENCE):
        await audience_pressed(update, context, draft, value[0])
    elif routed_by(matches, codecs.VERSION):
        await version_pressed(update, context, draft, value[0])
    elif routed_by(matches, codecs.ORIGINAL, codecs.ORIGINAL_LANGUAGES):
        await original_pressed(update, context, draft, value[0] if value else None)
    elif routed_by(matches, codecs.SEND):
        await send_pressed(update, context, draft)
    elif routed_by(matches, codecs.CANCEL):
        await delete_draft(context.db, author)
        await end(context, TEXT)
        await query.answer()
        await edit_in_place(query, "❌ " + context.t._("Cancelled: nothing was sent."))
    else:
        await move_pressed(update, context, draft)


async def district_pressed(
    update: Update, context: BotContext, draft: DraftRecord, district_id: int
) -> None:
    query = update.callback_query
    assert query is not None
    district = await get_district(context.db, district_id)
    if draft.step != Step.AUDIENCE or district is None:
        await answer_expired(query, context.t)
        return
    if not await permitted(context, Audience("members", district_id=district_id)):
        await refuse(update, context)
        return
    await query.answer()
    text, keyboard = await district_audiences(context, district)
    await edit_in_place(query, text, keyboard)


async def audience_pressed(
    update: Update, context: BotContext, draft: DraftRecord, code: str
) -> None:
    query = update.callback_query
    assert query is not None
    t = context.t
    audience = Audience.parse(code)
    if draft.step != Step.AUDIENCE or audience is None:
        await answer_expired(query, t)
        return
    if not await permitted(context, audience):
        await refuse(update, context)
        return
    if (await resolve(context, audience)).size == 0:
        await query.answer(empty_audience(t), show_alert=True)
        return
    draft = replace(
        draft, step=Step.MESSAGE, audience=audience.code, district_id=audience.district_id
    )
    await save_draft(context.db, draft, context.clock.now())
    await query.answer()
    await asked_for_step(context, draft)
    await edit_in_place(
        query,
        message_prompt(t, await draft_label(context, draft)),
        InlineKeyboardMarkup([[button("❌", t._("Cancel"), codecs.CANCEL.encode())]]),
    )


async def version_pressed(
    update: Update, context: BotContext, draft: DraftRecord, locale: str
) -> None:
    query = update.callback_query
    assert query is not None
    if draft.step not in (Step.VERSIONS, Step.CONFIRM) or locale not in LANGUAGE_BY_CODE:
        await answer_expired(query, context.t)
        return
    draft = replace(draft, step=Step.VERSION, editing_locale=locale)
    await save_draft(context.db, draft, context.clock.now())
    await query.answer()
    await asked_for_step(context, draft)
    text, keyboard = await screen_for(context, draft)
    await edit_in_place(query, text, keyboard)


async def original_pressed(
    update: Update, context: BotContext, draft: DraftRecord, locale: str | None
) -> None:
    """Show the languages her text may be in (`locale` None), or take the one she pressed as
    the language of her text."""
    query = update.callback_query
    assert query is not None
    t = context.t
    if draft.step not in (Step.VERSIONS, Step.CONFIRM) or (
        locale is not None and locale not in LANGUAGE_BY_CODE
    ):
        await answer_expired(query, t)
        return
    await query.answer()
    if locale is None:
        languages = language_keyboard(codecs.ORIGINAL.encode).inline_keyboard
        back = [button("↩️", t._("Back"), codecs.BACK.encode())]
        # TRANSLATORS: above the list of languages; her text is the announcement she wrote.
        text = "🔤 " + t._("In which language did you write your text?")
        await edit_in_place(query, text, InlineKeyboardMarkup([*languages, back]))
        return
    # A version she wrote in that language stays: it is what readers of it get (with_original).
    draft = replace(draft, step=Step.VERSIONS, editing_locale=None, original_locale=locale)
    await save_draft(context.db, draft, context.clock.now())
    await asked_for_step(context, draft)
    text, keyboard = await versions_screen(context, draft)
    await edit_in_place(query, text, keyboard)


async def move_pressed(update: Update, context: BotContext, draft: DraftRecord) -> None:
    """Preview, "send later", back to the versions, back to the first question, start again."""
    query, matches = update.callback_query, context.matches
    assert query is not None
    has_message = draft.body is not None or draft.media_file_id is not None
    if routed_by(matches, codecs.NEW, codecs.TOP):
        draft = DraftRecord(draft.created_by, Step.AUDIENCE)
    elif not has_message:
        await answer_expired(query, context.t)
        return
    elif routed_by(matches, codecs.BACK):
        draft = replace(draft, step=Step.VERSIONS, editing_locale=None)
    elif routed_by(matches, codecs.LATER):
        draft = replace(draft, step=Step.SCHEDULE)
    else:  # the preview (shown, then the confirmation), or back to the confirmation
        draft = replace(draft, step=Step.CONFIRM)
    await save_draft(context.db, draft, context.clock.now())
    await query.answer()
    await asked_for_step(context, draft)
    if routed_by(matches, codecs.PREVIEW):
        assert update.effective_chat is not None
        await query.edit_message_reply_markup(None)
        chat_id = update.effective_chat.id
        await send_preview(context, chat_id, draft)
        text, keyboard = await confirm_screen(context, draft)
        await paced(
            context,
            chat_id,
            lambda: context.bot.send_message(
                chat_id, text, parse_mode=ParseMode.HTML, reply_markup=keyboard
            ),
        )
        return
    text, keyboard = await screen_for(context, draft)
    await edit_in_place(query, text, keyboard)


# -- what she types -------------------------------------------------------------------------


async def text_answered(update: Update, context: BotContext, values: tuple[str, ...]) -> None:
    """Take what she sent (the answer to TEXT) as the step her draft waits for."""
    message = update.effective_message
    draft = await current_draft(context, context.identity.telegram_id)
    if message is None or draft is None or str(draft.step) != values[0]:
        # The draft moved on without her typing (sent, cancelled, another step): not an answer.
        await fallback.free_text_callback(update, context)
        return
    audience = Audience.parse(draft.audience or "")
    if not await announcing(context) or audience is None or not await permitted(context, audience):
        await refuse(update, context)
        return
    # Still asked until her answer moves the draft on: a mistake (too long, not a time) is
    # corrected by sending it again.
    await ask(context, TEXT, values[0])
    if draft.step == Step.SCHEDULE:
        await schedule_typed(context, message, draft)
    else:
        await text_typed(context, message, draft)


async def text_typed(context: BotContext, message: Message, draft: DraftRecord) -> None:
    """The announcement itself (text, photo or document), or one language version of it."""
    t, chat_id = context.t, message.chat_id
    media_kind, file_id = draft.media_kind, draft.media_file_id
    if draft.step == Step.MESSAGE:
        if message.photo:
            media_kind, file_id = "photo", message.photo[-1].file_id
        elif message.document:
            media_kind, file_id = "document", message.document.file_id
        text = message.text if message.text is not None else (message.caption or "")
        if message.text is None and media_kind is None:
            await context.bot.send_message(
                chat_id, "🤔 " + t._("Please send a text, or one photo or document with a caption.")
            )
            return
    elif message.text is None:
        await context.bot.send_message(chat_id, "🤔 " + t._("Please send the text only."))
        return
    else:
        text = message.text
    limit = too_long(text, media_kind is not None)
    if limit is not None:
        await context.bot.send_message(
            chat_id,
            "✂️ "
            + t._(
                "Too long: {length} characters, and Telegram allows at most {limit}. Nothing was "
                "sent: shorten it and send it again."
            ).format(length=t.ltr(telegram_length(text)), limit=t.ltr(limit)),
        )
        return
    if draft.step == Step.MESSAGE:
        draft = replace(
            draft, step=Step.VERSIONS, body=text, media_kind=media_kind, media_file_id=file_id
        )
    else:
        assert draft.editing_locale is not None
        versions = {**draft.versions, draft.editing_locale: text}
        draft = replace(draft, step=Step.VERSIONS, versions=versions, editing_locale=None)
    await save_draft(context.db, draft, context.clock.now())
    await end(context, TEXT)
    screen, keyboard = await versions_screen(context, draft)
    await context.bot.send_message(
        chat_id, screen, parse_mode=ParseMode.HTML, reply_markup=keyboard
    )


async def schedule_typed(context: BotContext, message: Message, draft: DraftRecord) -> None:
    t, tz = context.t, context.services.config.tz
    typed = read_send_time(message.text or "", context.clock.now(), tz)
    moment = typed.moment
    if moment is None:
        await context.bot.send_message(message.chat_id, time_refusal(t, typed))
        return
    draft = replace(draft, step=Step.CONFIRM, send_at=moment)
    await save_draft(context.db, draft, context.clock.now())
    await end(context, TEXT)
    text, keyboard = await confirm_screen(context, draft)
    await context.bot.send_message(
        message.chat_id, text, parse_mode=ParseMode.HTML, reply_markup=keyboard
    )


async def text_cancelled(context: BotContext, values: tuple[str, ...]) -> str:
    """/cancel while the draft waits for her typing throws the draft away."""
    await delete_draft(context.db, context.identity.telegram_id, TYPED_STEPS)
    return "🗑 " + context.t._("Nothing was sent; the announcement was thrown away.")
