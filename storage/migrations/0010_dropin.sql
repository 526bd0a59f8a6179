-- Drop-in sessions and local activities, the bydelsmødre's rota, and the reach log.
--
-- A session is a weekly rule (weekday, start, end, valid from/to) at a place; its dated
-- occurrences are computed by the planner (bot/dropin/plan.py), never stored. Exceptions (a
-- cancelled date, an extra date) and everything hung on one occurrence (a shift, a reminder
-- subscription, an alert) are keyed by the session and the occurrence's local date.

CREATE TABLE dropin_sessions (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    -- Random and never changed: the calendar UID (<uid>-<date>@bydelsbot) of its occurrences.
    uid             TEXT    NOT NULL UNIQUE DEFAULT (lower(hex(randomblob(16)))),
    slug            TEXT    NOT NULL UNIQUE,            -- the seed file's id
    district_id     INTEGER NOT NULL REFERENCES districts(id) ON DELETE CASCADE,
    location_id     TEXT    NOT NULL REFERENCES locations(id),
    kind            TEXT    NOT NULL,                   -- bot/dropin/plan.py KINDS
    weekday         INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    starts          TEXT    NOT NULL,                   -- 'HH:MM', Europe/Oslo wall clock
    ends            TEXT    NOT NULL CHECK (ends > starts),
    valid_from      TEXT    NOT NULL,                   -- ISO date
    valid_to        TEXT,                               -- ISO date; NULL: until changed
    languages       TEXT    NOT NULL DEFAULT '',        -- locale codes, comma-separated
    holiday_policy  TEXT    NOT NULL DEFAULT 'skip'
                    CHECK (holiday_policy IN ('skip', 'next_working_day')),
    min_on_duty     INTEGER NOT NULL DEFAULT 2 CHECK (min_on_duty >= 0),
    max_on_duty     INTEGER NOT NULL DEFAULT 4 CHECK (max_on_duty >= 1),
    withdraw_hours  INTEGER NOT NULL DEFAULT 24 CHECK (withdraw_hours >= 0),
    CHECK (min_on_duty <= max_on_duty)
);

CREATE TABLE dropin_exceptions (
    session_id      INTEGER NOT NULL REFERENCES dropin_sessions(id) ON DELETE CASCADE,
    day             TEXT    NOT NULL,                   -- local date of the occurrence
    kind            TEXT    NOT NULL CHECK (kind IN ('cancelled', 'extra')),
    reason          TEXT,
    changed_by      INTEGER,                            -- a coordinator; NULL: the seed file
    changed_at      TEXT    NOT NULL,
    PRIMARY KEY (session_id, day)
);

-- Who is on duty. Past shifts stay without her id when she is forgotten: the volunteer hours
-- of the report still count them. Only rows with an owner count against the maximum.
CREATE TABLE dropin_shifts (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id      INTEGER NOT NULL REFERENCES dropin_sessions(id) ON DELETE CASCADE,
    day             TEXT    NOT NULL,
    telegram_id     INTEGER REFERENCES people(telegram_id) ON DELETE SET NULL,
    taken_at        TEXT    NOT NULL,
    -- The reminder the day before, and the question after the shift: claimed before sending.
    reminder_claimed_at TEXT,
    reminder_outcome    TEXT,
    reach_claimed_at    TEXT,
    reach_outcome       TEXT
);
CREATE UNIQUE INDEX dropin_shifts_owner ON dropin_shifts (session_id, day, telegram_id)
    WHERE telegram_id IS NOT NULL;

-- A shift offered for a swap: the first mother to accept takes it over, in one transaction.
CREATE TABLE dropin_swaps (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    shift_id        INTEGER NOT NULL UNIQUE REFERENCES dropin_shifts(id) ON DELETE CASCADE,
    offered_at      TEXT    NOT NULL
);

-- A woman who asked to be reminded on the morning of one occurrence: her chat id and the
-- session, nothing else; deleted the day after.
CREATE TABLE dropin_subscriptions (
    chat_id         INTEGER NOT NULL,
    session_id      INTEGER NOT NULL REFERENCES dropin_sessions(id) ON DELETE CASCADE,
    day             TEXT    NOT NULL,
    claimed_at      TEXT,
    outcome         TEXT,
    PRIMARY KEY (chat_id, session_id, day)
);

-- "Below the minimum" told to the district's coordinators, once per occurrence.
CREATE TABLE dropin_alerts (
    session_id      INTEGER NOT NULL REFERENCES dropin_sessions(id) ON DELETE CASCADE,
    day             TEXT    NOT NULL,
    claimed_at      TEXT    NOT NULL,
    outcome         TEXT,
    PRIMARY KEY (session_id, day)
);

-- Women reached: counts only, never who was reached nor who logged it.
CREATE TABLE reach_logs (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    district_id     INTEGER NOT NULL REFERENCES districts(id) ON DELETE CASCADE,
    session_id      INTEGER REFERENCES dropin_sessions(id) ON DELETE SET NULL,
    day             TEXT    NOT NULL,                   -- local date
    topic           TEXT    NOT NULL,                   -- a help guide topic id, or 'other'
    women           INTEGER NOT NULL CHECK (women BETWEEN 1 AND 999),
    logged_at       TEXT    NOT NULL
);
CREATE INDEX reach_logs_by_day ON reach_logs (day);
