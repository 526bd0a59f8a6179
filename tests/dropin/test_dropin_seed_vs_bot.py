"""A later `bydelsbot seed` never silently undoes a coordinator's /sessions change: the newer
change wins (as for the meeting rule), with who and when, and seed says what it left alone."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from bot.seeding import summary
from handlers.common.context import Services
from handlers.dropin import codecs
from storage.dropin.sessions import get_session
from storage.organisation import apply_seed
from storage.privacy import collect_personal_data
from tests.dropin.world import ALNA, KARI, PLACE, furuset, wednesday_session
from tests.fakes.telegram import ChatDriver
from tests.support.people import started


async def test_seed_keeps_the_bots_newer_change_and_says_so(
    chat: Callable[..., ChatDriver], services: Services
) -> None:
    sid = await furuset(services)
    kari = await started(chat(KARI, "Kari"))
    await kari.send("/sessions")
    await kari.press(codecs.session("w", sid))
    await kari.press(codecs.session("W", sid, "3"))  # Thursday, from the phone
    row = await services.db.fetch_one(
        "SELECT rule_changed_by, rule_changed_at FROM dropin_sessions WHERE id = ?", (sid,)
    )
    assert row is not None and row["rule_changed_by"] == KARI and row["rule_changed_at"]
    mine = (await collect_personal_data(services.db, KARI))["dropin_sessions_changed"]
    assert [change["session"] for change in mine] == ["furuset-wednesday"]  # in /mydata
    # The same file again: her Thursday stays, and the operator is told why.
    counts = await apply_seed(
        services.db, [PLACE], [ALNA], datetime.now(UTC), [wednesday_session()]
    )
    assert counts.sessions_kept == ("furuset-wednesday",)
    assert (
        "the session settings set in the bot kept for furuset-wednesday "
        "(change the session in the file to replace them)" in summary(counts)
    )
    session = await get_session(services.db, sid)
    assert session is not None and session.weekday == 3
    # A file whose session changed since is the newer change: it wins, her who-and-when goes.
    counts = await apply_seed(
        services.db, [PLACE], [ALNA], datetime.now(UTC), [wednesday_session(starts="11:00")]
    )
    assert counts.sessions_kept == ()
    session = await get_session(services.db, sid)
    assert session is not None and (session.weekday, session.starts) == (2, "11:00")
    row = await services.db.fetch_one(
        "SELECT rule_changed_by FROM dropin_sessions WHERE id = ?", (sid,)
    )
    assert row is not None and row["rule_changed_by"] is None
