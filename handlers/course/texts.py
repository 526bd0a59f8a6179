"""The course's messages that more than one handler or job sends, in her language."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup

from bot.course.modules import MODULE_BY_NUMBER, module_name
from bot.i18n import Translator
from bot.referrals import map_search_url
from handlers.common.render import button, escape
from handlers.course import codecs
from storage.course.cohorts import Cohort
from storage.course.evenings import Evening


def cohort_label(t: Translator, cohort: Cohort) -> str:
    """ "Alna: Autumn 2026", names escaped and kept in their direction."""
    return t.ltr(escape(cohort.district_name)) + ": " + t.ltr(escape(cohort.name))


def offer_text(t: Translator, cohort: Cohort, expires: datetime, tz: ZoneInfo) -> str:
    return "\n".join(
        [
            "🎉 <b>" + t._("A place in the basic training is free for you") + "</b>",
            "",
            cohort_label(t, cohort),
            t._("Do you want it? Please answer by {date}.").format(
                date=t.format_datetime(expires, tz)
            ),
            t._("If you do not answer by then, the place goes to the next woman on the list."),
        ]
    )


def offer_keyboard(t: Translator, cohort_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [button("✅", t._("Yes, I take the place"), codecs.ACCEPT.encode(cohort_id))],
            [button("❌", t._("No, thank you"), codecs.DECLINE.encode(cohort_id))],
        ]
    )


def evening_title(t: Translator, evening: Evening) -> str:
    """The module's name, or the district's own name for the evening (a module renamed keeps
    its number: attendance still counts for that module)."""
    if evening.module is not None and evening.module in MODULE_BY_NUMBER:
        if evening.title:
            return t._("Module {n}: {name}").format(
                n=t.ltr(evening.module), name=escape(evening.title)
            )
        return module_name(evening.module, t)
    return escape(evening.title or t._("Extra evening"))


def evening_lines(t: Translator, evening: Evening, tz: ZoneInfo) -> list[str]:
    """When, where, who teaches and what it is about."""
    lines = [
        "📚 <b>" + evening_title(t, evening) + "</b>",
        "🕒 "
        + t.format_datetime(evening.starts_at, tz)
        + " ("
        + t.ngettext("{n} minute", "{n} minutes", evening.minutes).format(n=t.ltr(evening.minutes))
        + ")",
    ]
    if evening.location_name:
        place = escape(evening.location_name)
        if evening.location_address:
            url = escape(map_search_url(evening.location_address))
            place += f' — <a href="{url}">{escape(evening.location_address)}</a>'
        lines.append("📍 " + place)
    if evening.lecturer:
        lines.append("🎓 " + t._("Lecturer: {name}").format(name=escape(evening.lecturer)))
    if evening.module is not None and evening.module in MODULE_BY_NUMBER:
        lines.append("ℹ️ " + t._(MODULE_BY_NUMBER[evening.module].description))
    if evening.cancelled_at is not None:
        lines.append("🚫 " + t._("This evening is cancelled."))
    return lines
