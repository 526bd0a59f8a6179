"""Reading the referral catalogue file: `bot/data/referrals.toml`, checked strictly as a whole.

Every problem found is raised together (`CatalogueError`), one per line, so whoever edits the file
sees them all at once.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from bot.referrals.checks import (
    EMERGENCY_KEYS,
    TOP_LEVEL_KEYS,
    TOPIC_KEYS,
    _service,
    _Table,
)
from bot.referrals.model import (
    PACKAGED_PATH,
    TOPIC_KINDS,
    Catalogue,
    CatalogueError,
    Service,
    Topic,
)
from bot.toml_reader import (
    TomlError,
    load,
    locate,
    top_level_line,
)


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
