"""Who is writing: her role, her districts and her language, decided from plain records.

Roles rise from `public` (anyone) to `admin` (the central office). A woman can belong to more than
one district group; her role for the menu is the highest of her memberships, and an access check
for a district looks at that district's membership only.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.i18n import SOURCE_LOCALE, guess_locale
from storage.people import MembershipRecord, PersonRecord


class Role(StrEnum):
    PUBLIC = "public"
    PARTICIPANT = "participant"
    MOTHER = "mother"
    COORDINATOR = "coordinator"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {role: rank for rank, role in enumerate(Role)}
MEMBER_ROLES = frozenset({Role.PARTICIPANT, Role.MOTHER, Role.COORDINATOR})


@dataclass(frozen=True)
class Identity:
    telegram_id: int
    locale: str
    locale_chosen: bool  # False until she has picked a language herself
    role: Role
    memberships: tuple[MembershipRecord, ...] = ()

    @property
    def is_member(self) -> bool:
        return bool(self.memberships)

    def role_in(self, district_id: int) -> Role:
        """Her role for one district: an admin everywhere, otherwise her membership there."""
        if self.role is Role.ADMIN:
            return Role.ADMIN
        for membership in self.memberships:
            if membership.district_id == district_id:
                return Role(membership.role)
        return Role.PUBLIC


def identify(
    telegram_id: int,
    record: PersonRecord | None,
    language_hint: str | None,
    admins: frozenset[int],
) -> Identity:
    """Build her identity from what storage knows, Telegram's hint and the admin list."""
    memberships = record.memberships if record else ()
    roles = [Role(m.role) for m in memberships]
    if telegram_id in admins or (record is not None and record.is_admin):
        roles.append(Role.ADMIN)
    role = max(roles, key=lambda r: r.rank, default=Role.PUBLIC)
    if record is not None and record.locale is not None:
        return Identity(telegram_id, record.locale, True, role, memberships)
    return Identity(
        telegram_id, guess_locale(language_hint) or SOURCE_LOCALE, False, role, memberships
    )
