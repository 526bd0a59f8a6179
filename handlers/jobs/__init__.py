"""Background work that sends on its own (not handlers of an update).

Started from bot/application.py, when the bot opens its services."""
