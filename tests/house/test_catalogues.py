"""The message catalogues: complete, consistent with the source, with CLDR, and compilable."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bot.i18n import LOCALE_CODES, SOURCE_LOCALE, catalogue_path
from tests.support.catalogues import PLACEHOLDER, TAG, catalogue_tool, ids, load

ROOT = Path(__file__).resolve().parents[2]


def test_template_matches_the_code() -> None:
    """A message added to the code without `scripts/catalogues.py update` fails here."""
    extracted = ids(catalogue_tool().extract())
    with (ROOT / "locales" / "messages.pot").open("rb") as handle:
        template = ids(read_po(handle))
    assert extracted == template, "run: python scripts/catalogues.py update"


@pytest.mark.parametrize("locale", LOCALE_CODES)
def test_every_message_is_translated(locale: str) -> None:
    catalog = load(locale)
    with (ROOT / "locales" / "messages.pot").open("rb") as handle:
        template = ids(read_po(handle))
    assert ids(catalog) == template, f"{locale} catalogue is out of date"
    missing = [m.id for m in catalog if m.id and not all(_strings(m.string))]
    assert missing == [], f"{locale} lacks translations"
    assert not [m.id for m in catalog if m.id and m.fuzzy], f"{locale} has fuzzy entries"


@pytest.mark.parametrize("locale", LOCALE_CODES)
def test_placeholders_and_tags_match_the_source(locale: str) -> None:
    for message in load(locale):
        if not message.id:
            continue
        source = message.id if isinstance(message.id, str) else message.id[-1]
        for translated in filter(None, _strings(message.string)):  # empty: reported above
            assert sorted(PLACEHOLDER.findall(translated)) == sorted(PLACEHOLDER.findall(source)), (
                f"{locale}: placeholders differ in {source!r}: {translated!r}"
            )
            assert sorted(TAG.findall(translated)) == sorted(TAG.findall(source)), (
                f"{locale}: HTML tags differ in {source!r}: {translated!r}"
            )
            formatted = translated.format(**{p[1:-1]: "X" for p in PLACEHOLDER.findall(source)})
            assert "{" not in formatted


@pytest.mark.parametrize("locale", LOCALE_CODES)
def test_plural_header_agrees_with_cldr(locale: str) -> None:
    """Each CLDR category maps to exactly one plural index of the catalogue, for 0..1000."""
    catalog = load(locale)
    rule = Locale.parse(locale).plural_form
    categories = set(rule.tags) | {"other"}
    assert catalog.num_plurals == len(categories), f"{locale}: nplurals"
    evaluate = _plural_function(catalog.plural_expr)
    index_of: dict[str, int] = {}
    for n in range(1001):
        index = evaluate(n)
        assert index_of.setdefault(rule(n), index) == index, (
            f"{locale}: n={n} is CLDR '{rule(n)}' but gets plural form {index}"
        )
    assert sorted(index_of.values()) == list(range(len(index_of)))


def test_plural_check_catches_the_pybabel_default_for_tigrinya() -> None:
    """pybabel's table says (n != 1) for ti, but CLDR puts 0 with 1: the check must see it."""
    rule = Locale.parse("ti").plural_form
    evaluate = _plural_function("(n != 1)")
    assert rule(0) == rule(1) and evaluate(0) != evaluate(1)


@pytest.mark.parametrize("locale", LOCALE_CODES)
def test_catalogue_compiles(locale: str) -> None:
    catalog = load(locale)
    errors = [(m.id, err) for m, err in catalog.check() if err]
    assert errors == []
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    assert buffer.getvalue()


def test_english_catalogue_is_the_source() -> None:
    for message in load(SOURCE_LOCALE):
        if message.id and isinstance(message.id, str):
            assert message.string == message.id


def test_compiled_catalogues_are_not_committed() -> None:
    try:
        tracked = subprocess.run(
            ["git", "ls-files", "*.mo"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    assert tracked.strip() == ""


def _strings(value: object) -> list[str]:
    return list(value) if isinstance(value, list | tuple) else [str(value or "")]


def _plural_function(expr: str):  # type: ignore[no-untyped-def]
    import gettext

    return gettext.c2py(expr)


def test_compiled_catalogues_are_used_when_fresh_and_ignored_when_stale() -> None:
    import os

    from bot import i18n

    po_path = catalogue_path("so")
    mo_path = po_path.with_suffix(".mo")
    catalog = load("so")
    help_message = catalog.get("Help")
    assert help_message is not None
    help_message.string = "HELP-FROM-THE-MO-FILE"
    try:
        with mo_path.open("wb") as out:
            write_mo(out, catalog)
        po_time = po_path.stat().st_mtime
        os.utime(mo_path, (po_time + 10, po_time + 10))
        assert i18n._load_translations("so").gettext("Help") == "HELP-FROM-THE-MO-FILE"
        os.utime(mo_path, (po_time - 10, po_time - 10))  # older than the .po: stale
        assert i18n._load_translations("so").gettext("Help") == translator_string("so", "Help")
        written = i18n.compile_catalogues()
        assert len(written) == len(LOCALE_CODES) and all(p.exists() for p in written)
        assert i18n._load_translations("so").gettext("Help") == translator_string("so", "Help")
    finally:
        for code in LOCALE_CODES:
            catalogue_path(code).with_suffix(".mo").unlink(missing_ok=True)


def translator_string(locale: str, msgid: str) -> str:
    for message in load(locale):
        if message.id == msgid:
            return str(message.string)
    raise KeyError(msgid)


@pytest.mark.parametrize("locale", LOCALE_CODES)
def test_every_translation_is_safe_in_telegram_html(locale: str) -> None:
    """Messages are sent with parse_mode=HTML: a stray '<' or '&' in one language would make
    Telegram refuse every message that uses it, in that language only."""
    from tests.telegram_spec.validator import parse_html

    for message in load(locale):
        if not message.id:
            continue
        source = message.id if isinstance(message.id, str) else message.id[-1]
        for translated in filter(None, _strings(message.string)):
            filled = translated.format(**{p[1:-1]: "X" for p in PLACEHOLDER.findall(source)})
            assert parse_html(filled).errors == [], f"{locale}: {translated!r}"
