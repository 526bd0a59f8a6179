"""Languages: the 12 locales, their catalogues, and a translator per person.

There is no global `_`: every update gets the translator of the person it comes from, so two women
writing at the same moment each read their own language. Catalogues are Babel/gettext `.po` files
in the `locales` package; a compiled `.mo` beside a `.po` is used when it is up to date (the Docker
image compiles them), otherwise the `.po` is compiled in memory at first use, so a source checkout
never serves a stale translation.
"""

from __future__ import annotations

import gettext
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime, format_skeleton
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

import locales

DOMAIN = "messages"
SOURCE_LOCALE = "en"

# Unicode first-strong isolate / pop directional isolate: keep a left-to-right piece (a command, a
# phone number, a date) intact inside right-to-left text.
FSI = "\u2068"
PDI = "\u2069"


@dataclass(frozen=True)
class Language:
    code: str  # the catalogue locale (Babel/CLDR)
    native_name: str  # the name she recognises, in its own script
    rtl: bool
    telegram_code: str | None  # two-letter code for setMyCommands; None if there is none


# The order of the language picker: the working language first, then by how many women in the
# groups read each (see shared/facts/telegram-and-languages.md).
LANGUAGES: tuple[Language, ...] = (
    Language("nb", "Norsk (bokmål)", rtl=False, telegram_code="nb"),
    Language("en", "English", rtl=False, telegram_code="en"),
    Language("so", "Soomaali", rtl=False, telegram_code="so"),
    Language("ar", "العربية", rtl=True, telegram_code="ar"),
    Language("ur", "اردو", rtl=True, telegram_code="ur"),
    Language("tr", "Türkçe", rtl=False, telegram_code="tr"),
    Language("ti", "ትግርኛ", rtl=False, telegram_code="ti"),
    Language("fa_AF", "دری", rtl=True, telegram_code="fa"),
    Language("ckb", "کوردی (سۆرانی)", rtl=True, telegram_code=None),
    Language("ku", "Kurdî (Kurmancî)", rtl=False, telegram_code="ku"),
    Language("bs", "Bosanski", rtl=False, telegram_code="bs"),
    Language("pa", "ਪੰਜਾਬੀ", rtl=False, telegram_code="pa"),
)
LANGUAGE_BY_CODE = {lang.code: lang for lang in LANGUAGES}
LOCALE_CODES = tuple(lang.code for lang in LANGUAGES)

# Telegram's `language_code` is the language of her Telegram app, which is not translated into
# Somali, Tigrinya, Dari or Kurdish: it is only a first guess.
_GUESSES = {
    "nb": "nb",
    "no": "nb",
    "nn": "nb",
    "en": "en",
    "so": "so",
    "ar": "ar",
    "ur": "ur",
    "tr": "tr",
    "ti": "ti",
    "fa": "fa_AF",
    "prs": "fa_AF",
    "ckb": "ckb",
    "ku": "ku",
    "kmr": "ku",
    "bs": "bs",
    "hr": "bs",
    "sr": "bs",
    "pa": "pa",
}


def guess_locale(telegram_language_code: str | None) -> str | None:
    """The catalogue locale that Telegram's language hint points to, if any."""
    if not telegram_language_code:
        return None
    primary = telegram_language_code.replace("_", "-").split("-")[0].lower()
    return _GUESSES.get(primary)


def catalogue_path(locale: str) -> Path:
    return Path(locales.__file__).parent / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def _load_translations(locale: str) -> gettext.GNUTranslations:
    po_path = catalogue_path(locale)
    mo_path = po_path.with_suffix(".mo")
    if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
        with mo_path.open("rb") as handle:
            return gettext.GNUTranslations(handle)
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=locale, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def compile_catalogues() -> list[Path]:
    """Write each catalogue's `.mo` beside its `.po`, for images that start without compiling."""
    written = []
    for code in LOCALE_CODES:
        po_path = catalogue_path(code)
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=code, domain=DOMAIN)
        mo_path = po_path.with_suffix(".mo")
        with mo_path.open("wb") as out:
            write_mo(out, catalog)
        written.append(mo_path)
    return written


# In right-to-left text, Latin words that translators keep as they are ("Bydelsmødre", "Oslo")
# form one left-to-right run with their neighbours and come out in the wrong order; each run of
# Latin words is isolated. Placeholders, HTML tags and entities are left alone.
_UNTOUCHABLE = re.compile(r"(\{[^{}]*\}|<[^<>]*>|&#?\w+;)")
_LATIN_RUN = re.compile(r"[A-Za-zÀ-ɏ][A-Za-zÀ-ɏ'’-]*(?:[ ,.][A-Za-zÀ-ɏ][A-Za-zÀ-ɏ'’-]*)*")
# A number written with spaces, dots, colons or dashes inside it (a phone number "412 34 567", a
# time range "10:00-12:00", a date "24.12 18:00"): the bidi algorithm would show its groups in
# reverse order in right-to-left text ("567 34 412") unless it is isolated.
_NUMBER_RUN = re.compile(r"\+?\d+(?:[ .:\-–/]\d+)+")
# A Latin name followed by its placeholder ("Bydelsmødre {district}") is one run, isolated whole,
# so that it does not read "Alna Bydelsmødre".
_NAME_WITH_PLACEHOLDER = re.compile(r"Bydelsmødre \{[a-z_]+\}")


def isolate_latin_runs(text: str) -> str:
    named = _NAME_WITH_PLACEHOLDER.sub(lambda m: f"{FSI}{m.group(0)}{PDI}", text)
    if named != text:
        # The isolated name and its placeholder are left alone below.
        parts = re.split(f"({FSI}[^{PDI}]*{PDI})", named)
        return "".join(p if p.startswith(FSI) else isolate_latin_runs(p) for p in parts)
    pieces = _UNTOUCHABLE.split(text)
    for i in range(0, len(pieces), 2):  # even indexes are text, odd ones the untouchables
        piece = _LATIN_RUN.sub(lambda m: f"{FSI}{m.group(0)}{PDI}", pieces[i])
        pieces[i] = _NUMBER_RUN.sub(lambda m: f"{FSI}{m.group(0)}{PDI}", piece)
    return "".join(pieces)


def _isolated(value: object) -> str:
    """A value put into a right-to-left sentence, isolated: a Latin name, a district, a number
    keeps its own direction and its place. A block of several lines is left as it is (an isolate
    ends with its line)."""
    text = str(value)
    if not text or "\n" in text or (text.startswith(FSI) and text.endswith(PDI)):
        return text
    return f"{FSI}{text}{PDI}"


class Isolating(str):
    """A right-to-left translation whose `.format()` isolates every value it inserts, so no
    message can forget to isolate a name, a district or a number (issue 12)."""

    __slots__ = ()

    def format(self, *args: object, **kwargs: object) -> str:
        return str.format(
            self, *(_isolated(a) for a in args), **{k: _isolated(v) for k, v in kwargs.items()}
        )


# Wordings that native reviewers approved inside the bot (bot/review): locale -> msgid -> forms
# (one, or the plural forms). They win over the catalogue at once, without a redeploy, until
# `bydelsbot translations export` writes them into the .po files. `refresh_live` in
# bot/review/flow.py fills this cache from the database at start-up and after every approval.
_LIVE: dict[str, dict[str, tuple[str, ...]]] = {}
# Counts the replacements: what is built once from translated words (the menus of
# handlers/common/menu.py) is built again when this has moved.
_LIVE_VERSION = [0]


def set_live_wordings(wordings: dict[str, dict[str, tuple[str, ...]]]) -> None:
    """Replace the approved wordings the translators use (all languages at once)."""
    _LIVE.clear()
    _LIVE.update(wordings)
    _LIVE_VERSION[0] += 1


def wordings_version() -> int:
    """Moves whenever the approved wordings are replaced: a text kept since is out of date."""
    return _LIVE_VERSION[0]


def live_wording(locale: str, msgid: str) -> tuple[str, ...] | None:
    return _LIVE.get(locale, {}).get(msgid)


class Translator:
    """One language: its messages, its direction, its dates."""

    def __init__(self, language: Language, translations: gettext.NullTranslations) -> None:
        self.language = language
        self.locale = language.code
        self.rtl = language.rtl
        self._translations = translations
        self._babel_locale = Locale.parse(language.code)

    def _(self, message: str) -> str:
        """Translate a message id (an English source string)."""
        live = _LIVE.get(self.locale)
        if live and (forms := live.get(message)):
            return self._directed(forms[0])
        return self._directed(self._translations.gettext(message))

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        live = _LIVE.get(self.locale)
        if live and (forms := live.get(singular)):
            return self._directed(forms[min(self.plural_index(n), len(forms) - 1)])
        return self._directed(self._translations.ngettext(singular, plural, n))

    def plural_index(self, n: int) -> int:
        """Which plural form of this language a count takes (the catalogue's rule)."""
        rule = getattr(self._translations, "plural", None)
        return int(rule(n)) if rule is not None else int(n != 1)

    def _directed(self, text: str) -> str:
        return Isolating(isolate_latin_runs(text)) if self.rtl else text

    def ltr(self, piece: object) -> str:
        """Isolate a left-to-right piece (command, number, phone) inside right-to-left text."""
        text = str(piece)
        return f"{FSI}{text}{PDI}" if self.rtl else text

    def command(self, name: str) -> str:
        """A /command as she must type it, kept left-to-right."""
        return self.ltr(f"/{name}")

    def format_day(self, moment: datetime, tz: ZoneInfo) -> str:
        """A short date ("2 Dec 2026" in her language), for lists."""
        if moment.tzinfo is None:
            raise ValueError("refusing to format a naive datetime")
        return str(format_date(moment.astimezone(tz).date(), "medium", locale=self._babel_locale))

    def format_weekday_name(self, day: date) -> str:
        """The weekday's full name ("Wednesday") in her language."""
        return str(format_date(day, "EEEE", locale=self._babel_locale))

    def format_weekday(self, day: date) -> str:
        """A short weekday, day and month ("Tue, Dec 8"), for a button."""
        return str(format_skeleton("MMMEd", day, locale=self._babel_locale))

    def format_short(self, moment: datetime, tz: ZoneInfo) -> str:
        """A short weekday, day, month and 24-hour time ("Tue, Dec 8 18:00"), for a button:
        two meetings on one day can be told apart."""
        if moment.tzinfo is None:
            raise ValueError("refusing to format a naive datetime")
        local = moment.astimezone(tz)
        return f"{self.format_weekday(local.date())} {self.ltr(f'{local:%H:%M}')}"

    def format_datetime(self, moment: datetime, tz: ZoneInfo) -> str:
        """Weekday, day, month and time, as people write them in her language."""
        if moment.tzinfo is None:
            raise ValueError("refusing to format a naive datetime")
        # The full form (weekday and month written out) is the easiest for a woman who reads
        # little to recognise; 24-hour time is what Norway uses, whatever her language.
        local = moment.astimezone(tz)
        day = format_date(local.date(), "full", locale=self._babel_locale)
        time = format_datetime(local, "HH:mm", tzinfo=tz, locale=self._babel_locale)
        return f"{day} {self.ltr(time)}"


def load_formats() -> None:
    """Load every shipped language's date formats now, at start-up, rather than on first use:
    Babel reads a language's data file the first time it formats a date in it, and the update
    that does so waited for it (6-16 ms of a coordinator's screen in benchmarks/updates.py)."""
    oslo = ZoneInfo("Europe/Oslo")
    moment = datetime(2026, 1, 1, 12, tzinfo=oslo)
    for language in LANGUAGES:
        t = translator(language.code)
        t.format_datetime(moment, oslo)
        t.format_day(moment, oslo)
        t.format_short(moment, oslo)
        t.format_weekday_name(moment.date())


@cache
def translator(locale: str) -> Translator:
    """The translator for a catalogue locale, loaded once per process."""
    language = LANGUAGE_BY_CODE.get(locale) or LANGUAGE_BY_CODE[SOURCE_LOCALE]
    return Translator(language, _load_translations(language.code))


def N_(message: str) -> str:
    """Mark a string for extraction where it is defined; translate it later with `t._(...)`."""
    return message
