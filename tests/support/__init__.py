"""Real builders shared by several test folders: nothing here is fake (stand-ins are in
tests/fakes/) and nothing here is a test. A feature's own test world is tests/<feature>/world.py.
"""
