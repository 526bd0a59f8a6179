"""The drop-in in Telegram: women's /dropin (women.py), the bydelsmødre's /rota (rota.py),
the coordinators' answers to an alert (coordinate.py), /reached (reach.py) and /report
(report.py). The jobs that send on their own are in handlers/jobs/dropin.py."""
