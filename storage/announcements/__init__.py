"""Announcements: drafts, audiences, the announcement with its outbox, and delivery progress.

The announcement, its versions and one outbox row per recipient are written in one transaction
(`records.create_announcement`), which also deletes the draft: a second press of "send" finds no
draft and writes nothing. The worker then moves each row pending -> sending -> sent / failed /
unreachable / uncertain, one committed step at a time (`outbox.claim`, `outbox.finish`).

The parts, one idea each: `drafts` (what she is composing), `audiences` (who can be reached),
`records` (the announcement written with its outbox, and read back), `scheduled` (one waiting
for its time: moved or cancelled), `outbox` (the rows as the worker drains them), `reports`
(progress, the report's counts, the history's, and what is forgotten after a while).
"""
