"""An announcement's versions, the preview, the confirmation and the send: the composer's last
screens (handlers/announcements/broadcasts.py asks for the text and the audience)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import RetryAfter

from bot.broadcasts import (
    Audience,
    Step,
    deliveries,
    fallbacks,
    languages_read,
    version_for,
)
from bot.i18n import LANGUAGE_BY_CODE
from handlers.announcements import codecs
from handlers.announcements.announcement_text import (
    language_name,
    progress_text,
    scheduled_text,
)
from handlers.announcements.audience import (
    Resolved,
    draft_label,
    empty_audience,
    permitted,
    resolve,
)
from handlers.common.access import refuse
from handlers.common.context import BotContext
from handlers.common.render import answer_expired, button, edit_in_place, escape
from handlers.delivery.sending import retry_seconds
from storage.announcements.drafts import DraftRecord
from storage.announcements.records import NewAnnouncement, Recipient, create_announcement
from storage.districts import get_district

PREVIEW_TRIES = 4  # a preview message goes again after up to three 429s


async def versions_screen(
    context: BotContext, draft: DraftRecord
) -> tuple[str, InlineKeyboardMarkup]:
    """Which languages the audience reads, how many women each, and which versions exist."""
    t = context.t
    audience = Audience.parse(draft.audience or "")
    resolved = await resolve(context, audience) if audience else Resolved()
    read = languages_read(resolved.women)
    for _chat, locale in resolved.chats:
        read.append((locale, 0))
    lines = ["📢 " + t._("To: {audience}").format(audience=await draft_label(context, draft))]
    if resolved.women:
        shown = " · ".join(f"{language_name(t, loc)} {t.ltr(n)}" for loc, n in read if n)
        lines.append("🌍 " + t._("They read: {languages}").format(languages=shown))
    if resolved.chats:
        lines.append(
            "💬 "
            + t._("The group chat gets the district's language: {language}").format(
                language=language_name(t, resolved.chats[0][1])
            )
        )
    original = await original_locale(context, draft)
    # TRANSLATORS: {language} is the language her own text is taken to be written in.
    counts_as = t._("Your text counts as the {language} version.")
    lines.append("✍️ " + counts_as.format(language=language_name(t, original)))
    if draft.versions:
        done = ", ".join(language_name(t, loc) for loc in sorted(draft.versions))
        lines.append("✅ " + t._("Versions: {languages}").format(languages=done))
    lines.append("")
    lines.append(
        t._(
            "Add a version in a language they read, or look at the preview. Whoever reads a "
            "language without a version gets the district's language, or else your text."
        )
    )
    rows: list[list[InlineKeyboardButton]] = []
    seen: set[str] = {original} - set(draft.versions)  # her text is that version already
    for locale, n in read:
        if locale in seen or locale not in LANGUAGE_BY_CODE:
            continue
        seen.add(locale)
        emoji = "✏️" if locale in draft.versions else "➕"
        label = language_name(t, locale) + (f" ({n})" if n else "")
        rows.append([button(emoji, label, codecs.VERSION.encode(locale))])
    rows = rows[:12]
    # TRANSLATORS: a button (short): her text is not in the language named above.
    other = t._("My text is in another language")
    rows.append([button("🔤", other, codecs.ORIGINAL_LANGUAGES.encode())])
    rows.append([button("👁", t._("Preview"), codecs.PREVIEW.encode())])
    rows.append([button("❌", t._("Cancel"), codecs.CANCEL.encode())])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


async def original_locale(context: BotContext, draft: DraftRecord) -> str:
    """The language her own text counts as: the one she said it is in, else the district's
    default language for one district's audience (coordinators write to their district in its
    language), else her own language."""
    if draft.original_locale is not None and draft.original_locale in LANGUAGE_BY_CODE:
        return draft.original_locale
    audience = Audience.parse(draft.audience or "")
    if audience is not None and audience.district_id is not None:
        district = await get_district(context.db, audience.district_id)
        if district is not None:
            return district.default_locale
    return context.identity.locale


async def with_original(context: BotContext, draft: DraftRecord) -> dict[str, str]:
    """Her versions, with the original as the version in its language (unless she wrote one)."""
    return {await original_locale(context, draft): draft.body or "", **draft.versions}


async def send_preview(context: BotContext, chat_id: int, draft: DraftRecord) -> None:
    """Each version exactly as the women will see it, the original first, each message on its
    turn under the bot's one rate plan (a preview of many versions is many messages)."""
    t = context.t
    audience = Audience.parse(draft.audience or "")
    resolved = await resolve(context, audience) if audience else Resolved()
    versions = await with_original(context, draft)
    given = {d.locale for d in deliveries(resolved.women, versions)}
    given |= {version_for(None, locale, versions) for _chat, locale in resolved.chats}
    bodies: list[tuple[str | None, str]] = [(None, draft.body or "")] if None in given else []
    bodies += [(locale, body) for locale, body in sorted(versions.items()) if locale in given]
    for locale, body in bodies:
        heading = "👁 " + t._("Preview: {language}").format(language=language_name(t, locale))
        await preview_one(context, chat_id, heading, escape(body), draft)


async def preview_one(
    context: BotContext, chat_id: int, heading: str, text: str, draft: DraftRecord
) -> None:
    bot, photo, document = context.bot, draft.media_file_id, draft.media_file_id
    await paced(context, chat_id, lambda: bot.send_message(chat_id, heading))
    if draft.media_kind == "photo" and photo:
        await paced(
            context,
            chat_id,
            lambda: bot.send_photo(chat_id, photo, caption=text or None, parse_mode=ParseMode.HTML),
        )
    elif draft.media_kind == "document" and document:
        await paced(
            context,
            chat_id,
            lambda: bot.send_document(
                chat_id, document, caption=text or None, parse_mode=ParseMode.HTML
            ),
        )
    else:
        await paced(
            context, chat_id, lambda: bot.send_message(chat_id, text, parse_mode=ParseMode.HTML)
        )


async def paced(
    context: BotContext, chat_id: int, request: Callable[[], Awaitable[object]]
) -> None:
    """Send on this chat's turn under the worker's rate plan. A 429 pauses the whole plan (the
    worker's announcements too), and the same message goes again once the pause is over, so a
    preview is never left half shown without its buttons."""
    outbox = context.services.outbox
    for attempt in range(1, PREVIEW_TRIES + 1):
        if outbox is not None:
            await outbox.pace(chat_id)
        try:
            await request()
            return
        except RetryAfter as exc:
            if attempt == PREVIEW_TRIES:
                raise
            if outbox is not None:
                outbox.pause(retry_seconds(exc))  # the next pace() waits it out
            else:
                await context.clock.sleep(retry_seconds(exc))


async def confirm_screen(
    context: BotContext, draft: DraftRecord
) -> tuple[str, InlineKeyboardMarkup]:
    """Who gets which version (and who a fallback), when, and the buttons to send or cancel."""
    t, tz = context.t, context.services.config.tz
    audience = Audience.parse(draft.audience or "")
    resolved = await resolve(context, audience) if audience else Resolved()
    label = await draft_label(context, draft)
    lines = [
        "📢 " + t._("To: {audience}").format(audience=label),
        t.ngettext("{n} recipient", "{n} recipients", resolved.size).format(n=t.ltr(resolved.size)),
    ]
    gets: dict[str | None, int] = {}
    versions = await with_original(context, draft)
    for d in deliveries(resolved.women, versions):
        gets[d.locale] = gets.get(d.locale, 0) + 1
    for _chat, chat_locale in resolved.chats:
        chat_version = version_for(None, chat_locale, versions)
        gets[chat_version] = gets.get(chat_version, 0) + 1
    for version in sorted(gets, key=lambda loc: (loc is None, loc or "")):
        lines.append(
            "• "
            + t._("{language}: {n}").format(
                language=language_name(t, version), n=t.ltr(gets[version])
            )
        )
    falling = fallbacks(resolved.women, versions)
    if falling:
        lines.append("")
        lines.append("↪️ " + t._("Not in their own language:"))
        for f in falling:
            lines.append(
                "• "
                + t.ngettext(
                    "{n} woman reads {reads} and gets {gets}",
                    "{n} women read {reads} and get {gets}",
                    f.count,
                ).format(
                    n=t.ltr(f.count), reads=language_name(t, f.reads), gets=language_name(t, f.gets)
                )
            )
    lines.append("")
    if draft.send_at:
        when = t.format_datetime(draft.send_at, tz)
        lines.append("🕒 " + t._("To be sent: {when}").format(when=when))
        send = button("✅", t._("Confirm: send then"), codecs.SEND.encode())
    else:
        send = button("✅", t._("Send now"), codecs.SEND.encode())
    rows = [
        [send],
        [button("🕒", t._("Send later"), codecs.LATER.encode())],
        [button("✏️", t._("Change the versions"), codecs.BACK.encode())],
        [button("❌", t._("Cancel"), codecs.CANCEL.encode())],
    ]
    return "\n".join(lines), InlineKeyboardMarkup(rows)


async def send_pressed(update: Update, context: BotContext, draft: DraftRecord) -> None:
    """Write the announcement and its whole outbox in one transaction; the worker takes over."""
    query = update.callback_query
    assert query is not None and query.message is not None
    t = context.t
    audience = Audience.parse(draft.audience or "")
    if draft.step != Step.CONFIRM or audience is None:
        await answer_expired(query, t)
        return
    if not await permitted(context, audience):  # again: her role may have changed meanwhile
        await refuse(update, context)
        return
    resolved = await resolve(context, audience)
    if resolved.size == 0:
        await query.answer(empty_audience(t), show_alert=True)
        return
    # The original counts as the version in its language: an outbox row in that language
    # without a stored version gets the original text (storage.announcements.outbox.due_jobs).
    versions = await with_original(context, draft)
    recipients = [
        Recipient(d.telegram_id, None, d.locale, d.fallback)
        for d in deliveries(resolved.women, versions)
    ]
    recipients += [
        Recipient(None, chat_id, version_for(None, locale, versions))
        for chat_id, locale in resolved.chats
    ]
    now = context.clock.now()
    label = await draft_label(context, draft)
    if draft.send_at and draft.send_at > now:
        # Not "Sending: 0 / N" while it waits: when and to how many; /broadcasts can change it.
        when = t.format_datetime(draft.send_at, context.services.config.tz)
        text = scheduled_text(t, when, len(recipients))
    else:
        text = progress_text(t, label, 0, len(recipients))
    # "0 / N" first, and only then the outbox: the worker (perhaps busy with another
    # announcement, so not waiting to be woken) cannot edit it before, and this edit can never
    # land after the worker's last one.
    await edit_in_place(query, text)
    new = NewAnnouncement(
        created_by=draft.created_by,
        district_id=audience.district_id,
        audience=audience.code,
        body=draft.body or "",
        media_kind=draft.media_kind,
        media_file_id=draft.media_file_id,
        versions=draft.versions,
        send_at=draft.send_at or now,
        progress_message_id=query.message.message_id,
    )
    announcement_id = await create_announcement(context.db, new, recipients, now)
    if announcement_id is None:  # pressed twice: the first press sent it
        await answer_expired(query, t)
        return
    await query.answer("✅")
    if context.services.outbox is not None:
        context.services.outbox.wake()
