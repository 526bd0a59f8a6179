"""The authorization matrix: every privileged action x every role x own or other district.

Only a coordinator of the district concerned, or the central office, may act; a hand-made button
press raises nobody's rights, because every press is checked again against storage.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest

from bot.access import POLICY, Action, allowed, grantable_roles, may_grant, may_manage
from bot.identity import Identity, Role
from bot.offline.api import OfflineBotApi
from handlers.common.context import Services
from handlers.meetings.codecs import PHASE_CHOICES, PHASE_OK, PHASE_PICK
from handlers.people.codecs import (
    INVITE_DISTRICT,
    INVITE_ROLE,
    MEMBER_CARD,
    MEMBER_PAGE,
    MEMBER_REMOVE,
    MEMBER_REMOVE_OK,
    MEMBER_ROLE,
)
from storage.districts import get_district
from storage.members import get_member
from storage.people import MembershipRecord
from tests.fakes.telegram import ChatDriver
from tests.support.people import ADMIN_ID, make_member, started

OWN, OTHER = 1, 2
ROLES = ["public", "participant", "mother", "coordinator", "admin"]


def identity(role: str, district_id: int = OWN) -> Identity:
    if role == "admin":
        return Identity(99, "en", True, Role.ADMIN, ())
    if role == "public":
        return Identity(99, "en", True, Role.PUBLIC, ())
    membership = MembershipRecord(district_id, "alna", "Alna", 3, role, "Her")
    return Identity(99, "en", True, Role(role), (membership,))


@pytest.mark.parametrize(
    ("action", "role", "where"), list(itertools.product(Action, ROLES, (OWN, OTHER)))
)
def test_policy_matrix(action: Action, role: str, where: int) -> None:
    expected = role == "admin" or (role == "coordinator" and where == OWN)
    assert allowed(identity(role), action, where) is expected
    assert POLICY[action] is Role.COORDINATOR


def test_who_may_give_which_role() -> None:
    assert grantable_roles(identity("admin"), OTHER) == (
        Role.PARTICIPANT,
        Role.MOTHER,
        Role.COORDINATOR,
    )
    assert grantable_roles(identity("coordinator"), OWN) == (Role.PARTICIPANT, Role.MOTHER)
    assert grantable_roles(identity("coordinator"), OTHER) == ()
    assert grantable_roles(identity("mother"), OWN) == ()
    kari = identity("coordinator")
    assert may_manage(kari, OWN, 5, Role.MOTHER) and not may_manage(kari, OWN, 5, Role.COORDINATOR)
    assert not may_manage(kari, OWN, kari.telegram_id, Role.MOTHER)  # never herself
    assert may_grant(kari, OWN, 5, Role.PARTICIPANT, Role.MOTHER)
    assert not may_grant(kari, OWN, 5, Role.PARTICIPANT, Role.COORDINATOR)
    assert not may_grant(kari, OWN, 5, Role.MOTHER, Role.MOTHER)


ACTOR = 2001
TARGET = {"own": 5001, "other": 5002}


async def scene(services: Services, role: str) -> tuple[dict[str, int], int]:
    """Alna (hers) and Grorud (not), each with a bydelsmor; returns district ids and her id."""
    ids = {
        "own": await make_member(services, TARGET["own"], "mother", district="Alna"),
        "other": await make_member(services, TARGET["other"], "mother", district="Grorud"),
    }
    if role == "admin":
        return ids, ADMIN_ID
    if role != "public":
        await make_member(services, ACTOR, role, district="Alna")
    return ids, ACTOR


def is_allowed(role: str, where: str) -> bool:
    return role == "admin" or (role == "coordinator" and where == "own")


@pytest.mark.parametrize(("role", "where"), list(itertools.product(ROLES, ("own", "other"))))
async def test_forged_presses_change_only_what_she_may(
    chat: Callable[..., ChatDriver], services: Services, api: OfflineBotApi, role: str, where: str
) -> None:
    ids, actor = await scene(services, role)
    district, target = ids[where], TARGET[where]
    her = await started(chat(actor, "Actor"))
    presses = [
        INVITE_DISTRICT.encode(district),
        INVITE_ROLE.encode(district, "mother"),
        MEMBER_PAGE.encode(district, 0),
        MEMBER_CARD.encode(district, target),
        MEMBER_ROLE.encode(district, target, "participant"),
        MEMBER_REMOVE.encode(district, target),
        PHASE_CHOICES.encode(district),
        PHASE_PICK.encode(district, 4),
        PHASE_OK.encode(district, 4),
    ]
    for data in presses:
        await her.press(data)
    await her.press(MEMBER_REMOVE_OK.encode(district, target))  # last: it removes the target

    permitted = is_allowed(role, where)
    refused = [t for t in her.toasts() if t.startswith("🔒")]
    assert len(refused) == (0 if permitted else len(presses) + 1)
    assert bool(api.calls_to("sendPhoto")) is permitted  # an invite was made
    phase = (await get_district(services.db, district)).phase  # type: ignore[union-attr]
    assert phase == (4 if permitted else 3)
    assert (await get_member(services.db, district, target) is None) is permitted
    if not permitted:
        untouched = await get_member(services.db, district, target)
        assert untouched is not None and untouched.role == "mother"


@pytest.mark.parametrize("role", ROLES)
async def test_commands_refuse_those_without_a_district_to_act_in(
    chat: Callable[..., ChatDriver], services: Services, role: str
) -> None:
    await scene(services, role)
    her = await started(chat(ADMIN_ID if role == "admin" else ACTOR, "Actor"))
    for command in ("/members", "/invite", "/phase"):
        await her.send(command)
        refused = her.last()["text"].startswith("🔒")
        assert refused is (role not in {"coordinator", "admin"}), (command, her.last()["text"])
