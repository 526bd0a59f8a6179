"""The Bydelsmødre bot: the rules (plain Python) and, in app/cli/demo, the assembled program.

Modules here hold the capabilities' rules and take plain values. Only the composition root
(`app.py`, `application.py`, `cli.py`, `demo.py`, `__main__.py`) imports `telegram` and
`handlers`: it builds the Application and wires everything together.
"""
