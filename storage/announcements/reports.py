"""What the author is told: an announcement's progress, its report's counts, the history's
counts, and what is kept of it once its outbox rows are forgotten."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from storage.db import Database


async def announcement_progress(db: Database, announcement_id: int) -> tuple[int, int]:
    """(finished, total) deliveries of one announcement."""
    row = await db.fetch_one(
        "SELECT count(*) AS total, "
        "sum(status IN ('sent', 'failed', 'unreachable', 'uncertain')) AS finished "
        "FROM outbox WHERE announcement_id = ?",
        (announcement_id,),
    )
    if row is None:
        return 0, 0
    return int(row["finished"] or 0), int(row["total"] or 0)


async def mark_reported(db: Database, announcement_id: int, now: datetime) -> None:
    await db.execute(
        "UPDATE announcements SET reported_at = ? WHERE id = ?", (now.isoformat(), announcement_id)
    )


async def version_counts(db: Database, announcement_id: int) -> list[tuple[str | None, str, int]]:
    """(version locale or None for the original, status, how many), for the report (from the
    counts kept once the outbox rows were purged)."""
    kept = await db.fetch_one(
        "SELECT report_counts FROM announcements WHERE id = ? AND report_counts IS NOT NULL",
        (announcement_id,),
    )
    if kept is not None:
        return [(locale, status, int(n)) for locale, status, n in json.loads(kept[0])]
    rows = await db.fetch_all(
        "SELECT locale, status, count(*) AS n FROM outbox WHERE announcement_id = ? "
        "GROUP BY locale, status ORDER BY locale, status",
        (announcement_id,),
    )
    return [(row["locale"], row["status"], int(row["n"])) for row in rows]


async def status_counts(
    db: Database, announcement_ids: Sequence[int]
) -> dict[int, list[tuple[str, int]]]:
    """(status, how many) per announcement, for a page of the history."""
    if not announcement_ids:
        return {}
    rows = await db.fetch_all(
        "SELECT announcement_id, status, count(*) AS n FROM outbox "  # noqa: S608
        f"WHERE announcement_id IN ({', '.join('?' * len(announcement_ids))}) "
        "GROUP BY announcement_id, status",
        announcement_ids,
    )
    found: dict[int, list[tuple[str, int]]] = {i: [] for i in announcement_ids}
    for row in rows:
        found[int(row["announcement_id"])].append((row["status"], int(row["n"])))
    kept = await db.fetch_all(
        "SELECT id, report_counts FROM announcements "  # noqa: S608
        f"WHERE id IN ({', '.join('?' * len(announcement_ids))}) AND report_counts IS NOT NULL",
        announcement_ids,
    )
    for row in kept:
        found[int(row["id"])] = [(status, int(n)) for _, status, n in json.loads(row[1])]
    return found


async def purge_reported(db: Database, reported_before: datetime, now: datetime) -> int:
    """Forget what announcements reported before `reported_before` need no more: each one's
    outbox rows (who got it), versions, text and file become counts per version and status,
    which /broadcasts goes on showing. How many announcements were purged."""
    async with db.transaction() as tx:
        due = await tx.fetch_all(
            "SELECT id FROM announcements WHERE purged_at IS NULL AND reported_at IS NOT NULL "
            "AND reported_at <= ?",
            (reported_before.isoformat(),),
        )
        for row in due:
            announcement_id = int(row["id"])
            counts = await tx.fetch_all(
                "SELECT locale, status, count(*) AS n FROM outbox WHERE announcement_id = ? "
                "GROUP BY locale, status ORDER BY locale, status",
                (announcement_id,),
            )
            kept = [[r["locale"], r["status"], int(r["n"])] for r in counts]
            await tx.execute(
                "UPDATE announcements SET report_counts = ?, purged_at = ?, body = '', "
                "media_file_id = NULL WHERE id = ?",
                (json.dumps(kept), now.isoformat(), announcement_id),
            )
            await tx.execute("DELETE FROM outbox WHERE announcement_id = ?", (announcement_id,))
            await tx.execute(
                "DELETE FROM announcement_versions WHERE announcement_id = ?", (announcement_id,)
            )
    return len(due)
