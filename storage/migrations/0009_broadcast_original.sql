-- The language her own text is written in, when she says it is not the one the bot assumes
-- (handlers/broadcasts.py original_locale): NULL keeps the assumption, the district's default
-- language (or her own language for an audience of several districts).

ALTER TABLE broadcast_drafts ADD COLUMN original_locale TEXT;
