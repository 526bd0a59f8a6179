-- The basic training (grunnutdannelse): women interested in it, cohorts (kull) with their
-- module evenings, places and the waiting list, attendance, evening reminders and ID cards.
-- Catch-up evenings for bydelsmødre are a cohort of kind 'catchup' with its own places.

-- "I want to become a bydelsmor": kept until she withdraws or 12 months after (README).
CREATE TABLE course_interest (
    telegram_id     INTEGER PRIMARY KEY REFERENCES people(telegram_id) ON DELETE CASCADE,
    district_id     INTEGER NOT NULL REFERENCES districts(id) ON DELETE CASCADE,
    name            TEXT    NOT NULL,
    phone           TEXT,                       -- NULL: contact her on Telegram
    created_at      TEXT    NOT NULL            -- ISO 8601, UTC
);

CREATE TABLE cohorts (
    id              INTEGER PRIMARY KEY,
    district_id     INTEGER NOT NULL REFERENCES districts(id) ON DELETE CASCADE,
    kind            TEXT    NOT NULL DEFAULT 'course' CHECK (kind IN ('course', 'catchup')),
    name            TEXT    NOT NULL,
    capacity        INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 200),
    threshold       INTEGER NOT NULL DEFAULT 15 CHECK (threshold BETWEEN 1 AND 17),
    created_by      INTEGER,                    -- set to NULL when she is forgotten
    created_at      TEXT    NOT NULL,
    completed_at    TEXT,
    -- Bumped by every coordinator's change: a button made before another coordinator's change
    -- carries the old version and is refused instead of acting on a list she has not seen.
    version         INTEGER NOT NULL DEFAULT 0
);

-- A woman's place in a cohort: admitted, offered a freed place (until offer_expires_at), or
-- waiting at `position`. A woman who withdraws, declines or lets an offer lapse has no row.
CREATE TABLE course_places (
    cohort_id       INTEGER NOT NULL REFERENCES cohorts(id) ON DELETE CASCADE,
    telegram_id     INTEGER NOT NULL REFERENCES people(telegram_id) ON DELETE CASCADE,
    name            TEXT    NOT NULL,
    status          TEXT    NOT NULL CHECK (status IN ('admitted', 'offered', 'waiting')),
    position        INTEGER NOT NULL DEFAULT 0,
    offer_expires_at TEXT,                      -- UTC; set while offered
    offer_claimed_at TEXT,                      -- the offer's message was claimed for sending
    joined_at       TEXT    NOT NULL,
    PRIMARY KEY (cohort_id, telegram_id),
    CHECK ((status = 'offered') = (offer_expires_at IS NOT NULL))
);

CREATE TABLE course_evenings (
    id              INTEGER PRIMARY KEY,
    cohort_id       INTEGER NOT NULL REFERENCES cohorts(id) ON DELETE CASCADE,
    module          INTEGER CHECK (module BETWEEN 1 AND 17),   -- NULL: a district's extra evening
    title           TEXT,                       -- a district's own name for the evening
    starts_at       TEXT    NOT NULL,           -- UTC
    minutes         INTEGER NOT NULL CHECK (minutes BETWEEN 15 AND 600),
    location_id     TEXT    REFERENCES locations(id) ON DELETE SET NULL,
    lecturer        TEXT,
    cancelled_at    TEXT
);
CREATE INDEX course_evenings_by_start ON course_evenings (starts_at);

-- Who came. A forgotten woman's row stays without her id: the counts keep "a former participant".
CREATE TABLE course_attendance (
    id              INTEGER PRIMARY KEY,
    evening_id      INTEGER NOT NULL REFERENCES course_evenings(id) ON DELETE CASCADE,
    telegram_id     INTEGER,
    UNIQUE (evening_id, telegram_id)
);

-- The reminder the day before an evening, claimed before it is sent (a restart never sends it
-- twice), and her answer: coming or not (no reason is ever asked or kept).
CREATE TABLE course_reminders (
    evening_id      INTEGER NOT NULL REFERENCES course_evenings(id) ON DELETE CASCADE,
    telegram_id     INTEGER NOT NULL REFERENCES people(telegram_id) ON DELETE CASCADE,
    claimed_at      TEXT    NOT NULL,
    answer          TEXT    CHECK (answer IN ('yes', 'no')),
    PRIMARY KEY (evening_id, telegram_id)
);

-- ID cards: the token is the only thing in the QR code's link; scanning it says valid or
-- withdrawn and nothing else.
CREATE TABLE course_cards (
    token           TEXT    PRIMARY KEY,
    telegram_id     INTEGER NOT NULL REFERENCES people(telegram_id) ON DELETE CASCADE,
    district_id     INTEGER NOT NULL REFERENCES districts(id) ON DELETE CASCADE,
    name            TEXT    NOT NULL,
    issued_at       TEXT    NOT NULL,
    withdrawn_at    TEXT
);
