"""How one message looks to a reviewer: the Norwegian and English, her language, where it
appears, the drafters' doubts, and the four buttons. Only catalogue texts are ever shown."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import LANGUAGE_BY_CODE, Translator, translator
from bot.review.catalogue import KIND_NOTES, catalogue_forms
from bot.review.checks import Finding, Problem
from bot.review.flow import ReviewItem
from handlers.common.render import button, escape
from handlers.review.codecs import STOP_DATA, approve_data, message_data

SHOWN = 1000  # characters of each text on the card: four texts stay inside Telegram's 4096


def _texts(forms: tuple[str, ...], locale: str) -> str:
    """One text, or a plural message's forms, each after a number it is used for ("• 1: ...")."""
    shown = [escape(f if len(f) <= SHOWN else f[:SHOWN] + "…") for f in forms]
    if len(shown) == 1:
        return shown[0]
    examples = plural_examples(locale)
    return "\n" + "\n".join(
        f"• {examples[i] if i < len(examples) else '?'}: {f}" for i, f in enumerate(shown)
    )


def plural_examples(locale: str) -> list[int]:
    """For each plural form of a language, the smallest count that takes it (0, 1, 2, 3, 11...)."""
    t, found = translator(locale), dict[int, int]()
    for n in range(201):
        found.setdefault(t.plural_index(n), n)
    return [found[i] for i in sorted(found)]


def progress_line(t: Translator, checked: int, total: int) -> str:
    # TRANSLATORS: her progress in reviewing a language, e.g. "84 of 429 checked".
    return t._("{checked} of {total} checked").format(checked=t.ltr(checked), total=t.ltr(total))


def card_text(t: Translator, locale: str, item: ReviewItem, checked: int, total: int) -> str:
    language = LANGUAGE_BY_CODE[locale]
    message = item.message
    lines = [
        f"📝 <b>{language.native_name}</b> — " + progress_line(t, checked, total),
        "📍 " + t._(message.area) + " · " + t._(KIND_NOTES[message.kind]),
    ]
    lines += [f"💬 <i>{escape(comment)}</i>" for comment in message.comments]
    lines.append("")
    if locale != "nb":
        lines.append("🇳🇴 " + _texts(catalogue_forms("nb", message), "nb"))
    lines.append("🇬🇧 " + _texts(message.source_forms, "en"))
    lines.append(f"🗣 <b>{_texts(item.current, locale)}</b>")
    lines += [f"🤔 {escape(doubt)}" for doubt in item.doubts]
    if item.pending is not None:
        lines += [
            "",
            "✏️ " + t._("Another reviewer suggests:"),
            f"<b>{_texts(item.pending.forms, locale)}</b>",
        ]
    return "\n".join(lines)


def card_keyboard(t: Translator, locale: str, item: ReviewItem) -> InlineKeyboardMarkup:
    index, key = item.index, item.message.key
    if item.pending is not None:
        # TRANSLATORS: a reviewer's button: she agrees with another reviewer's better wording.
        first = button("✅", t._("Approve"), approve_data(item.pending.id))
    else:
        # TRANSLATORS: a reviewer's button: the translation reads well as it is.
        first = button("✅", t._("Good"), message_data("g", locale, index, key))
    rows: list[list[InlineKeyboardButton]] = [
        [first, button("✏️", t._("Better wording"), message_data("b", locale, index, key))],
        [
            button("⏭", t._("Skip"), message_data("s", locale, index, key)),
            button("⏹", t._("Stop"), STOP_DATA),
        ],
    ]
    return InlineKeyboardMarkup(rows)


def ask_wording_text(t: Translator, locale: str, item: ReviewItem, forms: int) -> str:
    type_it = t._("Type your better wording in one message. To stop, send {command}.")
    lines = ["✏️ " + type_it.format(command=t.command("cancel"))]
    if item.message.msgid_plural is not None:
        text = t._("This text changes with the number: type its {n} forms on separate lines.")
        lines.append(text.format(n=t.ltr(forms)))
    lines.append(f"🗣 {_texts(item.current, locale)}")
    return "\n".join(lines)


def findings_text(t: Translator, findings: list[Finding]) -> str:
    lines = ["❌ <b>" + t._("Not kept yet:") + "</b>"]
    for finding in findings:
        parts = ", ".join(t.ltr(escape(p)) for p in finding.parts)
        if finding.problem is Problem.EMPTY:
            line = t._("The wording is empty.")
        elif finding.problem is Problem.PLACEHOLDERS:
            line = t._("Keep these placeholders exactly as they are: {parts}").format(parts=parts)
        elif finding.problem is Problem.NUMBERS:
            line = t._("Keep these numbers and links exactly as they are: {parts}").format(
                parts=parts
            )
        elif finding.problem is Problem.MARKUP:
            line = t._("Remove these marks, the original does not have them: {parts}").format(
                parts=parts
            )
        elif finding.problem is Problem.TOO_LONG:
            line = t._(
                "Too long for where it is shown: at most {limit} characters, yours has {length}."
            ).format(limit=t.ltr(finding.limit), length=t.ltr(finding.length))
        else:
            line = t._("Type {n} lines, one for each form; yours has {count}.").format(
                n=t.ltr(finding.limit), count=t.ltr(finding.length)
            )
        lines.append("• " + line)
    lines.append(
        t._("Type it again, or send {command} to stop.").format(command=t.command("cancel"))
    )
    return "\n".join(lines)
