"""An in-process stand-in for the Telegram Bot API server, for the demo and the tests.

It keeps what Telegram would keep (chats, messages, their buttons, pending updates) and answers
the methods the bot uses the way Telegram does, errors included: editing a message that does not
exist, deleting one older than 48 hours, answering an unknown button press. It holds plain JSON
values only; `OfflineRequest` plugs it under python-telegram-bot's Bot, and the tests serve it
over HTTP for the end-to-end test. Nothing here decides anything about the bot's behaviour.
"""

from __future__ import annotations

import html
import itertools
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from telegram.request import BaseRequest, RequestData

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
class OfflineBotApi:
    """The Bot API's state and methods. Thread-safe: the HTTP fake serves it from threads."""

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

    # -- what people do ------------------------------------------------------------------------

    def user(
        self, user_id: int, first_name: str = "Amina", language_code: str | None = None
    ) -> JSON:
        user: JSON = {"id": user_id, "is_bot": False, "first_name": first_name}
        if language_code:
            user["language_code"] = language_code
        return user

    def private_chat(self, user: JSON) -> JSON:
        chat = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
        self.chats[chat["id"]] = chat
        return chat

    def send_text(self, user: JSON, text: str, chat: JSON | None = None) -> JSON:
        """She types a message (a command gets its bot_command entity, as Telegram adds it)."""
        with self._lock:
            chat = chat or self.private_chat(user)
            message = self._new_message(chat, user, text)
            command = re.match(r"^/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?", text)
            if command:
                message["entities"] = [
                    {"type": "bot_command", "offset": 0, "length": len(command.group(0))}
                ]
            self.blocked_by.discard(user["id"])
            return self._push_update({"message": message})

    def send_other(self, user: JSON, **content: Any) -> JSON:
        """She sends something that is not text: a voice note, a photo, a sticker, a location."""
        with self._lock:
            message = self._new_message(self.private_chat(user), user, None)
            message.update(content)
            return self._push_update({"message": message})

    def has_message(self, chat_id: int, message_id: int) -> bool:
        """Is this message still in the chat (not deleted)?"""
        with self._lock:
            return (chat_id, message_id) in self._messages

    def press(self, user: JSON, chat_id: int, message_id: int, data: str) -> JSON:
        """She presses a button with this data under this message (forged data is allowed)."""
        with self._lock:
            message = self._messages.get((chat_id, message_id))
            if message is None:
                raise KeyError(f"no message {message_id} in chat {chat_id}")
            query_id = str(next(self._query_ids))
            query = {
                "id": query_id,
                "from": user,
                "message": message,
                "chat_instance": str(chat_id),
                "data": data,
            }
            self._open_queries[query_id] = query
            return self._push_update({"callback_query": query})

    def press_unseen(self, user: JSON, data: str, *, message_id: int | None = None) -> JSON:
        """A press the bot cannot see the message of: on an inline message (no `message_id`), or
        on a message in her chat too old or deleted for Telegram to show (date 0)."""
        with self._lock:
            query_id = str(next(self._query_ids))
            query: JSON = {"id": query_id, "from": user, "chat_instance": "0", "data": data}
            if message_id is None:
                query["inline_message_id"] = f"inline-{query_id}"
            else:
                chat = self.private_chat(user)
                query["message"] = {"message_id": message_id, "date": 0, "chat": chat}
            self._open_queries[query_id] = query
            return self._push_update({"callback_query": query})

    def push_raw(self, payload: JSON) -> JSON:
        """Any update as Telegram might send it, readable or not (tests of what PTB rejects)."""
        with self._lock:
            return self._push_update(payload)

    def block(self, user_id: int) -> None:
        """She blocks the bot: from now on messages to her fail with 403."""
        with self._lock:
            self.blocked_by.add(user_id)

    def private_bot_status(self, user: JSON, status: str) -> JSON:
        """She blocks the bot ("kicked") or unblocks it ("member") in her private chat: from
        then on messages to her fail with 403 (or go again), and Telegram sends my_chat_member."""
        if status not in ("kicked", "member"):
            raise ValueError(f"a private chat's bot is {status!r}: only kicked or member")
        with self._lock:
            chat = self.chats.get(int(user["id"])) or self.private_chat(user)
            if status == "kicked":
                self.blocked_by.add(int(user["id"]))
            else:
                self.blocked_by.discard(int(user["id"]))
            bot = self._bot_as_user()
            change = {
                "chat": chat,
                "from": user,
                "date": int(self.clock()),
                "old_chat_member": self.chat_member(
                    bot, "member" if status == "kicked" else "kicked"
                ),
                "new_chat_member": self.chat_member(bot, status),
            }
            return self._push_update({"my_chat_member": change})

    # -- group chats ---------------------------------------------------------------------------

    def group_chat(self, chat_id: int, title: str, type: str = "group") -> JSON:
        """A group (or "supergroup") chat with the bot in it as a plain member."""
        if type not in ("group", "supergroup"):
            raise ValueError(f"not a group chat type: {type!r}")
        with self._lock:
            chat = {"id": chat_id, "type": type, "title": title}
            self.chats[chat_id] = chat
            self._member_status.setdefault((chat_id, int(self.bot_user["id"])), "member")
            return chat

    def set_member_status(self, chat_id: int, user: JSON, status: str) -> None:
        """Make her "creator", "administrator", "member", "restricted", "left" or "kicked"."""
        self.chat_member(user, status)  # refuses a status Telegram does not have
        with self._lock:
            self._people[int(user["id"])] = user
            self._member_status[(chat_id, int(user["id"]))] = status

    def bot_added_to(self, chat: JSON, by_user: JSON, status: str = "member") -> list[JSON]:
        """Someone adds the bot to a group: Telegram sends my_chat_member and a service message."""
        with self._lock:
            self.chats[chat["id"]] = chat
            # However the chat was set up, the bot was not in it a moment ago.
            old = self._set_bot_status(chat["id"], status)
            old = old if old in ("left", "kicked") else "left"
            change = self._push_update({"my_chat_member": self._bot_change(chat, by_user, old)})
            message = self._new_message(chat, by_user, None)
            message["new_chat_members"] = [self._bot_as_user()]
            return [change, self._push_update({"message": message})]

    def bot_removed_from(self, chat: JSON, by_user: JSON, status: str = "kicked") -> JSON:
        """Someone removes the bot ("kicked") or it is made to leave ("left")."""
        if status not in ("kicked", "left"):
            raise ValueError(f"the bot is not removed by becoming {status!r}")
        with self._lock:
            old = self._set_bot_status(chat["id"], status)
            return self._push_update({"my_chat_member": self._bot_change(chat, by_user, old)})

    def migrate(self, old_chat: JSON, new_chat_id: int, by_user: JSON) -> list[JSON]:
        """The group becomes a supergroup with a new id. Telegram posts a service message in
        each chat: migrate_to_chat_id in the old group (from her), migrate_from_chat_id in the
        new supergroup (from the anonymous "Group" bot, on behalf of the chat)."""
        with self._lock:
            new_chat = self.group_chat(new_chat_id, old_chat["title"], "supergroup")
            for (chat_id, user_id), status in list(self._member_status.items()):
                if chat_id == old_chat["id"]:
                    self._member_status[(new_chat_id, user_id)] = status
            self._migrated_to[old_chat["id"]] = new_chat_id
            in_old = self._new_message(old_chat, by_user, None)
            in_old["migrate_to_chat_id"] = new_chat_id
            in_new = self._new_message(new_chat, GROUP_ANONYMOUS_BOT, None)
            in_new["sender_chat"] = new_chat
            in_new["migrate_from_chat_id"] = old_chat["id"]
            return [self._push_update({"message": in_old}), self._push_update({"message": in_new})]

    def rename_group(self, chat: JSON, title: str, by_user: JSON) -> JSON:
        """An admin renames the group: the chat gets its new title and a service message."""
        with self._lock:
            chat["title"] = title
            message = self._new_message(chat, by_user, None)
            message["new_chat_title"] = title
            return self._push_update({"message": message})

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

    # -- what the bot sees ---------------------------------------------------------------------

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

    # -- the Bot API ---------------------------------------------------------------------------

    def call(
        self, method: str, params: JSON, uploads: dict[str, tuple[str, bytes]] | None = None
    ) -> tuple[int, JSON]:
        """Answer one Bot API request: (HTTP status, response body)."""
        with self._updates_ready:
            record = Call(method, params, uploads=uploads or {})
            self.calls.append(record)
            self._updates_ready.notify_all()  # wake tests waiting for this call
            refused = self._refusal(method, params)
            if refused is not None:
                record.status = refused[0]
                return refused
            if method != "getUpdates":
                response = self._dispatch(method, params)
                record.status = response[0]
                self._updates_ready.notify_all()
                return response
        # Long polling waits on the condition itself, without holding the lock.
        return self._dispatch(method, params)

    def _refusal(self, method: str, params: JSON) -> tuple[int, JSON] | None:
        """What Telegram would answer instead of doing the call: a spec violation or a fault."""
        if self.validator is not None:
            try:
                self.validator(method, params)
            except AssertionError as exc:
                self.violations.append(f"{method}: {exc}")
                return 400, {"ok": False, "error_code": 400, "description": f"Bad Request: {exc}"}
        if self.fault is not None:
            return self.fault(method, params)
        return None

    def _dispatch(self, method: str, params: JSON) -> tuple[int, JSON]:
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            return 400, {
                "ok": False,
                "error_code": 400,
                "description": f"Bad Request: the offline Bot API does not implement {method}",
            }
        try:
            result = handler(params)
        except ApiError as exc:
            body = {"ok": False, "error_code": exc.code, "description": exc.description}
            if exc.parameters:
                body["parameters"] = exc.parameters
            return exc.code, body
        return 200, {"ok": True, "result": result}

    def _m_getMe(self, params: JSON) -> JSON:
        return self.bot_user

    def _m_setWebhook(self, params: JSON) -> bool:
        """Updates go to this URL from now on (tests post them there with `webhook`)."""
        self.webhook = dict(params)
        return True

    def _m_deleteWebhook(self, params: JSON) -> bool:
        if params.get("drop_pending_updates"):
            with self._lock:
                self._updates.clear()
        return True

    def _m_getUpdates(self, params: JSON) -> list[JSON]:
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        timeout = float(params.get("timeout") or 0)
        deadline = time.monotonic() + timeout
        with self._updates_ready:
            if offset:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            while not self._updates and time.monotonic() < deadline:
                self._updates_ready.wait(deadline - time.monotonic())
            return list(self._updates[:limit])

    def _m_setMyCommands(self, params: JSON) -> bool:
        scope = json.dumps(params.get("scope") or {"type": "default"}, sort_keys=True)
        self.commands[(scope, str(params.get("language_code") or ""))] = list(params["commands"])
        return True

    def _m_getMyCommands(self, params: JSON) -> list[JSON]:
        scope = json.dumps(params.get("scope") or {"type": "default"}, sort_keys=True)
        return self.commands.get((scope, str(params.get("language_code") or "")), [])

    def _m_deleteMyCommands(self, params: JSON) -> bool:
        scope = json.dumps(params.get("scope") or {"type": "default"}, sort_keys=True)
        self.commands.pop((scope, str(params.get("language_code") or "")), None)
        return True

    def _m_sendMessage(self, params: JSON) -> JSON:
        chat = self._writable_chat(params["chat_id"])
        text = self._rendered(params["text"], params.get("parse_mode"))
        message = self._new_message(chat, self.bot_user, text)
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        self._emit("send", message)
        return message

    def _m_sendDocument(self, params: JSON) -> JSON:
        return self._send_media(params, "document", {"file_name": "document"})

    def _m_sendPhoto(self, params: JSON) -> JSON:
        return self._send_media(params, "photo", None)

    def _m_sendVoice(self, params: JSON) -> JSON:
        return self._send_media(params, "voice", {"duration": 1})

    def _m_sendVenue(self, params: JSON) -> JSON:
        chat = self._writable_chat(params["chat_id"])
        message = self._new_message(chat, self.bot_user, None)
        location = {"latitude": float(params["latitude"]), "longitude": float(params["longitude"])}
        message["venue"] = {
            "location": location,
            "title": params["title"],
            "address": params["address"],
        }
        message["location"] = location  # Telegram sends a venue's location in both places
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        self._emit("send", message)
        return message

    def _m_editMessageText(self, params: JSON) -> JSON:
        message = self._existing(params)
        text = self._rendered(params["text"], params.get("parse_mode"))
        markup = params.get("reply_markup")
        if message.get("text") == text and message.get("reply_markup") == markup:
            raise ApiError(400, "Bad Request: message is not modified")
        message["text"] = text
        message.pop("reply_markup", None)
        if markup:
            message["reply_markup"] = markup
        message["edit_date"] = int(self.clock())
        self._emit("edit", message)
        return message

    def _m_editMessageReplyMarkup(self, params: JSON) -> JSON:
        message = self._existing(params)
        markup = params.get("reply_markup")
        if message.get("reply_markup") == markup:
            raise ApiError(400, "Bad Request: message is not modified")
        message.pop("reply_markup", None)
        if markup:
            message["reply_markup"] = markup
        self._emit("edit", message)
        return message

    def _m_answerCallbackQuery(self, params: JSON) -> bool:
        query = self._open_queries.pop(str(params["callback_query_id"]), None)
        if query is None:
            raise ApiError(400, "Bad Request: query is too old and response timeout expired")
        if params.get("text"):
            chat = query["message"]["chat"] if "message" in query else None
            self._emit("toast", {"chat": chat, "text": params["text"]})
        return True

    def _m_deleteMessage(self, params: JSON) -> bool:
        self._delete(int(params["chat_id"]), int(params["message_id"]))
        return True

    def _m_deleteMessages(self, params: JSON) -> bool:
        """As Telegram does: 1-100 ids; ids it cannot find (or may no longer delete) are skipped,
        and the call succeeds when at least one message was deleted. When none was, it fails:
        "can't be deleted" if one was there but too old, "not found" if none was there."""
        ids = params["message_ids"]
        if not ids:
            raise ApiError(400, "Bad Request: message identifiers are not specified")
        if len(ids) > 100:
            raise ApiError(400, "Bad Request: too many message identifiers specified")
        deleted = refused = 0
        for message_id in ids:
            try:
                self._delete(int(params["chat_id"]), int(message_id))
            except ApiError as exc:
                refused += "can't be deleted" in exc.description
                continue
            deleted += 1
        if deleted == 0 and refused:
            raise ApiError(400, "Bad Request: message can't be deleted")
        if deleted == 0:
            raise ApiError(400, "Bad Request: message to delete not found")
        return True

    def _m_sendChatAction(self, params: JSON) -> bool:
        self._writable_chat(params["chat_id"])
        return True

    def _m_getChatMember(self, params: JSON) -> JSON:
        chat = self.chats.get(int(str(params["chat_id"])))
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        self._bot_still_in(chat)
        user_id = int(params["user_id"])
        user = self._known_user(user_id)
        if user is None:
            raise ApiError(400, "Bad Request: user not found")
        if chat["type"] == "private":
            return self.chat_member(user, "member")
        return self.chat_member(user, self.member_status(chat["id"], user_id))

    # -- internals -----------------------------------------------------------------------------

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

    def _send_media(self, params: JSON, kind: str, extra: JSON | None) -> JSON:
        chat = self._writable_chat(params["chat_id"])
        caption = params.get("caption")
        message = self._new_message(chat, self.bot_user, None)
        sent = params.get(kind)
        # A file sent again by its file_id keeps it; an upload gets a new one.
        reused = isinstance(sent, str) and not sent.startswith("attach://")
        file_id = sent if reused else f"{kind}-{message['message_id']}"
        media: Any = {"file_id": file_id, "file_unique_id": file_id, **(extra or {})}
        if kind == "photo":
            media = [{**media, "width": 512, "height": 512}]
        message[kind] = media
        if caption:
            message["caption"] = self._rendered(caption, params.get("parse_mode"))
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        self._emit("send", message)
        return message

    @staticmethod
    def _rendered(text: str, parse_mode: object) -> str:
        return html_to_plain(text) if str(parse_mode).upper() == "HTML" else text

    def _emit(self, event: str, payload: JSON) -> None:
        for listener in self.listeners:
            listener(event, payload)


def _uploads(request_data: RequestData | None) -> dict[str, tuple[str, bytes]]:
    if request_data is None or not request_data.contains_files:
        return {}
    uploads = {}
    for name, (file_name, content, *_) in request_data.multipart_data.items():
        data = content if isinstance(content, bytes) else content.read()
        uploads[name] = (file_name or name, data)
    return uploads


class OfflineRequest(BaseRequest):
    """python-telegram-bot's transport, answered by an OfflineBotApi instead of the network."""

    def __init__(self, api: OfflineBotApi) -> None:
        self.api = api

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        api_method = url.rsplit("/", 1)[-1]
        params: JSON = dict(request_data.parameters) if request_data else {}
        if request_data is not None and request_data.contains_files:
            # Uploaded files travel as multipart parts, not parameters; name them as Telegram
            # would see them so that required-field checks still hold.
            for name in request_data.multipart_data:
                params.setdefault(name, f"attach://{name}")
        status, body = self.api.call(api_method, params, _uploads(request_data))
        return status, json.dumps(body).encode()
