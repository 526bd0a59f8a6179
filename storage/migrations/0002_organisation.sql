-- Districts get their meeting settings, a place and a linked Telegram group chat; members get
-- "last seen"; people who blocked the bot are marked; invites, phase history and admins arrive.

CREATE TABLE locations (
    id                  TEXT    PRIMARY KEY,          -- a slug, e.g. 'furuset-bibliotek'
    name                TEXT    NOT NULL,
    address             TEXT    NOT NULL,
    latitude            REAL,
    longitude           REAL,
    coordinates_source  TEXT,                         -- never coordinates without a source
    CHECK ((latitude IS NULL) = (longitude IS NULL)),
    CHECK ((latitude IS NULL) = (coordinates_source IS NULL))
);

ALTER TABLE districts ADD COLUMN location_id TEXT REFERENCES locations(id) ON DELETE SET NULL;
-- Meeting rule, read by the meetings capability. Fase 3: every second week on meeting_weekday
-- (0 = Monday) at meeting_time (local Europe/Oslo wall clock), counted from meeting_anchor.
-- Fase 4: monthly_rule, 'weekday:<n>:<weekday>' (n = 1..4 or -1 for last) or 'day:<1..28>'.
ALTER TABLE districts ADD COLUMN meeting_weekday INTEGER CHECK (meeting_weekday BETWEEN 0 AND 6);
ALTER TABLE districts ADD COLUMN meeting_time TEXT;
ALTER TABLE districts ADD COLUMN meeting_anchor TEXT;
ALTER TABLE districts ADD COLUMN monthly_rule TEXT;
ALTER TABLE districts ADD COLUMN holiday_policy TEXT NOT NULL DEFAULT 'skip'
    CHECK (holiday_policy IN ('skip', 'next_working_day'));
ALTER TABLE districts ADD COLUMN reminder_hours TEXT NOT NULL DEFAULT '48,3';
ALTER TABLE districts ADD COLUMN chat_id INTEGER;       -- the linked Telegram group chat
ALTER TABLE districts ADD COLUMN chat_title TEXT;
CREATE UNIQUE INDEX districts_by_chat ON districts (chat_id) WHERE chat_id IS NOT NULL;

ALTER TABLE memberships ADD COLUMN last_seen TEXT;      -- ISO 8601 UTC, updated at most hourly
ALTER TABLE people ADD COLUMN unreachable_since TEXT;   -- set when Telegram answers 403

-- Central admins added with `bydelsbot admin add` (BYDELSBOT_ADMINS adds more, not stored).
CREATE TABLE admins (
    telegram_id     INTEGER PRIMARY KEY,
    added_at        TEXT    NOT NULL
);

-- Who moved a group to which phase, and when (the meetings capability follows the phase).
CREATE TABLE phase_changes (
    id              INTEGER PRIMARY KEY,
    district_id     INTEGER NOT NULL REFERENCES districts(id) ON DELETE CASCADE,
    from_phase      INTEGER NOT NULL,
    to_phase        INTEGER NOT NULL CHECK (to_phase BETWEEN 1 AND 4),
    changed_by      INTEGER,                            -- set to NULL when she is forgotten
    changed_at      TEXT    NOT NULL
);

-- Invite links. Only a hash of the code is kept: the link itself is a bearer secret.
CREATE TABLE invites (
    code_hash       TEXT    PRIMARY KEY,
    district_id     INTEGER NOT NULL REFERENCES districts(id) ON DELETE CASCADE,
    role            TEXT    NOT NULL CHECK (role IN ('participant', 'mother', 'coordinator')),
    created_by      INTEGER,                            -- set to NULL when she is forgotten
    created_at      TEXT    NOT NULL,
    expires_at      TEXT    NOT NULL,
    max_uses        INTEGER NOT NULL CHECK (max_uses > 0),
    uses            INTEGER NOT NULL DEFAULT 0,
    revoked_at      TEXT
);

CREATE TABLE invite_uses (
    code_hash       TEXT    NOT NULL REFERENCES invites(code_hash) ON DELETE CASCADE,
    telegram_id     INTEGER NOT NULL,
    used_at         TEXT    NOT NULL,
    PRIMARY KEY (code_hash, telegram_id)
);
