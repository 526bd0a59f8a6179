"""The offline Bot API answers the help guide's calls as Telegram does."""

from __future__ import annotations

from bot.offline.api import OfflineBotApi
from tests.fakes.telegram import checked_api


def test_send_venue_makes_a_venue_message() -> None:
    api = checked_api()
    user = api.user(1001)
    api.private_chat(user)
    status, body = api.call(
        "sendVenue",
        {"chat_id": 1001, "latitude": 59.91, "longitude": 10.75, "title": "Legevakt",
         "address": "Storgata 40, Oslo"},
    )  # fmt: skip
    assert status == 200 and api.violations == []
    venue = body["result"]["venue"]
    assert venue["title"] == "Legevakt" and venue["location"]["latitude"] == 59.91
    assert api.call("sendVenue", {"chat_id": 1001, "latitude": 59.9})[0] == 400
    assert api.violations, "a venue without a title and address is refused by the spec"


def test_a_voice_sent_again_by_its_file_id_keeps_it() -> None:
    api = checked_api()
    api.private_chat(api.user(1001))
    _, body = api.call("sendVoice", {"chat_id": 1001, "voice": "AwACAgQ-recorded"})
    assert body["result"]["voice"]["file_id"] == "AwACAgQ-recorded"
    _, body = api.call("sendVoice", {"chat_id": 1001, "voice": "attach://voice"})
    assert body["result"]["voice"]["file_id"].startswith("voice-")


def test_delete_messages_skips_what_is_over_48_hours_old() -> None:
    now = [1_800_000_000.0]
    api = OfflineBotApi(clock=lambda: now[0])
    user = api.user(1001)
    old = api.send_text(user, "old")["message"]["message_id"]
    now[0] += 48 * 3600 + 1
    fresh = api.send_text(user, "fresh")["message"]["message_id"]
    status, _ = api.call("deleteMessages", {"chat_id": 1001, "message_ids": [old, fresh]})
    assert status == 200
    assert [m["message_id"] for m in api.messages_in(1001)] == [old]


def test_delete_messages_fails_when_it_deleted_nothing() -> None:
    now = [1_800_000_000.0]
    api = OfflineBotApi(clock=lambda: now[0])
    user = api.user(1001)
    old = api.send_text(user, "old")["message"]["message_id"]
    now[0] += 48 * 3600 + 1
    status, body = api.call("deleteMessages", {"chat_id": 1001, "message_ids": [old, old + 50]})
    assert (status, body["description"]) == (400, "Bad Request: message can't be deleted")
    status, body = api.call("deleteMessages", {"chat_id": 1001, "message_ids": [old + 50]})
    assert (status, body["description"]) == (400, "Bad Request: message to delete not found")
    fresh = api.send_text(user, "fresh")["message"]["message_id"]
    status, _ = api.call("deleteMessages", {"chat_id": 1001, "message_ids": [fresh, old + 50]})
    assert status == 200, "ids that are not there are skipped"
    assert [m["message_id"] for m in api.messages_in(1001)] == [old]
