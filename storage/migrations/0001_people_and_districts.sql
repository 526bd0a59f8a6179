-- The foundation: who writes to the bot, in which language, and which district groups exist.
-- A woman who only looks for help is a row in `people` with her chosen language and nothing else
-- (see DESIGN.md, privacy): names and dates belong to memberships, which only members have.

CREATE TABLE districts (
    id              INTEGER PRIMARY KEY,
    slug            TEXT    NOT NULL UNIQUE,
    name            TEXT    NOT NULL,
    phase           INTEGER NOT NULL CHECK (phase BETWEEN 1 AND 4),
    default_locale  TEXT    NOT NULL DEFAULT 'nb'
);

CREATE TABLE people (
    telegram_id     INTEGER PRIMARY KEY,
    locale          TEXT                -- NULL until she has chosen a language herself
);

CREATE TABLE memberships (
    telegram_id     INTEGER NOT NULL REFERENCES people(telegram_id) ON DELETE CASCADE,
    district_id     INTEGER NOT NULL REFERENCES districts(id) ON DELETE CASCADE,
    role            TEXT    NOT NULL
                    CHECK (role IN ('participant', 'mother', 'coordinator')),
    display_name    TEXT    NOT NULL,
    joined_at       TEXT    NOT NULL,   -- ISO 8601, UTC
    PRIMARY KEY (telegram_id, district_id)
);

CREATE INDEX memberships_by_district ON memberships (district_id, role);
