"""/members and /phase: what a coordinator sees and changes, and nothing more."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from bot.offline.api import OfflineBotApi
from handlers.common.context import Services
from handlers.people.codecs import (
    MEMBER_CARD,
    MEMBER_PAGE,
    MEMBER_REMOVE_OK,
    MEMBER_ROLE,
    MEMBER_ROLE_OK,
)
from storage.districts import get_district
from storage.members import get_member
from storage.people import mark_unreachable
from tests.fakes.telegram import ChatDriver, buttons_of
from tests.support.people import ADMIN_ID, make_member, started


def labels(driver: ChatDriver) -> list[str]:
    return [b["text"] for b in buttons_of(driver.last())]


async def test_members_are_paged_with_role_language_and_reach(
    chat: Callable[..., ChatDriver], services: Services
) -> None:
    district_id = await make_member(services, 2001, "coordinator")
    for n in range(19):
        await make_member(services, 4000 + n, "mother", locale="so")
    await mark_unreachable(services.db, 4003, datetime.now(UTC))
    kari = await started(chat(2001, "Kari"))
    await kari.send("/members")
    first = kari.last()
    assert "20 members (page 1 of 3)" in first["text"]
    assert "🚫 cannot be reached (blocked the bot)" in first["text"]
    assert "Soomaali" in first["text"] and "not seen yet" in first["text"]
    assert labels(kari)[-1] == "➡️ Next"
    await kari.press(MEMBER_PAGE.encode(district_id, 2))
    last_page = kari.api.bot_messages_in(kari.chat_id)[-1]
    assert last_page["message_id"] == first["message_id"]  # paged in place
    assert "(page 3 of 3)" in last_page["text"]
    assert [b["text"] for b in buttons_of(last_page)][-1] == "⬅️ Previous"
    # past the end: the last page, not an error
    await kari.press(MEMBER_PAGE.encode(district_id, 99))
    assert "(page 3 of 3)" in kari.api.bot_messages_in(kari.chat_id)[-1]["text"]


async def test_role_change_and_removal_with_confirmation(
    chat: Callable[..., ChatDriver], services: Services
) -> None:
    district_id = await make_member(services, 2001, "coordinator")
    await make_member(services, 3001, "participant")
    kari = await started(chat(2001, "Kari"))
    await kari.send("/members")
    await kari.press(MEMBER_CARD.encode(district_id, 3001))
    assert labels(kari) == [
        "🤝 Make her: bydelsmor",
        "🗑 Remove from the group",
        "🔤 Translation review",
        "↩️ Back to the list",
    ]
    await kari.press_label("Make her: bydelsmor")
    assert kari.last()["text"] == (
        "⚠️ Make Member bydelsmor instead of participant in the basic training? She will be told."
    )
    assert labels(kari) == ["🤝 Yes, change the role", "↩️ Cancel"]
    member = await get_member(services.db, district_id, 3001)
    assert member is not None and member.role == "participant"  # not before confirming
    await kari.press_label("Yes, change the role")
    member = await get_member(services.db, district_id, 3001)
    assert member is not None and member.role == "mother"
    assert kari.toasts()[-1] == "✅ Role changed."

    await kari.press_label("Remove from the group")
    assert kari.last()["text"].startswith("⚠️ Remove Member from the group?")
    assert await get_member(services.db, district_id, 3001) is not None  # not before confirming
    await kari.press_label("Yes, remove")
    assert await get_member(services.db, district_id, 3001) is None
    assert "1 member (page 1 of 1)" in kari.last()["text"]


async def test_a_coordinator_cannot_change_another_coordinator_or_herself(
    chat: Callable[..., ChatDriver], services: Services
) -> None:
    district_id = await make_member(services, 2001, "coordinator")
    await make_member(services, 2002, "coordinator")
    kari = await started(chat(2001, "Kari"))
    await kari.send("/members")
    await kari.press(MEMBER_CARD.encode(district_id, 2002))
    # The reviewer right is no role: she may give it to another coordinator too.
    assert labels(kari) == ["🔤 Translation review", "↩️ Back to the list"]
    for data in (
        MEMBER_ROLE.encode(district_id, 2002, "mother"),
        MEMBER_ROLE_OK.encode(district_id, 2002, "mother"),
        MEMBER_REMOVE_OK.encode(district_id, 2002),
        MEMBER_ROLE.encode(district_id, 2001, "mother"),
        MEMBER_REMOVE_OK.encode(district_id, 2001),
    ):
        await kari.press(data)
        assert kari.toasts()[-1].startswith("🔒")
    for user_id in (2001, 2002):
        member = await get_member(services.db, district_id, user_id)
        assert member is not None and member.role == "coordinator"


async def test_phase_change_is_confirmed_and_recorded(
    chat: Callable[..., ChatDriver], services: Services
) -> None:
    district_id = await make_member(services, 2001, "coordinator")
    kari = await started(chat(2001, "Kari"))
    await kari.send("/phase")
    assert "Now: Phase 3: bydelsmødre at work, meeting every other week" in kari.last()["text"]
    await kari.press_label("an association, meeting once a month")
    district = await get_district(services.db, district_id)
    assert district is not None and district.phase == 3  # not before confirming
    await kari.press_label("Yes, move")
    district = await get_district(services.db, district_id)
    assert district is not None and district.phase == 4
    assert "✅ Alna is now in phase 4." in kari.last()["text"]
    history = await services.db.fetch_all("SELECT * FROM phase_changes")
    assert [(r["from_phase"], r["to_phase"], r["changed_by"]) for r in history] == [(3, 4, 2001)]


async def test_admin_chooses_a_district_first(
    chat: Callable[..., ChatDriver], services: Services, api: OfflineBotApi
) -> None:
    await make_member(services, 2001, "coordinator", district="Alna")
    await make_member(services, 2002, "coordinator", district="Grorud")
    boss = await started(chat(ADMIN_ID, "Admin"))
    await boss.press_label("Members")
    assert boss.last()["text"] == "🏘 Which district?"
    assert labels(boss) == ["🏘 Alna", "🏘 Grorud"]
    await boss.press_label("Grorud")
    assert "Grorud" in boss.last()["text"] and "1 member" in boss.last()["text"]


async def test_she_is_told_of_her_new_role_in_her_language_or_marked_unreachable(
    chat: Callable[..., ChatDriver], services: Services, api: OfflineBotApi
) -> None:
    from bot.i18n import translator

    district_id = await make_member(services, 2001, "coordinator")
    await make_member(services, 3001, "participant", locale="ti")
    await make_member(services, 3002, "participant", locale="so")
    api.private_chat(api.user(3001, "Letay"))
    api.private_chat(api.user(3002, "Hodan"))
    api.block(3002)
    kari = await started(chat(2001, "Kari"))
    await kari.send("/members")
    for member in (3001, 3002):
        await kari.press(MEMBER_ROLE.encode(district_id, member, "mother"))
        assert kari.last()["text"].startswith("⚠️ Make ")  # asked first: nothing changed yet
        assert api.bot_messages_in(member) == []
        assert (await get_member(services.db, district_id, member)).role == "participant"  # type: ignore[union-attr]
        await kari.press_label("Yes, change the role")
    ti = translator("ti")
    told = ti._("Your role in Bydelsmødre {district} is now: {role}.").format(
        district="Alna", role=ti._("bydelsmor")
    )
    assert [m["text"] for m in api.bot_messages_in(3001)] == [f"🔔 {told}"]
    hodan = await get_member(services.db, district_id, 3002)
    assert hodan is not None and hodan.role == "mother" and hodan.unreachable_since is not None
    await kari.send("/members")
    assert "🚫" in kari.last()["text"]
    assert not any(text.startswith("😔") for text in kari.texts())
