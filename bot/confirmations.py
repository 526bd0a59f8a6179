"""Confirming the help guide's unconfirmed facts from the bot, without a redeploy.

The catalogue file marks a phone number or an address `unconfirmed` when it rests on a
secondary source: coordinators see it, marked, and the public does not. An admin who checked it
herself confirms it in the bot (/confirm), giving where she checked it and the date; the
confirmation is stored, and the catalogue the bot shows is the file with every stored
confirmation applied (its source added, its checked date moved on). Plain values only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from bot.referrals import Catalogue, Service

ADDRESS = "address"
MAX_SOURCE = 300
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})|(\d{1,2})\.(\d{1,2})\.(\d{4})")


@dataclass(frozen=True)
class Confirmation:
    service_id: str
    fact: str  # "phone:<number as in the file>" or ADDRESS
    source: str
    checked_on: date


@dataclass(frozen=True)
class OpenFact:
    """An unconfirmed fact an admin may confirm: which service, which fact, how it reads."""

    service_id: str
    fact: str
    shown: str  # the number or the street, as in the file


def phone_fact(number: str) -> str:
    return f"phone:{number}"


def open_facts(catalogue: Catalogue) -> list[OpenFact]:
    """Every unconfirmed phone number and address, in file order."""
    found: list[OpenFact] = []
    for service in catalogue.services:
        for phone in service.phones:
            if phone.unconfirmed:
                found.append(OpenFact(service.id, phone_fact(phone.number), phone.number))
        if service.address is not None and service.address.unconfirmed:
            found.append(OpenFact(service.id, ADDRESS, service.address.street))
    return found


def confirmed(service: Service, confirmation: Confirmation) -> Service:
    """The service with one fact confirmed; unchanged if the fact is not (or no longer) there."""
    phones = service.phones
    address = service.address
    if confirmation.fact == ADDRESS:
        if address is None:
            return service
        address = replace(address, unconfirmed=False)
    else:
        if not any(phone_fact(p.number) == confirmation.fact for p in phones):
            return service
        phones = tuple(
            replace(p, unconfirmed=False) if phone_fact(p.number) == confirmation.fact else p
            for p in phones
        )
    sources = service.sources
    if confirmation.source not in sources:
        sources = (*sources, confirmation.source)
    # A service that was unconfirmed as a whole only for want of this fact stays as the file
    # says: its other facts were not checked.
    return replace(
        service,
        phones=phones,
        address=address,
        sources=sources,
        checked=max(service.checked, confirmation.checked_on),
    )


def with_confirmations(catalogue: Catalogue, confirmations: Iterable[Confirmation]) -> Catalogue:
    by_id = {service.id: service for service in catalogue.services}
    for confirmation in confirmations:
        service = by_id.get(confirmation.service_id)
        if service is not None:
            by_id[service.id] = confirmed(service, confirmation)
    return replace(catalogue, services=tuple(by_id[s.id] for s in catalogue.services))


def parse_source_and_date(text: str, today: date) -> tuple[str, date] | None:
    """ "<where she checked it> <date>" (2026-12-06 or 6.12.2026), the date last; a date in the
    future or a missing source is refused (None)."""
    text = " ".join(text.split())
    matches = list(_DATE.finditer(text))
    if not matches or matches[-1].end() != len(text):
        return None
    match = matches[-1]
    try:
        if match[1]:
            checked = date(int(match[1]), int(match[2]), int(match[3]))
        else:
            checked = date(int(match[6]), int(match[5]), int(match[4]))
    except ValueError:
        return None
    source = text[: match.start()].strip(" ,;:-")
    if not source or len(source) > MAX_SOURCE or checked > today:
        return None
    return source, checked
