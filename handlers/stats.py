"""/stats: how often each help topic was opened, per language, over the last 7 and 30 days.

Only counts exist (per topic, language and day): nothing says who looked. Coordinators and admins
read them to know which help texts and voice notes matter most.
"""

from __future__ import annotations

from datetime import UTC, datetime

from telegram import Update
from telegram.constants import ParseMode

from bot.access import Action
from bot.help_guide import STATS_PERIODS, TopicViews, period_starts, stats_table
from bot.i18n import LANGUAGE_BY_CODE, Translator
from bot.referrals import Topic
from handlers.access import refuse
from handlers.context import BotContext
from handlers.help_guide import catalogue_of, may_run_the_guide
from handlers.render import escape
from storage.help import view_counts


async def stats_command(update: Update, context: BotContext) -> None:
    """Show the help guide's view counts per topic and language."""
    assert update.effective_chat is not None
    if not may_run_the_guide(context.identity, Action.SEE_HELP_STATS):
        await refuse(update, context)
        return
    today = datetime.now(UTC).astimezone(context.services.config.tz).date()
    counts = [
        [(c.topic, c.locale, c.views) for c in await view_counts(context.db, since)]
        for since in period_starts(today)
    ]
    topics = catalogue_of(context).topics
    table = stats_table(counts, [topic.id for topic in topics])
    text = stats_text(table, {topic.id: topic for topic in topics}, context.t)
    await context.bot.send_message(update.effective_chat.id, text, parse_mode=ParseMode.HTML)


def stats_text(table: list[TopicViews], topics: dict[str, Topic], t: Translator) -> str:
    week, month = STATS_PERIODS
    # TRANSLATORS: {week} and {month} are numbers of days (7 and 30).
    header = t._("Help guide: times each topic was opened, last {week} / {month} days").format(
        week=week, month=month
    )
    lines = ["📊 <b>" + header + "</b>"]
    if not table:
        lines += ["", t._("No topic was opened in the last {month} days.").format(month=month)]
        return "\n".join(lines)
    for row in table:
        topic = topics.get(row.topic)  # a topic removed from the catalogue keeps its counts
        name = f"{topic.emoji} {t._(topic.label)}" if topic else f"• {escape(row.topic)}"
        numbers = " / ".join(t.ltr(n) for n in row.views)
        lines += ["", f"<b>{name}</b>: {numbers}"]
        for lang in row.languages:
            language = LANGUAGE_BY_CODE.get(lang.locale)
            name = language.native_name if language else lang.locale
            lines.append(f"   🗣 {name}: " + " / ".join(t.ltr(n) for n in lang.views))
    lines += ["", "ℹ️ " + t._("Only counts are kept: nothing says who looked.")]
    return "\n".join(lines)
