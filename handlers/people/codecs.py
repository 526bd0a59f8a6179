"""The invites' buttons, one codec each (handlers/common/codec.py): anchored at both ends, so
the district's and the role's buttons no longer depend on the order bot/app.py registers them."""

from __future__ import annotations

from handlers.common.codec import ID, Codec

INVITE_DISTRICT = Codec("inv", (ID,))  # which district the invite is for
INVITE_ROLE = Codec("inv", (ID, "participant|mother|coordinator"))  # and which role it gives
JOIN = Codec("join", (r"j[A-Za-z0-9_-]{24}",))  # she accepts the invite (its code)
JOIN_NO = Codec("join:no")  # she declines it

# /members (handlers/people/members.py): the district's id, a page or a member's Telegram id.
DISTRICT = r"\d{1,9}"
PERSON = r"\d{1,20}"
ROLE = "participant|mother|coordinator"
MEMBER_PAGE = Codec("mem", (DISTRICT, r"\d{1,4}"))  # one page of the list
MEMBER_CARD = Codec("mcard", (DISTRICT, PERSON))  # a member's card
MEMBER_REMOVE = Codec("mrm", (DISTRICT, PERSON))  # ask to confirm her removal
MEMBER_REMOVE_OK = Codec("mrmok", (DISTRICT, PERSON))  # remove her
MEMBER_ROLE = Codec("mrole", (DISTRICT, PERSON, ROLE))  # ask to confirm another role
MEMBER_ROLE_OK = Codec("mroleok", (DISTRICT, PERSON, ROLE))  # give it

# /forget (handlers/people/privacy.py): ask to forget her, forget her, or keep everything.
FORGET = Codec("forget", ("ask|yes|no",))

# /link in a group chat (handlers/people/group_chat.py): which district the chat belongs to.
LINK = Codec("link", (DISTRICT,))
