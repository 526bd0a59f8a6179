-- Announcements are not kept for ever: RETENTION days after the report (storage/broadcasts.py
-- purge_reported), the per-recipient outbox rows (her Telegram id), the versions and the text
-- are deleted; the announcement keeps only its report, as counts per version and status.

ALTER TABLE announcements ADD COLUMN report_counts TEXT;  -- JSON [[locale, status, n], ...]
ALTER TABLE announcements ADD COLUMN purged_at TEXT;      -- when the rest was deleted (UTC)
