"""What the offline Bot API keeps: Telegram's side of every chat, as plain JSON values.

Chats, messages with their buttons, members' statuses, open button presses and pending updates;
the Bot API methods (bot/offline/methods.py) and what people do (bot/offline/api.py) change it.
"""

from __future__ import annotations

import html
import itertools
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

JSON = dict[str, Any]
Validator = Callable[[str, JSON], None]
Listener = Callable[[str, JSON], None]
FaultInjector = Callable[[str, JSON], "tuple[int, JSON] | None"]

DEMO_BOT = {
    "id": 7000000001,
    "is_bot": True,
    "first_name": "Bydelsmødre",
    "username": "BydelsmodreDemoBot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
_DELETE_WINDOW = 48 * 3600
# Who sends a supergroup's service messages on its behalf (with sender_chat set to the chat).
GROUP_ANONYMOUS_BOT = {
    "id": 1087968824,
    "is_bot": True,
    "first_name": "Group",
    "username": "GroupAnonymousBot",
}
# The booleans a ChatMemberAdministrator must carry (can_promote_members and can_be_edited are
# set apart: a fake admin may do everything else).
_ADMIN_RIGHTS = (
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
    "can_pin_messages",
)
_RESTRICTED_RIGHTS = (
    "can_send_messages",
    "can_send_audios",
    "can_send_documents",
    "can_send_photos",
    "can_send_videos",
    "can_send_video_notes",
    "can_send_voice_notes",
    "can_send_polls",
    "can_send_other_messages",
    "can_add_web_page_previews",
    "can_react_to_messages",
    "can_edit_tag",
    "can_change_info",
    "can_invite_users",
    "can_pin_messages",
    "can_manage_topics",
)
_TAG = re.compile(r"<[^>]+>")


class ApiError(Exception):
    def __init__(self, code: int, description: str, parameters: JSON | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters  # ResponseParameters, e.g. migrate_to_chat_id


def html_to_plain(text: str) -> str:
    """What Telegram shows of an HTML-formatted text: tags gone, entities decoded."""
    return html.unescape(_TAG.sub("", text))


@dataclass
class Call:
    """One request the bot made, as Telegram received it."""

    method: str
    params: JSON
    status: int = 200
    # Files uploaded with the call, by part name: (file name, content).
    uploads: dict[str, tuple[str, bytes]] = field(default_factory=dict)


@dataclass
class ChatState:
    """What Telegram keeps (chats, messages, members, open presses, pending updates), what the
    bot sees of it, and the pieces that change it. Thread-safe: the HTTP fake serves it from
    threads."""

    bot_user: JSON = field(default_factory=lambda: dict(DEMO_BOT))
    validator: Validator | None = None
    clock: Callable[[], float] = time.time
    calls: list[Call] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    fault: FaultInjector | None = None
    listeners: list[Listener] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.RLock()
        self._updates_ready = threading.Condition(self._lock)
        self._messages: dict[tuple[int, int], JSON] = {}
        self._next_message_id: dict[int, itertools.count[int]] = {}
        self._updates: list[JSON] = []
        self._update_ids = itertools.count(1)
        self._query_ids = itertools.count(1)
        self._open_queries: dict[str, JSON] = {}
        self.commands: dict[tuple[str, str], list[JSON]] = {}
        self.chats: dict[int, JSON] = {}
        self.blocked_by: set[int] = set()
        # Group chats: each person's status in each chat ("creator", "administrator", ...), as
        # getChatMember reports it; the bot's own status decides whether it may write there.
        self._member_status: dict[tuple[int, int], str] = {}
        self._people: dict[int, JSON] = {}
        self._migrated_to: dict[int, int] = {}  # old group id -> its supergroup's id
        self.webhook: JSON | None = None  # what setWebhook asked for (url, secret_token, ...)

    def has_message(self, chat_id: int, message_id: int) -> bool:
        """Is this message still in the chat (not deleted)?"""
        with self._lock:
            return (chat_id, message_id) in self._messages

    def member_status(self, chat_id: int, user_id: int) -> str:
        """Her status as Telegram knows it: set, else "member" once she wrote there, else "left"."""
        with self._lock:
            status = self._member_status.get((chat_id, user_id))
            if status is not None:
                return status
            wrote = any(
                c == chat_id and m.get("from", {}).get("id") == user_id
                for (c, _), m in self._messages.items()
            )
            return "member" if wrote else "left"

    def messages_in(self, chat_id: int) -> list[JSON]:
        with self._lock:
            found = [m for (c, _), m in self._messages.items() if c == chat_id]
        return sorted(found, key=lambda m: int(m["message_id"]))

    def bot_messages_in(self, chat_id: int) -> list[JSON]:
        return [m for m in self.messages_in(chat_id) if m["from"]["id"] == self.bot_user["id"]]

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def wait_for(self, predicate: Callable[[], bool], timeout: float) -> bool:
        """Block until `predicate()` holds after some call, or the timeout passes."""
        deadline = time.monotonic() + timeout
        with self._updates_ready:
            while not predicate():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._updates_ready.wait(remaining)
            return True

    def _push_update(self, payload: JSON) -> JSON:
        update = {"update_id": next(self._update_ids), **payload}
        self._updates.append(update)
        self._updates_ready.notify_all()
        return update

    def _new_message(self, chat: JSON, sender: JSON, text: str | None) -> JSON:
        counter = self._next_message_id.setdefault(chat["id"], itertools.count(1))
        message: JSON = {
            "message_id": next(counter),
            "date": int(self.clock()),
            "chat": chat,
            "from": sender,
        }
        if text is not None:
            message["text"] = text
        self._messages[(chat["id"], message["message_id"])] = message
        return message

    def _writable_chat(self, chat_id: object) -> JSON:
        chat = self.chats.get(int(str(chat_id)))
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        if chat["type"] == "private" and chat["id"] in self.blocked_by:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        self._bot_still_in(chat)
        return chat

    def _bot_still_in(self, chat: JSON) -> None:
        """Telegram refuses a group the bot was removed from, or that became a supergroup."""
        if chat["type"] == "private":
            return
        if chat["id"] in self._migrated_to:
            raise ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": self._migrated_to[chat["id"]]},
            )
        status = self._member_status.get((chat["id"], int(self.bot_user["id"])), "member")
        if status == "kicked":
            raise ApiError(403, f"Forbidden: bot was kicked from the {chat['type']} chat")
        if status == "left":
            raise ApiError(403, f"Forbidden: bot is not a member of the {chat['type']} chat")

    def _bot_as_user(self) -> JSON:
        keep = ("id", "is_bot", "first_name", "username")
        return {key: self.bot_user[key] for key in keep if key in self.bot_user}

    def _set_bot_status(self, chat_id: int, status: str) -> str:
        """Change the bot's status in a chat; returns the old one."""
        key = (chat_id, int(self.bot_user["id"]))
        old = self._member_status.get(key, "left")
        self._member_status[key] = status
        return old

    def _bot_change(self, chat: JSON, by_user: JSON, old_status: str) -> JSON:
        """A ChatMemberUpdated about the bot itself, as my_chat_member carries it."""
        bot = self._bot_as_user()
        new_status = self._member_status[(chat["id"], int(bot["id"]))]
        return {
            "chat": chat,
            "from": by_user,
            "date": int(self.clock()),
            "old_chat_member": self.chat_member(bot, old_status),
            "new_chat_member": self.chat_member(bot, new_status),
        }

    def _known_user(self, user_id: int) -> JSON | None:
        if user_id == self.bot_user["id"]:
            return self._bot_as_user()
        if user_id in self._people:
            return self._people[user_id]
        for message in self._messages.values():
            if message.get("from", {}).get("id") == user_id:
                sender: JSON = message["from"]
                return sender
        return None

    @staticmethod
    def chat_member(user: JSON, status: str) -> JSON:
        """A ChatMember of the variant the status names, with every field it requires."""
        member: JSON = {"status": status, "user": user}
        if status == "creator":
            member["is_anonymous"] = False
        elif status == "administrator":
            rights = dict.fromkeys(_ADMIN_RIGHTS, True)
            member.update(
                rights, can_be_edited=False, is_anonymous=False, can_promote_members=False
            )
        elif status == "restricted":
            member.update(dict.fromkeys(_RESTRICTED_RIGHTS, False), is_member=True, until_date=0)
        elif status == "kicked":
            member["until_date"] = 0  # banned for ever
        elif status not in ("member", "left"):
            raise ValueError(f"no chat member status {status!r}")
        return member

    def _existing(self, params: JSON) -> JSON:
        chat_id, message_id = int(params["chat_id"]), int(params["message_id"])
        message = self._messages.get((chat_id, message_id))
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        return message

    def _delete(self, chat_id: int, message_id: int) -> None:
        message = self._messages.get((chat_id, message_id))
        if message is None:
            raise ApiError(400, "Bad Request: message to delete not found")
        if self.clock() - message["date"] > _DELETE_WINDOW:
            raise ApiError(400, "Bad Request: message can't be deleted")
        del self._messages[(chat_id, message_id)]
        self._emit("delete", message)

    @staticmethod
    def _rendered(text: str, parse_mode: object) -> str:
        return html_to_plain(text) if str(parse_mode).upper() == "HTML" else text

    def _emit(self, event: str, payload: JSON) -> None:
        for listener in self.listeners:
            listener(event, payload)
