"""The help guide: topics as picture buttons, service cards in her language, a 🔊 voice note.

/info (and /help, and the menu's ❓) opens it. A topic shows its services' cards (coordinators
also see what is unconfirmed, marked); the violence topic opens with 112 and 116 006. What she
looked at is counted per topic, language and day only, never with who she is.

A woman who has not chosen a language yet is asked first, with one tap; nothing is stored about
her until she has chosen.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest

from bot.access import Action, allowed
from bot.help_guide import topic_pages
from bot.identity import Identity, Role
from bot.referrals import Audience, Topic
from handlers.common import menu
from handlers.common.catalogue import catalogue_of
from handlers.common.codec import fields_of, routed_by
from handlers.common.context import BotContext
from handlers.common.help_flow import clear_button, remember, remember_hers, send
from handlers.common.language import choose_language, language_keyboard
from handlers.common.render import answer_expired, button
from handlers.dropin.women import next_dropin_line, place_schedules
from handlers.help import codecs
from storage.help import count_view, voice_note

# A topic (t), its voice note (v), or one of its pages after the first (p, with the page's index).
# The onboarding picker's buttons, with a prefix of their own: she goes on to the guide.
COORDINATING = frozenset({Role.COORDINATOR, Role.ADMIN})


def may_run_the_guide(identity: Identity, action: Action) -> bool:
    """The guide is the same in every district: a coordinator of any district (or an admin,
    even before any district exists) may take the action."""
    if identity.role is Role.ADMIN:
        return True
    return any(allowed(identity, action, m.district_id) for m in identity.memberships)


def audience_of(identity: Identity) -> Audience:
    """Coordinators also see unconfirmed entries, marked, so that they can check them."""
    return "coordinator" if identity.role in COORDINATING else "public"


def topics_keyboard(context: BotContext) -> InlineKeyboardMarkup:
    t = context.t
    rows = [
        [button(topic.emoji, t._(topic.label), codecs.TOPIC.encode(topic.id))]
        for topic in catalogue_of(context).topics
    ]
    rows.append([clear_button(context)])
    return InlineKeyboardMarkup(rows)


def guide_intro(context: BotContext) -> str:
    t = context.t
    lines = [
        "🧭 " + t._("Where to find help. Choose a topic:"),
        # TRANSLATORS: the 🧹 is the picture on the "Clear this conversation" button.
        "🧹 " + t._("Press 🧹 at any time to delete this conversation from your phone."),
    ]
    return "\n".join(lines)


async def send_guide(chat_id: int, context: BotContext, text: str | None = None) -> None:
    """The topics, under a text already in her language (the guide's intro by default)."""
    await send(context, chat_id, text or guide_intro(context), topics_keyboard(context))


async def ask_language_first(chat_id: int, context: BotContext) -> None:
    """One tap for her language, in the language her Telegram app suggests; then the guide."""
    keyboard = language_keyboard(codecs.GUIDE_LANGUAGE.encode)
    await send(context, chat_id, "🌍 " + context.t._("Choose your language"), keyboard)


async def info_command(update: Update, context: BotContext) -> None:
    """Open the help guide."""
    assert update.effective_chat is not None
    remember_hers(update, context)
    if not context.identity.locale_chosen:
        await ask_language_first(update.effective_chat.id, context)
        return
    await send_guide(update.effective_chat.id, context)


async def topics_callback(update: Update, context: BotContext) -> None:
    """Show the topics again."""
    assert update.callback_query is not None and update.effective_chat is not None
    await update.callback_query.answer()
    await send_guide(update.effective_chat.id, context)


async def guide_language_callback(update: Update, context: BotContext) -> None:
    """Store the language she chose on her way to help, then open the guide in it."""
    assert update.effective_chat is not None
    await choose_language(update, context)
    await send_guide(update.effective_chat.id, context)


async def topic_callback(update: Update, context: BotContext) -> None:
    """Show a topic's service cards, or play its voice note, in her language."""
    query = update.callback_query
    assert query is not None and update.effective_chat is not None
    fields = fields_of(context.matches)
    topic: Topic | None
    try:
        topic = catalogue_of(context).topic(fields[0])
    except KeyError:
        topic = None
    if topic is None:
        await answer_expired(query, context.t)
        return
    if routed_by(context.matches, codecs.TOPIC_VOICE):
        await play_voice_note(update, context, topic)
        return
    page = int(fields[1]) if len(fields) > 1 else 0
    if not await show_topic(update.effective_chat.id, context, topic, page):
        await answer_expired(query, context.t)  # a page the topic no longer has
        return
    await query.answer()


async def show_topic(chat_id: int, context: BotContext, topic: Topic, page: int = 0) -> bool:
    """Send one page of the topic's cards (short enough for a phone), with ➡️ to the next one;
    False if the topic has no such page."""
    t = context.t
    audience = audience_of(context.identity)
    if audience == "public" and page == 0:
        # Counted without her: a day, a topic and a language, nothing else.
        today = context.clock.now().astimezone(context.services.config.tz).date()
        await count_view(context.db, today, topic.id, t.locale)
    intro = None
    schedules: dict[str, list[str]] = {}
    if topic.is_contact:
        # Where to meet one: a place's card shows its real sessions, not the file's fixed hours.
        schedules = await place_schedules(context)
        intro = t._(
            "A bydelsmor is a woman from your part of Oslo who speaks your language and knows "
            "where to find help. You can meet us, or ask one of us to contact you."
        )
        # The real next drop-in from the schedule (handlers/dropin), not a fixed sentence.
        following = await next_dropin_line(context)
        if following:
            intro += "\n\n" + following
    pages = topic_pages(
        catalogue_of(context), topic, t, audience=audience, intro=intro, schedules=schedules
    )
    if page >= len(pages.pages):
        return False
    keyboard = await _topic_keyboard(context, topic)
    last = page == len(pages.pages) - 1
    text = pages.pages[page]
    if len(pages.pages) > 1:
        text += "\n\n" + t._("Page {page} of {pages}").format(
            page=t.ltr(page + 1), pages=t.ltr(len(pages.pages))
        )
        if not last:
            # TRANSLATORS: a button: the next page of the same help topic's cards.
            more = button("➡️", t._("Next page"), codecs.TOPIC_PAGE.encode(topic.id, page + 1))
            keyboard = InlineKeyboardMarkup([[more], *keyboard.inline_keyboard])
    await send(context, chat_id, text, keyboard if not (last and pages.venues) else None)
    if not last:
        return True
    for position, venue in enumerate(pages.venues):
        message = await context.bot.send_venue(
            chat_id,
            latitude=venue.latitude,
            longitude=venue.longitude,
            title=venue.title,
            address=venue.address,
            reply_markup=keyboard if position == len(pages.venues) - 1 else None,
        )
        remember(context, [message.message_id])
    return True


async def _topic_keyboard(context: BotContext, topic: Topic) -> InlineKeyboardMarkup:
    t = context.t
    rows: list[list[InlineKeyboardButton]] = []
    if await voice_note(context.db, topic.id, t.locale) is not None:
        # TRANSLATORS: a button that plays a voice message about this topic, in her language.
        rows.append([button("🔊", t._("Listen"), codecs.TOPIC_VOICE.encode(topic.id))])
    if topic.is_contact:
        rows.append([button("📞", t._("Ask a bydelsmor to contact me"), codecs.ASK.encode())])
        rows.append([button("📍", t._("Meet a bydelsmor"), menu.DROPIN.encode())])
    else:
        for contact in (found for found in catalogue_of(context).topics if found.is_contact):
            rows.append(
                [button(contact.emoji, t._(contact.label), codecs.TOPIC.encode(contact.id))]
            )
    rows.append([button("⬅️", t._("All topics"), codecs.TOPICS.encode())])
    rows.append([clear_button(context)])
    return InlineKeyboardMarkup(rows)


async def play_voice_note(update: Update, context: BotContext, topic: Topic) -> None:
    """Send the topic's voice note in her language (sendVoice), if one was recorded."""
    query = update.callback_query
    assert query is not None and update.effective_chat is not None
    file_id = await voice_note(context.db, topic.id, context.t.locale)
    if file_id is None:
        await answer_expired(query, context.t)
        return
    await query.answer()
    try:
        message = await context.bot.send_voice(update.effective_chat.id, file_id)
    except BadRequest:
        # Telegram no longer knows the file (it was recorded for another bot, or removed).
        gone = "😔 " + context.t._("Sorry, this voice message is gone.")
        await send(context, update.effective_chat.id, gone)
        return
    remember(context, [message.message_id])
