"""Invites: the rules, and the whole flow from a coordinator's QR code to a new member."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from bot.i18n import translator
from bot.invites import (
    CODE_RE,
    InviteState,
    Verdict,
    hash_code,
    is_invite_code,
    new_code,
    qr_png,
    verdict,
)
from bot.offline.api import OfflineBotApi
from handlers.common.context import Services
from handlers.common.language import LANGUAGE
from handlers.people.codecs import INVITE_ROLE, JOIN, JOIN_NO
from storage.invites import redeem_invite
from storage.members import get_member, remove_member
from tests.fakes.telegram import ChatDriver, buttons_of
from tests.support.people import make_member, started

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def state(**changes: object) -> InviteState:
    base: dict[str, object] = dict(
        district_id=1, role="mother", expires_at=NOW + timedelta(days=1), max_uses=2, uses=0,
        revoked=False, used_by_her=False,
    )  # fmt: skip
    base.update(changes)
    return InviteState(**base)  # type: ignore[arg-type]


def test_codes_are_deep_link_safe_and_unguessable() -> None:
    codes = {new_code() for _ in range(1000)}
    assert len(codes) == 1000
    assert all(CODE_RE.fullmatch(c) and len(c) <= 64 for c in codes)
    assert not is_invite_code("j" + "x" * 23) and not is_invite_code("j" + "x" * 24 + "!")
    assert hash_code("jabc") != hash_code("jabd") and len(hash_code("jabc")) == 64


@pytest.mark.parametrize(
    ("invite", "her_role", "expected"),
    [
        (state(), None, Verdict.OK),
        (None, None, Verdict.UNKNOWN),
        (state(revoked=True), None, Verdict.REVOKED),
        (state(expires_at=NOW), None, Verdict.EXPIRED),
        (state(uses=2), None, Verdict.USED_UP),
        (state(used_by_her=True), None, Verdict.ALREADY_USED),
        (state(), "mother", Verdict.ALREADY_MEMBER),
        (state(used_by_her=True, uses=2), None, Verdict.ALREADY_USED),
    ],
)
def test_verdict(invite: InviteState | None, her_role: str | None, expected: Verdict) -> None:
    assert verdict(invite, NOW, her_role) is expected


def test_qr_code_is_a_png() -> None:
    assert qr_png("https://t.me/bot?start=jabc").startswith(b"\x89PNG")


async def create_invite_as(driver: ChatDriver, api: OfflineBotApi, role_label: str) -> str:
    """Run /invite as a coordinator and return the code from the link she was sent."""
    await driver.send("/invite")
    await driver.press_label(role_label)
    photo = api.calls_to("sendPhoto")[-1].params
    assert str(photo["photo"]).startswith("attach://")
    match = re.search(
        r"https://t\.me/BydelsmodreDemoBot\?start=(j[A-Za-z0-9_-]{24})", photo["caption"]
    )
    assert match, photo["caption"]
    return match[1]


async def test_coordinator_invites_and_a_new_woman_joins(
    chat: Callable[..., ChatDriver], services: Services, api: OfflineBotApi
) -> None:
    district_id = await make_member(services, 2001, "coordinator")
    kari = await started(chat(2001, "Kari"))
    code = await create_invite_as(kari, api, "bydelsmor")
    caption = api.calls_to("sendPhoto")[-1].params["caption"]
    assert "Invite to Bydelsmødre Alna" in caption and "Role: bydelsmor" in caption
    assert "for up to 30 women" in caption

    hodan = chat(3001, "Hodan <Ali>", language_code="so")
    await hodan.send(f"/start {code}")
    await hodan.press(LANGUAGE.encode("so"))  # the language comes first, so the invite is in Somali
    so = translator("so")
    question = so._("You are invited to join Bydelsmødre {district} as: {role}.").format(
        district="Alna", role=so._("bydelsmor")
    )
    assert hodan.last()["text"] == f"📨 {question}"
    await hodan.press_label(so._("Join"))
    member = await get_member(services.db, district_id, 3001)
    assert member is not None and member.role == "mother" and member.display_name == "Hodan <Ali>"
    assert so._("Welcome to Bydelsmødre {district}!").format(district="Alna") in hodan.texts()[-2]
    assert f"👤 {so._('My profile')}" in [b["text"] for b in buttons_of(hodan.last())]

    await kari.send("/members")
    assert "Hodan &lt;Ali&gt;" not in kari.last()["text"]  # what she sees is the plain name
    assert "Hodan <Ali>" in kari.last()["text"]


async def test_declining_changes_nothing(
    chat: Callable[..., ChatDriver], services: Services, api: OfflineBotApi
) -> None:
    district_id = await make_member(services, 2001, "coordinator")
    code = await create_invite_as(await started(chat(2001, "Kari")), api, "participant")
    hodan = chat(3001, "Hodan")
    await hodan.send(f"/start {code}")
    await hodan.press(LANGUAGE.encode("en"))
    await hodan.press(JOIN_NO.encode())
    assert await get_member(services.db, district_id, 3001) is None
    assert "All right. You can open the link again later." in hodan.texts()


async def expire(services: Services, code: str, **columns: object) -> None:
    assignments = ", ".join(f"{name} = ?" for name in columns)
    await services.db.execute(
        f"UPDATE invites SET {assignments} WHERE code_hash = ?",
        (*columns.values(), hash_code(code)),
    )


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        ({"expires_at": "2000-01-01T00:00:00+00:00"}, "This invite has expired."),
        ({"uses": 30}, "already been used by as many women as it allows"),
        ({"revoked_at": "2026-01-01T00:00:00+00:00"}, "This link is not valid or has expired."),
    ],
)
async def test_unusable_invites_are_explained_and_admit_nobody(
    chat: Callable[..., ChatDriver], services: Services, api: OfflineBotApi,
    columns: dict[str, object], message: str,
) -> None:  # fmt: skip
    district_id = await make_member(services, 2001, "coordinator")
    code = await create_invite_as(await started(chat(2001, "Kari")), api, "bydelsmor")
    await expire(services, code, **columns)
    hodan = chat(3001, "Hodan")
    await hodan.send(f"/start {code}")
    await hodan.press(LANGUAGE.encode("en"))
    assert message in hodan.texts()[-1]  # and the menu is right there with it
    assert buttons_of(hodan.last())
    await hodan.press(JOIN.encode(code))  # a join button forged or kept from before: still no
    assert await get_member(services.db, district_id, 3001) is None


async def test_invite_that_expires_between_opening_and_joining(
    chat: Callable[..., ChatDriver], services: Services, api: OfflineBotApi
) -> None:
    district_id = await make_member(services, 2001, "coordinator")
    code = await create_invite_as(await started(chat(2001, "Kari")), api, "bydelsmor")
    hodan = await started(chat(3001, "Hodan"))
    await hodan.send(f"/start {code}")
    await expire(services, code, expires_at="2000-01-01T00:00:00+00:00")
    await hodan.press_label("Join")
    assert await get_member(services.db, district_id, 3001) is None
    assert "This invite has expired." in hodan.texts()[-1]


@pytest.mark.parametrize("payload", ["j" + "A" * 24, "jNOTAREALCODE", "x" * 64, "start"])
async def test_forged_codes_are_refused(chat: Callable[..., ChatDriver], payload: str) -> None:
    hodan = await started(chat(3001, "Hodan"))
    await hodan.send(f"/start {payload}")
    assert any("This link is not valid or has expired." in t for t in hodan.texts()[-2:])


async def test_removed_member_cannot_reuse_her_link_but_a_new_invite_works(
    chat: Callable[..., ChatDriver], services: Services, api: OfflineBotApi
) -> None:
    district_id = await make_member(services, 2001, "coordinator")
    kari = await started(chat(2001, "Kari"))
    code = await create_invite_as(kari, api, "bydelsmor")
    hodan = await started(chat(3001, "Hodan"))
    await hodan.send(f"/start {code}")
    await hodan.press_label("Join")
    await remove_member(services.db, district_id, 3001)

    await hodan.send(f"/start {code}")
    assert "You have already used this invite." in hodan.texts()[-1]
    await hodan.press(JOIN.encode(code))
    assert await get_member(services.db, district_id, 3001) is None

    fresh = await create_invite_as(kari, api, "participant")
    await hodan.send(f"/start {fresh}")
    await hodan.press_label("Join")
    member = await get_member(services.db, district_id, 3001)
    assert member is not None and member.role == "participant"


async def test_already_a_member_is_told_so(
    chat: Callable[..., ChatDriver], services: Services, api: OfflineBotApi
) -> None:
    await make_member(services, 2001, "coordinator")
    await make_member(services, 3001, "mother")
    code = await create_invite_as(await started(chat(2001, "Kari")), api, "bydelsmor")
    hodan = await started(chat(3001, "Hodan"))
    await hodan.send(f"/start {code}")
    assert "You are already a member of Bydelsmødre Alna." in hodan.texts()[-1]


async def test_the_last_place_goes_to_one_woman_only(
    chat: Callable[..., ChatDriver], services: Services, api: OfflineBotApi
) -> None:
    district_id = await make_member(services, 2001, "coordinator")
    code = await create_invite_as(await started(chat(2001, "Kari")), api, "bydelsmor")
    await expire(services, code, uses=29)
    now = datetime.now(UTC)
    first = await redeem_invite(services.db, hash_code(code), 3001, "A", "en", now)
    second = await redeem_invite(services.db, hash_code(code), 3002, "B", "en", now)
    assert (first, second) == (True, False)
    assert await get_member(services.db, district_id, 3002) is None


async def test_only_the_central_office_invites_coordinators(
    chat: Callable[..., ChatDriver], services: Services, api: OfflineBotApi
) -> None:
    district_id = await make_member(services, 2001, "coordinator")
    kari = await started(chat(2001, "Kari"))
    await kari.send("/invite")
    assert [b["text"] for b in buttons_of(kari.last())] == [
        "🎓 participant in the basic training", "🤝 bydelsmor",
    ]  # fmt: skip
    await kari.press(INVITE_ROLE.encode(district_id, "coordinator"))  # forged
    assert api.calls_to("sendPhoto") == []
    assert kari.toasts()[-1].startswith("🔒")
