"""/broadcast: a coordinator composes an announcement, step by step; /broadcasts: the history.

Composing is a state machine whose state is her draft row in the database (bot/broadcasts.py
Step), so a restart loses nothing she typed and /broadcast picks up where she was: the audience
(her district's members, one role, the group chat, every district in a phase; everyone only for
admins), the message (a text, or one photo or document with a caption), versions in the
languages the audience reads (and which language her own text is in, if not the one assumed),
a preview exactly as they will see it (who gets a fallback language included), an optional
time, then send or cancel.

Buttons carry only short codes; every press, every typed step and the final "send" check again
that she may announce to that audience. Sending writes the announcement and its whole outbox in
one transaction and wakes the worker (handlers/announcements/outbox.py), which edits the
confirmation into a progress message and sends the report.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import RetryAfter

from bot.broadcasts import (
    DRAFT_KEPT,
    TYPED_STEPS,
    Audience,
    Candidate,
    Step,
    announcing_districts,
    counts_from,
    deliveries,
    draft_expired,
    fallbacks,
    languages_read,
    limit_for,
    may_announce,
    read_send_time,
    telegram_length,
    too_long,
    version_for,
)
from bot.i18n import LANGUAGE_BY_CODE, N_, Translator
from bot.identity import Identity, Role
from handlers.announcements.announcement_text import (
    audience_label,
    counts_line,
    language_name,
    progress_text,
    report_text,
    scheduled_text,
    time_refusal,
)
from handlers.common import fallback
from handlers.common.access import refuse
from handlers.common.awaiting import Question, Takes, ask, end
from handlers.common.context import BotContext
from handlers.common.language import language_keyboard
from handlers.common.render import answer_expired, button, edit_in_place, escape
from handlers.common.sending import retry_seconds
from storage.broadcasts import (
    DraftRecord,
    NewAnnouncement,
    Recipient,
    count_reachable_by_role,
    create_announcement,
    delete_draft,
    districts_in_phase,
    get_draft,
    list_announcements,
    reachable_members,
    save_draft,
    status_counts,
    version_counts,
)
from storage.districts import DistrictRecord, get_district, list_districts

PRESS = re.compile(
    r"bc:(?:(?P<district>d:\d{1,9})|a:(?P<audience>[a-z0-9.]{1,40})"
    r"|v:(?P<version>[a-zA-Z_]{2,6})|o:(?P<original>[a-zA-Z_]{2,6})"
    r"|(?P<word>pv|cf|ok|later|x|back|new|top|orig))"
)
HISTORY_PAGE = re.compile(r"bch:(\d{1,5})")
HISTORY_PAGE_SIZE = 4
PREVIEW_TRIES = 4  # a preview message goes again after up to three 429s
SNIPPET = 80  # characters of an announcement shown in the history

# The typed question: what the draft's step waits for (the step is the value). The draft lives
# in the database and so does the question: both survive a restart.
TEXT = Question(
    "broadcast.text",
    N_("I no longer wait for your announcement. It is kept as a draft: {command} goes back to it."),
    Takes.ANY,
    lasts=DRAFT_KEPT,
    resume="broadcast",
)


# -- who she may announce to ----------------------------------------------------------------


async def announcing(context: BotContext) -> list[DistrictRecord]:
    """The districts she may announce to: her own as a coordinator, all as an admin."""
    everything = await list_districts(context.db)
    allowed = set(announcing_districts(context.identity, [d.id for d in everything]))
    return [d for d in everything if d.id in allowed]


@dataclass(frozen=True)
class Resolved:
    """An audience as it is now: the women (reachable ones only) and the group chats."""

    women: list[Candidate] = field(default_factory=list)
    chats: list[tuple[int, str]] = field(default_factory=list)  # (chat id, district language)

    @property
    def size(self) -> int:
        return len(self.women) + len(self.chats)


async def resolve(context: BotContext, audience: Audience) -> Resolved:
    db, identity = context.db, context.identity
    role = str(audience.role) if audience.role else None
    if audience.kind == "chat":
        district = await get_district(db, audience.district_id or 0)
        if district is None or district.chat_id is None:
            return Resolved()
        return Resolved(chats=[(district.chat_id, district.default_locale)])
    if audience.kind == "everyone":
        ids: list[int] | None = None
    elif audience.kind == "phase":
        ids = announcing_districts(identity, await districts_in_phase(db, audience.phase or 0))
    else:
        ids = [audience.district_id or 0]
    members = await reachable_members(db, ids, role)
    return Resolved(women=[Candidate(m.telegram_id, m.locale, m.district_locale) for m in members])


async def permitted(context: BotContext, audience: Audience) -> bool:
    phase_ids = await districts_in_phase(context.db, audience.phase) if audience.phase else []
    return may_announce(context.identity, audience, phase_ids)


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
            [*keyboard.inline_keyboard, [button("🆕", context.t._("Start again"), "bc:new")]]
        )
        await asked_for_step(context, draft)
    else:
        draft = DraftRecord(author, Step.AUDIENCE)
        await save_draft(context.db, draft, datetime.now(UTC))
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
    if draft is not None and draft_expired(draft.updated_at, datetime.now(UTC)):
        await delete_draft(context.db, author)
        return None
    return draft


async def audience_start(
    context: BotContext, districts: list[DistrictRecord]
) -> tuple[str, InlineKeyboardMarkup]:
    """The first question: which district (or phase, or everyone), or straight to the audience
    within her one district."""
    if len(districts) == 1 and context.identity.role is not Role.ADMIN:
        return await district_audiences(context, districts[0], with_back=False)
    t = context.t
    rows = [[button("🏘", d.name, f"bc:d:{d.id}")] for d in districts]
    phases = sorted({d.phase for d in districts})
    rows += [
        [button("🔄", t._("Every district in phase {phase}").format(phase=p), f"bc:a:p{p}")]
        for p in phases
    ]
    if context.identity.role is Role.ADMIN:
        rows.append([button("🌍", t._("Everyone (every district)"), "bc:a:all")])
    rows.append([button("❌", t._("Cancel"), "bc:x")])
    return "📢 " + t._("New announcement. To whom?"), InlineKeyboardMarkup(rows)


async def district_audiences(
    context: BotContext, district: DistrictRecord, *, with_back: bool = True
) -> tuple[str, InlineKeyboardMarkup]:
    """Who in one district: all members, one role, or the group chat; with how many each."""
    t, db = context.t, context.db
    labels = (
        (Role.MOTHER, "🤝", t._("The bydelsmødre ({n})")),
        (Role.PARTICIPANT, "🎓", t._("The participants ({n})")),
        (Role.COORDINATOR, "🧭", t._("The coordinators ({n})")),
    )
    every, counts = await count_reachable_by_role(db, district.id, [str(r) for r, *_ in labels])
    rows = [[button("👥", t._("All members ({n})").format(n=every), f"bc:a:m{district.id}")]]
    for (role, emoji, label), n in zip(labels, counts, strict=True):
        rows.append([button(emoji, label.format(n=n), f"bc:a:r{district.id}.{role}")])
    if district.chat_id is not None:
        # Button labels are plain text to Telegram: the chat's title goes in as it is.
        title = (district.chat_title or "")[:28]
        rows.append(
            [
                button(
                    "💬",
                    t._("The group chat {title}").format(title=title).strip(),
                    f"bc:a:g{district.id}",
                )
            ]
        )
    if with_back:
        rows.append([button("↩️", t._("Back"), "bc:top")])
    rows.append([button("❌", t._("Cancel"), "bc:x")])
    text = "📢 " + t._("New announcement for {district}. To whom?").format(
        district="<b>" + t.ltr(escape(district.name)) + "</b>"
    )
    return text, InlineKeyboardMarkup(rows)


async def screen_for(context: BotContext, draft: DraftRecord) -> tuple[str, InlineKeyboardMarkup]:
    """What she sees at the step her draft is at (also after a restart)."""
    t = context.t
    cancel = [button("❌", t._("Cancel"), "bc:x")]
    if draft.step == Step.AUDIENCE:
        return await audience_start(context, await announcing(context))
    label = await draft_label(context, draft)
    if draft.step == Step.MESSAGE:
        return message_prompt(t, label), InlineKeyboardMarkup([cancel])
    if draft.step == Step.VERSION:
        text = "✍️ " + t._("Send the text in {language}.").format(
            language=language_name(t, draft.editing_locale)
        )
        limit = limit_for(draft.media_kind is not None)
        text += "\n" + t._("At most {limit} characters.").format(limit=t.ltr(limit))
        back = [button("↩️", t._("Back"), "bc:back")]
        return text, InlineKeyboardMarkup([back, cancel])
    if draft.step == Step.SCHEDULE:
        text = "🕒 " + t._(
            "When should it be sent? Send a date and time (Oslo time), for example {example}, "
            "or only a time, for example {time}."
        ).format(example=t.ltr("24.12 18:00"), time=t.ltr("18:00"))
        return text, InlineKeyboardMarkup([[button("↩️", t._("Back"), "bc:cf")], cancel])
    if draft.step == Step.CONFIRM:
        return await confirm_screen(context, draft)
    return await versions_screen(context, draft)


def message_prompt(t: Translator, label: str) -> str:
    return (
        "📢 "
        + t._("To: {audience}").format(audience=label)
        + "\n\n✍️ "
        + t._(
            "Now send the announcement: a text, or one photo or document with a caption. "
            "At most {text} characters, or {caption} for a caption."
        ).format(text=t.ltr(4096), caption=t.ltr(1024))
    )


async def draft_label(context: BotContext, draft: DraftRecord) -> str:
    audience = Audience.parse(draft.audience or "")
    if audience is None:
        return "?"
    district = await get_district(context.db, audience.district_id or 0)
    return audience_label(context.t, audience, district.name if district else None)


# -- the presses ----------------------------------------------------------------------------


async def broadcast_callback(update: Update, context: BotContext) -> None:
    """Take one step of composing: audience, versions, preview, time, send or cancel."""
    query = update.callback_query
    assert query is not None and query.data is not None
    match = PRESS.fullmatch(query.data)
    author = context.identity.telegram_id
    draft = await get_draft(context.db, author)
    if match is None or draft is None or not await announcing(context):
        if match is not None and draft is not None:
            await refuse(update, context)
        else:
            await answer_expired(query, context.t)
        return
    stored = Audience.parse(draft.audience) if draft.audience else None
    if draft.audience and (stored is None or not await permitted(context, stored)):
        await refuse(update, context)
        return
    if match["district"]:
        await district_pressed(update, context, draft, int(match["district"][2:]))
    elif match["audience"]:
        await audience_pressed(update, context, draft, match["audience"])
    elif match["version"]:
        await version_pressed(update, context, draft, match["version"])
    elif match["original"] or match["word"] == "orig":
        await original_pressed(update, context, draft, match["original"])
    elif match["word"] == "ok":
        await send_pressed(update, context, draft)
    elif match["word"] == "x":
        await delete_draft(context.db, author)
        await end(context, TEXT)
        await query.answer()
        await edit_in_place(query, "❌ " + context.t._("Cancelled: nothing was sent."))
    else:
        await move_pressed(update, context, draft, match["word"])


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
    await save_draft(context.db, draft, datetime.now(UTC))
    await query.answer()
    await asked_for_step(context, draft)
    await edit_in_place(
        query,
        message_prompt(t, await draft_label(context, draft)),
        InlineKeyboardMarkup([[button("❌", t._("Cancel"), "bc:x")]]),
    )


def empty_audience(t: Translator) -> str:
    # TRANSLATORS: a pop-up (at most 200 characters).
    return "🤷 " + t._("Nobody to send to: nobody in this audience can be reached. Choose another.")


async def version_pressed(
    update: Update, context: BotContext, draft: DraftRecord, locale: str
) -> None:
    query = update.callback_query
    assert query is not None
    if draft.step not in (Step.VERSIONS, Step.CONFIRM) or locale not in LANGUAGE_BY_CODE:
        await answer_expired(query, context.t)
        return
    draft = replace(draft, step=Step.VERSION, editing_locale=locale)
    await save_draft(context.db, draft, datetime.now(UTC))
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
        languages = language_keyboard("bc:o:").inline_keyboard
        back = [button("↩️", t._("Back"), "bc:back")]
        # TRANSLATORS: above the list of languages; her text is the announcement she wrote.
        text = "🔤 " + t._("In which language did you write your text?")
        await edit_in_place(query, text, InlineKeyboardMarkup([*languages, back]))
        return
    # A version she wrote in that language stays: it is what readers of it get (with_original).
    draft = replace(draft, step=Step.VERSIONS, editing_locale=None, original_locale=locale)
    await save_draft(context.db, draft, datetime.now(UTC))
    await asked_for_step(context, draft)
    text, keyboard = await versions_screen(context, draft)
    await edit_in_place(query, text, keyboard)


async def move_pressed(update: Update, context: BotContext, draft: DraftRecord, word: str) -> None:
    """Preview, "send later", back to the versions, back to the first question, start again."""
    query = update.callback_query
    assert query is not None
    has_message = draft.body is not None or draft.media_file_id is not None
    if word in ("new", "top"):
        draft = DraftRecord(draft.created_by, Step.AUDIENCE)
    elif not has_message:
        await answer_expired(query, context.t)
        return
    elif word == "back":
        draft = replace(draft, step=Step.VERSIONS, editing_locale=None)
    elif word == "later":
        draft = replace(draft, step=Step.SCHEDULE)
    else:  # the preview (shown, then the confirmation), or back to the confirmation
        draft = replace(draft, step=Step.CONFIRM)
    await save_draft(context.db, draft, datetime.now(UTC))
    await query.answer()
    await asked_for_step(context, draft)
    if word == "pv":
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
    await save_draft(context.db, draft, datetime.now(UTC))
    await end(context, TEXT)
    screen, keyboard = await versions_screen(context, draft)
    await context.bot.send_message(
        chat_id, screen, parse_mode=ParseMode.HTML, reply_markup=keyboard
    )


async def schedule_typed(context: BotContext, message: Message, draft: DraftRecord) -> None:
    t, tz = context.t, context.services.config.tz
    typed = read_send_time(message.text or "", datetime.now(UTC), tz)
    moment = typed.moment
    if moment is None:
        await context.bot.send_message(message.chat_id, time_refusal(t, typed))
        return
    draft = replace(draft, step=Step.CONFIRM, send_at=moment)
    await save_draft(context.db, draft, datetime.now(UTC))
    await end(context, TEXT)
    text, keyboard = await confirm_screen(context, draft)
    await context.bot.send_message(
        message.chat_id, text, parse_mode=ParseMode.HTML, reply_markup=keyboard
    )


async def text_cancelled(context: BotContext, values: tuple[str, ...]) -> str:
    """/cancel while the draft waits for her typing throws the draft away."""
    await delete_draft(context.db, context.identity.telegram_id, TYPED_STEPS)
    return "🗑 " + context.t._("Nothing was sent; the announcement was thrown away.")


# -- versions, preview, confirmation --------------------------------------------------------


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
    lines.append(
        "✍️ "
        + t._("Your text counts as the {language} version.").format(
            language=language_name(t, original)
        )
    )
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
        rows.append([button(emoji, label, f"bc:v:{locale}")])
    rows = rows[:12]
    # TRANSLATORS: a button (short): her text is not in the language named above.
    rows.append([button("🔤", t._("My text is in another language"), "bc:orig")])
    rows.append([button("👁", t._("Preview"), "bc:pv")])
    rows.append([button("❌", t._("Cancel"), "bc:x")])
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
                await asyncio.sleep(retry_seconds(exc))


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
        send = button("✅", t._("Confirm: send then"), "bc:ok")
    else:
        send = button("✅", t._("Send now"), "bc:ok")
    rows = [
        [send],
        [button("🕒", t._("Send later"), "bc:later")],
        [button("✏️", t._("Change the versions"), "bc:back")],
        [button("❌", t._("Cancel"), "bc:x")],
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
    # without a stored version gets the original text (storage.broadcasts.due_jobs).
    versions = await with_original(context, draft)
    recipients = [
        Recipient(d.telegram_id, None, d.locale, d.fallback)
        for d in deliveries(resolved.women, versions)
    ]
    recipients += [
        Recipient(None, chat_id, version_for(None, locale, versions))
        for chat_id, locale in resolved.chats
    ]
    now = datetime.now(UTC)
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


# -- /broadcasts: the history ---------------------------------------------------------------


async def broadcasts_command(update: Update, context: BotContext) -> None:
    """List past announcements with their reports, newest first."""
    assert update.effective_chat is not None
    if not await announcing(context):
        await refuse(update, context)
        return
    text, keyboard = await history_page(context, 0)
    await context.bot.send_message(
        update.effective_chat.id, text, parse_mode=ParseMode.HTML, reply_markup=keyboard
    )


async def history_callback(update: Update, context: BotContext) -> None:
    """Show another page of the history, in place."""
    query = update.callback_query
    assert query is not None and query.data is not None
    match = HISTORY_PAGE.fullmatch(query.data)
    if match is None:
        await answer_expired(query, context.t)
        return
    if not await announcing(context):
        await refuse(update, context)
        return
    text, keyboard = await history_page(context, int(match[1]))
    await query.answer()
    await edit_in_place(query, text, keyboard)


def history_scope(identity: Identity, districts: list[DistrictRecord]) -> list[int] | None:
    """Admins see every announcement; a coordinator those to her districts and her own."""
    return None if identity.role is Role.ADMIN else [d.id for d in districts]


async def history_page(context: BotContext, page: int) -> tuple[str, InlineKeyboardMarkup | None]:
    t, tz = context.t, context.services.config.tz
    scope = history_scope(context.identity, await announcing(context))
    author = context.identity.telegram_id
    total, _ = await list_announcements(context.db, scope, author, 0, 0)
    pages = max(1, -(-total // HISTORY_PAGE_SIZE))
    page = min(page, pages - 1)
    _, found = await list_announcements(
        context.db, scope, author, HISTORY_PAGE_SIZE, page * HISTORY_PAGE_SIZE
    )
    if not found:
        return "📭 " + t._("No announcements yet. Send one with {command}.").format(
            command=t.command("broadcast")
        ), None
    lines = [
        "📜 <b>"
        + t._("Announcements")
        + "</b> "
        + t._("(page {page} of {pages})").format(page=t.ltr(page + 1), pages=t.ltr(pages))
    ]
    statuses = await status_counts(context.db, [a.id for a in found])
    for a in found:
        audience = Audience.parse(a.audience)
        label = audience_label(t, audience, a.district_name) if audience else "?"
        snippet = a.body if len(a.body) <= SNIPPET else a.body[: SNIPPET - 1] + "…"
        counts = counts_from(statuses.get(a.id, []))
        lines += ["", "🗓 " + t.format_datetime(a.send_at, tz)]
        if a.cancelled_at is not None:
            lines.append("📢 " + label + "\n❌ " + t._("Cancelled: nobody got it."))
        elif a.waiting(datetime.now(UTC)):
            lines.append("📢 " + label + "\n🕒 " + t._("Waiting to be sent."))
        elif counts.done:
            lines.append(report_text(t, label, await version_counts(context.db, a.id)))
        else:
            lines.append("📢 " + label + "\n" + counts_line(t, counts))
        if snippet:
            lines.append("<i>" + escape(snippet) + "</i>")
    navigation = []
    if page > 0:
        navigation.append(button("⬅️", t._("Previous"), f"bch:{page - 1}"))
    if page + 1 < pages:
        navigation.append(button("➡️", t._("Next"), f"bch:{page + 1}"))
    return "\n".join(lines), InlineKeyboardMarkup([navigation]) if navigation else None
