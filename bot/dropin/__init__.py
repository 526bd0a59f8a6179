"""Drop-in sessions and local activities, the rota and the reach report: the pure rules.

plan.py turns a session's weekly rule into dated occurrences; rota.py decides what is due and
what a bydelsmor may still do; report.py adds up the reach log; seed.py reads [[session]]
tables of the organisation file. The buttons' codecs are in handlers/dropin/codecs.py.
"""
