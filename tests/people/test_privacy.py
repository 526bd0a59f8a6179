"""/mydata shows her what is stored, /forget deletes it: nothing of her is left in any table."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.i18n import translator
from bot.offline.api import OfflineBotApi
from handlers.common import menu
from handlers.common.context import Services
from handlers.people.codecs import FORGET
from storage import Database, StorageError
from storage.admins import add_admin
from storage.announcements.drafts import DraftRecord, save_draft
from storage.announcements.records import NewAnnouncement, Recipient, create_announcement
from storage.awaiting import save_question
from storage.confirmations import ConfirmationRecord, add_confirmation
from storage.districts import change_phase, upsert_district
from storage.dropin.rota import take_shift
from storage.dropin.sessions import SessionSeed, cancel_occurrence, subscribe, update_session
from storage.help import create_contact_request, mark_handled, record_delivery, save_voice_note
from storage.meetings.meetings import add_meeting
from storage.meetings.reminders import claim_reminder
from storage.meetings.rsvps import set_rsvp
from storage.meetings.rules import RULE_COLUMNS, set_meeting_rule
from storage.organisation import LocationSeed, apply_seed
from storage.people import add_membership, mark_unreachable
from storage.privacy import (
    PERSON_COLUMNS,
    collect_personal_data,
    forget_person,
    tables_mentioning,
    unhandled_person_columns,
)
from storage.review import approve, mark_good, set_reviewer, suggest
from tests.fakes.telegram import ChatDriver, buttons_of
from tests.support.people import make_member, started
from tests.support.rows import count_rows

# Long, unusual ids, so that finding one in the database is never a coincidence.
ZAHRA = 5550001234
FADUMO = 5550009876
NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


from storage.course.cards import issue_card  # noqa: E402
from storage.course.cohorts import create_cohort, save_places  # noqa: E402
from storage.course.deliveries import add_delivery  # noqa: E402
from storage.course.evenings import add_evening, claim_evening_reminder, set_present  # noqa: E402
from storage.course.interest import save_interest  # noqa: E402

DROPIN_PLACE = LocationSeed("deichman-furuset", "Deichman Furuset", "Trygve Lies plass 1, Oslo")


def dropin_session(slug: str) -> SessionSeed:
    return SessionSeed(slug, "alna", DROPIN_PLACE.id, "dropin", 2, "12:00", "15:00", "2026-01-07")


async def seed_everywhere(db: Database, who: int, name: str, other: int) -> None:
    """Put her in every table that can hold a person: two memberships, an admin row, an invite
    she made (used by someone else), an invite she used (made by someone else), a phase change
    she recorded."""
    alna = await upsert_district(db, "alna", "Alna", 3)
    stovner = await upsert_district(db, "stovner", "Stovner", 2)
    await add_membership(db, who, alna, "mother", name, NOW, "en")
    await add_membership(db, who, stovner, "coordinator", name, NOW + timedelta(days=1), "en")
    await add_admin(db, who, NOW)
    await mark_unreachable(db, who, NOW)
    later = (NOW + timedelta(days=30)).isoformat()
    tag = name[:3].lower()  # the code is a hash of a secret: never a person's id
    for code, creator, user in ((f"made-{tag}", who, other), (f"used-{tag}", other, who)):
        await db.execute(
            "INSERT INTO invites (code_hash, district_id, role, created_by, created_at, "
            "expires_at, max_uses, uses) VALUES (?, ?, 'mother', ?, ?, ?, 5, 1)",
            (code, stovner, creator, NOW.isoformat(), later),
        )
        await db.execute(
            "INSERT INTO invite_uses (code_hash, telegram_id, used_at) VALUES (?, ?, ?)",
            (code, user, NOW.isoformat()),
        )
    await change_phase(db, stovner, 3, who, NOW)
    await change_phase(db, alna, 4, other, NOW)
    # She asked to be contacted (handled by the other woman), handled the other's request, and
    # recorded a voice note for a help topic.
    mine = await create_contact_request(db, who, alna, "en", "phone", "+47 400 00 000", NOW)
    await mark_handled(db, mine, other, NOW)
    theirs = await create_contact_request(db, other, stovner, "so", "telegram", "Other", NOW)
    await mark_handled(db, theirs, who, NOW)
    await record_delivery(db, theirs, who, 77)  # the copy of it in her chat
    await save_voice_note(db, f"topic-{tag}", "en", "voice-file-id", who, NOW)
    # She added a meeting, answered it, and was reminded of it.
    meeting = await add_meeting(db, alna, NOW + timedelta(days=3), who, NOW)
    await set_rsvp(db, meeting, who, "yes", NOW)
    await claim_reminder(db, meeting, who, 48, (), "skipped_late", NOW)
    # She announced something to the other woman, and is composing another.
    await save_draft(db, DraftRecord(who, "message", alna, f"m{alna}"), NOW)
    made = NewAnnouncement(who, alna, f"m{alna}", "Meeting moved", None, None, {}, NOW)
    await create_announcement(db, made, [Recipient(other, None, None)], NOW)
    await save_draft(db, DraftRecord(who, "message", alna, f"m{alna}", body="Draft"), NOW)
    # The basic training: she said she is interested, opened a cohort, has a place in it, came
    # to an evening she was reminded of, and has an ID card.
    await save_interest(db, who, alna, name, "+47 400 00 000", NOW, "en")
    cohort = await create_cohort(db, alna, f"Kull {tag}", 25, who, NOW)
    async with db.transaction() as tx:
        await save_places(tx, cohort, 25, [who], [], [], {who: name}, NOW)
    evening = await add_evening(db, cohort, 1, NOW + timedelta(days=2), 120, None, None)
    await set_present(db, evening, who, True)
    await claim_evening_reminder(db, evening, who, NOW)
    await issue_card(db, f"tok-{tag}", who, alna, name, NOW)
    # She reviews Somali (a right the other woman gave her): a wording she suggested that the
    # other approved, and a message she found good.
    await set_reviewer(db, who, "so", other, NOW, on=True)
    hers = await suggest(db, "so", f"Help {tag}", "0" * 16, ("Caawi",), who, NOW)
    await approve(db, hers, other, NOW)
    await mark_good(db, "so", f"Menu {tag}", "0" * 16, who, NOW)
    async with db.transaction() as tx:  # her card waits to be sent (she completed it herself)
        await add_delivery(tx, cohort, who, "card", name, who, who, f"tok-{tag}")
    # The bot waits for her to type a meeting's place and note.
    await save_question(db, who, "meeting.note", (str(meeting),), NOW, NOW + timedelta(hours=1))
    # As an admin she confirmed a help-guide phone number.
    confirmation = ConfirmationRecord("oslo-krisesenter", "phone:22 48 03 80", "site", NOW.date())
    await add_confirmation(db, confirmation, who, NOW)
    # As a coordinator she set her group's meeting rule in the bot.
    rule = dict.fromkeys(RULE_COLUMNS) | {"holiday_policy": "skip", "reminder_hours": "48,3",
                                          "days_off": ""}  # fmt: skip
    own = await upsert_district(db, f"rule-{tag}", f"Rule {tag}", 3)  # hers alone
    await set_meeting_rule(db, own, rule, who, NOW)
    # The drop-in: a session, a shift she took, a morning reminder, a date she cancelled.
    await apply_seed(db, [DROPIN_PLACE], [], NOW, [dropin_session(f"dropin-{tag}")])
    row = await db.fetch_one("SELECT id FROM dropin_sessions WHERE slug = ?", (f"dropin-{tag}",))
    assert row is not None
    await take_shift(db, row["id"], date(2026, 3, 4), who, NOW)
    await subscribe(db, who, row["id"], date(2026, 3, 4))
    await cancel_occurrence(db, row["id"], date(2026, 3, 11), None, who, NOW)
    await update_session(db, row["id"], who, NOW, max_on_duty=5)  # with /sessions


async def two_women(services: Services) -> None:
    await seed_everywhere(services.db, ZAHRA, "Zahra <i>&amp;</i> Ali", FADUMO)
    await seed_everywhere(services.db, FADUMO, "Fadumo Other", ZAHRA)


def file_holds(path: Path, needle: bytes) -> bool:
    return needle in path.read_bytes()


def last_text(driver: ChatDriver) -> str:
    return next(text for text in reversed(driver.texts()) if text)


def uploaded_json(api: OfflineBotApi) -> dict[str, Any]:
    file_name, content = api.calls_to("sendDocument")[-1].uploads["document"]
    assert file_name == "bydelsbot-mydata.json"
    data: dict[str, Any] = json.loads(content.decode("utf-8"))
    return data


# -- /mydata ------------------------------------------------------------------------------------


async def test_mydata_shows_a_member_her_data_as_text_and_json(
    chat: Callable[..., ChatDriver], services: Services, api: OfflineBotApi
) -> None:
    await two_women(services)
    zahra = await started(chat(ZAHRA, "Zahra"))
    await zahra.send("/mydata")
    text = last_text(zahra)
    assert "What this bot stores about you" in text
    assert "Alna: bydelsmor" in text and "Stovner: coordinator" in text
    # The fake renders HTML as Telegram does: a name that looks like HTML arrives literally.
    assert "Your name in the group: Zahra <i>&amp;</i> Ali" in text
    assert "Language: English" in text and "Administrator at Bydelsmødre sentralt" in text
    assert "You made 2 invite links." in text and "You joined with 2 invite links." in text
    assert "You sent 1 announcement (its text is deleted 30 days after its report)." in text
    assert "1 announcement was sent to you (the bot forgets this 30 days after its report)." in text
    assert "You moved a group to another phase 2 times." in text
    data = uploaded_json(api)
    assert data["telegram_id"] == ZAHRA and data["people"]["locale"] == "en"
    assert {(m["district"], m["role"]) for m in data["memberships"]} == {
        ("Alna", "mother"),
        ("Stovner", "coordinator"),
    }
    assert data["admins"]["added_at"] == NOW.isoformat()
    # Each woman's seed has her make an invite the other uses, and both change a phase.
    assert len(data["invites"]) == len(data["invite_uses"]) == len(data["phase_changes"]) == 2
    content = api.calls_to("sendDocument")[-1].uploads["document"][1].decode("utf-8")
    for other in (str(FADUMO), "Fadumo", "made-", "used-"):  # nor the hashes of secrets
        assert other not in content and other not in text


async def test_mydata_from_the_menu_in_her_language(
    chat: Callable[..., ChatDriver], services: Services, api: OfflineBotApi
) -> None:
    await two_women(services)
    zahra = await started(chat(ZAHRA, "Zahra"), "so")
    so = translator("so")
    await zahra.press_label(so._("My data"))
    assert so._("What this bot stores about you") in last_text(zahra)
    assert so._("Language: {language}").format(language="Soomaali") in last_text(zahra)
    assert uploaded_json(api)["people"]["locale"] == "so"


async def test_mydata_for_a_woman_who_never_chose_a_language(
    chat: Callable[..., ChatDriver], api: OfflineBotApi
) -> None:
    amina = chat(1001, "Amina", "so")
    await amina.send("/mydata")
    assert amina.last()["text"] == "🔒 " + translator("so")._("The bot stores nothing about you.")
    assert api.calls_to("sendDocument") == []
    await amina.send("/forget")
    assert buttons_of(amina.last()) == []


async def test_mydata_of_a_woman_who_only_chose_a_language(
    chat: Callable[..., ChatDriver], api: OfflineBotApi
) -> None:
    amina = await started(chat(1001, "Amina"), "ti")
    await amina.send("/mydata")
    assert uploaded_json(api) == {
        "telegram_id": 1001,
        "people": {"locale": "ti", "unreachable_since": None},
        "memberships": [],
        "admins": None,
        "invite_uses": [],
        "invites": [],
        "phase_changes": [],
        "contact_requests": [],
        "contact_request_copies": [],
        "rsvps": [],
        "reminder_deliveries": [],
        "broadcast_drafts": [],
        "awaiting": [],
        "fact_confirmations": [],
        "announcements": [],
        "outbox": [],
        "course_interest": [],
        "course_places": [],
        "course_attendance": [],
        "course_reminders": [],
        "course_cards": [],
        "cohorts": [],
        "course_deliveries": [],
        "reviewers": [],
        "review_wordings": [],
        "dropin_subscriptions": [],
        "dropin_shifts": [],
        "dropin_sessions_changed": [],
    }


# -- /forget ------------------------------------------------------------------------------------


async def test_forget_leaves_her_id_in_no_table_and_others_untouched(
    chat: Callable[..., ChatDriver], services: Services, api: OfflineBotApi
) -> None:
    await two_women(services)
    db = services.db
    mentioned = {name.split(".")[0] for name in await tables_mentioning(db, ZAHRA)}
    assert mentioned == {ref.table for ref in PERSON_COLUMNS}  # the seed reached every table
    fadumo_before = await collect_personal_data(db, FADUMO)
    zahra = await started(chat(ZAHRA, "Zahra"))
    await zahra.send("/forget")
    assert [b["callback_data"] for b in buttons_of(zahra.last())] == ["forget:yes", "forget:no"]
    await zahra.press(FORGET.encode("yes"))

    assert await tables_mentioning(db, ZAHRA) == []
    # Fadumo's data is untouched, but for her copy of Zahra's request, which went with it.
    assert fadumo_before["contact_request_copies"] != []
    fadumo_before["contact_request_copies"] = []
    assert await collect_personal_data(db, FADUMO) == fadumo_before
    # The district keeps its history, without her.
    assert await count_rows(db, "invites") == 4
    assert await count_rows(db, "phase_changes") == 4
    text = zahra.last()["text"]
    for line in ("your language", "your administrator rights",
                 "2 memberships of district groups", "2 invite links you used",
                 "your name on 2 invite links", "your name on 2 phase changes",
                 "You can start again at any time with /start."):  # fmt: skip
        assert line in text
    assert buttons_of(zahra.last()) == []  # the confirmation cannot be pressed twice
    assert api.calls_to("deleteMyCommands")[-1].params["scope"] == {
        "type": "chat",
        "chat_id": ZAHRA,
    }


async def test_forget_answers_in_the_language_she_had(
    chat: Callable[..., ChatDriver], services: Services
) -> None:
    await two_women(services)
    zahra = await started(chat(ZAHRA, "Zahra"), "ar")
    await zahra.send("/forget")
    await zahra.press(FORGET.encode("yes"))
    ar = translator("ar")
    text = zahra.last()["text"]
    assert (
        ar.ngettext(
            "{n} membership of a district group", "{n} memberships of district groups", 2
        ).format(n="\u20682\u2069")
        in text
    )
    assert (
        ar._("You can start again at any time with {command}.").format(command="\u2068/start\u2069")
        in text
    )
    await zahra.send("/start")  # she is new again: the language question comes first
    assert len(buttons_of(zahra.last())) == 12


async def test_keep_changes_nothing(chat: Callable[..., ChatDriver], services: Services) -> None:
    await two_women(services)
    zahra = await started(chat(ZAHRA, "Zahra"))
    before = await collect_personal_data(services.db, ZAHRA)
    await zahra.send("/forget")
    await zahra.press(FORGET.encode("no"))
    assert zahra.last()["text"] == "↩️ Nothing was deleted."
    assert await collect_personal_data(services.db, ZAHRA) == before


@pytest.mark.parametrize(
    "data", ["forget:yes:5550009876", "forget:YES", "forget:", "forget:yes ", "forget:ja"]
)
async def test_forged_forget_buttons_change_nothing(
    chat: Callable[..., ChatDriver], services: Services, data: str
) -> None:
    await two_women(services)
    zahra = await started(chat(ZAHRA, "Zahra"))
    before = [await collect_personal_data(services.db, who) for who in (ZAHRA, FADUMO)]
    await zahra.send("/forget")
    await zahra.press(data)
    assert zahra.toasts()[-1].startswith("This button has expired.")
    assert [await collect_personal_data(services.db, who) for who in (ZAHRA, FADUMO)] == before


async def test_the_presser_can_only_ever_forget_herself(
    chat: Callable[..., ChatDriver], services: Services, api: OfflineBotApi
) -> None:
    await two_women(services)
    zahra = await started(chat(ZAHRA, "Zahra"))
    zahra_before = await collect_personal_data(services.db, ZAHRA)
    fadumo = await started(chat(FADUMO, "Fadumo"))
    await zahra.send("/forget")
    confirmation = zahra.last_with_buttons()["message_id"]
    # Fadumo presses "yes" under Zahra's question: not her chat, so nobody is forgotten.
    await fadumo._process(api.press(fadumo.user, ZAHRA, confirmation, FORGET.encode("yes")))
    assert await tables_mentioning(services.db, FADUMO) != []
    # In her own chat, "yes" forgets her, and only her.
    await fadumo.send("/forget")
    await fadumo.press(FORGET.encode("yes"))
    assert await tables_mentioning(services.db, FADUMO) == []
    zahra_after = await collect_personal_data(services.db, ZAHRA)
    assert zahra_after["memberships"] == zahra_before["memberships"]
    assert zahra_after["admins"] == zahra_before["admins"]
    assert zahra_after["invites"] == zahra_before["invites"]


async def test_delete_button_under_mydata_asks_first(
    chat: Callable[..., ChatDriver], services: Services
) -> None:
    await two_women(services)
    zahra = await started(chat(ZAHRA, "Zahra"))
    await zahra.send("/mydata")
    await zahra.press(FORGET.encode("ask"))
    assert "Delete everything the bot stores about you?" in zahra.last()["text"]
    assert await tables_mentioning(services.db, ZAHRA) != []


async def test_a_menu_button_forged_in_a_group_shows_nothing_there(
    chat: Callable[..., ChatDriver], services: Services, api: OfflineBotApi
) -> None:
    await two_women(services)
    zahra = await started(chat(ZAHRA, "Zahra"))
    group: dict[str, Any] = {"id": -100777, "type": "supergroup", "title": "Alna"}
    api.chats[-100777] = group
    # A message of the bot's in the group, under which her client forges our buttons' data.
    api.call("sendMessage", {"chat_id": -100777, "text": "hello"})
    for data in (menu.MYDATA.encode(), FORGET.encode("yes")):
        await zahra._process(api.press(zahra.user, -100777, 1, data))
    assert [m["text"] for m in api.bot_messages_in(-100777)] == ["hello"]
    assert await tables_mentioning(services.db, ZAHRA) != []


# -- storage: every table that can hold a person is handled -------------------------------------


async def test_every_column_that_can_hold_a_person_is_handled(db: Database) -> None:
    assert await unhandled_person_columns(db) == []


async def test_a_new_table_with_a_person_fails_until_forget_handles_it(db: Database) -> None:
    """What a future capability would do: add a table that stores people, and forget /forget."""
    await db.execute("CREATE TABLE sign_ups (module INTEGER, telegram_id INTEGER)")
    await db.execute("CREATE TABLE notes (approved_by INTEGER, text TEXT)")
    await db.execute(
        "CREATE TABLE shifts (id INTEGER, volunteer INTEGER REFERENCES people(telegram_id))"
    )
    assert await unhandled_person_columns(db) == [
        "notes.approved_by",
        "shifts.volunteer",
        "sign_ups.telegram_id",
    ]
    await seed_everywhere(db, ZAHRA, "Zahra", FADUMO)
    before = await tables_mentioning(db, ZAHRA)
    with pytest.raises(StorageError, match=r"does not handle notes\.approved_by"):
        await forget_person(db, ZAHRA)
    assert await tables_mentioning(db, ZAHRA) == before  # refused as a whole, not half-done


async def test_tables_mentioning_finds_the_value_in_any_column(db: Database) -> None:
    await db.execute("CREATE TABLE audit (line TEXT, n REAL)")
    await db.execute("INSERT INTO audit VALUES ('forgot 5550001234 today', 1.5)")
    await db.execute("INSERT INTO audit VALUES ('nothing', 5550009876)")
    assert await tables_mentioning(db, ZAHRA) == ["audit.line"]
    assert await tables_mentioning(db, FADUMO) == ["audit.n"]


async def test_forget_counts_per_table_in_one_transaction(db: Database) -> None:
    await seed_everywhere(db, ZAHRA, "Zahra", FADUMO)
    assert await forget_person(db, ZAHRA) == {
        "memberships": 2,
        "admins": 1,
        "invite_uses": 1,
        "invites": 1,
        "phase_changes": 1,
        "contact_requests": 2,  # her own request, and her name on the one she handled
        "contact_request_deliveries": 1,  # her copy of the request she handled
        "voice_notes": 1,
        "rsvps": 1,
        "reminder_deliveries": 1,
        "meetings": 1,  # her name on the meeting she added
        "broadcast_drafts": 1,
        "awaiting": 1,
        "fact_confirmations": 1,  # unlinked: the fact stays confirmed
        "districts": 1,  # unlinked: the rule she set stays
        "announcements": 1,  # her name on the one she made
        "course_interest": 1,
        "course_places": 1,
        "course_reminders": 1,
        "course_cards": 1,
        "course_deliveries": 1,
        "course_attendance": 1,  # kept as "a former participant", without her id
        "cohorts": 1,  # her name on the cohort she opened
        "reviewers": 1,  # her right to review Somali
        "review_wordings": 1,  # her name on the wording she suggested (the wording stays)
        "review_checks": 1,  # her name on the message she found good
        "dropin_subscriptions": 1,
        "dropin_shifts": 1,  # unlinked: the report still counts the hours
        "dropin_exceptions": 1,
        "dropin_sessions": 1,  # unlinked: the session she changed stays
        "people": 1,
    }
    assert await forget_person(db, ZAHRA) == {}


async def test_her_name_cannot_be_read_back_from_the_file(db_path: Path) -> None:
    db = await Database.open(db_path)
    # As SQLite is built by default (some distributions switch it on at compile time).
    await db.execute("PRAGMA secure_delete = OFF")
    await seed_everywhere(db, ZAHRA, "Zahra-Unforgettable-Name", FADUMO)
    await forget_person(db, ZAHRA)
    assert (await db.fetch_one("PRAGMA secure_delete"))[0] == 0  # type: ignore[index]
    await db.close()  # the last connection checkpoints the WAL into the file
    assert not file_holds(db_path, b"Zahra-Unforgettable-Name")


async def test_right_after_forget_nothing_of_her_is_in_the_file_or_its_log(
    chat: Callable[..., ChatDriver], services: Services, db_path: Path
) -> None:
    """While the bot keeps running: her name, username and phone number are in neither the
    main file (free pages included) nor the -wal file, read as raw bytes."""
    db = services.db
    secrets = (b"Zahra-Unforgettable-Name", b"@zahra_unforgettable", b"+47 912 34 999")
    await seed_everywhere(db, ZAHRA, "Zahra-Unforgettable-Name", FADUMO)
    await create_contact_request(db, ZAHRA, 1, "en", "telegram", "@zahra_unforgettable", NOW)
    await create_contact_request(db, ZAHRA, 1, "en", "phone", "+47 912 34 999", NOW)
    raw = raw_bytes(db_path)
    assert all(secret in raw for secret in secrets)  # the test can see them before

    zahra = await started(chat(ZAHRA, "Zahra"))
    await zahra.send("/forget")
    await zahra.press(FORGET.encode("yes"))

    raw = raw_bytes(db_path)
    assert [secret for secret in secrets if secret in raw] == []


def raw_bytes(db_path: Path) -> bytes:
    """The main file and its -wal, as they are on disk now."""
    wal = db_path.with_name(db_path.name + "-wal")
    return db_path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


async def test_forget_tells_each_woman_what_it_means_for_her(
    chat: Callable[..., ChatDriver], services: Services
) -> None:
    amina = await started(chat(1001, "Amina"), "en")  # only chose a language
    await amina.send("/forget")
    text = amina.last()["text"]
    assert "This deletes your language and everything else" in text
    assert "administrator" not in text and "invitation" not in text and "district" not in text

    await make_member(services, 1002, "mother")
    fadumo = await started(chat(1002, "Fadumo"), "en")
    await fadumo.send("/forget")
    text = fadumo.last()["text"]
    assert "To come back to a district group, you need a new invitation from a coordinator." in text
    assert "administrator" not in text
    await fadumo.press(FORGET.encode("yes"))
    assert "you need a new invitation" in fadumo.last()["text"]
