-- A fact of the help guide's catalogue (a service's phone number or address) that an admin
-- confirmed from the bot, saying where she checked it and when: it replaces the file's
-- `unconfirmed = true` without a redeploy (bot/confirmations.py applies them at start-up and
-- after each confirmation). The newest confirmation of a fact counts.
CREATE TABLE fact_confirmations (
    id              INTEGER PRIMARY KEY,
    service_id      TEXT    NOT NULL,       -- a [[service]] id of bot/data/referrals.toml
    fact            TEXT    NOT NULL,       -- "phone:<number as in the file>" or "address"
    source          TEXT    NOT NULL,       -- where she checked it (a web address or a citation)
    checked_on      TEXT    NOT NULL,       -- ISO date she checked it
    confirmed_by    INTEGER,                -- the admin; set to NULL when she is forgotten
    confirmed_at    TEXT    NOT NULL        -- ISO 8601 UTC
);
CREATE INDEX fact_confirmations_fact ON fact_confirmations (service_id, fact);
