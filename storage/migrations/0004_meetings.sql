-- Meetings and reminders: the dated meetings the planner made from each group's rule (or that a
-- coordinator added), answers to them, and every reminder sent, so that no restart sends one twice.

CREATE TABLE meetings (
    id              INTEGER PRIMARY KEY,
    district_id     INTEGER NOT NULL REFERENCES districts(id) ON DELETE CASCADE,
    -- The rule's local date and time for it ('2026-05-13T18:00'), before a holiday moved it;
    -- NULL for a single meeting a coordinator added. A re-plan finds its meetings by this key.
    rule_key        TEXT,
    starts_at       TEXT    NOT NULL,                   -- ISO 8601, UTC
    place           TEXT,
    note            TEXT,
    cancelled_at    TEXT,
    changed_by      INTEGER,                            -- the coordinator; NULL when forgotten
    changed_at      TEXT
);
CREATE UNIQUE INDEX meetings_by_rule ON meetings (district_id, rule_key) WHERE rule_key IS NOT NULL;
CREATE INDEX meetings_by_start ON meetings (starts_at);

-- The rule each district's future meetings were last planned by; a different rule (a new phase,
-- a new time) re-plans them, and a new phase is told to the members.
CREATE TABLE meeting_plans (
    district_id     INTEGER PRIMARY KEY REFERENCES districts(id) ON DELETE CASCADE,
    signature       TEXT    NOT NULL,
    phase           INTEGER NOT NULL,
    planned_at      TEXT    NOT NULL
);

CREATE TABLE rsvps (
    meeting_id      INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    telegram_id     INTEGER NOT NULL REFERENCES people(telegram_id) ON DELETE CASCADE,
    answer          TEXT    NOT NULL CHECK (answer IN ('yes', 'no', 'maybe')),
    answered_at     TEXT    NOT NULL,
    PRIMARY KEY (meeting_id, telegram_id)
);

-- One row per member, meeting and lead time, written (claimed) BEFORE the message is sent and
-- finished after: a restart in between never sends it again.
CREATE TABLE reminder_deliveries (
    meeting_id      INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    lead_hours      INTEGER NOT NULL,
    telegram_id     INTEGER NOT NULL REFERENCES people(telegram_id) ON DELETE CASCADE,
    claimed_at      TEXT    NOT NULL,
    -- NULL while sending; then sent, unreachable, failed, skipped_late or skipped_not_coming
    outcome         TEXT,
    finished_at     TEXT,
    PRIMARY KEY (meeting_id, telegram_id, lead_hours)
);

-- The short post in the district's group chat, once per meeting, claimed the same way.
CREATE TABLE meeting_chat_posts (
    meeting_id      INTEGER PRIMARY KEY REFERENCES meetings(id) ON DELETE CASCADE,
    claimed_at      TEXT    NOT NULL,
    outcome         TEXT
);
