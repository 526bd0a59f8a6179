-- Small facts about the bot itself that must survive a restart, e.g. a fingerprint of the
-- command menus last published to Telegram (so they are published again only when changed).
CREATE TABLE bot_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
