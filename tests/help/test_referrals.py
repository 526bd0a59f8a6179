"""The referral catalogue: the shipped file is sourced and valid, the public never sees an
unconfirmed fact, cards are Telegram-valid in every language, and every text is translated."""

from __future__ import annotations

import gettext
import html
import importlib.resources
import re
import tomllib
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel.messages.extract import extract_from_file

from bot.i18n import LANGUAGE_BY_CODE, LOCALE_CODES, SOURCE_LOCALE, Translator, translator
from bot.referrals import (
    AUDIENCES,
    MAX_MESSAGE_LENGTH,
    Audience,
    Card,
    Catalogue,
    CatalogueError,
    Service,
    Venue,
    catalogue_messages,
    load_catalogue,
    map_search_url,
    parse_catalogue,
    render_card,
    tel_text,
)
from tests.support.catalogues import catalogue_tool, ids, load
from tests.telegram_spec.validator import parse_html

ROOT = Path(__file__).resolve().parents[2]
FACTS = Path(__file__).resolve().parents[3] / "shared" / "facts" / "referral-facts.md"
SHIPPED = ROOT / "bot" / "data" / "referrals.toml"
WARNING = "⚠️"
OSLO = ZoneInfo("Europe/Oslo")


def all_cards(catalogue: Catalogue, t: Translator, audience: Audience) -> dict[str, Card]:
    """Every card this audience can reach: each topic's services and each contact's drop-ins."""
    cards: dict[str, Card] = {}
    for topic in catalogue.topics:
        found = catalogue.services_for(topic, audience=audience)
        found += catalogue.drop_ins(topic, audience=audience)
        for service in found:
            cards[service.id] = render_card(service, t, audience=audience)
    return cards


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


# -- the shipped file ---------------------------------------------------------------------------


def test_the_shipped_catalogue_loads_and_validates() -> None:
    catalogue = load_catalogue()
    assert [topic.id for topic in catalogue.topics] == [
        "pregnancy", "children", "money", "violence", "mental", "doctor", "norwegian", "bydelsmor",
    ]  # fmt: skip
    assert load_catalogue(SHIPPED) == catalogue
    assert load_catalogue() is catalogue, "the packaged catalogue is read once"


def test_the_catalogue_is_installed_with_the_package() -> None:
    packaged = importlib.resources.files("bot").joinpath("data").joinpath("referrals.toml")
    assert packaged.is_file()
    with (ROOT / "pyproject.toml").open("rb") as handle:
        package_data = tomllib.load(handle)["tool"]["setuptools"]["package-data"]
    assert "data/*.toml" in package_data["bot"]


def test_every_service_has_a_source_and_a_checked_date() -> None:
    for service in load_catalogue().services:
        assert service.sources and all(source.strip() for source in service.sources), service.id
        assert isinstance(service.checked, date) and not isinstance(service.checked, datetime)
        # The facts were "collected November 2026" and give no day.
        assert service.checked == date(2026, 11, 1), service.id


def test_every_number_and_address_is_in_the_facts_file() -> None:
    """No phone number without a source: each one is written in referral-facts.md."""
    if not FACTS.exists():
        pytest.skip(f"{FACTS} is not here")
    facts = FACTS.read_text(encoding="utf-8")
    numbers_in_facts = {digits(m) for m in re.findall(r"\+?\d(?:[\d ]*\d)?", facts)}
    for service in load_catalogue().services:
        for phone in service.phones:
            assert digits(phone.number) in numbers_in_facts, (service.id, phone.number)
        if service.address is not None:
            street = service.address.street.removesuffix(", Oslo")
            assert street in facts, (service.id, street)


def test_the_facts_file_check_sees_an_invented_number() -> None:
    if not FACTS.exists():
        pytest.skip(f"{FACTS} is not here")
    facts = FACTS.read_text(encoding="utf-8")
    numbers_in_facts = {digits(m) for m in re.findall(r"\+?\d(?:[\d ]*\d)?", facts)}
    assert "22400040" in numbers_in_facts and "4723013434" in numbers_in_facts
    assert "22400041" not in numbers_in_facts and "4004" not in numbers_in_facts


def test_no_shipped_address_has_coordinates() -> None:
    """The facts give no coordinates, and coordinates are never invented."""
    for service in load_catalogue().services:
        assert service.address is None or service.address.coordinates is None, service.id


def test_unconfirmed_rows_of_the_facts_are_flagged() -> None:
    catalogue = load_catalogue()
    by_id = {service.id: service for service in catalogue.services}
    unconfirmed_numbers = {
        phone.number for service in catalogue.services for phone in service.phones
        if phone.unconfirmed
    }  # fmt: skip
    assert unconfirmed_numbers == {
        "22 48 03 80", "40 42 77 77", "23 04 05 00", "46 61 51 20", "466 17 010", "23 28 39 40",
    }  # fmt: skip
    for district in ("alna", "grorud", "stovner", "sondre-nordstrand", "ostensjo", "bjerke"):
        nav = by_id[f"nav-{district}"]
        assert nav.unconfirmed and nav.address is not None and nav.address.unconfirmed
    assert by_id["overgrepsmottak"].unconfirmed and by_id["barnevernvakten"].unconfirmed


def test_familievern_card_says_it_is_not_barnevern() -> None:
    service = load_catalogue().service("familievern", audience="public")
    assert service is not None
    card = render_card(service, translator("en"), audience="public")
    assert "It is not barnevern (child welfare)." in card.html


# -- who sees what ------------------------------------------------------------------------------


@pytest.mark.parametrize("locale", LOCALE_CODES)
def test_no_unconfirmed_fact_reaches_the_public(locale: str) -> None:
    catalogue = load_catalogue()
    full = {service.id: service for service in catalogue.services}
    cards = all_cards(catalogue, translator(locale), "public")
    assert cards, "the public sees some services"
    for service_id, card in cards.items():
        original = full[service_id]
        assert not original.unconfirmed, f"{service_id} is unconfirmed but public"
        for phone in original.phones:
            if phone.unconfirmed:
                assert tel_text(phone.number) not in card.html, (locale, service_id, phone)
                assert phone.number not in card.html, (locale, service_id, phone)
        if original.address is not None and original.address.unconfirmed:
            assert html.escape(original.address.street) not in card.html
            assert card.venue is None
        assert WARNING not in card.html and "unconfirmed" not in card.html.lower()
    for topic in catalogue.topics:
        for service in catalogue.services_for(topic, audience="public"):
            assert not service.unconfirmed
            assert not any(phone.unconfirmed for phone in service.phones)
            assert service.address is None or not service.address.unconfirmed


def test_the_public_never_gets_a_card_of_an_unconfirmed_service() -> None:
    catalogue = load_catalogue()
    nav_alna = catalogue.service("nav-alna", audience="coordinator")
    assert nav_alna is not None
    assert catalogue.service("nav-alna", audience="public") is None
    with pytest.raises(ValueError, match="unconfirmed"):
        render_card(nav_alna, translator("en"), audience="public")
    with pytest.raises(ValueError, match="audience"):
        render_card(nav_alna, translator("en"), audience="everyone")  # type: ignore[arg-type]


def test_coordinators_see_unconfirmed_facts_marked_with_their_check_date() -> None:
    catalogue = load_catalogue()
    t = translator("en")
    cards = all_cards(catalogue, t, "coordinator")
    public = all_cards(catalogue, t, "public")
    assert {"nav-alna", "overgrepsmottak", "barnevernvakten"} <= set(cards) - set(public)

    lines = cards["familievern"].html.split("\n")
    for number in ("46 61 51 20", "466 17 010", "23 28 39 40"):
        line = next(line for line in lines if tel_text(number) in line)
        assert line.endswith("⚠️ unconfirmed"), line
    nav = cards["nav-alna"].html
    assert "⚠️ Unconfirmed: check it before the public can see it." in nav
    assert "Trygve Lies plass 5, Oslo</a> ⚠️ unconfirmed" in nav
    checked = t.format_day(datetime(2026, 11, 1, 12, tzinfo=UTC), OSLO)
    for card in cards.values():
        assert f"🔎 Last checked: {checked}" in card.html
        assert "📄 Source: " in card.html
    # Confirmed numbers are not marked.
    police = next(line for line in cards["police-emergency"].html.split("\n") if "112" in line)
    assert WARNING not in police


@pytest.mark.parametrize("audience", AUDIENCES)
def test_the_violence_topic_opens_with_112_and_116_006(audience: Audience) -> None:
    services = load_catalogue().services_for("violence", audience=audience)
    assert [service.id for service in services[:2]] == ["police-emergency", "vo-linjen"]
    assert services[0].phones[0].number == "112"
    assert services[1].phones[0].number == "116 006"
    assert len(services) > 2


def test_the_contact_topic_has_no_services_but_the_library_drop_in() -> None:
    catalogue = load_catalogue()
    topic = catalogue.topic("bydelsmor")
    assert topic.is_contact
    assert catalogue.services_for(topic, audience="public") == ()
    drop_ins = catalogue.drop_ins(topic, audience="public")
    assert [service.id for service in drop_ins] == ["deichman-furuset"]
    with pytest.raises(KeyError):
        catalogue.topic("nope")


# -- cards --------------------------------------------------------------------------------------


def test_the_pregnancy_check_up_card_says_free_and_offers_an_interpreter() -> None:
    service = load_catalogue().service("pregnancy-check-ups", audience="public")
    assert service is not None
    card = render_card(service, translator("en"), audience="public")
    assert card.html.startswith("<b>Pregnancy check-ups (svangerskapskontroll)</b>\n")
    assert "\n🆓 FREE\n" in card.html
    assert "🗣 Free interpreter: you have the right to one; the service books it." in card.html


def test_a_card_says_what_she_pays_when_it_is_not_free() -> None:
    catalogue = load_catalogue()
    legevakt = catalogue.service("oslo-legevakt", audience="public")
    helsestasjon = catalogue.service("helsestasjon", audience="public")
    assert legevakt is not None and helsestasjon is not None
    card = render_card(legevakt, translator("en"), audience="public").html
    assert "💳 You pay a user fee (egenandel) after the visit." in card and "FREE\n" not in card
    card = render_card(helsestasjon, translator("en"), audience="public").html
    assert "💳 The vaccines of the children's vaccination programme are free." in card


def test_phone_numbers_are_written_so_that_phones_link_them() -> None:
    assert tel_text("22 40 00 40") == "+47 22 40 00 40"
    assert tel_text("800 43 573") == "+47 800 43 573"
    assert tel_text("466 17 010") == "+47 466 17 010"
    assert tel_text("+47 23 01 34 34") == "+47 23 01 34 34"
    assert tel_text("+47  23 01 34 34") == "+47 23 01 34 34"
    for short in ("112", "113", "110", "1412", "02800", "116 006", "116 117"):
        assert tel_text(short) == short, "short numbers only work without a country code"
    for bad in ("22-40-00-40", "2240004", "224000400", "+4722", "22 40 00 40 ext", "", "+ 47"):
        with pytest.raises(ValueError, match="number"):
            tel_text(bad)


def test_every_phone_line_has_its_number_and_label() -> None:
    service = load_catalogue().service("oslo-legevakt", audience="public")
    assert service is not None
    lines = render_card(service, translator("en"), audience="public").html.split("\n")
    assert "📞 116 117 — Legevakt, the number for all of Norway" in lines
    assert "📞 +47 23 01 34 34 — Oslo legevakt" in lines


def test_rtl_cards_keep_numbers_left_to_right() -> None:
    service = load_catalogue().service("kirkens-sos", audience="public")
    assert service is not None
    card = render_card(service, translator("ar"), audience="public")
    assert "📞 \u2068+47 22 40 00 40\u2069 — " in card.html


def test_map_search_link_when_the_address_has_no_coordinates() -> None:
    service = load_catalogue().service("oslo-legevakt", audience="public")
    assert service is not None
    card = render_card(service, translator("en"), audience="public")
    url = "https://www.google.com/maps/search/?api=1&query=Storgata%2040%2C%20Oslo"
    assert map_search_url("Storgata 40, Oslo") == url
    assert f'🗺 <a href="{html.escape(url)}">Storgata 40, Oslo</a>' in card.html
    assert card.venue is None
    assert map_search_url("Ravnåsveien 3 & co").endswith("query=Ravn%C3%A5sveien%203%20%26%20co")


def test_a_web_address_is_a_link_with_its_host() -> None:
    service = load_catalogue().service("dinutvei", audience="public")
    assert service is not None
    card = render_card(service, translator("en"), audience="public")
    assert '🌐 <a href="https://dinutvei.no/en/english/english/">dinutvei.no</a>' in card.html


# -- a small synthetic catalogue ----------------------------------------------------------------

VALID = """\
[emergency]
topic = "violence"
first = ["police"]

[[topic]]
id = "violence"
emoji = "🛡"
label = "Violence"
order = 2

[[topic]]
id = "doctor"
emoji = "🩺"
label = "Doctor"
order = 1

[[topic]]
id = "talk"
emoji = "🤝"
label = "Talk"
order = 3
kind = "contact"
drop_in = ["library"]

[[service]]
id = "shelter"
name = "Shelter"
helps_with = "A safe place."
topics = ["violence"]
cost = "free"
interpreter_free = false
source = "https://example.org/shelter"
checked = 2026-11-01
[[service.phones]]
number = "22 48 03 80"
label = "Shelter"
unconfirmed = true

[[service]]
id = "police"
name = "Police"
helps_with = "Call when you are in danger."
topics = ["violence", "doctor"]
cost = "free"
interpreter_free = false
source = "https://example.org/police"
checked = 2026-11-01
[[service.phones]]
number = "112"
label = "Police"
unconfirmed = false

[[service]]
id = "clinic"
name = "Clinic"
helps_with = "A doctor and more."
topics = ["doctor"]
cost = "fee"
cost_note = "You pay a fee."
interpreter_free = true
source = ["https://example.org/clinic", "a printed leaflet"]
checked = 2026-11-01
[service.address]
street = "Storgata 40 <b>, Oslo"
unconfirmed = false
latitude = 59.91
longitude = 10.75
coordinates_source = "https://example.org/where-the-coordinates-were-read"

[[service]]
id = "library"
name = "Library"
helps_with = "Books."
topics = []
cost = "free"
interpreter_free = false
source = "https://example.org/library"
checked = 2026-11-01
[service.address]
street = "Trygve Lies plass 1, Oslo"
unconfirmed = false
"""


def test_a_valid_synthetic_catalogue_loads() -> None:
    catalogue = parse_catalogue(VALID)
    assert [topic.id for topic in catalogue.topics] == ["doctor", "violence", "talk"]
    public = catalogue.services_for("violence", audience="public")
    assert [s.id for s in public] == ["police", "shelter"], "emergency first"
    assert public[1].phones == (), "its only number is unconfirmed"
    coordinator = catalogue.services_for("violence", audience="coordinator")
    assert [phone.number for phone in coordinator[1].phones] == ["22 48 03 80"]
    assert [s.id for s in catalogue.services_for("doctor", audience="public")] == [
        "police", "clinic",
    ], "file order outside the emergency topic"  # fmt: skip
    assert catalogue.messages() == [
        "Doctor", "Violence", "Talk", "Shelter", "A safe place.", "Police",
        "Call when you are in danger.", "Clinic", "A doctor and more.", "You pay a fee.",
        "Library", "Books.",
    ]  # fmt: skip
    assert catalogue_messages(catalogue) == catalogue.messages()


def test_a_venue_only_where_the_coordinates_have_a_source() -> None:
    catalogue = parse_catalogue(VALID)
    clinic = catalogue.service("clinic", audience="public")
    library = catalogue.service("library", audience="public")
    assert clinic is not None and library is not None
    card = render_card(clinic, translator("en"), audience="public")
    assert card.venue == Venue(59.91, 10.75, "Clinic", "Storgata 40 <b>, Oslo")
    assert "📍 Storgata 40 &lt;b&gt;, Oslo" in card.html and "google.com/maps" not in card.html
    assert parse_html(card.html).errors == []
    card = render_card(library, translator("en"), audience="public")
    assert card.venue is None and map_search_url("Trygve Lies plass 1, Oslo") in html.unescape(
        card.html
    )


def test_an_unconfirmed_address_with_coordinates_gives_the_public_no_venue() -> None:
    text = VALID.replace('street = "Storgata 40 <b>, Oslo"\nunconfirmed = false',
                         'street = "Storgata 40 <b>, Oslo"\nunconfirmed = true')  # fmt: skip
    catalogue = parse_catalogue(text)
    clinic = catalogue.service("clinic", audience="public")
    assert clinic is not None and clinic.address is None
    card = render_card(clinic, translator("en"), audience="public")
    assert card.venue is None and "Storgata" not in card.html
    coordinator = catalogue.service("clinic", audience="coordinator")
    assert coordinator is not None
    card = render_card(coordinator, translator("en"), audience="coordinator")
    assert "📍 Storgata 40 &lt;b&gt;, Oslo ⚠️ unconfirmed" in card.html


def test_a_sources_text_is_escaped_for_coordinators() -> None:
    text = VALID.replace('"a printed leaflet"', '"leaflet <2026> & co"')
    clinic = parse_catalogue(text).service("clinic", audience="coordinator")
    assert clinic is not None
    card = render_card(clinic, translator("en"), audience="coordinator")
    assert "leaflet &lt;2026&gt; &amp; co" in card.html
    assert parse_html(card.html).errors == []


BAD = [
    pytest.param('id = "police"\nname', 'id = "police"\nnmae = "x"\nname',
                 "unknown key 'nmae': did you mean name?", id="unknown-key"),
    pytest.param("[[service.phones]]\nnumber = \"112\"", "[[service.phone]]\nnumber = \"112\"",
                 "unknown key 'phone': did you mean phones?", id="unknown-table"),
    pytest.param('source = "https://example.org/police"\n', "",
                 "[[service]] 'police': source is missing", id="missing-source"),
    pytest.param('source = "https://example.org/police"\nchecked = 2026-11-01\n',
                 'source = "https://example.org/police"\n',
                 "[[service]] 'police': checked is missing", id="missing-checked"),
    pytest.param('checked = 2026-11-01\n[[service.phones]]\nnumber = "112"',
                 'checked = "2026-11-01"\n[[service.phones]]\nnumber = "112"',
                 "checked must be a date without quotes", id="checked-as-text"),
    pytest.param('source = ["https://example.org/clinic", "a printed leaflet"]', "source = []",
                 "source must be a URL or a citation", id="empty-source"),
    pytest.param('source = "https://example.org/shelter"', 'source = "http://example.org/x"',
                 "a source URL must start with https://", id="http-source"),
    pytest.param('topics = ["violence", "doctor"]', 'topics = ["violence", "docter"]',
                 "topic 'docter' is not a [[topic]] id", id="unknown-topic"),
    pytest.param('topics = ["violence", "doctor"]', 'topics = ["violence", "violence"]',
                 "topics lists 'violence' twice", id="topic-twice"),
    pytest.param('id = "shelter"', 'id = "police"',
                 "id 'police' is used by another [[service]]", id="duplicate-service"),
    pytest.param('id = "doctor"', 'id = "violence"',
                 "id 'violence' is used by another [[topic]]", id="duplicate-topic"),
    pytest.param("order = 3", "order = 2", "order 2 is used by another [[topic]]",
                 id="duplicate-order"),
    pytest.param('coordinates_source = "https://example.org/where-the-coordinates-were-read"\n',
                 "", "need a coordinates_source", id="coordinates-without-source"),
    pytest.param("latitude = 59.91\n", "", "latitude and longitude come together",
                 id="longitude-alone"),
    pytest.param('street = "Trygve Lies plass 1, Oslo"\n',
                 'street = "Trygve Lies plass 1, Oslo"\ncoordinates_source = "a map"\n',
                 "latitude and longitude come together", id="source-without-coordinates"),
    pytest.param("latitude = 59.91", "latitude = 91.5", "latitude must be a number between",
                 id="latitude-out-of-range"),
    pytest.param('number = "22 48 03 80"', 'number = "22-48-03-80"',
                 "a phone number is digits and spaces", id="phone-with-dashes"),
    pytest.param('number = "22 48 03 80"', 'number = "2248038"',
                 "a Norwegian number has 8 digits", id="phone-7-digits"),
    pytest.param('number = "22 48 03 80"', "number = 22480380",
                 "number must be a text", id="phone-as-integer"),
    pytest.param('label = "Shelter"\nunconfirmed = true', 'label = "Shelter"',
                 "phone 1: unconfirmed is missing", id="phone-without-flag"),
    pytest.param('street = "Trygve Lies plass 1, Oslo"\nunconfirmed = false',
                 'street = "Trygve Lies plass 1, Oslo"',
                 "address: unconfirmed is missing", id="address-without-flag"),
    pytest.param('helps_with = "Books."', 'helps_with = "Books & films."',
                 "helps_with has a character texts cannot have", id="ampersand-in-text"),
    pytest.param('helps_with = "Books."', 'helps_with = "Books for {name}."',
                 "helps_with has a character texts cannot have", id="brace-in-text"),
    pytest.param('helps_with = "Books."', 'helps_with = "Books.\\nAnd films."',
                 "helps_with has a character texts cannot have", id="line-break-in-text"),
    pytest.param('helps_with = "Books."', 'helps_with = " Books."',
                 "helps_with has extra spaces", id="space-in-text"),
    pytest.param('cost_note = "You pay a fee."\n', "",
                 'cost = "fee" needs a cost_note', id="fee-without-note"),
    pytest.param('id = "library"\nname = "Library"\nhelps_with = "Books."\ntopics = []\n'
                 'cost = "free"',
                 'id = "library"\nname = "Library"\nhelps_with = "Books."\ntopics = []\n'
                 'cost = "free"\ncost_note = "Nothing."',
                 "a free service has no cost_note", id="free-with-note"),
    pytest.param('cost = "fee"', 'cost = "cheap"', "cost must be one of", id="unknown-cost"),
    pytest.param("interpreter_free = true", 'interpreter_free = "yes"',
                 "interpreter_free must be true or false", id="interpreter-not-bool"),
    pytest.param('source = "https://example.org/police"',
                 'source = "https://example.org/police"\nurl = "www.police.no"',
                 "url must be a web address starting with https://", id="url-without-scheme"),
    pytest.param('first = ["police"]', 'first = ["polise"]',
                 "[emergency]: 'polise' is not a [[service]] id", id="emergency-unknown"),
    pytest.param('first = ["police"]', 'first = ["shelter"]',
                 "[emergency]: 'shelter' has no confirmed number to call",
                 id="emergency-unconfirmed"),
    pytest.param('first = ["police"]', 'first = ["clinic"]',
                 "[emergency]: 'clinic' is not in the topic 'violence'", id="emergency-off-topic"),
    pytest.param('topic = "violence"', 'topic = "violense"',
                 "[emergency]: topic 'violense' is not a [[topic]] id", id="emergency-topic"),
    pytest.param('[emergency]\ntopic = "violence"\nfirst = ["police"]\n', "",
                 "[emergency] is missing", id="no-emergency"),
    pytest.param('topics = ["doctor"]', 'topics = ["doctor", "talk"]',
                 "topic 'talk' is a contact topic", id="service-in-contact-topic"),
    pytest.param('drop_in = ["library"]', 'drop_in = ["libary"]',
                 "drop_in 'libary' is no service", id="unknown-drop-in"),
    pytest.param('drop_in = ["library"]', "drop_in = []",
                 "[[service]] 'library': topics is empty", id="service-in-no-topic"),
    pytest.param('order = 2\n', 'order = 2\ndrop_in = ["library"]\n',
                 'drop_in is only for a topic with kind = "contact"', id="drop-in-not-contact"),
    pytest.param('kind = "contact"', 'kind = "chat"', "kind must be one of", id="unknown-kind"),
    pytest.param('label = "Doctor"\norder = 1\n',
                 'label = "Doctor"\norder = 1\nfirst = ["clnic"]\n',
                 "[[topic]] 'doctor': first 'clnic' is no service", id="first-unknown"),
    pytest.param('label = "Doctor"\norder = 1\n',
                 'label = "Doctor"\norder = 1\nfirst = ["shelter"]\n',
                 "[[topic]] 'doctor': first 'shelter' is not in this topic", id="first-off-topic"),
    pytest.param('kind = "contact"', 'kind = "contact"\nfirst = ["library"]',
                 "first is only for a topic that lists services", id="first-in-contact-topic"),
    pytest.param('id = "shelter"\nname = "Shelter"', 'id = "Shelter!"\nname = "Shelter"',
                 "id must be a slug", id="bad-slug"),
    pytest.param('emoji = "🛡"', 'emoji = "🛡 🛡"', "emoji must be one picture", id="two-emoji"),
    pytest.param('label = "Talk"', 'label = "Talk', "not valid TOML", id="toml-syntax"),
    pytest.param('[emergency]', 'colour = "red"\n[emergency]',
                 "the top level: unknown key 'colour'", id="unknown-top-level"),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new", "reason"), BAD)
def test_validation_refuses_a_bad_catalogue(old: str, new: str, reason: str) -> None:
    assert old in VALID, "the test case must change the valid catalogue"
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue(VALID.replace(old, new, 1), "test.toml")
    assert reason in str(caught.value), str(caught.value)
    assert str(caught.value).startswith("test.toml: ")


def test_a_topic_shows_its_first_services_first_then_file_order() -> None:
    text = VALID.replace(
        'label = "Doctor"\norder = 1\n', 'label = "Doctor"\norder = 1\nfirst = ["clinic"]\n'
    )
    catalogue = parse_catalogue(text)
    assert [s.id for s in catalogue.services_for("doctor", audience="public")] == [
        "clinic", "police",
    ]  # fmt: skip


def test_the_pregnancy_topic_opens_with_the_free_check_ups() -> None:
    """The 2016 story: she feared the cost. The first card she sees tells her it is free."""
    shown = load_catalogue().services_for("pregnancy", audience="public")
    assert shown[0].id == "pregnancy-check-ups" and shown[0].cost == "free"


def test_a_topic_the_public_would_find_empty_is_refused() -> None:
    text = VALID.replace('topics = ["violence", "doctor"]', 'topics = ["doctor"]').replace(
        'first = ["police"]', 'first = ["shelter"]'
    )
    text = text.replace(
        'label = "Shelter"\nunconfirmed = true', 'label = "Shelter"\nunconfirmed = false'
    )
    text = text.replace('id = "shelter"\n', 'id = "shelter"\nunconfirmed = true\n')
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue(text)
    assert "[[topic]] 'violence': no confirmed service to show the public" in str(caught.value)
    assert "[emergency]: 'shelter' has no confirmed number to call" in str(caught.value)


def test_tables_written_with_one_bracket_are_refused() -> None:
    with pytest.raises(CatalogueError, match=r"topic must be written as \[\[topic\]\] tables"):
        parse_catalogue('topic = "doctor"\n')


def test_validation_reports_every_problem_at_once() -> None:
    text = VALID.replace('cost = "fee"', 'cost = "cheap"').replace('"22 48 03 80"', '"1"')
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue(text)
    assert len(caught.value.problems) == 2, caught.value.problems


def test_load_catalogue_reads_a_file(tmp_path: Path) -> None:
    path = tmp_path / "referrals.toml"
    path.write_text(VALID, encoding="utf-8")
    assert load_catalogue(path) == parse_catalogue(VALID)
    path.write_text(VALID.replace('source = "https://example.org/library"\n', ""), "utf-8")
    with pytest.raises(CatalogueError, match="source is missing"):
        load_catalogue(str(path))


# -- texts and languages ------------------------------------------------------------------------


class RecordingTranslator(Translator):
    """English, remembering every message id it was asked for."""

    def __init__(self) -> None:
        super().__init__(LANGUAGE_BY_CODE[SOURCE_LOCALE], gettext.NullTranslations())
        self.asked: list[str] = []

    def _(self, message: str) -> str:
        self.asked.append(message)
        return super()._(message)


def code_messages() -> set[str]:
    """The message ids written in the bot/referrals/ package itself."""
    found = [
        entry
        for path in sorted((ROOT / "bot" / "referrals").glob("*.py"))
        for entry in extract_from_file("python", path, keywords={"_": None, "N_": None})
    ]
    return {message for _, message, _, _ in found if isinstance(message, str)}


def test_every_rendered_text_is_extracted_for_translation() -> None:
    catalogue = load_catalogue()
    t = RecordingTranslator()
    for audience in AUDIENCES:
        all_cards(catalogue, t, audience)
    extracted = ids(catalogue_tool().extract())
    assert set(t.asked) - extracted == set()
    data_texts = set(catalogue_messages())
    assert set(t.asked) <= data_texts | code_messages()
    labels = {topic.label for topic in catalogue.topics}
    assert data_texts == (set(t.asked) - code_messages()) | labels, "no stale texts"
    assert {"FREE", "unconfirmed", "Last checked: {date}", "Source: {source}"} <= code_messages()


@pytest.mark.parametrize("locale", LOCALE_CODES)
@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_card_is_valid_telegram_html_and_fits_in_a_message(
    locale: str, audience: Audience
) -> None:
    for service_id, card in all_cards(load_catalogue(), translator(locale), audience).items():
        parsed = parse_html(card.html)
        assert parsed.errors == [], (locale, service_id, parsed.errors)
        assert len(parsed.text) <= MAX_MESSAGE_LENGTH and len(card.html) <= MAX_MESSAGE_LENGTH


def test_english_cards_leave_room_for_longer_languages() -> None:
    """Translations run longer than English (Somali, Tigrinya ...): keep three times the room."""
    t = translator("en")
    for service_id, card in all_cards(load_catalogue(), t, "coordinator").items():
        assert len(card.html) * 3 <= MAX_MESSAGE_LENGTH, service_id


@pytest.mark.parametrize("locale", LOCALE_CODES)
def test_every_text_is_translated_in_all_12_locales(locale: str) -> None:
    """The issue's requirement: every text of the help guide in every shipped language."""
    catalog = load(locale)
    translated = {m.id: m.string for m in catalog if isinstance(m.id, str) and m.id and m.string}
    wanted = [*catalogue_messages(), *sorted(code_messages())]
    missing = [message for message in wanted if message not in translated]
    assert missing == [], f"{locale}: {len(missing)} untranslated, e.g. {missing[:3]}"
    if locale == SOURCE_LOCALE:
        assert all(translated[message] == message for message in wanted)


def test_the_shipped_file_names_nothing_twice() -> None:
    """Ids are how handlers find services (callback data): each is unique and short."""
    catalogue = load_catalogue()
    service_ids = [service.id for service in catalogue.services]
    assert len(service_ids) == len(set(service_ids))
    assert all(len(f"ref:{service_id}") <= 64 for service_id in service_ids)
    assert isinstance(catalogue.services[0], Service)


def test_each_problem_names_its_line_in_the_file() -> None:
    """The catalogue is read by the same reader as the organisation file (bot/toml_reader.py)."""
    text = VALID.replace('id = "police"\nname', 'id = "police"\nnmae = "x"\nname', 1)
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue(text, "test.toml")
    line = text.split("\n").index('nmae = "x"') + 1
    assert f"line {line}: [[service]] 'police': unknown key 'nmae': did you mean name?" in (
        caught.value.problems
    )


def test_an_id_may_not_start_or_end_with_a_hyphen() -> None:
    with pytest.raises(CatalogueError, match="id must be a slug"):
        parse_catalogue(VALID.replace('id = "police"', 'id = "police-"', 1))
