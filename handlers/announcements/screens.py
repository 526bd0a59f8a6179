"""/broadcast's screens: what a coordinator sees at each step of composing an announcement (the
audience questions, the prompts for the message and a version, the time), drawn from her draft
alone, so that /broadcast after a restart shows where she was (handlers/announcements/
broadcasts.py takes the presses and what she types; versions.py draws the versions and the
confirmation)."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.broadcasts import Step, limit_for
from bot.i18n import Translator
from bot.identity import Role
from handlers.announcements import codecs
from handlers.announcements.announcement_text import language_name
from handlers.announcements.audience import announcing, draft_label
from handlers.announcements.versions import confirm_screen, versions_screen
from handlers.common.context import BotContext
from handlers.common.render import button, escape
from storage.announcements.audiences import count_reachable_by_role
from storage.announcements.drafts import DraftRecord
from storage.districts import DistrictRecord


async def audience_start(
    context: BotContext, districts: list[DistrictRecord]
) -> tuple[str, InlineKeyboardMarkup]:
    """The first question: which district (or phase, or everyone), or straight to the audience
    within her one district."""
    if len(districts) == 1 and context.identity.role is not Role.ADMIN:
        return await district_audiences(context, districts[0], with_back=False)
    t = context.t
    rows = [[button("🏘", d.name, codecs.DISTRICT.encode(d.id))] for d in districts]
    phases = sorted({d.phase for d in districts})
    rows += [
        [
            button(
                "🔄",
                t._("Every district in phase {phase}").format(phase=p),
                codecs.AUDIENCE.encode(f"p{p}"),
            )
        ]
        for p in phases
    ]
    if context.identity.role is Role.ADMIN:
        rows.append([button("🌍", t._("Everyone (every district)"), codecs.AUDIENCE.encode("all"))])
    rows.append([button("❌", t._("Cancel"), codecs.CANCEL.encode())])
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
    rows = [
        [
            button(
                "👥",
                t._("All members ({n})").format(n=every),
                codecs.AUDIENCE.encode(f"m{district.id}"),
            )
        ]
    ]
    for (role, emoji, label), n in zip(labels, counts, strict=True):
        rows.append(
            [button(emoji, label.format(n=n), codecs.AUDIENCE.encode(f"r{district.id}.{role}"))]
        )
    if district.chat_id is not None:
        # Button labels are plain text to Telegram: the chat's title goes in as it is.
        title = (district.chat_title or "")[:28]
        rows.append(
            [
                button(
                    "💬",
                    t._("The group chat {title}").format(title=title).strip(),
                    codecs.AUDIENCE.encode(f"g{district.id}"),
                )
            ]
        )
    if with_back:
        rows.append([button("↩️", t._("Back"), codecs.TOP.encode())])
    rows.append([button("❌", t._("Cancel"), codecs.CANCEL.encode())])
    text = "📢 " + t._("New announcement for {district}. To whom?").format(
        district="<b>" + t.ltr(escape(district.name)) + "</b>"
    )
    return text, InlineKeyboardMarkup(rows)


async def screen_for(context: BotContext, draft: DraftRecord) -> tuple[str, InlineKeyboardMarkup]:
    """What she sees at the step her draft is at (also after a restart)."""
    t = context.t
    cancel = [button("❌", t._("Cancel"), codecs.CANCEL.encode())]
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
        back = [button("↩️", t._("Back"), codecs.BACK.encode())]
        return text, InlineKeyboardMarkup([back, cancel])
    if draft.step == Step.SCHEDULE:
        text = "🕒 " + t._(
            "When should it be sent? Send a date and time (Oslo time), for example {example}, "
            "or only a time, for example {time}."
        ).format(example=t.ltr("24.12 18:00"), time=t.ltr("18:00"))
        return text, InlineKeyboardMarkup(
            [[button("↩️", t._("Back"), codecs.CONFIRM.encode())], cancel]
        )
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
