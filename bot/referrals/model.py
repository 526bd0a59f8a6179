"""The referral catalogue's values: services, topics, their cards' parts, and the catalogue.

Two audiences see it. The public sees only what has a source: a number read only in a secondary
source is `unconfirmed` and reaches coordinators alone, marked, until one of them has checked it.
Coordinators also see when each entry was last checked and where its facts come from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Literal

Audience = Literal["public", "coordinator"]
AUDIENCES: tuple[Audience, ...] = ("public", "coordinator")
COSTS = ("free", "fee", "mixed")
TOPIC_KINDS = ("services", "contact")
PACKAGED_PATH = "bot/data/referrals.toml"
# Telegram refuses longer message texts.
MAX_MESSAGE_LENGTH = 4096


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


def _check_audience(audience: str) -> None:
    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {AUDIENCES}, got {audience!r}")
