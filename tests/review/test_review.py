"""Translation review in the bot: two Somali reviewers agree on a wording, a woman reading Somali
gets it on her next message, a restart keeps it, and the export writes it into a copy of the
catalogues, which still pass the catalogue checks."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

import locales
from bot.application import build_application, close_services, open_services
from bot.config import Config
from bot.i18n import LOCALE_CODES, set_live_wordings, translator
from bot.offline.api import OfflineBotApi
from bot.offline.transport import OfflineRequest
from bot.review.catalogue import catalogue_forms, message_by_id, plural_count
from bot.review.checks import check_wording
from bot.review.export import COMMENT_PREFIX, checked_counts, export, status_table
from handlers.common.context import Services
from handlers.people.codecs import FORGET, MEMBER_CARD, MEMBER_PAGE, MEMBER_REMOVE_OK
from handlers.review.codecs import approve_data, language_data, rights_data
from storage.people import save_locale
from storage.review import live_wordings, pending_wordings, reviewer_locales, set_reviewer
from tests.fakes.telegram import TEST_TOKEN, ChatDriver, buttons_of
from tests.support.catalogues import PLACEHOLDER, TAG
from tests.support.people import ADMIN_ID, make_member

MENU_QUESTION = "What would you like to do?"
NEW_WORDING = "Maxaad rabtaa inaad hadda samayso?"


@pytest.fixture(autouse=True)
def no_live_wordings_leak() -> Iterator[None]:
    """Approved wordings live in a process-wide cache: leave none behind for other tests."""
    yield
    set_live_wordings({})


async def reviewer(services: Services, chat: Callable[..., ChatDriver], user_id: int) -> ChatDriver:
    await make_member(services, user_id, "mother", locale="so")
    await set_reviewer(services.db, user_id, "so", 2001, datetime.now(UTC), on=True)
    return chat(user_id, f"Reviewer {user_id}")


def data_starting(driver: ChatDriver, prefix: str) -> str:
    for button in buttons_of(driver.last_with_buttons()):
        if button["callback_data"].startswith(prefix):
            return str(button["callback_data"])
    raise AssertionError(f"no {prefix} button in {driver.last_with_buttons()}")


async def better_wording_of_the_menu_question(hodan: ChatDriver) -> None:
    """She finds the menu's question in /review and presses ✏️: the bot waits for her wording."""
    await hodan.send("/review what would you like")
    await hodan.press(data_starting(hodan, "rv:b:"))


async def test_two_somali_reviewers_make_a_wording_live_for_every_woman(
    chat: Callable[..., ChatDriver], services: Services, db_path: Path, tmp_path: Path
) -> None:
    so = translator("so")
    old = so._(MENU_QUESTION)
    hodan = await reviewer(services, chat, 5001)
    faadumo = await reviewer(services, chat, 5002)
    await save_locale(services.db, 5003, "so")
    woman = chat(5003, "Sahra")
    await woman.send("/menu")
    assert woman.last()["text"] == old

    # Hodan finds the message, sees the Norwegian, the English and the Somali, and where it is.
    await hodan.send("/review what would you like")
    card = hodan.last()["text"]
    assert MENU_QUESTION in card and translator("nb")._(MENU_QUESTION) in card and old in card
    assert so._("the first messages and the menu, seen by everyone") in card
    assert so._("{checked} of {total} checked").format(checked=0, total=len(message_by_id()))
    await hodan.press(data_starting(hodan, "rv:b:"))
    # A broken placeholder is explained to her in Somali, and she tries again.
    await hodan.send(NEW_WORDING + " {name}")
    assert so._("Not kept yet:") in hodan.last()["text"]
    await hodan.send(NEW_WORDING)
    assert (
        so._("Thank you! Your wording is kept. It goes live when a second reviewer approves it.")
        in hodan.texts()[-2]
    )
    await woman.send("/menu")
    assert woman.last()["text"] == old, "one reviewer alone changes nothing"

    # Faadumo is shown the waiting wording first, and approves it.
    await faadumo.send("/review")
    assert NEW_WORDING in faadumo.last()["text"]
    assert so._("Another reviewer suggests:") in faadumo.last()["text"]
    await faadumo.press(data_starting(faadumo, "rv:a:"))
    live = so._("Thank you! The new wording is live now for everyone who reads {language}.")
    assert "✅ " + live.format(language="Soomaali") in faadumo.toasts()
    await woman.send("/menu")
    assert woman.last()["text"] == NEW_WORDING

    # A restart (a new process: an empty cache, the same database) keeps it.
    set_live_wordings({})
    assert translator("so")._(MENU_QUESTION) == old
    config = Config(token=TEST_TOKEN, db_path=db_path)
    again = build_application(config, request=OfflineRequest(OfflineBotApi()), with_updater=False)
    async with again:
        await open_services(again)
        assert translator("so")._(MENU_QUESTION) == NEW_WORDING
        await close_services(again)

    # The export writes it into (a copy of) the catalogues, with the language and the date only.
    copy = tmp_path / "locales"
    shutil.copytree(Path(locales.__file__).parent, copy)
    report = await export(services.db, copy)
    assert report.changed == {"so": 1} and report.stale == []
    with (copy / "so" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale="so")
    entry = catalog.get(MENU_QUESTION)
    assert entry is not None and entry.string == NEW_WORDING
    today = datetime.now(UTC).date().isoformat()
    assert entry.user_comments == [f"{COMMENT_PREFIX} (so, {today}, reviewed in the bot)"]
    exported = (copy / "so" / "LC_MESSAGES" / "messages.po").read_text("utf-8")
    assert "5001" not in exported and "5002" not in exported and "Reviewer" not in exported
    assert_catalogues_pass(copy)
    assert ("so", 1, len(message_by_id())) in checked_counts(copy)
    assert "| Soomaali | so | 1 of" in status_table(copy)
    # Exporting twice changes nothing more.
    before = exported
    await export(services.db, copy)
    assert (copy / "so" / "LC_MESSAGES" / "messages.po").read_text("utf-8") == before


def assert_catalogues_pass(directory: Path) -> None:
    """The catalogue tests' rules, over a copy of the catalogues."""
    with (directory / "messages.pot").open("rb") as handle:
        template = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    for locale in LOCALE_CODES:
        with (directory / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
            catalog = read_po(handle, locale=locale)
        assert {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id} == template
        assert [(m.id, e) for m, e in catalog.check() if e] == []
        for message in catalog:
            if not message.id:
                continue
            source = message.id if isinstance(message.id, str) else message.id[-1]
            strings = (
                message.string if isinstance(message.string, tuple | list) else [message.string]
            )
            for text in strings:
                assert text, (locale, message.id)
                assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(source))
                assert sorted(TAG.findall(text)) == sorted(TAG.findall(source))
        write_mo(__import__("io").BytesIO(), catalog)


async def test_export_sends_a_changed_source_back_to_review(
    services: Services, tmp_path: Path
) -> None:
    """A message whose English source changed since it was checked needs review again."""
    from storage.review import approve, checked_messages, mark_good, suggest

    now = datetime.now(UTC)
    await mark_good(services.db, "so", "A message that is gone", "0" * 16, 5001, now)
    help_message = message_by_id()["Help"]
    wording = await suggest(
        services.db, "so", "Help", "f" * 16, ("Caawimaad cusub",), 5001, now
    )  # hashed for an older source of "Help"
    await approve(services.db, wording, 5002, now)
    copy = tmp_path / "locales"
    shutil.copytree(Path(locales.__file__).parent, copy)
    report = await export(services.db, copy)
    assert sorted(report.stale) == [("so", "A message that is gone"), ("so", "Help")]
    assert await checked_messages(services.db, "so") == {}
    assert [w.status for w in await live_wordings(services.db)] == []
    with (copy / "so" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        entry = read_po(handle, locale="so").get("Help")
    assert entry is not None and entry.string == catalogue_forms("so", help_message)[0]


async def test_own_wording_cannot_be_approved_and_others_are_refused(
    chat: Callable[..., ChatDriver], services: Services
) -> None:
    hodan = await reviewer(services, chat, 5001)
    await better_wording_of_the_menu_question(hodan)
    await hodan.send(NEW_WORDING)
    [wording] = await pending_wordings(services.db, "so")
    await hodan.press(approve_data(wording.id))
    assert await live_wordings(services.db) == []
    # A member without the right, pressing a forged button, is refused and changes nothing.
    await make_member(services, 5009, "mother", locale="so")
    other = chat(5009, "Ayan")
    await other.send("/review")
    assert "🔒" in other.last()["text"]
    await other.press(approve_data(wording.id), other.last()["message_id"])
    assert "🔒" in other.toasts()[-1]
    assert await live_wordings(services.db) == []


async def test_an_admin_approves_alone_unless_the_setting_says_no(
    chat: Callable[..., ChatDriver], services: Services
) -> None:
    hodan = await reviewer(services, chat, 5001)
    await better_wording_of_the_menu_question(hodan)
    await hodan.send(NEW_WORDING)
    admin = chat(ADMIN_ID, "Office", "en")
    await admin.send("/review")
    assert "Which language do you want to review?" in admin.last()["text"]
    await admin.press(language_data("so"))
    assert NEW_WORDING in admin.last()["text"]
    await admin.press(data_starting(admin, "rv:a:"))
    assert [w.forms for w in await live_wordings(services.db)] == [(NEW_WORDING,)]
    assert translator("so")._(MENU_QUESTION) == NEW_WORDING


async def test_without_the_setting_an_admin_is_refused_unless_she_is_a_reviewer(
    chat: Callable[..., ChatDriver], services: Services, db_path: Path
) -> None:
    from dataclasses import replace

    services.config = replace(services.config, review_admins_approve=False)
    hodan = await reviewer(services, chat, 5001)
    await better_wording_of_the_menu_question(hodan)
    await hodan.send(NEW_WORDING)
    [wording] = await pending_wordings(services.db, "so")
    admin = chat(ADMIN_ID, "Office", "en")
    await admin.send("/review")
    assert "🔒" in admin.last()["text"]
    await admin.press(approve_data(wording.id), admin.last()["message_id"])
    assert await live_wordings(services.db) == []


async def test_a_coordinator_gives_and_takes_the_right_and_leaving_ends_it(
    chat: Callable[..., ChatDriver], services: Services
) -> None:
    district_id = await make_member(services, 2001, "coordinator")
    await make_member(services, 5001, "mother", locale="so")
    hodan = chat(5001, "Hodan")
    await hodan.send("/me")  # she has started the bot: it can write to her
    kari = chat(2001, "Kari")
    await kari.send("/members")
    await kari.press(MEMBER_CARD.encode(district_id, 5001))
    await kari.press(rights_data(district_id, 5001))
    await kari.press(rights_data(district_id, 5001, "so"))
    assert await reviewer_locales(services.db, 5001) == ("so",)
    so = translator("so")
    told = so._("You can now check the translation into {language}: send {command}.")
    assert told.format(language="Soomaali", command="/review") in hodan.last()["text"]
    await kari.press(rights_data(district_id, 5001, "ar"))
    await kari.press(rights_data(district_id, 5001, "ar"))  # pressed again: taken away
    assert await reviewer_locales(services.db, 5001) == ("so",)
    await kari.press(MEMBER_PAGE.encode(district_id, 0))
    assert "🔤 Translation reviewer: Soomaali" in kari.last()["text"]
    await hodan.send("/me")
    assert (
        so._("Translation reviewer: {languages}").format(languages="Soomaali")
        in hodan.last()["text"]
    )
    # Removed from her (only) group: the right goes with her membership.
    await kari.press(MEMBER_REMOVE_OK.encode(district_id, 5001))
    assert await reviewer_locales(services.db, 5001) == ()


async def test_forgetting_a_reviewer_keeps_her_approved_wording_without_her(
    chat: Callable[..., ChatDriver], services: Services
) -> None:
    hodan = await reviewer(services, chat, 5001)
    faadumo = await reviewer(services, chat, 5002)
    await better_wording_of_the_menu_question(hodan)
    await hodan.send(NEW_WORDING)
    await faadumo.send("/review")
    await faadumo.press(data_starting(faadumo, "rv:a:"))
    await hodan.send("/mydata")
    so = translator("so")
    mydata = next(t for t in reversed(hodan.texts()) if t)
    assert so._("Translation reviewer: {languages}").format(languages="Soomaali") in mydata
    suggested = so.ngettext(
        "You suggested {n} wording for a translation.",
        "You suggested {n} wordings for translations.",
        1,
    ).format(n=1)
    assert suggested in mydata
    await hodan.send("/forget")
    await hodan.press(FORGET.encode("yes"))
    from storage.privacy import tables_mentioning

    assert await tables_mentioning(services.db, 5001) == []
    assert [w.forms for w in await live_wordings(services.db)] == [(NEW_WORDING,)]
    assert translator("so")._(MENU_QUESTION) == NEW_WORDING


def test_every_language_has_a_checked_count_and_today_none_is_checked() -> None:
    counts = checked_counts(Path(locales.__file__).parent)
    assert [c[0] for c in counts] == [c for c in LOCALE_CODES if c != "en"]
    assert all(checked == 0 and total == len(message_by_id()) for _, checked, total in counts)


def test_checks_pass_for_every_shipped_plural() -> None:
    message = message_by_id()["{count} member"]
    assert check_wording(message, catalogue_forms("ar", message), plural_count("ar")) == []


def test_the_translations_command_prints_the_readme_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli import main
    from bot.exits import EXIT_CONFIG, EXIT_OK

    copy = tmp_path / "locales"
    shutil.copytree(Path(locales.__file__).parent, copy)
    db = str(tmp_path / "bot.sqlite3")
    assert main(["translations", "export", "--db", db, "--locales", str(copy)]) == EXIT_OK
    out = capsys.readouterr().out
    total = len(message_by_id())
    assert f"| Soomaali | so | 0 of {total} |" in out and "| English |" not in out
    assert main(["translations", "status", "--locales", str(tmp_path)]) == EXIT_CONFIG


async def test_approving_one_wording_retires_the_others_of_that_message(services: Services) -> None:
    from storage.review import approve, suggest

    now = datetime.now(UTC)
    message = message_by_id()[MENU_QUESTION]
    first = await suggest(services.db, "so", MENU_QUESTION, message.source_hash, ("A?",), 1, now)
    second = await suggest(services.db, "so", MENU_QUESTION, message.source_hash, ("B?",), 2, now)
    assert await approve(services.db, second, 3, now)
    assert await pending_wordings(services.db, "so") == []
    assert not await approve(services.db, first, 3, now)
    assert [w.forms for w in await live_wordings(services.db)] == [("B?",)]


async def test_cancel_while_typing_a_wording_keeps_nothing(
    chat: Callable[..., ChatDriver], services: Services
) -> None:
    hodan = await reviewer(services, chat, 5001)
    await better_wording_of_the_menu_question(hodan)
    await hodan.send("/cancel")
    so = translator("so")
    dropped = so._("I no longer wait for your better wording. Send {command} to go on reviewing.")
    assert dropped.format(command="/review") in hodan.last()["text"]
    await hodan.send(NEW_WORDING)  # no longer an answer: the free-text fallback takes it
    assert await pending_wordings(services.db, "so") == []
