"""The referral catalogue written for her: a service's card as Telegram HTML, and its venue.

Pure rules: no Telegram types; `render_card` returns HTML text and plain venue values for the
handler to send.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from datetime import datetime, time
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo

from bot.config import DEFAULT_TZ
from bot.i18n import Translator
from bot.referrals.model import Audience, Card, Service, Venue

_OSLO = ZoneInfo(DEFAULT_TZ)  # the one setting: bot/config.py
_PHONE = re.compile(r"\+?\d(?:[\d ]*\d)?")


def tel_text(number: str) -> str:
    """A Norwegian number written so that phones make it tappable.

    Telegram's apps link numbers written in international form, so an 8-digit number becomes
    "+47 22 40 00 40". Short numbers (3-6 digits: 112, 116 006, 02800) stay as they are: they
    only work without a country code.
    """
    if not _PHONE.fullmatch(number):
        raise ValueError(
            f"a phone number is digits and spaces, with + only in front, got {number!r}"
        )
    digits = number.replace(" ", "")
    spaced = " ".join(number.split())
    if number.startswith("+"):
        if len(digits) - 1 < 8:
            raise ValueError(f"an international number has at least 8 digits, got {number!r}")
        return spaced
    if len(digits) == 8:
        return f"+47 {spaced}"
    if 3 <= len(digits) <= 6:
        return spaced
    raise ValueError(
        f"a Norwegian number has 8 digits and a short number 3-6, got {number!r} "
        f"({len(digits)} digits)"
    )


def map_search_url(address: str) -> str:
    """A link that opens a map search for the address.

    Google's documented Maps URLs (developers.google.com/maps/documentation/urls): the same link
    opens the Google Maps app on Android and iOS where it is installed, as it is on most of the
    women's phones, and the browser elsewhere, with no API key. OpenStreetMap's search page only
    opens in the browser. The query is a public service's address, never hers.
    """
    return f"https://www.google.com/maps/search/?api=1&query={quote(address, safe='')}"


def render_card(
    service: Service, t: Translator, *, audience: Audience, schedule: Sequence[str] = ()
) -> Card:
    """The service's card in her language, as Telegram HTML, and its venue if it has one.

    `schedule`: the drop-in schedule's real coming sessions at this place (Telegram HTML lines);
    when there are any they stand instead of the file's fixed opening hours, which remain the
    fallback for a place with no sessions."""
    shown = service.for_audience(audience)
    if shown is None:
        raise ValueError(f"service {service.id!r} is unconfirmed: it is not for the public")
    coordinator = audience == "coordinator"
    # Texts from the catalogue are not escaped: they are message ids without <, > or & (checked
    # on loading), and their translations are checked as Telegram HTML like every other message,
    # so escaping would show a translator's "&amp;" as it is. Data shown as it is (addresses,
    # URLs, sources) is escaped.
    lines = [f"<b>{t._(shown.name)}</b>"]
    if coordinator and shown.unconfirmed:
        # TRANSLATORS: shown only to coordinators, on a service card of the help guide.
        lines.append("⚠️ " + t._("Unconfirmed: check it before the public can see it."))
    lines.append(t._(shown.helps_with))
    if shown.note:
        lines.append("ℹ️ " + t._(shown.note))
    if shown.phones and shown.phone_note:
        lines.append("📞 " + t._(shown.phone_note))
    elif not shown.phones and shown.no_phone_note:
        lines.append("☎️ " + t._(shown.no_phone_note))
    lines.append("")
    lines += _cost_lines(shown, t)
    if shown.for_whom:
        lines.append("👤 " + t._(shown.for_whom))
    if schedule:
        lines += schedule
    elif shown.opening_hours:
        lines.append("🕐 " + t._(shown.opening_hours))
    marker = " ⚠️ " + _unconfirmed(t)
    for phone in shown.phones:
        line = f"📞 {t.ltr(tel_text(phone.number))} — {t._(phone.label)}"
        lines.append(line + (marker if phone.unconfirmed else ""))
    venue = None
    if shown.address is not None:
        street = _escape(shown.address.street)
        coordinates = shown.address.coordinates
        if coordinates is not None:
            lines.append(f"📍 {street}")
            venue = Venue(
                coordinates.latitude, coordinates.longitude, t._(shown.name), shown.address.street
            )
        else:
            lines.append(
                f'🗺 <a href="{_attribute(map_search_url(shown.address.street))}">{street}</a>'
            )
        if shown.address.unconfirmed:
            lines[-1] += marker
    if shown.url:
        host = urlsplit(shown.url).netloc.removeprefix("www.")
        lines.append(f'🌐 <a href="{_attribute(shown.url)}">{t.ltr(_escape(host))}</a>')
    if coordinator:
        lines += ["", _checked_line(shown, t), _source_line(shown, t)]
    return Card("\n".join(lines), venue)


def _cost_lines(service: Service, t: Translator) -> list[str]:
    lines = []
    if service.cost == "free":
        # TRANSLATORS: on a service card: it costs her nothing. Say it plainly, in capitals where
        # the script has them: many women stay away because they fear the cost.
        lines.append("🆓 " + t._("FREE"))
    elif service.cost_note:
        lines.append("💳 " + t._(service.cost_note))
    if service.interpreter_free:
        # TRANSLATORS: on the card of a health service.
        interpreter = t._("Free interpreter: you have the right to one; the service books it.")
        lines.append("🗣 " + interpreter)
    return lines


def _unconfirmed(t: Translator) -> str:
    # TRANSLATORS: shown only to coordinators, after a phone number or an address that was read
    # in a secondary source and must be checked.
    return t._("unconfirmed")


def _checked_line(service: Service, t: Translator) -> str:
    noon = datetime.combine(service.checked, time(12), tzinfo=_OSLO)
    # TRANSLATORS: shown only to coordinators; {date} is when the facts were last checked.
    text = t._("Last checked: {date}").format(date=_escape(t.format_day(noon, _OSLO)))
    return "🔎 " + text


def _source_line(service: Service, t: Translator) -> str:
    sources = "; ".join(service.sources)
    # TRANSLATORS: shown only to coordinators; {source} is a web address or a citation.
    return "📄 " + t._("Source: {source}").format(source=t.ltr(_escape(sources)))


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


def _attribute(value: str) -> str:
    return html.escape(value, quote=True)
