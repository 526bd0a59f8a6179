"""The 17 modules of the basic training, as the concept lists them (konseptet.txt).

The Norwegian name is kept exactly as the concept writes it (it goes on the diploma and in the
spreadsheet); the English name and the one-line description are message ids, translated into
every language in the catalogue (the Norwegian catalogue gives back the concept's own names).
A district may add its own extra evenings; these 17 stay the standard.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.i18n import N_, Translator

MODULE_COUNT = 17


@dataclass(frozen=True)
class Module:
    number: int
    norwegian: str  # as in konseptet.txt
    name: str  # message id
    description: str  # message id, one line


# One module in two lines, as the curriculum lists it: number and Norwegian title, then the
# English title and what it is about (the formatter would spread each over six lines).
MODULES: tuple[Module, ...] = (
    Module(1, "Introduksjon Bydelsmødre", N_("Introduction to Bydelsmødre"),
           N_("Who the bydelsmødre are, how the training works, and the attendance rules.")),
    Module(2, "Barns utvikling & oppdragelse", N_("Children's development and upbringing"),
           N_("How children grow and learn, and raising them with warmth and limits.")),
    Module(3, "Barns hverdag", N_("Children's everyday life"),
           N_("Kindergarten, school, leisure and the services that support children.")),
    Module(4, "Ungdom", N_("Young people"),
           N_("Teenagers, their questions and where families can get support.")),
    Module(5, "Bydelsmødrenes metoder 1", N_("The bydelsmødre's methods 1"),
           N_("Listening and talking with women: the first conversation.")),
    Module(6, "Aktivitet & ernæring", N_("Activity and nutrition"),
           N_("Healthy food and physical activity for the whole family.")),
    Module(7, "Kvinnehelse", N_("Women's health"),
           N_("Women's bodies and health, and the health services for women.")),
    Module(8, "Bydelsmødrenes metoder 2", N_("The bydelsmødre's methods 2"),
           N_("Guiding women to the right service, and confidentiality.")),
    Module(9, "Psykisk helse", N_("Mental health"),
           N_("Stress, worries and depression, and where to find help.")),
    Module(10, "NAV sine tjenester", N_("NAV's services"),
           N_("What NAV offers: work, benefits and financial advice.")),
    Module(11, "Kunnskap om Norge", N_("Knowledge about Norway"),
           N_("Society, rights and duties, and how Norway's services work.")),
    Module(12, "Bydelsmødrenes metoder 3", N_("The bydelsmødre's methods 3"),
           N_("Reaching women in the neighbourhood and building trust.")),
    Module(13, "ICDP – foreldreveiledning", N_("ICDP parental guidance"),
           N_("The ICDP programme: good interaction between parents and children.")),
    Module(14, "Bydelsmødrenes metoder 4", N_("The bydelsmødre's methods 4"),
           N_("Your own limits, and working together as a group.")),
    Module(15, "Vold i nære relasjoner", N_("Violence in close relationships"),
           N_("Recognising violence in the family, and where women and children get help.")),
    Module(16, "Flyktninger", N_("Refugees"),
           N_("Refugees' situation in Norway and the help they are entitled to.")),
    Module(17, "Avslutning og evaluering", N_("Closing and evaluation"),
           N_("Looking back on the training, and the way ahead as a bydelsmor.")),
)  # fmt: skip
MODULE_BY_NUMBER = {module.number: module for module in MODULES}
assert [m.number for m in MODULES] == list(range(1, MODULE_COUNT + 1))


def module_name(number: int, t: Translator) -> str:
    """ "Module 7: Women's health", in her language."""
    module = MODULE_BY_NUMBER[number]
    return t._("Module {n}: {name}").format(n=t.ltr(number), name=t._(module.name))
