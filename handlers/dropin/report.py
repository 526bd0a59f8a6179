"""/report: the reach report for coordinators (their districts) and the central office (all),
per month or per year, as a message, a bar chart and a CSV file."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from babel.dates import format_date
from telegram import InlineKeyboardMarkup, InputFile, Update
from telegram.constants import ParseMode

from bot.access import Action, allowed
from bot.dropin.chart import bar_chart
from bot.dropin.plan import hours
from bot.dropin.report import (
    HeldSession,
    Period,
    Report,
    build_report,
    csv_bytes,
    hidden_counts,
    month_key,
    parse_period,
)
from bot.help_guide import STATS_SMALLEST
from bot.i18n import Translator
from bot.identity import Role
from handlers.common.catalogue import catalogue_of
from handlers.common.context import BotContext
from handlers.common.render import answer_expired, button, escape
from handlers.dropin import codecs
from handlers.dropin.common import scheduled
from handlers.dropin.reach import topic_labels
from storage import Database
from storage.districts import DistrictRecord, get_district, list_districts
from storage.dropin.reach import reach_rows, shift_rows
from storage.dropin.sessions import list_sessions
from storage.help import view_counts


def report_scope(context: BotContext) -> list[int] | None:
    """None: every district (the central office); else the districts she coordinates."""
    identity = context.identity
    if identity.role is Role.ADMIN:
        return None
    return [
        m.district_id
        for m in identity.memberships
        if allowed(identity, Action.MANAGE_DROPIN, m.district_id)
    ]


async def chosen_scope(context: BotContext, district_id: int) -> list[int] | Literal[False] | None:
    """The districts of a report narrowed to one district (0: all hers); False when she may
    not see that district (checked again on every press)."""
    scope = report_scope(context)
    if district_id == 0:
        return scope
    if scope is None:
        return [district_id] if await get_district(context.db, district_id) else False
    return [district_id] if district_id in scope else False


async def report_command(update: Update, context: BotContext) -> None:
    """This month's reach report, with buttons for other periods and forms."""
    assert update.effective_chat is not None
    scope = report_scope(context)
    if scope == []:
        await context.bot.send_message(
            update.effective_chat.id, "🔒 " + context.t._("The reach report is for coordinators.")
        )
        return
    today = context.clock.now().astimezone(context.services.config.tz).date()
    period = parse_period(month_key(today))
    assert period is not None
    await send_report(update.effective_chat.id, context, period, "t", 0)


async def report_callback(update: Update, context: BotContext) -> None:
    """Another period, or the same report as a chart or a CSV file."""
    query = update.callback_query
    assert query is not None and query.data is not None and update.effective_chat is not None
    asked = codecs.decode_report(query.data)
    period = parse_period(asked.period) if asked else None
    scope = await chosen_scope(context, asked.district_id) if asked else False
    if asked is None or period is None or scope == [] or scope is False:
        await answer_expired(query, context.t)
        return
    await query.answer()
    await send_report(update.effective_chat.id, context, period, asked.form, asked.district_id)


async def gather(context: BotContext, period: Period, district_id: int = 0) -> Report:
    services = context.services
    scope = await chosen_scope(context, district_id)
    assert scope is not False
    return await collect_report(services.db, services.config.tz, scope, period, context.clock.now())


async def collect_report(
    db: Database, tz: ZoneInfo, scope: list[int] | None, period: Period, at: datetime
) -> Report:
    """The report of the districts in `scope` (None: all) over the period, as of `at`."""
    sessions = await list_sessions(db, scope)
    last = min(period.last, at.astimezone(tz).date())
    volunteers: dict[tuple[int, date], int] = defaultdict(int)
    for row in await shift_rows(db, period.first, period.last, scope):
        volunteers[row.session_id, row.day] += row.volunteers
    held = [
        HeldSession(o.day, s.district_name, o.cancelled, hours(o), volunteers[s.id, o.day])
        for s, o in await scheduled(db, sessions, period.first, last, tz)
        if o.cancelled or o.ends_at <= at
    ]
    rows = await reach_rows(db, period.first, period.last, scope)
    reach = [(r.day, r.district, r.topic, r.women) for r in rows]
    views: dict[str, int] = defaultdict(int)
    for count in await view_counts(db, period.first, period.last + timedelta(days=1)):
        views[count.topic] += count.views
    return build_report(period, held, reach, views)


def period_name(t: Translator, period: Period) -> str:
    if period.is_year:
        return t.ltr(period.first.year)
    return str(format_date(period.first, "LLLL y", locale=t.locale))


async def send_report(
    chat_id: int, context: BotContext, period: Period, form: str, district_id: int
) -> None:
    t = context.t
    report = await gather(context, period, district_id)
    labels = topic_labels(t, catalogue_of(context))
    for topic in catalogue_of(context).topics:
        labels.setdefault(topic.id, f"{topic.emoji} {t._(topic.label)}")
    name = period_name(t, period)
    if form == "c":
        header = ["section", "name", "district", "value"]
        plain = {key: label.split(" ", 1)[-1] for key, label in labels.items()}
        data = csv_bytes(report, plain, header)
        await context.bot.send_document(
            chat_id,
            InputFile(data, filename=f"reach-{period.key[1:]}.csv"),
            caption="📄 " + t._("Reach report: {period}").format(period=name),
        )
        return
    if form == "p":
        highlight = None if period.is_year else f"{period.first:%Y-%m}"
        year = parse_period(f"y{period.first.year}")
        assert year is not None
        year_report = report if period.is_year else await gather(context, year, district_id)
        months = year_report.by_month
        caption = "📊 " + t._("Women reached per month, {year}").format(
            year=t.ltr(period.first.year)
        )
        chart = bar_chart(months, highlight, hidden_counts(year_report).months)
        await context.bot.send_photo(chat_id, chart, caption=caption)
        return
    districts = await pickable(context)
    text = report_text(t, report, labels, name)
    if district_id:
        named = next((d.name for d in districts if d.id == district_id), "")
        first, rest = text.split("\n", 1)
        text = (
            first
            + "\n🏘 "
            + t._("District: {district}").format(district=t.ltr(escape(named)))
            + "\n"
            + rest
        )
    await context.bot.send_message(
        chat_id,
        text,
        parse_mode=ParseMode.HTML,
        reply_markup=report_keyboard(t, period, district_id, districts),
    )


async def pickable(context: BotContext) -> list[DistrictRecord]:
    """The districts she may narrow the report to: all for the central office, her own for a
    coordinator; none to pick from when she has only one."""
    scope = report_scope(context)
    found = [d for d in await list_districts(context.db) if scope is None or d.id in scope]
    return found if len(found) > 1 else []


def report_text(t: Translator, report: Report, labels: dict[str, str], name: str) -> str:
    few = t._("fewer than {n}").format(n=t.ltr(STATS_SMALLEST))
    hidden = hidden_counts(report)

    def number(count: int, hide: bool) -> str:
        return few if hide else t.ltr(count)

    held = t._("Sessions held: {held} · cancelled: {cancelled}")
    hours = t._("Volunteer hours: {hours}")
    women = t._("Women reached: {n}")
    lines = [
        "📊 <b>" + t._("Reach report: {period}").format(period=name) + "</b>",
        "",
        "🗓 " + held.format(held=t.ltr(report.held), cancelled=t.ltr(report.cancelled)),
        "⏱ " + hours.format(hours=t.ltr(f"{report.volunteer_hours:g}")),
        "👩 <b>" + women.format(n=number(report.women, hidden.total)) + "</b>",
    ]
    if report.by_topic:
        lines += ["", "<b>" + t._("By topic") + "</b>"]
        lines += [
            f"{labels.get(k, escape(k))}: {number(n, k in hidden.topics)}"
            for k, n in report.by_topic
        ]
    if report.by_district:
        lines += ["", "<b>" + t._("By district") + "</b>"]
        lines += [
            f"🏘 {t.ltr(escape(k))}: {number(n, k in hidden.districts)}"
            for k, n in report.by_district
        ]
    if report.views:
        lines += ["", "<b>" + t._("Help guide opened, by topic") + "</b>"]
        lines += [
            f"{labels.get(k, escape(k))}: {number(n, k in hidden.views)}" for k, n in report.views
        ]
    lines += [
        "",
        "ℹ️ "
        # TRANSLATORS: {n} is 5.
        + t._(
            "Only counts are kept. A count below {n} is not shown (the total too), nor one "
            "that could be worked out from the others, so that no number points to one woman."
        ).format(n=t.ltr(STATS_SMALLEST)),
    ]
    return "\n".join(lines)


def report_keyboard(
    t: Translator,
    period: Period,
    district_id: int = 0,
    districts: list[DistrictRecord] | None = None,
) -> InlineKeyboardMarkup:
    earlier = period.first - timedelta(days=1)
    back = f"y{earlier.year}" if period.is_year else month_key(earlier)
    d = district_id
    rows = [
        [
            button("◀️", t._("Earlier"), codecs.report(d, back, "t")),
            button("📅", t._("Whole year"), codecs.report(d, f"y{period.first.year}", "t")),
        ],
        [
            button("📊", t._("Chart"), codecs.report(d, period.key, "p")),
            button("📄", t._("Spreadsheet (CSV)"), codecs.report(d, period.key, "c")),
        ],
    ]
    # The district picker: one district's report, or all of hers again.
    picks = [
        button("🏘", district.name, codecs.report(district.id, period.key, "t"))
        for district in districts or []
        if district.id != district_id
    ]
    if picks and district_id:
        picks.insert(0, button("🌐", t._("All districts"), codecs.report(0, period.key, "t")))
    rows += [picks[i : i + 2] for i in range(0, len(picks), 2)]
    return InlineKeyboardMarkup(rows)
