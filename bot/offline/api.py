"""An in-process stand-in for the Telegram Bot API server, for the demo and the tests.

It keeps what Telegram would keep (chats, messages, their buttons, pending updates: state.py)
and answers the methods the bot uses the way Telegram does, errors included (methods.py). Here:
what people do in their chats, each turned into the update Telegram would send. It holds plain
JSON values only; `OfflineRequest` (transport.py) plugs it under python-telegram-bot's Bot, and
the tests serve it over HTTP for the end-to-end test. Nothing here decides anything about the
bot's behaviour.
"""

from __future__ import annotations

import re
from typing import Any

from bot.offline.methods import BotApiMethods
from bot.offline.state import GROUP_ANONYMOUS_BOT, JSON


class OfflineBotApi(BotApiMethods):
    """The Bot API as the demo and the tests meet it: the server's state and methods, and what
    people do in their chats (type, press, block the bot, add it to a group), each turned into
    the update Telegram would send."""

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
