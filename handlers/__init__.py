"""Handlers: Telegram in, Telegram out.

Each module parses one capability's updates, checks access, calls the rules in `bot/` and renders
the answer in the person's language. Registration happens in one place: `bot/app.py`.
"""
