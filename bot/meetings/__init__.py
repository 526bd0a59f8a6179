"""Meetings' rules as plain Python, no Telegram, no SQL.

`plan` a group's rule turned into dated meetings and re-planned when it changes, `reminders`
which reminder is due for a meeting at a given moment, `rule_draft` the rule a coordinator sets
from her phone, one button at a time. The calendar they plan on is shared: bot/days.py.
"""
