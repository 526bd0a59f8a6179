-- Meeting ids are never reused, and each meeting has a stable random uid for calendars.
--
-- 0004 made meetings.id an INTEGER PRIMARY KEY without AUTOINCREMENT, so SQLite handed the id
-- of a deleted newest meeting to the next one: an old reminder's "Coming" button then answered
-- another meeting, and a calendar file overwrote another event. SQLite cannot add
-- AUTOINCREMENT to a table, so the table is rebuilt, keeping every row and id.
--
-- PRAGMA foreign_keys cannot be switched off inside the migration's transaction, and dropping
-- a table deletes its rows first, cascading to whatever references it. So the tables that
-- point at meetings are rebuilt alongside it, pointing at the new table, and the old ones are
-- dropped children first; renaming the new table then renames the references with it.

CREATE TABLE meetings_new (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    -- Random and never changed: the calendar UID (<uid>@bydelsbot) of this meeting.
    uid             TEXT    NOT NULL UNIQUE DEFAULT (lower(hex(randomblob(16)))),
    district_id     INTEGER NOT NULL REFERENCES districts(id) ON DELETE CASCADE,
    -- The rule's local date and time for it ('2026-05-13T18:00'), before a holiday moved it;
    -- NULL for a single meeting a coordinator added. A re-plan finds its meetings by this key.
    rule_key        TEXT,
    starts_at       TEXT    NOT NULL,                   -- ISO 8601, UTC
    place           TEXT,
    note            TEXT,
    cancelled_at    TEXT,
    changed_by      INTEGER,                            -- the coordinator; NULL when forgotten
    changed_at      TEXT,                               -- set only by a coordinator's change
    moved_at        TEXT,                               -- she moved it: a new rule keeps her time
    -- Every change (a coordinator's or a new rule's) counts one: the calendar's SEQUENCE.
    revision        INTEGER NOT NULL DEFAULT 0,
    updated_at      TEXT                                -- the last change: LAST-MODIFIED
);
-- Before this, any change a coordinator made is taken for a move, so a new rule keeps her time.
INSERT INTO meetings_new (id, district_id, rule_key, starts_at, place, note, cancelled_at,
                          changed_by, changed_at, moved_at, revision, updated_at)
    SELECT id, district_id, rule_key, starts_at, place, note, cancelled_at, changed_by,
           changed_at, changed_at, CASE WHEN changed_at IS NULL THEN 0 ELSE 1 END, changed_at
      FROM meetings;

CREATE TABLE rsvps_new (
    meeting_id      INTEGER NOT NULL REFERENCES meetings_new(id) ON DELETE CASCADE,
    telegram_id     INTEGER NOT NULL REFERENCES people(telegram_id) ON DELETE CASCADE,
    answer          TEXT    NOT NULL CHECK (answer IN ('yes', 'no', 'maybe')),
    answered_at     TEXT    NOT NULL,
    PRIMARY KEY (meeting_id, telegram_id)
);
INSERT INTO rsvps_new SELECT meeting_id, telegram_id, answer, answered_at FROM rsvps;

-- One row per member, meeting and lead time, written (claimed) BEFORE the message is sent and
-- finished after: a restart in between never sends it again.
CREATE TABLE reminder_deliveries_new (
    meeting_id      INTEGER NOT NULL REFERENCES meetings_new(id) ON DELETE CASCADE,
    lead_hours      INTEGER NOT NULL,
    telegram_id     INTEGER NOT NULL REFERENCES people(telegram_id) ON DELETE CASCADE,
    claimed_at      TEXT    NOT NULL,
    -- NULL while sending; then sent, unreachable, failed, uncertain (timed out: perhaps sent,
    -- never resent), interrupted (the bot stopped while sending), skipped_late or
    -- skipped_not_coming
    outcome         TEXT,
    finished_at     TEXT,
    PRIMARY KEY (meeting_id, telegram_id, lead_hours)
);
INSERT INTO reminder_deliveries_new
    SELECT meeting_id, lead_hours, telegram_id, claimed_at, outcome, finished_at
      FROM reminder_deliveries;

CREATE TABLE meeting_chat_posts_new (
    meeting_id      INTEGER PRIMARY KEY REFERENCES meetings_new(id) ON DELETE CASCADE,
    claimed_at      TEXT    NOT NULL,
    outcome         TEXT
);
INSERT INTO meeting_chat_posts_new SELECT meeting_id, claimed_at, outcome FROM meeting_chat_posts;

DROP TABLE meeting_chat_posts;
DROP TABLE reminder_deliveries;
DROP TABLE rsvps;
DROP TABLE meetings;

ALTER TABLE meetings_new RENAME TO meetings;
ALTER TABLE rsvps_new RENAME TO rsvps;
ALTER TABLE reminder_deliveries_new RENAME TO reminder_deliveries;
ALTER TABLE meeting_chat_posts_new RENAME TO meeting_chat_posts;

CREATE UNIQUE INDEX meetings_by_rule ON meetings (district_id, rule_key) WHERE rule_key IS NOT NULL;
CREATE INDEX meetings_by_start ON meetings (starts_at);

-- Days the group does not meet although they are no public holiday ('MM-DD', comma-separated):
-- Christmas Eve and New Year's Eve unless the seed file says otherwise.
ALTER TABLE districts ADD COLUMN days_off TEXT NOT NULL DEFAULT '12-24,12-31';
