"""Right-to-left text (issue 12): every message of every right-to-left catalogue, rendered by the
Unicode bidi algorithm (python-bidi) as a phone would show it, keeps every Latin run, number and
phone number in its logical order; and the bot's own messages isolate inserted names."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from bidi import get_display

from bot.i18n import LANGUAGES, catalogue_path, translator
from bot.offline.api import OfflineBotApi
from handlers.common.context import Services
from handlers.help.codecs import REQUEST_CHANNEL
from tests.fakes.telegram import ChatDriver
from tests.help.world import two_districts, up_to_the_channel
from tests.support.people import make_member, started

RTL = [language.code for language in LANGUAGES if language.rtl]
ISOLATES = re.compile("[\u2066-\u2069\u200e\u200f\u061c]")
TAG = re.compile(r"<[^<>]*>")
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
LATIN = re.compile(r"[A-Za-zÀ-ɏ][A-Za-zÀ-ɏ'’-]*(?:[ ,.][A-Za-zÀ-ɏ][A-Za-zÀ-ɏ'’-]*)*")
NUMBER = re.compile(r"\+?\d+(?:[ .:\-–/]\d+)*")
# What the code puts into placeholders: a Latin name with a space, a number, a phone number.
SAMPLES = {"n": 12, "count": 12, "page": 2, "pages": 3, "phone": "412 34 567"}


def messages(locale: str) -> Iterator[tuple[str, str | None]]:
    """Every (msgid, plural msgid) of the locale's catalogue."""
    with Path(catalogue_path(locale)).open("rb") as file:
        catalogue = read_po(file, locale=locale)
    for message in catalogue:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            yield str(message.id[0]), str(message.id[1])
        else:
            yield str(message.id), None


def rendered(locale: str, msgid: str, plural: str | None, n: int) -> str:
    t = translator(locale)
    template = t.ngettext(msgid, plural, n) if plural else t._(msgid)
    values = {name: SAMPLES.get(name, "Alna Furuset") for name in PLACEHOLDER.findall(msgid)}
    text = template.format(**values) if values else template
    return html.unescape(TAG.sub("", text))  # Telegram shows the text, not the tags


def segments(line: str) -> list[str]:
    """The pieces the bidi algorithm orders as units: each top-level isolate (with what is nested
    in it) and the text between them."""
    found, current, depth = [], "", 0
    for char in line:
        if char in "\u2066\u2067\u2068":
            if depth == 0:
                found.append(current)
                current = ""
            depth += 1
        elif char == "\u2069" and depth > 0:
            depth -= 1
            if depth == 0:
                found.append(current)
                current = ""
        else:
            current += char
    found.append(current)
    return [ISOLATES.sub("", piece) for piece in found]


# A Latin word, a space, then an isolated Latin value ("Bydelsmødre ⁨Alna⁩"): read as one name,
# so it must be shown as written, not "Alna Bydelsmødre".
NAME_THEN_VALUE = re.compile(r"([A-Za-zÀ-ɏ][A-Za-zÀ-ɏ'’-]*) \u2068([A-Za-zÀ-ɏ][^\u2069]*)\u2069")


def out_of_order(line: str) -> list[str]:
    """The Latin runs and numbers of a logical line that the bidi algorithm does not show as
    written (e.g. "412 34 567" shown as "567 34 412")."""
    shown = ISOLATES.sub("", get_display(line))
    wrong = [
        f"{m[1]} {m[2]}"
        for m in NAME_THEN_VALUE.finditer(line)
        if f"{m[1]} {ISOLATES.sub('', m[2])}" not in shown
    ]
    for piece in segments(line):
        for run in [*LATIN.findall(piece), *NUMBER.findall(piece)]:
            if run.strip() and run.strip() not in shown:
                wrong.append(run)
    return wrong


@pytest.mark.parametrize("locale", RTL)
def test_every_rtl_message_keeps_latin_numbers_and_phones_in_order(locale: str) -> None:
    problems = []
    for msgid, plural in messages(locale):
        for n in (1, 5) if plural else (1,):
            for line in rendered(locale, msgid, plural, n).split("\n"):
                wrong = out_of_order(line)
                if wrong:
                    problems.append(f"{msgid[:60]!r}: {wrong}")
    assert problems == [], f"{len(problems)} messages:\n" + "\n".join(problems[:30])


def test_the_check_sees_a_phone_number_shown_backwards() -> None:
    assert out_of_order("اكتبي رقم هاتفكِ، مثلًا 412 34 567.") == ["412 34 567"]
    assert out_of_order("اكتبي رقم هاتفكِ، مثلًا \u2068412 34 567\u2069.") == []
    assert out_of_order("مرحبا Bydelsmødre \u2068Alna\u2069") != []
    assert out_of_order("مرحبا \u2068Bydelsmødre \u2068Alna\u2069\u2069") == []


@pytest.mark.parametrize("locale", RTL)
async def test_a_name_and_a_district_are_isolated_in_what_the_bot_sends(
    chat: Callable[..., ChatDriver], services: Services, locale: str
) -> None:
    await make_member(services, 3001, "mother", district="Alna", locale=locale)
    hawa = chat(3001, "Hawa")
    await hawa.send("/me")
    text = hawa.last()["text"]
    assert "\u2068Alna\u2069" in text or "\u2068<b>Alna</b>\u2069" in text, text
    for line in TAG.sub("", text).split("\n"):
        assert out_of_order(html.unescape(line)) == [], line


async def test_the_district_she_chose_is_isolated_in_the_contact_question(
    chat: Callable[..., ChatDriver], services: Services, api: OfflineBotApi
) -> None:
    alna, _stovner = await two_districts(services, api)
    zahra = await started(chat(5550001, "Zahra"), "fa_AF")
    await up_to_the_channel(zahra, alna)
    text = zahra.last()["text"]
    assert "\u2068Alna\u2069" in text, text  # "How should a bydelsmor from {district} …"
    # And "Handled by {name}" for the coordinator who reads Urdu.
    await services.db.execute("UPDATE people SET locale = 'ur' WHERE telegram_id = 2001")
    await zahra.press(REQUEST_CHANNEL.encode(alna, "tg"))
    kari = ChatDriver(zahra.app, api, api.user(2001))
    request = next(m for m in reversed(api.bot_messages_in(2001)) if "reply_markup" in m)
    await kari.press(request["reply_markup"]["inline_keyboard"][0][0]["callback_data"],
                     request["message_id"])  # fmt: skip
    handled = api.bot_messages_in(2001)[-1]["text"]
    assert "\u2068" in handled and out_of_order(TAG.sub("", handled).split("\n")[-1]) == []
