"""Keep the message catalogues in step with the code (a maintainer's tool, not installed).

    python scripts/catalogues.py update   # extract messages.pot, merge it into every locale
    python scripts/catalogues.py compile  # write .mo files next to the .po files (Docker does this)

`update` also writes each catalogue's Plural-Forms header from CLDR (pybabel's own table is wrong
for some of our locales, e.g. Tigrinya and Dari) and fills the English catalogue from the source.
"""

from __future__ import annotations

import copy
import sys
from datetime import UTC, datetime
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po
from babel.plural import to_gettext

ROOT = Path(__file__).resolve().parent.parent
LOCALES_DIR = ROOT / "locales"
sys.path.insert(0, str(ROOT))

from bot.i18n import LOCALE_CODES, SOURCE_LOCALE, compile_catalogues  # noqa: E402
from bot.referrals import PACKAGED_PATH, catalogue_messages  # noqa: E402

KEYWORDS = {"_": None, "ngettext": (1, 2), "N_": None}


def extract() -> Catalog:
    template = Catalog(project="bydelsbot", msgid_bugs_address="", fuzzy=False)
    for package in ("bot", "handlers"):
        for filename, lineno, message, comments, context in extract_from_dir(
            ROOT / package, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)
        ):
            template.add(
                message,
                None,
                [(f"{package}/{filename}", lineno)],
                auto_comments=comments,
                context=context,
            )
    # The help guide's texts live in data, not in code: no keyword finds them. Line 0 writes no
    # line number, so moving a line in the data file does not touch every .po.
    for message in catalogue_messages():
        template.add(
            message,
            None,
            [(PACKAGED_PATH, 0)],
            auto_comments=[
                "From the help guide's list of services. Keep Norwegian names "
                "(legevakt, NAV, fastlege ...) as they are: she meets them on signs."
            ],
        )
    return template


def plural_header(locale: str) -> str:
    return to_gettext(Locale.parse(locale).plural_form).rstrip(";") + ";"


def update() -> None:
    template = extract()
    with (LOCALES_DIR / "messages.pot").open("wb") as out:
        write_po(out, template, width=100, omit_header=False, sort_output=True)
    for locale in LOCALE_CODES:
        po_path = LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po"
        if po_path.exists():
            with po_path.open("rb") as handle:
                catalog = read_po(handle, locale=locale)
        else:
            po_path.parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(locale=locale, project="bydelsbot")
        # update() shares the template's Message objects with new catalogues: give each its own.
        catalog.update(copy.deepcopy(template), no_fuzzy_matching=True)
        catalog.obsolete.clear()
        catalog.revision_date = datetime.now(UTC)
        nplurals_expr = plural_header(locale)
        # Babel has no public setter for the plural rule of an existing catalogue.
        catalog._num_plurals = int(nplurals_expr.split(";")[0].split("=")[1])  # type: ignore[assignment]
        catalog._plural_expr = nplurals_expr.split("plural=", 1)[1].rstrip(";")  # type: ignore[assignment]
        if locale == SOURCE_LOCALE:
            for message in catalog:
                if message.id and not all(_strings(message.string)):
                    # A plural entry's id is (singular, plural): English uses both as they are.
                    message.string = message.id
        with po_path.open("wb") as out:
            write_po(out, catalog, width=100, sort_output=True, include_previous=False)
    print(f"{len(template)} messages in {len(LOCALE_CODES)} catalogues")


def _strings(value: object) -> list[str]:
    return list(value) if isinstance(value, list | tuple) else [str(value or "")]


def compile_all() -> None:
    print(f"compiled {len(compile_catalogues())} catalogues")


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "update":
        update()
    elif command == "compile":
        compile_all()
    else:
        sys.exit(__doc__)
