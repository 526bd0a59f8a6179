"""Moments as the meeting tables hold them: UTC ISO text, never a naive datetime."""

from __future__ import annotations

from datetime import UTC, datetime


def iso(instant: datetime) -> str:
    if instant.tzinfo is None:
        raise ValueError("refusing to store a naive datetime")
    return instant.astimezone(UTC).isoformat()


def moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
