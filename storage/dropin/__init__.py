"""Storage of drop-in sessions and activities (sessions.py), the rota and what it sends
(rota.py), and the reach log with the report's raw numbers (reach.py)."""
