"""Sending, shared by every feature: how Telegram's answers are read (sending), every request
under the bot's one rate plan (rate_limiter), and the one careful sender of the messages the bot
starts itself (sender). A feature's background work that sends lives in handlers/jobs/."""
