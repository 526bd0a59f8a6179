"""Invites and who used them. Codes are stored only as hashes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.db import Database
from storage.people import ensure_person


@dataclass(frozen=True)
class InviteRecord:
    code_hash: str
    district_id: int
    district_name: str
    role: str
    expires_at: datetime
    max_uses: int
    uses: int
    revoked: bool
    used_by_her: bool
    her_role_there: str | None


async def create_invite(
    db: Database,
    code_hash: str,
    district_id: int,
    role: str,
    created_by: int,
    now: datetime,
    expires_at: datetime,
    max_uses: int,
) -> None:
    await db.execute(
        "INSERT INTO invites (code_hash, district_id, role, created_by, created_at, expires_at, "
        "max_uses) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            code_hash,
            district_id,
            role,
            created_by,
            now.isoformat(),
            expires_at.isoformat(),
            max_uses,
        ),
    )


async def find_invite(db: Database, code_hash: str, telegram_id: int) -> InviteRecord | None:
    """The invite, whether she used it before, and her role in its district, in one read."""
    row = await db.fetch_one(
        """
        SELECT i.code_hash, i.district_id, d.name AS district_name, i.role, i.expires_at,
               i.max_uses, i.uses, i.revoked_at IS NOT NULL AS revoked,
               EXISTS (SELECT 1 FROM invite_uses AS u
                        WHERE u.code_hash = i.code_hash AND u.telegram_id = ?) AS used_by_her,
               (SELECT m.role FROM memberships AS m
                 WHERE m.district_id = i.district_id AND m.telegram_id = ?) AS her_role_there
          FROM invites AS i JOIN districts AS d ON d.id = i.district_id
         WHERE i.code_hash = ?
        """,
        (telegram_id, telegram_id, code_hash),
    )
    if row is None:
        return None
    return InviteRecord(
        code_hash=row["code_hash"],
        district_id=row["district_id"],
        district_name=row["district_name"],
        role=row["role"],
        expires_at=datetime.fromisoformat(row["expires_at"]),
        max_uses=row["max_uses"],
        uses=row["uses"],
        revoked=bool(row["revoked"]),
        used_by_her=bool(row["used_by_her"]),
        her_role_there=row["her_role_there"],
    )


async def redeem_invite(
    db: Database, code_hash: str, telegram_id: int, display_name: str, locale: str, now: datetime
) -> bool:
    """Use one place of the invite and make her a member, atomically.

    False if, at this instant, the invite is gone, revoked, expired, full, or already used by
    her: two women pressing "join" for the last place cannot both get it.
    """
    async with db.transaction() as tx:
        taken = await tx.execute(
            """
            UPDATE invites SET uses = uses + 1
             WHERE code_hash = ? AND revoked_at IS NULL AND expires_at > ? AND uses < max_uses
               AND NOT EXISTS (SELECT 1 FROM invite_uses
                                WHERE code_hash = invites.code_hash AND telegram_id = ?)
               AND NOT EXISTS (SELECT 1 FROM memberships
                                WHERE district_id = invites.district_id AND telegram_id = ?)
            """,
            (code_hash, now.isoformat(), telegram_id, telegram_id),
        )
        if taken == 0:
            return False
        await tx.execute(
            "INSERT INTO invite_uses (code_hash, telegram_id, used_at) VALUES (?, ?, ?)",
            (code_hash, telegram_id, now.isoformat()),
        )
        await ensure_person(tx, telegram_id, locale)
        await tx.execute(
            """
            INSERT INTO memberships
                   (telegram_id, district_id, role, display_name, joined_at, last_seen)
            SELECT ?, district_id, role, ?, ?, ? FROM invites WHERE code_hash = ?
            """,
            (telegram_id, display_name, now.isoformat(), now.isoformat(), code_hash),
        )
    return True


async def revoke_invites(db: Database, district_id: int, now: datetime) -> int:
    """Stop every open invite of a district (e.g. a printed QR code was lost)."""
    return await db.execute(
        "UPDATE invites SET revoked_at = ? WHERE district_id = ? AND revoked_at IS NULL "
        "AND expires_at > ?",
        (now.isoformat(), district_id, now.isoformat()),
    )
