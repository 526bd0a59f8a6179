"""A coordinator creates and changes sessions from the phone, with buttons only; nobody else can."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from bot.days import OSLO
from bot.dropin.plan import day_key
from handlers.common.context import Services
from handlers.dropin import codecs
from storage.dropin.sessions import exceptions_of, get_session, list_sessions
from tests.dropin.world import FADUMO, KARI, furuset
from tests.fakes.telegram import ChatDriver
from tests.support.people import started


async def test_a_coordinator_changes_a_session_with_buttons(
    chat: Callable[..., ChatDriver], services: Services
) -> None:
    sid = await furuset(services)
    kari = await started(chat(KARI, "Kari"))
    await kari.send("/sessions")
    assert "Sessions and activities" in kari.last()["text"]
    await kari.press(codecs.session("o", sid))
    assert "On duty: at least 2, at most 2" in kari.last()["text"]
    await kari.press(codecs.session("w", sid))
    await kari.press(codecs.session("W", sid, "3"))
    await kari.press(codecs.session("t", sid))
    await kari.press(codecs.session("T", sid, "1000"))
    assert "🕓 11:30" in str(kari.last()["reply_markup"])  # the end times follow the start
    await kari.press(codecs.session("E", sid, "1130"))
    await kari.press(codecs.session("q", sid, "b"))  # 3 needed, 2 at most: refused
    assert "That does not fit the other settings." in kari.toasts()
    await kari.press(codecs.session("q", sid, "d"))
    await kari.press(codecs.session("q", sid, "b"))
    await kari.press(codecs.session("q", sid, "f"))  # left until 36 hours before
    assert "A shift can be left until 36 hours before." in kari.last()["text"]
    await kari.press(codecs.session("L", sid, "5"))  # Türkçe, the sixth in the picker
    session = await get_session(services.db, sid)
    assert session is not None
    assert (session.weekday, session.starts, session.ends) == (3, "10:00", "11:30")
    assert (session.min_on_duty, session.max_on_duty) == (3, 3)
    assert session.languages == ("nb", "so", "ar", "ur", "tr")
    assert "Thursday 10:00–11:30" in kari.last()["text"]
    extra = datetime.now(UTC).astimezone(OSLO).date() + timedelta(days=2)
    await kari.press(codecs.session("X", sid, day_key(extra)))
    assert (extra, "extra", None) in (await exceptions_of(services.db, [sid]))[sid]
    await kari.press(codecs.session("z", sid))
    await kari.press(codecs.session("Z", sid))
    session = await get_session(services.db, sid)
    assert session is not None and session.valid_to is not None


async def test_a_coordinator_creates_a_session_and_a_bydelsmor_cannot(
    chat: Callable[..., ChatDriver], services: Services
) -> None:
    sid = await furuset(services)
    kari = await started(chat(KARI, "Kari"))
    district_id = (await get_session(services.db, sid)).district_id  # type: ignore[union-attr]
    await kari.send("/sessions")
    await kari.press_label("New session in Alna")
    await kari.press_label("Deichman Furuset")
    await kari.press_label("Exercise group for women")
    await kari.press_label("Monday")
    assert "Exercise group for women" in kari.last()["text"]
    sessions = await list_sessions(services.db)
    assert sorted((s.kind, s.weekday) for s in sessions) == [("dropin", 2), ("exercise", 0)]
    fadumo = await started(chat(FADUMO, "Fadumo"))
    await fadumo.send("/sessions")
    assert "Only a coordinator of the district can change its sessions." in fadumo.last()["text"]
    await fadumo.press(codecs.session("W", sid, "5"), fadumo.last()["message_id"])
    await fadumo.press(codecs.new_session(district_id, 1, "home", 4), fadumo.last()["message_id"])
    assert (await get_session(services.db, sid)).weekday == 2  # type: ignore[union-attr]
    assert len(await list_sessions(services.db)) == 2
