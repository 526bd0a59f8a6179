"""Words a woman meets that read wrong (issue 12): two menu buttons that look alike, a button that
reads as a statement, the coordinator's gender in Somali, D-nummer, a Dari reflexive."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.i18n import LOCALE_CODES, catalogue_path, translator
from handlers.common import menu
from handlers.common.context import Services
from tests.fakes.telegram import ChatDriver, buttons_of
from tests.support.people import make_member


@pytest.mark.parametrize("locale", ["so", "ti"])
async def test_my_profile_and_my_data_are_clearly_different(
    chat: Callable[..., ChatDriver], services: Services, locale: str
) -> None:
    await make_member(services, 3001, "mother", locale=locale)
    hodan = chat(3001, "Hodan")
    await hodan.send("/menu")
    labels = {b["callback_data"]: b["text"] for b in buttons_of(hodan.last())}
    profile, data = labels[menu.ME.encode()][2:], labels[menu.MYDATA.encode()][2:]
    assert profile not in data and data not in profile, (profile, data)


@pytest.mark.parametrize("locale", ["ar", "ur", "fa_AF", "pa"])
def test_mark_as_handled_is_an_action(locale: str) -> None:
    was = {"ar": "تمت المتابعة", "ur": "نمٹا دی گئی", "fa_AF": "رسیدگی شد", "pa": "ਨਿਪਟਾ ਦਿੱਤੀ ਗਈ"}
    assert translator(locale)._("Mark as handled") != was[locale]


def test_d_nummer_is_the_norwegian_word_everywhere() -> None:
    for locale in (code for code in LOCALE_CODES if code != "en"):
        text = translator(locale)._(
            "Everyone registered in Norway, also asylum seekers with a D-number."
        )
        assert "D-nummer" in text and "D-number" not in text, locale


def test_somali_speaks_of_the_coordinator_as_a_woman() -> None:
    """Every Somali message, not a sample: no masculine singular form of "coordinator"."""
    with Path(catalogue_path("so")).open("rb") as file:
        catalogue = read_po(file, locale="so")
    masculine = re.compile(r"\bisuduw(aha|uhu|ahaaga|ahaagu)\b", re.IGNORECASE)
    found = [m.string for m in catalogue if m.id and isinstance(m.string, str)
             and masculine.search(m.string)]  # fmt: skip
    assert found == []


def test_dari_names_her_coordinator_not_the_bots() -> None:
    fa = translator("fa_AF")
    text = fa._(
        "You are a bydelsmor. This bot keeps you in touch with your group and your coordinator."
    )
    assert "هماهنگ‌کننده خود" not in text and "هماهنگ‌کننده‌تان" in text
