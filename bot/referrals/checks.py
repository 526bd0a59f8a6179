"""Checking one table of the referral catalogue: a service, its phones, address and sources.

A typo in a key, a service without a source, a coordinate nobody can vouch for are refused with a
reason and the line to look at; `bot.referrals.loading` gathers every problem of the file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from bot.referrals.cards import tel_text
from bot.referrals.model import COSTS, Address, Coordinates, Phone, Service
from bot.toml_reader import (
    SLUG_RULE,
    is_slug,
    unknown_key,
)

TOP_LEVEL_KEYS = ("emergency", "topic", "service")
EMERGENCY_KEYS = ("topic", "first")
TOPIC_KEYS = ("id", "emoji", "label", "order", "kind", "drop_in", "first")
SERVICE_KEYS = (
    "id",
    "name",
    "helps_with",
    "note",
    "topics",
    "for_whom",
    "cost",
    "cost_note",
    "interpreter_free",
    "opening_hours",
    "phones",
    "address",
    "url",
    "source",
    "checked",
    "unconfirmed",
    "phone_note",
    "no_phone_note",
)
PHONE_KEYS = ("number", "label", "unconfirmed")
ADDRESS_KEYS = ("street", "unconfirmed", "latitude", "longitude", "coordinates_source")

# Texts are message ids: they end up in .po files that are checked as Telegram HTML and whose
# {placeholders} must match between languages, so these characters have no place in them.
_FORBIDDEN_IN_TEXT = re.compile(r"[<>&{}\x00-\x1f\x7f]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_URL_UNSAFE = re.compile(r"[\s\"'<>\\]")
_TEXT_LIMITS = {
    "label": 60,
    "name": 120,
    "helps_with": 400,
    "note": 200,
    "for_whom": 200,
    "cost_note": 300,
    "opening_hours": 200,
    "phone_note": 200,
    "no_phone_note": 200,
}


class _Table:
    """One TOML table being read: its problems are reported with where it is."""

    def __init__(
        self,
        problems: list[str],
        where: str,
        data: dict[str, Any],
        at: Callable[[tuple[str, ...]], int] | None = None,
    ) -> None:
        self.problems = problems
        self.where = where
        self.data = data
        # The line of a key path in the file (bot.toml_reader.locate), so each problem says
        # where to look; None for a table read from no file.
        self.at = at

    def fail(self, reason: str, key: str | None = None) -> None:
        line = "" if self.at is None else f"line {self.at(() if key is None else (key,))}: "
        self.problems.append(f"{line}{self.where}: {reason}")

    def refuse_unknown(self, known: Sequence[str]) -> None:
        for key in self.data:
            if key not in known:
                self.fail(unknown_key(key, known, quote=repr), key)

    def get(self, key: str, required: bool) -> Any:
        value = self.data.get(key)
        if value is None and required:
            self.fail(f"{key} is missing", key)
        return value

    def slug(self, key: str, required: bool = True) -> str | None:
        value = self.get(key, required)
        if value is None:
            return None
        if not is_slug(value):
            self.fail(
                f"{key} must be a slug ({SLUG_RULE}, not starting or ending with '-'), "
                f"got {value!r}",
                key,
            )
            return None
        return value

    def text(self, key: str, required: bool = True) -> str | None:
        """A translatable text (an English message id)."""
        value = self.get(key, required)
        if value is None:
            return None
        limit = _TEXT_LIMITS[key]
        if not isinstance(value, str) or not value.strip():
            self.fail(f"{key} must be a text, got {value!r}", key)
        elif value != value.strip() or "  " in value:
            self.fail(f"{key} has extra spaces: {value!r}", key)
        elif _FORBIDDEN_IN_TEXT.search(value):
            self.fail(
                f"{key} has a character texts cannot have (<, >, &, {{, }} or a line break; "
                f"write 'and' for &): {value!r}",
                key,
            )
        elif len(value) > limit:
            self.fail(f"{key} is {len(value)} characters long; at most {limit}", key)
        else:
            return value
        return None

    def plain(self, key: str, limit: int, required: bool = True) -> str | None:
        """A string that is shown as it is (an address, a source), never translated."""
        value = self.get(key, required)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip() or value != value.strip():
            self.fail(f"{key} must be a text without spaces around it, got {value!r}", key)
        elif _CONTROL.search(value) or len(value) > limit:
            self.fail(f"{key} must be one line of at most {limit} characters, got {value!r}", key)
        else:
            return value
        return None

    def boolean(self, key: str, required: bool = True) -> bool | None:
        value = self.get(key, required)
        if value is not None and not isinstance(value, bool):
            self.fail(f"{key} must be true or false, got {value!r}", key)
            return None
        return value

    def choice(self, key: str, choices: Sequence[str], default: str | None = None) -> str | None:
        value = self.get(key, required=default is None)
        if value is None:
            return default
        if value not in choices:
            self.fail(f"{key} must be one of {', '.join(map(repr, choices))}, got {value!r}", key)
            return None
        return str(value)

    def slugs(self, key: str) -> tuple[str, ...] | None:
        value = self.get(key, required=True)
        if value is None:
            return None
        if not isinstance(value, list) or not all(is_slug(item) for item in value):
            self.fail(f'{key} must be a list of ids, e.g. ["doctor"], got {value!r}', key)
            return None
        repeated = sorted({item for item in value if value.count(item) > 1})
        if repeated:
            self.fail(f"{key} lists {repeated[0]!r} twice", key)
        return tuple(dict.fromkeys(value))


def _service(table: _Table) -> Service | None:
    data = table.data
    table.refuse_unknown(SERVICE_KEYS)
    service_id = table.slug("id")
    name = table.text("name")
    helps_with = table.text("helps_with")
    topics = table.slugs("topics")
    cost = table.choice("cost", COSTS)
    cost_note = table.text("cost_note", required=False)
    if cost == "free" and cost_note:
        table.fail('a free service has no cost_note: use cost = "mixed" if only part is free')
    elif cost in ("fee", "mixed") and "cost_note" not in data:
        table.fail(f'cost = "{cost}" needs a cost_note saying what she pays for')
    interpreter_free = table.boolean("interpreter_free")
    phones = _phones(table)
    address = _address(table)
    url = _url(table)
    sources = _sources(table)
    checked = _checked(table)
    unconfirmed = table.boolean("unconfirmed", required=False) or False
    fields = (service_id, name, helps_with, topics, cost, interpreter_free, sources, checked)
    if any(value is None for value in fields) or phones is None:
        return None
    assert service_id and name and helps_with and cost and sources and checked
    assert topics is not None and interpreter_free is not None
    return Service(
        id=service_id,
        name=name,
        helps_with=helps_with,
        topics=topics,
        cost=cost,
        interpreter_free=interpreter_free,
        sources=sources,
        checked=checked,
        note=table.text("note", required=False),
        for_whom=table.text("for_whom", required=False),
        cost_note=cost_note,
        opening_hours=table.text("opening_hours", required=False),
        phones=phones,
        address=address,
        url=url,
        unconfirmed=unconfirmed,
        phone_note=table.text("phone_note", required=False),
        no_phone_note=table.text("no_phone_note", required=False),
    )


def _phones(table: _Table) -> tuple[Phone, ...] | None:
    value = table.data.get("phones", [])
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        table.fail("phones must be written as [[service.phones]] tables")
        return None
    result: list[Phone] = []
    seen: set[str] = set()
    failed = False
    service_at = table.at
    phones_at = None if service_at is None else (lambda _: service_at(("phones",)))
    for index, data in enumerate(value):
        # A phone's problems point at its service's phones (the lines of one phone of several
        # are not told apart); `where` says which phone.
        phone = _Table(table.problems, f"{table.where}, phone {index + 1}", data, phones_at)
        phone.refuse_unknown(PHONE_KEYS)
        number = phone.plain("number", 30)
        label = phone.text("label")
        unconfirmed = phone.boolean("unconfirmed")
        if number is not None:
            try:
                tel_text(number)
            except ValueError as exc:
                phone.fail(str(exc))
                number = None
        digits = number.replace(" ", "") if number else None
        if digits in seen:
            phone.fail(f"number {number!r} is listed twice")
        if number is None or label is None or unconfirmed is None or digits is None:
            failed = True
            continue
        seen.add(digits)
        result.append(Phone(number, label, unconfirmed))
    return None if failed else tuple(result)


def _address(table: _Table) -> Address | None:
    data = table.data.get("address")
    if data is None:
        return None
    if not isinstance(data, dict):
        table.fail("address must be written as a [service.address] table")
        return None
    service_at = table.at
    address_at = None if service_at is None else (lambda path: service_at(("address", *path)))
    address = _Table(table.problems, f"{table.where}, address", data, address_at)
    address.refuse_unknown(ADDRESS_KEYS)
    street = address.plain("street", 200)
    unconfirmed = address.boolean("unconfirmed")
    coordinates = _coordinates(address)
    if street is None or unconfirmed is None:
        return None
    return Address(street, unconfirmed, coordinates)


def _coordinates(address: _Table) -> Coordinates | None:
    data = address.data
    given = [key for key in ("latitude", "longitude", "coordinates_source") if key in data]
    if not given:
        return None
    if "latitude" not in data or "longitude" not in data:
        address.fail("latitude and longitude come together, with a coordinates_source")
        return None
    if "coordinates_source" not in data:
        address.fail(
            "latitude and longitude need a coordinates_source saying where they were read "
            "(never invent coordinates)"
        )
        return None
    latitude = _number(address, "latitude", 90)
    longitude = _number(address, "longitude", 180)
    source = address.plain("coordinates_source", 300)
    if latitude is None or longitude is None or source is None:
        return None
    return Coordinates(latitude, longitude, source)


def _number(table: _Table, key: str, bound: float) -> float | None:
    value = table.data[key]
    if isinstance(value, bool) or not isinstance(value, int | float) or abs(value) > bound:
        table.fail(f"{key} must be a number between -{bound} and {bound}, got {value!r}")
        return None
    return float(value)


def _url(table: _Table) -> str | None:
    value = table.plain("url", 300, required=False)
    if value is None:
        return None
    if not _is_web_address(value):
        table.fail(f"url must be a web address starting with https://, got {value!r}")
        return None
    return value


def _is_web_address(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme == "https" and "." in parts.netloc and not _URL_UNSAFE.search(value)


def _sources(table: _Table) -> tuple[str, ...] | None:
    value = table.get("source", required=True)
    if value is None:
        return None
    items = value if isinstance(value, list) else [value]
    if not items or not all(isinstance(item, str) and item.strip() for item in items):
        table.fail("source must be a URL or a citation, or a list of them")
        return None
    for item in items:
        if _CONTROL.search(item) or len(item) > 300:
            table.fail(f"a source must be one line of at most 300 characters, got {item!r}")
            return None
        if item.startswith("http") and not _is_web_address(item):
            table.fail(f"a source URL must start with https://, got {item!r}")
            return None
    return tuple(items)


def _checked(table: _Table) -> date | None:
    value = table.get("checked", required=True)
    if value is None:
        return None
    if isinstance(value, datetime) or not isinstance(value, date):
        table.fail(f"checked must be a date without quotes, e.g. 2026-11-01, got {value!r}")
        return None
    return value
