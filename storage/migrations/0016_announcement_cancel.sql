-- A scheduled announcement cancelled before it went: nobody got it (its outbox rows are deleted),
-- and the history says "cancelled".
ALTER TABLE announcements ADD COLUMN cancelled_at TEXT;
