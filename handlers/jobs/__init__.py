"""Background work that sends on its own (not handlers of an update): started from bot/app.py."""
