"""Words for announcements shared by the composer, the worker and the history: the audience,
the progress message and the report, in the coordinator's language."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from bot.broadcasts import Audience, Counts, SendTime, TimeProblem, counts_from, progress_bar
from bot.i18n import LANGUAGE_BY_CODE, Translator
from bot.identity import Role
from handlers.common.render import escape


def language_name(t: Translator, locale: str | None) -> str:
    """A version's language as she recognises it; None is the original text."""
    if locale is None:
        # TRANSLATORS: the announcement as the coordinator wrote it, not a translated version.
        return t._("the original text")
    language = LANGUAGE_BY_CODE.get(locale)
    if language is None:
        return escape(locale)
    # "Norsk (bokmål)" inside Arabic text would scramble its brackets: isolate a left-to-right
    # name in right-to-left text (t.ltr does nothing in a left-to-right language).
    return language.native_name if language.rtl else t.ltr(language.native_name)


def audience_label(t: Translator, audience: Audience, district_name: str | None) -> str:
    """ "Alna: all members", "Alna: bydelsmødre", "every district in phase 3", "everyone"."""
    name = t.ltr(escape(district_name or "?"))
    if audience.kind == "members":
        return t._("{district}: all members").format(district=name)
    if audience.kind == "role":
        assert audience.role is not None
        # TRANSLATORS: audiences of an announcement; {district} is the district's name.
        groups = {
            Role.MOTHER: t._("{district}: the bydelsmødre"),
            Role.PARTICIPANT: t._("{district}: the participants in the basic training"),
            Role.COORDINATOR: t._("{district}: the coordinators"),
        }
        return groups[audience.role].format(district=name)
    if audience.kind == "chat":
        return t._("{district}: the group chat").format(district=name)
    if audience.kind == "phase":
        return t._("the members of every district in phase {phase}").format(
            phase=t.ltr(audience.phase)
        )
    return t._("everyone: the members of every district")


def counts_line(t: Translator, counts: Counts) -> str:
    """ "✅ 330 sent · 🚫 10 blocked · ⚠️ 5 failed · ❓ 1 uncertain", zeros left out but sent."""
    parts = ["✅ " + t._("{n} sent").format(n=t.ltr(counts.sent))]
    if counts.unreachable:
        # TRANSLATORS: recipients who blocked the bot (or a group chat that removed it).
        parts.append("🚫 " + t._("{n} blocked").format(n=t.ltr(counts.unreachable)))
    if counts.failed:
        parts.append("⚠️ " + t._("{n} failed").format(n=t.ltr(counts.failed)))
    if counts.uncertain:
        parts.append("❓ " + t._("{n} uncertain").format(n=t.ltr(counts.uncertain)))
    waiting = counts.total - counts.finished
    if waiting:
        parts.append("⏳ " + t._("{n} waiting").format(n=t.ltr(waiting)))
    return " · ".join(parts)


def per_version(rows: Iterable[tuple[str | None, str, int]]) -> dict[str | None, Counts]:
    grouped: dict[str | None, list[tuple[str, int]]] = defaultdict(list)
    for locale, status, n in rows:
        grouped[locale].append((status, n))
    return {locale: counts_from(pairs) for locale, pairs in grouped.items()}


def progress_text(t: Translator, label: str, done: int, total: int) -> str:
    """ "📢 Sending: Alna: all members\n▓▓▓░░░░░░░ 120 / 350"."""
    return (
        "📢 "
        + t._("Sending: {audience}").format(audience=label)
        + "\n"
        + progress_bar(done, total)
        + " "
        + t.ltr(f"{done} / {total}")
    )


def report_text(
    t: Translator, label: str, rows: Iterable[tuple[str | None, str, int]], final: bool = True
) -> str:
    """The report: the totals, then one line per language version."""
    versions = per_version(rows)
    total = sum(versions.values(), Counts())
    heading = t._("Announcement delivered") if final else t._("Announcement")
    lines = [f"📢 <b>{heading}</b>: {label}", counts_line(t, total)]
    if len(versions) > 1 or any(locale is not None for locale in versions):
        for locale in sorted(versions, key=lambda loc: (loc is None, loc or "")):
            lines.append(f"• {language_name(t, locale)}: {counts_line(t, versions[locale])}")
    if total.uncertain:
        lines.append(
            "❓ "
            + t._(
                "Uncertain: Telegram did not confirm these (no answer in time, or the bot stopped "
                "while sending), so they may or may not have arrived. They were not sent again, "
                "to be sure nobody gets a message twice."
            )
        )
    if total.unreachable:
        lines.append(
            "🚫 "
            + t._(
                "Blocked: they blocked the bot, so they are left out of announcements until they "
                "write to the bot again."
            )
        )
    return "\n".join(lines)


def time_refusal(t: Translator, typed: SendTime) -> str:
    """Why the time she typed is refused, and how to write the one she may have meant."""
    example = t.ltr("24.12 18:00")
    if typed.problem is TimeProblem.PASSED_TODAY:
        return "⌛ " + t._(
            "That time has passed today. Send a later time, or a day and a time like {example}."
        ).format(example=example)
    if typed.problem is TimeProblem.PASSED_DAY and typed.meant is not None:
        # TRANSLATORS: {example} is the same day and time with next year's date, e.g. 05.12.2027.
        return "⌛ " + t._(
            "That day has passed this year. If you mean next year, write the year too: {example}."
        ).format(example=t.ltr(f"{typed.meant:%d.%m.%Y %H:%M}"))
    if typed.problem is TimeProblem.PAST:
        return "⌛ " + t._("That date has passed. Send a day and a time like {example}.").format(
            example=example
        )
    return "🤔 " + t._(
        "I could not read that as a time in the future. Send it like {example}."
    ).format(example=example)


def scheduled_text(t: Translator, when: str, recipients: int) -> str:
    """The confirmation of a scheduled announcement: when, and to how many (no progress bar
    before it is sent)."""
    return (
        "🕒 "
        + t._("Scheduled: {when}. You will see the progress here.").format(when=when)
        + "\n"
        + t.ngettext("{n} recipient", "{n} recipients", recipients).format(n=t.ltr(recipients))
    )
