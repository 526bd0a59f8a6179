"""Test stand-ins for Telegram, and only for Telegram: everything else in the tests is real."""
