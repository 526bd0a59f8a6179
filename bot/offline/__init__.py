"""An in-process stand-in for the Telegram Bot API server, for the demo and the tests (api.py)."""
