"""Meetings: the cards and answers, the coordinator's changes (add, move, cancel, the rule from
the phone, the phase) and the reminders that plan and send."""
