-- One word for a send that cannot reach her: 'unreachable' (handlers/delivery/sending.Outcome),
-- as reminders and the drop-in's messages store it, where the outbox said 'blocked' (she blocked
-- the bot, deleted her account, or the bot left the group).
--
-- The outbox's CHECK names the states, and SQLite cannot change a CHECK, so the table is rebuilt
-- with every row and id (nothing references it); the reports kept after a purge
-- (announcements.report_counts, JSON [[locale, status, n], ...]) say 'unreachable' too. A locale
-- is never the string "blocked", so replacing the quoted word changes statuses only.

CREATE TABLE outbox_new (
    id              INTEGER PRIMARY KEY,
    announcement_id INTEGER NOT NULL REFERENCES announcements(id) ON DELETE CASCADE,
    telegram_id     INTEGER,                -- a woman, or NULL for a group chat
    group_chat_id   INTEGER,                -- a linked group chat, or NULL for a woman
    locale          TEXT,                   -- the version she gets; NULL: the original
    fallback        INTEGER NOT NULL DEFAULT 0,  -- 1: not in the language she reads
    status          TEXT    NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'unreachable',
                                      'uncertain')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    not_before      TEXT,                   -- ISO 8601 UTC: a retry waits until then
    finished_at     TEXT,
    CHECK ((telegram_id IS NULL) != (group_chat_id IS NULL))
);
INSERT INTO outbox_new (id, announcement_id, telegram_id, group_chat_id, locale, fallback, status,
                        attempts, not_before, finished_at)
    SELECT id, announcement_id, telegram_id, group_chat_id, locale, fallback,
           CASE status WHEN 'blocked' THEN 'unreachable' ELSE status END,
           attempts, not_before, finished_at
      FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_by_status ON outbox (status, announcement_id);
CREATE INDEX outbox_by_announcement ON outbox (announcement_id, status);
CREATE INDEX outbox_by_person ON outbox (telegram_id) WHERE telegram_id IS NOT NULL;
CREATE UNIQUE INDEX outbox_once_per_person
    ON outbox (announcement_id, telegram_id) WHERE telegram_id IS NOT NULL;

UPDATE announcements SET report_counts = replace(report_counts, '"blocked"', '"unreachable"')
 WHERE report_counts IS NOT NULL;
