"""Words and pictures for roles, shared by every handler that names one."""

from __future__ import annotations

from bot.i18n import N_
from bot.identity import Role

ROLE_NAMES = {
    Role.PARTICIPANT: N_("participant in the basic training"),
    # TRANSLATORS: the Norwegian title of a trained volunteer ("neighbourhood mother"); keep the
    # word bydelsmor and, if it helps, add your language's word in brackets.
    Role.MOTHER: N_("bydelsmor"),
    Role.COORDINATOR: N_("coordinator"),
    Role.ADMIN: N_("administrator at Bydelsmødre sentralt"),
}

ROLE_EMOJI = {
    Role.PARTICIPANT: "🎓",
    Role.MOTHER: "🤝",
    Role.COORDINATOR: "🧭",
    Role.ADMIN: "🏛",
}
