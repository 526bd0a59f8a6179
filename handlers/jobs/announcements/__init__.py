"""The announcements' background work: the one outbox worker (worker.py) that sends each row
(rows.py) and keeps the coordinator told (reports.py), and the nightly purge (purge.py)."""
