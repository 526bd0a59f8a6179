"""/voice: a coordinator records a voice note for a help topic, in one language.

She chooses the topic, then the language she will speak, then records the voice message in
Telegram. The bot plays it back to her with ✅ keep / 🗑 discard: only what she kept is saved.
Women who read that topic in that language then see a 🔊 button that plays it: for a woman who
reads little, this is the difference between help and no help. A new recording replaces the old
one; /voice also lists the notes there are, each with a 🗑 that deletes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.access import Action
from bot.i18n import LANGUAGE_BY_CODE, LANGUAGES, N_
from bot.referrals import Topic
from handlers.common.access import refuse
from handlers.common.awaiting import WAIT_FOR, Question, Takes, ask
from handlers.common.catalogue import catalogue_of
from handlers.common.codec import fields_of
from handlers.common.context import BotContext
from handlers.common.render import answer_expired, button, edit_in_place
from handlers.help import codecs
from handlers.help.help_guide import may_run_the_guide
from storage.help import delete_voice_note, save_voice_note, voice_notes_recorded

# The recorded question: a voice note for one topic in one language (their ids are the values).
VOICE = Question("voice.note", N_("I no longer wait for your voice message."), Takes.VOICE)
# A recording played back, waiting for ✅ keep or 🗑 discard (in memory, like the question).
PENDING_KEY = "voice_pending"


@dataclass(frozen=True)
class Pending:
    topic: str
    locale: str
    file_id: str
    until: datetime


def may_record(context: BotContext) -> bool:
    return may_run_the_guide(context.identity, Action.RECORD_VOICE_NOTE)


async def voice_command(update: Update, context: BotContext) -> None:
    """Ask which help topic the voice note is for; list the notes there are, with 🗑."""
    assert update.effective_chat is not None
    if not may_record(context):
        await refuse(update, context)
        return
    t = context.t
    topics = {topic.id: topic for topic in catalogue_of(context).topics}
    rows = [
        [button(topic.emoji, t._(topic.label), codecs.VOICE_TOPIC.encode(topic.id))]
        for topic in topics.values()
    ]
    text = "🎙 " + t._("Record a voice note for the help guide. Which topic is it about?")
    recorded = [
        (topic, locale)
        for topic, locale in await voice_notes_recorded(context.db)
        if topic in topics and locale in LANGUAGE_BY_CODE
    ]
    if recorded:
        text += "\n\n🗑 " + t._("Or delete a voice note there is:")
        rows += [[_delete_button(context, topics[topic], locale)] for topic, locale in recorded]
    await context.bot.send_message(
        update.effective_chat.id, text, reply_markup=InlineKeyboardMarkup(rows)
    )


def _delete_button(context: BotContext, topic: Topic, locale: str) -> InlineKeyboardButton:
    name = f"{topic.emoji} {context.t._(topic.label)} — {LANGUAGE_BY_CODE[locale].native_name}"
    return button("🗑", name, codecs.VOICE_DELETE.encode(topic.id, locale))


async def delete_callback(update: Update, context: BotContext) -> None:
    """Delete the voice note of a topic in a language."""
    query = update.callback_query
    assert query is not None
    t = context.t
    topic_id, locale = fields_of(context.matches)
    topics = {topic.id: topic for topic in catalogue_of(context).topics}
    language = LANGUAGE_BY_CODE.get(locale)
    if topic_id not in topics or language is None:
        await answer_expired(query, t)
        return
    if not may_record(context):
        await refuse(update, context)
        return
    await query.answer()
    topic = topics[topic_id]
    names = {"topic": t._(topic.label), "language": language.native_name}
    if await delete_voice_note(context.db, topic.id, language.code):
        # TRANSLATORS: {topic} is a help topic, {language} a language's own name.
        text = "🗑 " + t._("Deleted the voice note for “{topic}” in {language}.").format(**names)
    else:
        text = "🗑 " + t._("There is no voice note for “{topic}” in {language}.").format(**names)
    await edit_in_place(query, text)


async def voice_choice_callback(update: Update, context: BotContext) -> None:
    """Take the topic, then the language; then wait for the voice message."""
    query = update.callback_query
    assert query is not None and context.chat_data is not None
    t = context.t
    fields = fields_of(context.matches)  # the topic, then the language once chosen
    topics = {topic.id: topic for topic in catalogue_of(context).topics}
    if fields[0] not in topics:
        await answer_expired(query, t)
        return
    if not may_record(context):
        await refuse(update, context)
        return
    topic = topics[fields[0]]
    if len(fields) == 1:
        await query.answer()
        buttons = [
            button("🗣", lang.native_name, codecs.VOICE_LANGUAGE.encode(topic.id, lang.code))
            for lang in LANGUAGES
        ]
        rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
        text = f"{topic.emoji} " + t._("In which language will you speak?")
        await edit_in_place(query, text, InlineKeyboardMarkup(rows))
        return
    language = LANGUAGE_BY_CODE.get(fields[1])
    if language is None:
        await answer_expired(query, t)
        return
    await query.answer()
    await ask(context, VOICE, topic.id, language.code)
    # TRANSLATORS: {topic} is a help topic, {language} a language's own name.
    text = t._(
        "Now record the voice message for “{topic}” in {language}: hold the microphone button "
        "in Telegram, speak, and let go."
    ).format(topic=t._(topic.label), language=language.native_name)
    await edit_in_place(query, "🎙 " + text)


async def voice_answered(update: Update, context: BotContext, values: tuple[str, ...]) -> None:
    """Play the recording back to her with ✅ keep / 🗑 discard; nothing is saved yet."""
    assert update.message is not None and update.message.voice is not None
    assert update.effective_chat is not None and context.chat_data is not None
    if not may_record(context):  # her role may have changed while she recorded
        await refuse(update, context)
        return
    topic_id, locale = values
    file_id = update.message.voice.file_id
    t = context.t
    topic = catalogue_of(context).topic(topic_id)
    context.chat_data[PENDING_KEY] = Pending(
        topic_id, locale, file_id, context.clock.now() + WAIT_FOR
    )
    names = {"topic": t._(topic.label), "language": LANGUAGE_BY_CODE[locale].native_name}
    await context.bot.send_voice(update.effective_chat.id, file_id)
    keyboard = InlineKeyboardMarkup(
        [
            [
                # TRANSLATORS: buttons under a recording played back: save it, or throw it away.
                button("✅", t._("Keep"), codecs.VOICE_KEEP.encode()),
                button("🗑", t._("Discard"), codecs.VOICE_DISCARD.encode()),
            ],
        ]
    )
    # TRANSLATORS: {topic} is a help topic, {language} a language's own name.
    text = t._("Listen to it above. Keep it as the voice note for “{topic}” in {language}?")
    await context.bot.send_message(
        update.effective_chat.id, "🎧 " + text.format(**names), reply_markup=keyboard
    )


async def keep_callback(update: Update, context: BotContext) -> None:
    """Save the recording she just heard, or throw it away."""
    query = update.callback_query
    assert query is not None and context.chat_data is not None and context.matches is not None
    t = context.t
    pending = context.chat_data.get(PENDING_KEY)
    if not isinstance(pending, Pending) or context.clock.now() >= pending.until:
        await answer_expired(query, t)
        return
    if not may_record(context):
        await refuse(update, context)
        return
    del context.chat_data[PENDING_KEY]
    await query.answer()
    topic = catalogue_of(context).topic(pending.topic)
    names = {"topic": t._(topic.label), "language": LANGUAGE_BY_CODE[pending.locale].native_name}
    if context.matches[0].re is codecs.VOICE_DISCARD.pattern:
        await edit_in_place(query, "🗑 " + t._("Discarded. Nothing was saved."))
        return
    await save_voice_note(
        context.db,
        pending.topic,
        pending.locale,
        pending.file_id,
        context.identity.telegram_id,
        context.clock.now(),
    )
    text = t._(
        "Saved. Women who read “{topic}” in {language} now see a 🔊 button that plays it."
    ).format(**names)
    await edit_in_place(query, "✅ " + text)
