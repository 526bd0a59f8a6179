-- Announcements: the draft a coordinator is composing, the announcement once confirmed, its
-- versions in other languages, and the outbox (one row per recipient) that a single worker
-- drains. The announcement, its versions and its whole outbox are written in one transaction, so
-- a confirmed announcement is never half there; each outbox row records how far its delivery got.

-- What she is composing, step by step, so that a restart loses nothing she typed. One per author.
CREATE TABLE broadcast_drafts (
    created_by      INTEGER PRIMARY KEY,    -- the author (her private chat is the same id)
    step            TEXT    NOT NULL,       -- where she is: see bot/broadcasts.py Step
    district_id     INTEGER REFERENCES districts(id) ON DELETE CASCADE,
    audience        TEXT,                   -- an audience code: see bot/broadcasts.py Audience
    body            TEXT,                   -- the original text (plain, escaped when sent)
    media_kind      TEXT    CHECK (media_kind IN ('photo', 'document')),
    media_file_id   TEXT,
    versions        TEXT    NOT NULL DEFAULT '{}',  -- JSON: locale -> text
    editing_locale  TEXT,                   -- the version she is typing now
    send_at         TEXT,                   -- ISO 8601 UTC; NULL: as soon as confirmed
    updated_at      TEXT    NOT NULL
);

CREATE TABLE announcements (
    id              INTEGER PRIMARY KEY,
    district_id     INTEGER REFERENCES districts(id) ON DELETE SET NULL,  -- NULL: several
    audience        TEXT    NOT NULL,
    created_by      INTEGER,                -- the author; set to NULL when she is forgotten
    created_at      TEXT    NOT NULL,
    send_at         TEXT    NOT NULL,       -- not before this instant (UTC)
    body            TEXT    NOT NULL,       -- the original text
    media_kind      TEXT    CHECK (media_kind IN ('photo', 'document')),
    media_file_id   TEXT,
    progress_message_id INTEGER,            -- in the author's private chat
    reported_at     TEXT                    -- the final report was sent
);

-- The same announcement in other languages (the original is announcements.body).
CREATE TABLE announcement_versions (
    announcement_id INTEGER NOT NULL REFERENCES announcements(id) ON DELETE CASCADE,
    locale          TEXT    NOT NULL,
    body            TEXT    NOT NULL,
    PRIMARY KEY (announcement_id, locale)
);

-- One row per recipient: a woman (her private chat) or a linked group chat. A row goes
-- pending -> sending (committed before the request) -> sent / failed / blocked. A row found in
-- `sending` at start-up was in flight when the process died: it becomes `uncertain`, never resent.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    announcement_id INTEGER NOT NULL REFERENCES announcements(id) ON DELETE CASCADE,
    telegram_id     INTEGER,                -- a woman, or NULL for a group chat
    group_chat_id   INTEGER,                -- a linked group chat, or NULL for a woman
    locale          TEXT,                   -- the version she gets; NULL: the original
    fallback        INTEGER NOT NULL DEFAULT 0,  -- 1: not in the language she reads
    status          TEXT    NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'blocked',
                                      'uncertain')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    not_before      TEXT,                   -- ISO 8601 UTC: a retry waits until then
    finished_at     TEXT,
    CHECK ((telegram_id IS NULL) != (group_chat_id IS NULL))
);
CREATE INDEX outbox_by_status ON outbox (status, announcement_id);
CREATE INDEX outbox_by_announcement ON outbox (announcement_id, status);
CREATE INDEX outbox_by_person ON outbox (telegram_id) WHERE telegram_id IS NOT NULL;
CREATE UNIQUE INDEX outbox_once_per_person
    ON outbox (announcement_id, telegram_id) WHERE telegram_id IS NOT NULL;
