"""Who may do what, where: the one access check every privileged handler uses.

Rights come from her membership of the district the action is about (or from being an admin),
looked up fresh for every update and every button press: a button's data only names what is
asked for, never who may ask.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from bot.identity import Identity, Role


class Action(StrEnum):
    INVITE = "invite"
    LIST_MEMBERS = "list_members"
    CHANGE_ROLE = "change_role"
    REMOVE_MEMBER = "remove_member"
    CHANGE_PHASE = "change_phase"
    LINK_CHAT = "link_chat"
    HANDLE_CONTACT_REQUEST = "handle_contact_request"
    RECORD_VOICE_NOTE = "record_voice_note"
    SEE_HELP_STATS = "see_help_stats"
    MANAGE_MEETINGS = "manage_meetings"
    SEE_RSVPS = "see_rsvps"
    ANNOUNCE = "announce"  # to a district's members or its group chat; "everyone" is admins'
    MANAGE_COURSE = "manage_course"  # the basic training: cohorts, admission, evenings, cards
    GRANT_REVIEW = "grant_review"  # make a member a translation reviewer (bot/review)
    MANAGE_DROPIN = "manage_dropin"  # cancel a session, ask all bydelsmødre, the reach report


# The lowest role, in the district concerned, that may take each action.
POLICY: dict[Action, Role] = {
    Action.INVITE: Role.COORDINATOR,
    Action.LIST_MEMBERS: Role.COORDINATOR,
    Action.CHANGE_ROLE: Role.COORDINATOR,
    Action.REMOVE_MEMBER: Role.COORDINATOR,
    Action.CHANGE_PHASE: Role.COORDINATOR,
    Action.LINK_CHAT: Role.COORDINATOR,
    Action.HANDLE_CONTACT_REQUEST: Role.COORDINATOR,
    # The help guide is the same in every district: a coordinator of any district may record
    # its voice notes and read its counts.
    Action.RECORD_VOICE_NOTE: Role.COORDINATOR,
    Action.SEE_HELP_STATS: Role.COORDINATOR,
    Action.MANAGE_MEETINGS: Role.COORDINATOR,
    Action.SEE_RSVPS: Role.COORDINATOR,
    Action.ANNOUNCE: Role.COORDINATOR,
    Action.MANAGE_COURSE: Role.COORDINATOR,
    Action.GRANT_REVIEW: Role.COORDINATOR,
    Action.MANAGE_DROPIN: Role.COORDINATOR,
}

MEMBER_ROLES_BY_RANK = (Role.PARTICIPANT, Role.MOTHER, Role.COORDINATOR)


def allowed(identity: Identity, action: Action, district_id: int) -> bool:
    """May she take this action in this district?"""
    return identity.role_in(district_id).rank >= POLICY[action].rank


def may_answer(identity: Identity, district_id: int) -> bool:
    """May she answer this district's meetings? Only its own members may, whatever their role
    (an admin is no member: her answer would count for nobody)."""
    return any(m.district_id == district_id for m in identity.memberships)


def may_take_shifts(identity: Identity, district_id: int) -> bool:
    """The drop-in rota and the reach log: the district's bydelsmødre and coordinators, by their
    membership (an admin is no member: nobody would be on duty)."""
    return any(
        m.district_id == district_id and m.role in (Role.MOTHER, Role.COORDINATOR)
        for m in identity.memberships
    )


def may_see_meetings(identity: Identity, district_id: int) -> bool:
    """Its members, and whoever may see who is coming."""
    return may_answer(identity, district_id) or allowed(identity, Action.SEE_RSVPS, district_id)


def districts_where(identity: Identity, action: Action, district_ids: Iterable[int]) -> list[int]:
    """The districts, among these, where she may take the action."""
    return [d for d in district_ids if allowed(identity, action, d)]


def grantable_roles(identity: Identity, district_id: int) -> tuple[Role, ...]:
    """The roles she may give others in a district: a coordinator makes participants and
    bydelsmødre; only the central office makes coordinators."""
    own = identity.role_in(district_id)
    if own is Role.ADMIN:
        return MEMBER_ROLES_BY_RANK
    if own is Role.COORDINATOR:
        return (Role.PARTICIPANT, Role.MOTHER)
    return ()


def may_manage(identity: Identity, district_id: int, target_id: int, target_role: Role) -> bool:
    """May she change the role of, or remove, this member? Never herself (that is /forget),
    and never someone whose role she could not have given."""
    if target_id == identity.telegram_id:
        return False
    return target_role in grantable_roles(identity, district_id)


def may_grant(identity: Identity, district_id: int, target_id: int, old: Role, new: Role) -> bool:
    grantable = grantable_roles(identity, district_id)
    return may_manage(identity, district_id, target_id, old) and new in grantable and new != old
