"""The help guide's referral catalogue: which public service helps with what, and its cards.

The catalogue is data, `bot/data/referrals.toml` (its rules are written at the top of the file),
shaped after the Open Referral Human Services Data Specification: a service with its phones and
one location, and topics as its taxonomy. It is read once, checked strictly (a typo in a key, a
service without a source, a coordinate nobody can vouch for are refused with a reason), and turned
into frozen values.

Two audiences see it. The public sees only what has a source: a number read only in a secondary
source is `unconfirmed` and reaches coordinators alone, marked, until one of them has checked it.
Coordinators also see when each entry was last checked and where its facts come from.

Its texts are English message ids, translated like every other message (`catalogue_messages()`
feeds `scripts/catalogues.py`). Pure rules: no Telegram types; `render_card` returns HTML text and
plain venue values for the handler to send.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo

from bot.config import DEFAULT_TZ
from bot.i18n import Translator
from bot.toml_reader import (
    SLUG_RULE,
    TomlError,
    is_slug,
    load,
    locate,
    top_level_line,
    unknown_key,
)

Audience = Literal["public", "coordinator"]
AUDIENCES: tuple[Audience, ...] = ("public", "coordinator")
COSTS = ("free", "fee", "mixed")
TOPIC_KINDS = ("services", "contact")
PACKAGED_PATH = "bot/data/referrals.toml"
# Telegram refuses longer message texts.
MAX_MESSAGE_LENGTH = 4096

TOP_LEVEL_KEYS = ("emergency", "topic", "service")
EMERGENCY_KEYS = ("topic", "first")
TOPIC_KEYS = ("id", "emoji", "label", "order", "kind", "drop_in", "first")
SERVICE_KEYS = (
    "id", "name", "helps_with", "note", "topics", "for_whom", "cost", "cost_note",
    "interpreter_free", "opening_hours", "phones", "address", "url", "source", "checked",
    "unconfirmed", "phone_note", "no_phone_note",
)  # fmt: skip
PHONE_KEYS = ("number", "label", "unconfirmed")
ADDRESS_KEYS = ("street", "unconfirmed", "latitude", "longitude", "coordinates_source")

_OSLO = ZoneInfo(DEFAULT_TZ)  # the one setting: bot/config.py
_PHONE = re.compile(r"\+?\d(?:[\d ]*\d)?")
# Texts are message ids: they end up in .po files that are checked as Telegram HTML and whose
# {placeholders} must match between languages, so these characters have no place in them.
_FORBIDDEN_IN_TEXT = re.compile(r"[<>&{}\x00-\x1f\x7f]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_URL_UNSAFE = re.compile(r"[\s\"'<>\\]")
_TEXT_LIMITS = {
    "label": 60, "name": 120, "helps_with": 400, "note": 200, "for_whom": 200,
    "cost_note": 300, "opening_hours": 200, "phone_note": 200, "no_phone_note": 200,
}  # fmt: skip


class CatalogueError(ValueError):
    """A catalogue the bot refuses, with every problem found (one per line)."""

    def __init__(self, source: str, problems: Sequence[str]) -> None:
        self.source = source
        self.problems = list(problems)
        count = len(self.problems)
        header = f"{source}: {count} problem{'s' * (count != 1)} in the referral catalogue"
        super().__init__("\n".join([header, *(f"  - {p}" for p in self.problems)]))


# -- values ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Phone:
    number: str  # as the source writes it; `tel_text` writes it for a phone
    label: str  # English message id
    unconfirmed: bool


@dataclass(frozen=True)
class Coordinates:
    latitude: float
    longitude: float
    source: str  # where the numbers were read: there are no coordinates without one


@dataclass(frozen=True)
class Address:
    street: str  # as written on a letter; not translated
    unconfirmed: bool
    coordinates: Coordinates | None = None


@dataclass(frozen=True)
class Service:
    """One service (HSDS service + phones + one location). Texts are English message ids."""

    id: str
    name: str
    helps_with: str
    topics: tuple[str, ...]
    cost: str  # one of COSTS
    interpreter_free: bool
    sources: tuple[str, ...]
    checked: date
    note: str | None = None
    for_whom: str | None = None
    cost_note: str | None = None
    opening_hours: str | None = None
    phones: tuple[Phone, ...] = ()
    address: Address | None = None
    url: str | None = None
    unconfirmed: bool = False
    # Shown only when she sees a phone number of it ("call them first"), or only when she sees
    # none (where to call instead, until its number is confirmed): never an instruction to call
    # without a number to call.
    phone_note: str | None = None
    no_phone_note: str | None = None

    def for_audience(self, audience: Audience) -> Service | None:
        """What this audience may see of it: the public gets no unconfirmed fact at all."""
        _check_audience(audience)
        if audience == "coordinator":
            return self
        if self.unconfirmed:
            return None
        address = self.address if self.address and not self.address.unconfirmed else None
        phones = tuple(phone for phone in self.phones if not phone.unconfirmed)
        return replace(self, phones=phones, address=address)

    def texts(self) -> list[str]:
        """Its translatable texts, in card order."""
        texts = [self.name, self.helps_with, self.note, self.phone_note, self.no_phone_note]
        texts += [self.cost_note, self.for_whom]
        texts += [self.opening_hours, *(phone.label for phone in self.phones)]
        return [text for text in texts if text]


@dataclass(frozen=True)
class Topic:
    id: str
    emoji: str
    label: str  # English message id
    order: int
    kind: str = "services"  # "contact": no services; the handler offers a bydelsmor instead
    drop_in: tuple[str, ...] = ()  # services a contact topic shows (where to meet one)
    # Services shown before the rest, in this order: what answers her question comes before
    # what she might also need (pregnancy check-ups before the ambulance).
    first: tuple[str, ...] = ()

    @property
    def is_contact(self) -> bool:
        return self.kind == "contact"


@dataclass(frozen=True)
class Venue:
    """A place Telegram can show on a map (sendVenue): only with coordinates that have a source."""

    latitude: float
    longitude: float
    title: str
    address: str


@dataclass(frozen=True)
class Card:
    html: str  # Telegram HTML (parse_mode=HTML)
    venue: Venue | None


@dataclass(frozen=True)
class Catalogue:
    topics: tuple[Topic, ...]  # in their `order`
    services: tuple[Service, ...]  # in file order
    emergency_topic: str
    emergency_first: tuple[str, ...]
    _services_by_id: dict[str, Service] = field(init=False, repr=False, compare=False)
    _topics_by_id: dict[str, Topic] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_services_by_id", {s.id: s for s in self.services})
        object.__setattr__(self, "_topics_by_id", {t.id: t for t in self.topics})

    def topic(self, topic_id: str) -> Topic:
        """The topic with this id (KeyError if there is none: callback data is never trusted)."""
        return self._topics_by_id[topic_id]

    def service(self, service_id: str, *, audience: Audience) -> Service | None:
        """The service as this audience may see it; None if unknown or not for this audience."""
        service = self._services_by_id.get(service_id)
        return service.for_audience(audience) if service else None

    def services_for(self, topic: str | Topic, *, audience: Audience) -> tuple[Service, ...]:
        """The topic's services as this audience may see them; the emergency numbers first."""
        topic_id = topic.id if isinstance(topic, Topic) else self.topic(topic).id
        listed = [s for s in self.services if topic_id in s.topics]
        # The emergency numbers come before even the topic's own first services.
        first_ids = list(self._topics_by_id[topic_id].first)
        if topic_id == self.emergency_topic:
            first_ids = list(self.emergency_first) + first_ids
        first_ids = list(dict.fromkeys(first_ids))
        first = [self._services_by_id[i] for i in first_ids]
        listed = first + [s for s in listed if s.id not in first_ids]
        shown = (service.for_audience(audience) for service in listed)
        return tuple(service for service in shown if service is not None)

    def drop_ins(self, topic: str | Topic, *, audience: Audience) -> tuple[Service, ...]:
        """Where a contact topic tells her she can meet a bydelsmor."""
        found = self.topic(topic) if isinstance(topic, str) else topic
        shown = (self.service(service_id, audience=audience) for service_id in found.drop_in)
        return tuple(service for service in shown if service is not None)

    def messages(self) -> list[str]:
        """Every translatable text, once each, in file order."""
        texts = [topic.label for topic in self.topics]
        for service in self.services:
            texts += service.texts()
        return list(dict.fromkeys(texts))


# -- loading --------------------------------------------------------------------------------


def load_catalogue(path: Path | str | None = None) -> Catalogue:
    """Read and check a catalogue file; without a path, the one shipped in the package (cached)."""
    if path is None:
        return _packaged_catalogue()
    file = Path(path)
    return parse_catalogue(file.read_text(encoding="utf-8"), str(file))


@cache
def _packaged_catalogue() -> Catalogue:
    # importlib.resources, not __file__: it also finds the file in an installed wheel.
    resource = resources.files("bot").joinpath("data").joinpath("referrals.toml")
    return parse_catalogue(resource.read_text(encoding="utf-8"), PACKAGED_PATH)


def catalogue_messages(catalogue: Catalogue | None = None) -> list[str]:
    """Every English text of the catalogue, for the message catalogues (scripts/catalogues.py)."""
    return (catalogue or load_catalogue()).messages()


def parse_catalogue(text: str, source: str = "<catalogue>") -> Catalogue:
    """Parse and check a whole catalogue; every problem found is raised together."""
    try:
        document = load(text, source)
    except TomlError as exc:
        raise CatalogueError(source, [f"line {exc.line}: {exc.reason}"]) from None
    problems: list[str] = []
    top = _Table(problems, "the top level", document, lambda path: top_level_line(text, path[0]))
    top.refuse_unknown(TOP_LEVEL_KEYS)
    topics = _topics(problems, text, _array(problems, document, "topic"))
    services = _services(problems, text, _array(problems, document, "service"))
    emergency = _emergency(problems, text, document.get("emergency"))
    if not problems:
        _check_together(problems, topics, services, emergency)
    if problems:
        raise CatalogueError(source, problems)
    return Catalogue(
        topics=tuple(sorted(topics, key=lambda topic: topic.order)),
        services=tuple(services),
        emergency_topic=emergency[0],
        emergency_first=emergency[1],
    )


class _Table:
    """One TOML table being read: its problems are reported with where it is."""

    def __init__(
        self, problems: list[str], where: str, data: dict[str, Any],
        at: Callable[[tuple[str, ...]], int] | None = None,
    ) -> None:  # fmt: skip
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


def _array(problems: list[str], document: dict[str, Any], name: str) -> list[dict[str, Any]]:
    value = document.get(name, [])
    if isinstance(value, list) and all(isinstance(item, dict) for item in value):
        return value
    problems.append(f"{name} must be written as [[{name}]] tables (two square brackets)")
    return []


def _where(kind: str, index: int, data: dict[str, Any], key: str = "id") -> str:
    name = data.get(key)
    return f"[[{kind}]] {name!r}" if isinstance(name, str) else f"[[{kind}]] number {index + 1}"


def _at(text: str, kind: str, index: int) -> Callable[[tuple[str, ...]], int]:
    """The line finder of the `index`-th [[kind]] table (-1: the one [kind] table)."""
    return lambda path: locate(text, kind, index, path)


def _topics(problems: list[str], text: str, tables: list[dict[str, Any]]) -> list[Topic]:
    result: list[Topic] = []
    seen_ids: set[str] = set()
    seen_orders: set[int] = set()
    for index, data in enumerate(tables):
        table = _Table(problems, _where("topic", index, data), data, _at(text, "topic", index))
        table.refuse_unknown(TOPIC_KEYS)
        topic_id = table.slug("id")
        emoji = table.plain("emoji", 8)
        label = table.text("label")
        order = table.get("order", required=True)
        if order is not None and (isinstance(order, bool) or not isinstance(order, int)):
            table.fail(f"order must be a whole number, got {order!r}")
            order = None
        kind = table.choice("kind", TOPIC_KINDS, default="services")
        drop_in: tuple[str, ...] = ()
        if "drop_in" in data:
            drop_in = table.slugs("drop_in") or ()
            if kind != "contact":
                table.fail('drop_in is only for a topic with kind = "contact"')
        first: tuple[str, ...] = ()
        if "first" in data:
            first = table.slugs("first") or ()
            if kind == "contact":
                table.fail('first is only for a topic that lists services, not kind = "contact"')
        if emoji is not None and " " in emoji:
            table.fail(f"emoji must be one picture, got {emoji!r}")
        if topic_id in seen_ids:
            table.fail(f"id {topic_id!r} is used by another [[topic]]")
        if order in seen_orders:
            table.fail(f"order {order} is used by another [[topic]]")
        if topic_id and emoji and label and isinstance(order, int) and kind:
            seen_ids.add(topic_id)
            seen_orders.add(order)
            result.append(Topic(topic_id, emoji, label, order, kind, drop_in, first))
    if not tables:
        problems.append("no [[topic]] tables")
    return result


def _services(problems: list[str], text: str, tables: list[dict[str, Any]]) -> list[Service]:
    result: list[Service] = []
    seen: set[str] = set()
    for index, data in enumerate(tables):
        at = _at(text, "service", index)
        table = _Table(problems, _where("service", index, data), data, at)
        before = len(problems)
        service = _service(table)
        if service is not None and service.id in seen:
            table.fail(f"id {service.id!r} is used by another [[service]]")
        elif service is not None and len(problems) == before:
            seen.add(service.id)
            result.append(service)
    if not tables:
        problems.append("no [[service]] tables")
    return result


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


def _emergency(problems: list[str], text: str, data: object) -> tuple[str, tuple[str, ...]]:
    if data is None:
        problems.append("[emergency] is missing: which topic opens with which emergency numbers")
        return "", ()
    if not isinstance(data, dict):
        problems.append("emergency must be written as an [emergency] table")
        return "", ()
    table = _Table(problems, "[emergency]", data, _at(text, "emergency", -1))
    table.refuse_unknown(EMERGENCY_KEYS)
    topic = table.slug("topic")
    first = table.slugs("first")
    return topic or "", first or ()


def _check_together(
    problems: list[str],
    topics: list[Topic],
    services: list[Service],
    emergency: tuple[str, tuple[str, ...]],
) -> None:
    """What no single table can tell: references between topics, services and [emergency]."""
    topic_by_id = {topic.id: topic for topic in topics}
    service_by_id = {service.id: service for service in services}
    dropped_in = {sid for topic in topics for sid in topic.drop_in}
    for topic in topics:
        for service_id in topic.drop_in:
            if service_id not in service_by_id:
                problems.append(f"[[topic]] {topic.id!r}: drop_in {service_id!r} is no service")
        for service_id in topic.first:
            first_service = service_by_id.get(service_id)
            if first_service is None:
                problems.append(f"[[topic]] {topic.id!r}: first {service_id!r} is no service")
            elif topic.id not in first_service.topics:
                problems.append(
                    f"[[topic]] {topic.id!r}: first {service_id!r} is not in this topic"
                )
    for service in services:
        where = f"[[service]] {service.id!r}"
        for topic_id in service.topics:
            if topic_id not in topic_by_id:
                problems.append(f"{where}: topic {topic_id!r} is not a [[topic]] id")
            elif topic_by_id[topic_id].is_contact:
                problems.append(
                    f"{where}: topic {topic_id!r} is a contact topic, which lists no services "
                    "(name the service in its drop_in instead)"
                )
        if not service.topics and service.id not in dropped_in:
            problems.append(f"{where}: topics is empty and no topic's drop_in names it")
    for topic in topics:
        public = [s for s in services if topic.id in s.topics and not s.unconfirmed]
        if not topic.is_contact and not public:
            problems.append(f"[[topic]] {topic.id!r}: no confirmed service to show the public")
    topic_id, first = emergency
    if topic_id not in topic_by_id:
        problems.append(f"[emergency]: topic {topic_id!r} is not a [[topic]] id")
    if not first:
        problems.append("[emergency]: first lists no service")
    for service_id in first:
        found = service_by_id.get(service_id)
        if found is None:
            problems.append(f"[emergency]: {service_id!r} is not a [[service]] id")
        elif topic_id not in found.topics:
            problems.append(f"[emergency]: {service_id!r} is not in the topic {topic_id!r}")
        elif found.unconfirmed or not any(not phone.unconfirmed for phone in found.phones):
            problems.append(f"[emergency]: {service_id!r} has no confirmed number to call")


# -- writing it for her ---------------------------------------------------------------------


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
            lines.append(f'🗺 <a href="{_attribute(map_search_url(shown.address.street))}">'
                         f"{street}</a>")  # fmt: skip
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


def _check_audience(audience: str) -> None:
    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {AUDIENCES}, got {audience!r}")
