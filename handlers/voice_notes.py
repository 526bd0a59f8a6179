"""/voice: a coordinator records a voice note for a help topic, in one language.

She chooses the topic, then the language she will speak, then records the voice message in
Telegram. Women who read that topic in that language then see a 🔊 button that plays it: for a
woman who reads little, this is the difference between help and no help. A new recording
replaces the old one.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from telegram import InlineKeyboardMarkup, Update

from bot.access import Action
from bot.i18n import LANGUAGE_BY_CODE, LANGUAGES
from handlers.access import refuse
from handlers.awaiting import awaited, stop_waiting, wait_for
from handlers.context import BotContext
from handlers.fallback import free_text_callback
from handlers.help_guide import catalogue_of, may_run_the_guide
from handlers.render import answer_expired, button, edit_in_place
from storage.help import save_voice_note

VOICE = "voice"
VOICE_DATA = re.compile(r"vc:([a-z0-9-]{1,40})(?::([A-Za-z_]{2,8}))?")


def may_record(context: BotContext) -> bool:
    return may_run_the_guide(context.identity, Action.RECORD_VOICE_NOTE)


async def voice_command(update: Update, context: BotContext) -> None:
    """Ask which help topic the voice note is for."""
    assert update.effective_chat is not None
    if not may_record(context):
        await refuse(update, context)
        return
    t = context.t
    rows = [
        [button(topic.emoji, t._(topic.label), f"vc:{topic.id}")]
        for topic in catalogue_of(context).topics
    ]
    text = "🎙 " + t._("Record a voice note for the help guide. Which topic is it about?")
    await context.bot.send_message(
        update.effective_chat.id, text, reply_markup=InlineKeyboardMarkup(rows)
    )


async def voice_choice_callback(update: Update, context: BotContext) -> None:
    """Take the topic, then the language; then wait for the voice message."""
    query = update.callback_query
    assert query is not None and query.data is not None and context.chat_data is not None
    t = context.t
    match = VOICE_DATA.fullmatch(query.data)
    topics = {topic.id: topic for topic in catalogue_of(context).topics}
    if match is None or match[1] not in topics:
        await answer_expired(query, t)
        return
    if not may_record(context):
        await refuse(update, context)
        return
    topic = topics[match[1]]
    if match[2] is None:
        await query.answer()
        buttons = [
            button("🗣", lang.native_name, f"vc:{topic.id}:{lang.code}") for lang in LANGUAGES
        ]
        rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
        text = f"{topic.emoji} " + t._("In which language will you speak?")
        await edit_in_place(query, text, InlineKeyboardMarkup(rows))
        return
    language = LANGUAGE_BY_CODE.get(match[2])
    if language is None:
        await answer_expired(query, t)
        return
    await query.answer()
    wait_for(context.chat_data, VOICE, topic.id, language.code)
    # TRANSLATORS: {topic} is a help topic, {language} a language's own name.
    text = t._(
        "Now record the voice message for “{topic}” in {language}: hold the microphone button "
        "in Telegram, speak, and let go."
    ).format(topic=t._(topic.label), language=language.native_name)
    await edit_in_place(query, "🎙 " + text)


async def voice_reply(update: Update, context: BotContext) -> None:
    """Save the voice message she recorded for the topic and language she chose."""
    assert update.message is not None and update.message.voice is not None
    assert update.effective_chat is not None and context.chat_data is not None
    waiting = awaited(context.chat_data, VOICE)
    if waiting is None:  # it ran out between the check and now
        await free_text_callback(update, context)
        return
    stop_waiting(context.chat_data)
    if not may_record(context):  # her role may have changed while she recorded
        await refuse(update, context)
        return
    topic_id, locale = waiting.values
    t = context.t
    topic = catalogue_of(context).topic(topic_id)
    await save_voice_note(
        context.db,
        topic_id,
        locale,
        update.message.voice.file_id,
        context.identity.telegram_id,
        datetime.now(UTC),
    )
    language = LANGUAGE_BY_CODE[locale]
    text = t._(
        "Saved. Women who read “{topic}” in {language} now see a 🔊 button that plays it."
    ).format(topic=t._(topic.label), language=language.native_name)
    await context.bot.send_message(update.effective_chat.id, "✅ " + text)
