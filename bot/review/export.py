"""`bydelsbot translations export` and `status`: approved wordings back into the .po files, and
per language how many messages a native speaker has checked, counted from the .po files.

A checked message gets a translator comment with the language and the date, never who checked
it. A check or wording whose source changed since (its msgid is gone, or its plural changed) is
no longer valid: it is dropped from the database and reported, and the message needs review
again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po, write_po

from bot.i18n import DOMAIN, LANGUAGE_BY_CODE
from bot.review.catalogue import source_hash
from bot.review.flow import REVIEWABLE
from storage import Database
from storage.review import all_checks, forget_check, live_wordings, mark_stale

COMMENT_PREFIX = "Checked by a native speaker"


@dataclass
class ExportReport:
    written: dict[str, int] = field(default_factory=dict)  # locale -> messages marked
    changed: dict[str, int] = field(default_factory=dict)  # locale -> wordings written
    stale: list[tuple[str, str]] = field(default_factory=list)  # (locale, msgid): review again


def po_path(locales_dir: Path, locale: str) -> Path:
    return locales_dir / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def _read(path: Path, locale: str) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale, domain=DOMAIN)


def _write(path: Path, catalog: Catalog) -> None:
    # The same layout as scripts/catalogues.py writes, so an export changes only what it must.
    with path.open("wb") as out:
        write_po(out, catalog, width=100, sort_output=True, include_previous=False)


def _hash_of(entry: Message) -> str:
    if isinstance(entry.id, str):
        return source_hash(entry.id, None)
    return source_hash(entry.id[0], entry.id[1])


def review_comment(locale: str, day: str) -> str:
    return f"{COMMENT_PREFIX} ({locale}, {day}, reviewed in the bot)"


async def export(db: Database, locales_dir: Path) -> ExportReport:
    """Write every check and approved wording into the catalogues under `locales_dir`."""
    report = ExportReport()
    wordings = {(w.locale, w.msgid): w for w in await live_wordings(db)}
    checks = await all_checks(db)
    catalogs: dict[str, Catalog] = {}
    for locale, msgid, checked_hash, when in checks:
        path = po_path(locales_dir, locale)
        if locale not in REVIEWABLE or not path.exists():
            continue
        catalog = catalogs.get(locale) or catalogs.setdefault(locale, _read(path, locale))
        entry = catalog.get(msgid)
        wording = wordings.get((locale, msgid))
        if entry is None or _hash_of(entry) != checked_hash:
            report.stale.append((locale, msgid))
            await forget_check(db, locale, msgid)
            if wording is not None:
                await mark_stale(db, wording.id)
            continue
        if wording is not None and wording.source_hash == checked_hash:
            entry.string = wording.forms[0] if isinstance(entry.id, str) else list(wording.forms)
            report.changed[locale] = report.changed.get(locale, 0) + 1
        entry.user_comments = [
            c for c in entry.user_comments if not c.startswith(COMMENT_PREFIX)
        ] + [review_comment(locale, when.date().isoformat())]
        report.written[locale] = report.written.get(locale, 0) + 1
    for locale, catalog in catalogs.items():
        _write(po_path(locales_dir, locale), catalog)
    return report


def checked_counts(locales_dir: Path) -> list[tuple[str, int, int]]:
    """(locale, checked by a native speaker, messages) for every reviewable language."""
    rows = []
    for locale in REVIEWABLE:
        catalog = _read(po_path(locales_dir, locale), locale)
        messages = [m for m in catalog if m.id]
        checked = sum(
            1 for m in messages if any(c.startswith(COMMENT_PREFIX) for c in m.user_comments)
        )
        rows.append((locale, checked, len(messages)))
    return rows


def status_table(locales_dir: Path) -> str:
    """The README's table of native review, as Markdown."""
    lines = [
        "| language | code | checked by a native speaker |",
        "|---|---|---|",
    ]
    for locale, checked, total in checked_counts(locales_dir):
        name = LANGUAGE_BY_CODE[locale].native_name
        lines.append(f"| {name} | {locale} | {checked} of {total} |")
    return "\n".join(lines)
