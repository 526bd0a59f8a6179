"""The Bot API methods the bot uses, answered the way Telegram answers them, errors included:
editing a message that does not exist, deleting one older than 48 hours, answering an unknown
button press, writing to a chat that blocked the bot or became a supergroup."""

from __future__ import annotations

import json
import time
from typing import Any

from bot.offline.state import JSON, ApiError, Call, ChatState


class BotApiMethods(ChatState):
    """Telegram's server: one request in, one answer (HTTP status and body) out."""

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
