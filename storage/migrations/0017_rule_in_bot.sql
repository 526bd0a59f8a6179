-- A district's meeting rule set by a coordinator in the bot (/meetings → 🔁), with who and when,
-- and the rule the seed file last wrote: a later `bydelsbot seed` keeps the bot's rule unless the
-- file's rule changed since it was last applied (the newer change wins; see storage/organisation).
ALTER TABLE districts ADD COLUMN rule_changed_by INTEGER;   -- NULL: from the file (or forgotten)
ALTER TABLE districts ADD COLUMN rule_changed_at TEXT;      -- ISO 8601 UTC, set in the bot
ALTER TABLE districts ADD COLUMN seeded_rule TEXT;          -- JSON: the rule the file last set
UPDATE districts SET seeded_rule = json_array(meeting_weekday, meeting_time, meeting_anchor,
                                              monthly_rule, holiday_policy, reminder_hours,
                                              days_off);
