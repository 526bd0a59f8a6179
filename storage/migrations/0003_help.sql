-- The help guide. What a woman looked at is never stored with who she is: help_views holds only
-- counts per day, topic and language. A contact request holds who she is (she asked to be
-- contacted, with consent) but not what she looked at, and is deleted 30 days after it is handled.

CREATE TABLE help_views (
    day             TEXT    NOT NULL,   -- local date, YYYY-MM-DD
    topic           TEXT    NOT NULL,
    locale          TEXT    NOT NULL,
    views           INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, topic, locale)
);

CREATE TABLE contact_requests (
    id              INTEGER PRIMARY KEY,
    telegram_id     INTEGER NOT NULL,
    district_id     INTEGER NOT NULL REFERENCES districts(id) ON DELETE CASCADE,
    locale          TEXT    NOT NULL,
    channel         TEXT    NOT NULL CHECK (channel IN ('telegram', 'phone')),
    contact         TEXT    NOT NULL,   -- her Telegram name (and @username) or her phone number
    created_at      TEXT    NOT NULL,
    handled_at      TEXT,
    handled_by      INTEGER             -- set to NULL when that coordinator is forgotten
);
CREATE INDEX contact_requests_open ON contact_requests (district_id, handled_at);

-- A voice note a coordinator recorded for a topic in one language, played with a 🔊 button.
CREATE TABLE voice_notes (
    topic           TEXT    NOT NULL,
    locale          TEXT    NOT NULL,
    file_id         TEXT    NOT NULL,   -- Telegram's id of the voice message
    recorded_by     INTEGER,            -- set to NULL when she is forgotten
    recorded_at     TEXT    NOT NULL,
    PRIMARY KEY (topic, locale)
);
