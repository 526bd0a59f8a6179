"""Words and pictures for roles, phases and a reviewer's languages, shared by every handler
that names one."""

from __future__ import annotations

from bot.i18n import LANGUAGE_BY_CODE, N_, Translator
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

PHASES = {
    1: N_("recruiting women for the basic training"),
    2: N_("the basic training (17 modules)"),
    3: N_("bydelsmødre at work, meeting every other week"),
    4: N_("an association, meeting once a month"),
}


def phase_line(t: Translator, phase: int) -> str:
    return t._("Phase {phase}: {description}").format(
        phase=t.ltr(phase), description=t._(PHASES[phase])
    )


def language_names(t: Translator, codes: tuple[str, ...]) -> str:
    return ", ".join(t.ltr(LANGUAGE_BY_CODE[c].native_name) for c in codes if c in LANGUAGE_BY_CODE)


def reviewer_line(t: Translator, codes: tuple[str, ...]) -> str:
    """The "Translation reviewer: Soomaali" line, for /me, /members and /mydata."""
    return "🔤 " + t._("Translation reviewer: {languages}").format(
        languages=language_names(t, codes)
    )
