"""The invites' buttons, one codec each (handlers/common/codec.py): anchored at both ends, so
the district's and the role's buttons no longer depend on the order bot/app.py registers them."""

from __future__ import annotations

from handlers.common.codec import ID, Codec

INVITE_DISTRICT = Codec("inv", (ID,))  # which district the invite is for
INVITE_ROLE = Codec("inv", (ID, "participant|mother|coordinator"))  # and which role it gives
JOIN = Codec("join", (r"j[A-Za-z0-9_-]{24}",))  # she accepts the invite (its code)
JOIN_NO = Codec("join:no")  # she declines it
