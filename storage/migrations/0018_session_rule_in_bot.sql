-- A session's settings changed by a coordinator in the bot (/sessions), with who and when, and
-- the settings the seed file last wrote: a later `bydelsbot seed` keeps the bot's settings unless
-- the file's session changed since it was last applied (the newer change wins; the same rule as
-- the meeting rule's, 0017_rule_in_bot.sql; see storage/dropin/sessions.py).
ALTER TABLE dropin_sessions ADD COLUMN rule_changed_by INTEGER;  -- NULL: from the file (or forgotten)
ALTER TABLE dropin_sessions ADD COLUMN rule_changed_at TEXT;     -- ISO 8601 UTC, set in the bot
ALTER TABLE dropin_sessions ADD COLUMN seeded_rule TEXT;         -- JSON: what the file last set
UPDATE dropin_sessions SET seeded_rule = json_array(
    (SELECT slug FROM districts WHERE districts.id = district_id), location_id, kind, weekday,
    starts, ends, valid_from, valid_to, languages, holiday_policy, min_on_duty, max_on_duty,
    withdraw_hours)
 WHERE slug NOT LIKE 'new-%';
