"""Meetings, answers to them, and the reminders sent for them.

The database is the source of truth: the JobQueue only holds wake-ups for the near future and
is rebuilt from here. A reminder is claimed (its row written) before it is sent and finished
after, so however often the bot restarts, nobody gets the same reminder twice.

The parts, one idea each: `rules` (a district's meeting rule and what its reminders need),
`meetings` (the meetings and a coordinator's changes to one), `plan` (the meetings its rule
planned, replanned in one transaction), `rsvps` (the answers, and who is asked), `reminders`
(each reminder and group chat post claimed, then finished).
"""
