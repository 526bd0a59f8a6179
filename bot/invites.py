"""Invite links: unguessable codes, their limits, and whether one can still be used.

A code is a bearer secret printed on paper for the library table, so only its hash is stored,
it expires, and it admits a limited number of women.
"""

from __future__ import annotations

import hashlib
import io
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

import segno

# Deep-link parameters are at most 64 characters of A-Za-z0-9_- ; ours are "j" + 24 of them.
INVITE_PREFIX = "j"
CODE_RE = re.compile(r"^j[A-Za-z0-9_-]{24}$")
VALID_FOR = timedelta(days=14)
MAX_USES = 30  # a whole training cohort (18-25 women) with room for the coordinators


def new_code() -> str:
    return INVITE_PREFIX + secrets.token_urlsafe(18)  # 144 bits, 24 characters


def hash_code(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def is_invite_code(payload: str) -> bool:
    return bool(CODE_RE.fullmatch(payload))


def deep_link(bot_username: str, code: str) -> str:
    return f"https://t.me/{bot_username}?start={code}"


def qr_png(link: str) -> bytes:
    """The link as a QR code picture, big enough to print for the library table."""
    buffer = io.BytesIO()
    segno.make(link, error="m").save(buffer, kind="png", scale=10, border=4)
    return buffer.getvalue()


class Verdict(StrEnum):
    OK = "ok"
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    USED_UP = "used_up"
    REVOKED = "revoked"
    ALREADY_USED = "already_used"  # she used this very code before (and was removed since)
    ALREADY_MEMBER = "already_member"


@dataclass(frozen=True)
class InviteState:
    district_id: int
    role: str
    expires_at: datetime
    max_uses: int
    uses: int
    revoked: bool
    used_by_her: bool


def verdict(invite: InviteState | None, now: datetime, her_role_there: str | None) -> Verdict:
    """May she join with this invite now? `her_role_there`: her current role in its district."""
    if invite is None:
        return Verdict.UNKNOWN
    if invite.revoked:
        return Verdict.REVOKED
    if now >= invite.expires_at:
        return Verdict.EXPIRED
    if her_role_there is not None:
        return Verdict.ALREADY_MEMBER
    if invite.used_by_her:
        # A removed member cannot walk back in with the link she came with: her coordinator
        # must invite her again.
        return Verdict.ALREADY_USED
    if invite.uses >= invite.max_uses:
        return Verdict.USED_UP
    return Verdict.OK
