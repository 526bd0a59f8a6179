"""Shared pieces every feature may use: the context and rendering, access, typed answers (awaiting),
commands and the menu, identity, labels, the button guard, errors and the fallback, sending and
its classification, the rate plan, the help flow's message memory. Nothing here imports a
feature."""
