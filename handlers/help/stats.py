"""/stats: how often each help topic was opened, and in which languages, over the last 7 and 30
full days.

Only counts exist (per topic, language and day): nothing says who looked. Even counts can point to
one woman, so /stats shows only full days before today (a coordinator cannot watch a count move
after a request), writes any count below 5 as "fewer than 5", and shows topics and languages
apart, never a topic in a language. Coordinators and admins read them to know which help texts
and voice notes matter most.
"""

from __future__ import annotations

from telegram import Update
from telegram.constants import ParseMode

from bot.access import Action
from bot.help_guide import (
    STATS_PERIODS,
    STATS_SMALLEST,
    StatsTable,
    join_pages,
    period_starts,
    stats_table,
)
from bot.i18n import LANGUAGE_BY_CODE, Translator
from bot.referrals import Topic
from handlers.common.access import refuse
from handlers.common.catalogue import catalogue_of
from handlers.common.context import BotContext
from handlers.common.render import escape
from handlers.help.help_guide import may_run_the_guide
from storage.help import view_counts


async def stats_command(update: Update, context: BotContext) -> None:
    """Show the help guide's view counts per topic and per language."""
    assert update.effective_chat is not None
    if not may_run_the_guide(context.identity, Action.SEE_HELP_STATS):
        await refuse(update, context)
        return
    today = context.clock.now().astimezone(context.services.config.tz).date()
    counts = [
        [(c.topic, c.locale, c.views) for c in await view_counts(context.db, since, today)]
        for since in period_starts(today)
    ]
    topics = catalogue_of(context).topics
    table = stats_table(counts, [topic.id for topic in topics])
    lines = stats_lines(table, {topic.id: topic for topic in topics}, context.t)
    # Many topics in a long script can outgrow one message: split between lines.
    for page in join_pages(lines, separator="\n"):
        await context.bot.send_message(update.effective_chat.id, page, parse_mode=ParseMode.HTML)


def stats_lines(table: StatsTable, topics: dict[str, Topic], t: Translator) -> list[str]:
    """The /stats message as lines (HTML), each a block the pager keeps whole."""
    week, month = STATS_PERIODS
    # TRANSLATORS: {week} and {month} are numbers of days (7 and 30); today is not counted.
    header = t._(
        "Help guide: times each topic was opened in the last {week} / {month} full days"
    ).format(week=week, month=month)
    lines = ["📊 <b>" + header + "</b>"]
    if not table:
        lines += ["", t._("No topic was opened in the last {month} days.").format(month=month)]
        return lines
    lines += ["", "<b>" + t._("Topics") + "</b>"]
    for row in table.topics:
        topic = topics.get(row.key)  # a topic removed from the catalogue keeps its counts
        name = f"{topic.emoji} {t._(topic.label)}" if topic else f"• {escape(row.key)}"
        lines.append(f"{name}: {_numbers(row.views, t)}")
    lines += ["", "<b>" + t._("Languages") + "</b>"]
    for row in table.languages:
        language = LANGUAGE_BY_CODE.get(row.key)
        name = language.native_name if language else escape(row.key)
        lines.append(f"🗣 {name}: {_numbers(row.views, t)}")
    lines += [
        "",
        "ℹ️ " + t._("Only counts are kept: nothing says who looked."),
        # TRANSLATORS: {n} is 5.
        t._(
            "Today is not counted, and counts below {n} are not shown, so that no number points "
            "to one woman. Topics and languages are counted apart for the same reason."
        ).format(n=t.ltr(STATS_SMALLEST)),
    ]
    return lines


def _numbers(views: tuple[int, ...], t: Translator) -> str:
    # TRANSLATORS: shown instead of a count that is too small to show; {n} is 5.
    few = t._("fewer than {n}").format(n=t.ltr(STATS_SMALLEST))
    return " / ".join(t.ltr(n) if n >= STATS_SMALLEST else few for n in views)
