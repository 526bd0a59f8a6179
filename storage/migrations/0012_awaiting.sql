-- The one question a private chat's next message answers (handlers/awaiting.py): a meeting's
-- place and note, an announcement's text, a voice note... Only questions that may outlive a
-- restart are stored here; the help guide's questions (a woman's phone number) stay in memory.
CREATE TABLE awaiting (
    telegram_id     INTEGER PRIMARY KEY,    -- her private chat (the same id)
    question        TEXT    NOT NULL,       -- a Question's name, e.g. "meeting.note"
    answer_values   TEXT    NOT NULL DEFAULT '[]',  -- JSON list of strings the answer needs
    asked_at        TEXT    NOT NULL,       -- ISO 8601 UTC
    until           TEXT    NOT NULL        -- ISO 8601 UTC: after this the question is closed
);

-- A draft that waited for her typing before this table existed keeps waiting for it.
INSERT INTO awaiting (telegram_id, question, answer_values, asked_at, until)
SELECT created_by, 'broadcast.text', json_array(step), updated_at,
       strftime('%Y-%m-%dT%H:%M:%S+00:00', updated_at, '+1 day')
  FROM broadcast_drafts
 WHERE step IN ('message', 'version', 'schedule');
