"""Validation of Bot API calls against the Telegram Bot API specification (see validator.py)."""

from .validator import BotApiSpec, SpecViolation, load_spec

__all__ = ["BotApiSpec", "SpecViolation", "load_spec"]
