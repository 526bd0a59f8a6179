-- The messages a cohort's completion sends: each woman's ID card (to her) and her diploma (to
-- the coordinator who completed the cohort). They are written in the same transaction as the
-- new roles, so a crash right after it loses nothing: the course's job sends whatever is not
-- claimed yet, at start-up and every few minutes. Each is claimed right before it is sent (a
-- restart never sends it twice); a send cut off without an answer is "uncertain" (claimed, no
-- outcome, or outcome 'uncertain') and is shown to the coordinator, never sent again by itself.
CREATE TABLE course_deliveries (
    id                      INTEGER PRIMARY KEY,
    cohort_id               INTEGER NOT NULL REFERENCES cohorts(id) ON DELETE CASCADE,
    telegram_id             INTEGER NOT NULL REFERENCES people(telegram_id) ON DELETE CASCADE,
    kind                    TEXT    NOT NULL CHECK (kind IN ('card', 'diploma')),
    name                    TEXT    NOT NULL,   -- her name as on the card
    card_token              TEXT,               -- the card's token (kind 'card')
    recipient_telegram_id   INTEGER NOT NULL REFERENCES people(telegram_id) ON DELETE CASCADE,
    coordinator_telegram_id INTEGER NOT NULL REFERENCES people(telegram_id) ON DELETE CASCADE,
    claimed_at              TEXT,               -- UTC: the send was claimed
    outcome                 TEXT CHECK (outcome IN ('sent', 'uncertain', 'failed', 'unreachable')),
    UNIQUE (cohort_id, telegram_id, kind)
);
CREATE INDEX course_deliveries_unclaimed ON course_deliveries (claimed_at);

-- An offer of a freed place: what came of its message. NULL while claimed means the send was
-- cut off (a crash): like 'uncertain' it is shown to the coordinator in the waiting list, who
-- sends it again or passes the place on. Offers claimed before this column existed were sent.
ALTER TABLE course_places ADD COLUMN offer_outcome TEXT
    CHECK (offer_outcome IN ('sent', 'uncertain', 'failed'));
UPDATE course_places SET offer_outcome = 'sent' WHERE offer_claimed_at IS NOT NULL;
