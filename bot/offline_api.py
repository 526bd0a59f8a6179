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
_TAG = re.compile(r"<[^>]+>")


class ApiError(Exception):
    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description


def html_to_plain(text: str) -> str:
    """What Telegram shows of an HTML-formatted text: tags gone, entities decoded."""
    return html.unescape(_TAG.sub("", text))


@dataclass
class Call:
    """One request the bot made, as Telegram received it."""

    method: str
    params: JSON
    status: int = 200


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

    def block(self, user_id: int) -> None:
        """She blocks the bot: from now on messages to her fail with 403."""
        with self._lock:
            self.blocked_by.add(user_id)

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

    def call(self, method: str, params: JSON) -> tuple[int, JSON]:
        """Answer one Bot API request: (HTTP status, response body)."""
        with self._updates_ready:
            record = Call(method, params)
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
            return exc.code, {"ok": False, "error_code": exc.code, "description": exc.description}
        return 200, {"ok": True, "result": result}

    def _m_getMe(self, params: JSON) -> JSON:
        return self.bot_user

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
            self._emit("toast", {"chat": query["message"]["chat"], "text": params["text"]})
        return True

    def _m_deleteMessage(self, params: JSON) -> bool:
        self._delete(int(params["chat_id"]), int(params["message_id"]))
        return True

    def _m_deleteMessages(self, params: JSON) -> bool:
        for message_id in params["message_ids"]:
            try:
                self._delete(int(params["chat_id"]), int(message_id))
            except ApiError:
                continue  # Telegram skips messages it cannot delete
        return True

    def _m_sendChatAction(self, params: JSON) -> bool:
        self._writable_chat(params["chat_id"])
        return True

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
        return chat

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
        file_id = f"{kind}-{message['message_id']}"
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
        status, body = self.api.call(api_method, params)
        return status, json.dumps(body).encode()
