"""Features live in packages and do not import each other; shared pieces live in `common`, and
sending, which every feature that sends shares, in `delivery`.

A module of handlers/<feature>/ (and handlers/jobs/<feature>.py, the feature's background work)
may import its own feature, handlers/common/ and handlers/delivery/, nothing of another feature:
that is what keeps a feature movable and its imports shallow. The same holds for the feature
packages of bot/ and storage/ (bot/course/, storage/dropin/, ...); their flat modules are shared
rules and tables.
bot/app.py (the one registry) and the composition root see everything.

KNOWN lists the feature-to-feature imports that were there when the packages were made, each
waiting to be turned around (a hook registered in bot/app.py, or the piece moved to common). The
list may only shrink: a new import between features fails, and so does an entry that is gone.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.house.source import imports_of

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ("handlers", "bot", "storage")
SHARED = ("common", "delivery")  # handler packages every feature may import

# (importing module, imported module): the edges still to be removed, with the reason they exist.
KNOWN: frozenset[tuple[str, str]] = frozenset(
    {
        # /help's guide shows the next drop-in in the woman's district.
        ("handlers.help.help_guide", "handlers.dropin.women"),
        # A member's card grants translation-review rights.
        ("handlers.people.members", "handlers.review.rights"),
        # /start's deep links: the course's poster link and ID-card check.
        ("handlers.people.onboarding", "handlers.course.links"),
        # /forget and /mydata reach into every feature that keeps data about her.
        ("handlers.people.privacy", "handlers.course.interest"),
        ("handlers.people.privacy", "handlers.help.contact_copies"),
    }
)


# Packages of bot/ that are shared rules split up for size, not features: they stand where a
# flat module would (bot/referrals/: the referral catalogue, read by help, drop-in, course, review).
SHARED_RULES = {"bot": {"referrals"}}


def feature_packages(layer: str) -> set[str]:
    packages = {p.parent.name for p in (ROOT / layer).glob("*/__init__.py")}
    return packages - {"jobs", "migrations"} - SHARED_RULES.get(layer, set())


def feature_of(module: str) -> str | None:
    """The feature a dotted module belongs to, or None for a shared or root module."""
    parts = module.split(".")
    if len(parts) < 3 or parts[0] not in LAYERS:
        return None
    if parts[0] == "handlers" and parts[1] == "jobs":
        # handlers/jobs/course.py (or course_cards.py) is the course's background work
        stem = parts[2]
        owners = [f for f in feature_packages("handlers") if stem == f or stem.startswith(f + "_")]
        return max(owners, key=len, default=stem)
    return parts[1] if parts[1] in feature_packages(parts[0]) else None


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def crossings(paths: list[Path]) -> set[tuple[str, str]]:
    """Every (module, imported module) where the two belong to different features."""
    found: set[tuple[str, str]] = set()
    for path in paths:
        name = module_name(path)
        own = feature_of(name)
        if own is None:
            continue
        for imported in imports_of(path):
            theirs = feature_of(imported)
            if theirs is None or theirs in (own, *SHARED):
                continue
            if feature_of(imported.rsplit(".", 1)[0]) == theirs or imported.count(".") == 2:
                found.add((name, imported if _is_module(imported) else imported.rsplit(".", 1)[0]))
    return found


def _is_module(dotted: str) -> bool:
    base = ROOT.joinpath(*dotted.split("."))
    return base.with_suffix(".py").exists() or (base / "__init__.py").exists()


def all_modules() -> list[Path]:
    return sorted(p for layer in LAYERS for p in (ROOT / layer).rglob("*.py"))


def test_common_and_the_features_exist() -> None:
    assert {*SHARED, "people", "meetings", "announcements", "help"} <= feature_packages("handlers")
    assert {"course", "dropin", "review"} <= feature_packages("handlers")
    flat = sorted(p.name for p in (ROOT / "handlers").glob("*.py"))
    assert flat == ["__init__.py"], "every handler module belongs to a feature or to common"


def test_features_do_not_import_each_other() -> None:
    new = crossings(all_modules()) - KNOWN
    assert not new, "import it from handlers/common/ or turn it around:\n" + "\n".join(
        f"{a} -> {b}" for a, b in sorted(new)
    )


def test_the_known_crossings_are_still_there() -> None:
    gone = KNOWN - crossings(all_modules())
    assert not gone, f"remove from KNOWN: {sorted(gone)}"


@pytest.mark.parametrize(
    ("planted", "source"),
    [
        (
            "handlers/meetings/_planted.py",
            "from handlers.people.onboarding import start_command\n",
        ),
        ("handlers/common/_planted.py", "from handlers.course import codecs\n"),
        ("handlers/delivery/_planted.py", "from handlers.announcements import history\n"),
        ("handlers/jobs/dropin_planted.py", "import handlers.meetings.reminders\n"),
        ("handlers/jobs/course_planted.py", "from handlers.dropin import common\n"),
        ("bot/course/_planted.py", "from bot.dropin import plan\n"),
    ],
)
def test_the_check_sees_a_planted_crossing(planted: str, source: str) -> None:
    """Guard against a rule that can never fail: a planted import between features is caught."""
    path = ROOT / planted
    path.write_text(source, encoding="utf-8")
    try:
        assert crossings([path]), planted
    finally:
        path.unlink()
