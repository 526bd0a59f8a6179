-- Translation review inside the bot (issue 14): who may review which language, the wordings
-- reviewers suggest, and which messages a native speaker has checked. A message is named by its
-- English source (the catalogue's msgid) and a hash of the whole source (msgid and plural), so a
-- review of a message whose source changed since no longer counts: it needs review again.

-- The reviewer right, per language. Granted by a coordinator or an admin; it goes with her
-- person row (/forget) and, by the trigger below, with her last membership.
CREATE TABLE reviewers (
    telegram_id     INTEGER NOT NULL REFERENCES people(telegram_id) ON DELETE CASCADE,
    locale          TEXT    NOT NULL,
    granted_by      INTEGER,                            -- set to NULL when she is forgotten
    granted_at      TEXT    NOT NULL,
    PRIMARY KEY (telegram_id, locale)
);

-- A reviewer who leaves her last district group is no reviewer any more.
CREATE TRIGGER reviewers_leave_with_last_membership
AFTER DELETE ON memberships
WHEN NOT EXISTS (SELECT 1 FROM memberships WHERE telegram_id = OLD.telegram_id)
BEGIN
    DELETE FROM reviewers WHERE telegram_id = OLD.telegram_id;
END;

-- Better wordings. 'pending' until a second person approves ('live': the bot uses it at once);
-- a newer live wording of the same message makes the old one 'replaced'; a wording whose source
-- changed is 'stale'. The texts are catalogue texts, never anything a woman wrote about herself;
-- who suggested or approved is unlinked (NULL) when she is forgotten, the wording stays.
CREATE TABLE review_wordings (
    id              INTEGER PRIMARY KEY,
    locale          TEXT    NOT NULL,
    msgid           TEXT    NOT NULL,
    source_hash     TEXT    NOT NULL,
    forms           TEXT    NOT NULL,                   -- JSON list: one string, or plural forms
    status          TEXT    NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'live', 'replaced', 'stale')),
    suggested_by    INTEGER,
    suggested_at    TEXT    NOT NULL,
    approved_by     INTEGER,
    approved_at     TEXT
);
CREATE UNIQUE INDEX review_wordings_one_live ON review_wordings (locale, msgid)
    WHERE status = 'live';
CREATE INDEX review_wordings_by_message ON review_wordings (locale, msgid, status);

-- "A native speaker checked this message": her ✅ Good, or a wording going live.
CREATE TABLE review_checks (
    locale          TEXT    NOT NULL,
    msgid           TEXT    NOT NULL,
    source_hash     TEXT    NOT NULL,
    checked_by      INTEGER,                            -- set to NULL when she is forgotten
    checked_at      TEXT    NOT NULL,
    PRIMARY KEY (locale, msgid)
);
