"""The callback context every handler receives: her identity, her translator, the services."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from telegram.ext import Application, CallbackContext, ExtBot

from bot.config import Config
from bot.i18n import Translator, translator
from bot.identity import Identity
from handlers.common.clock import Clock
from storage import Database

SERVICES_KEY = "services"


class Outbox(Protocol):
    """The announcement worker, as handlers see it: told when there is new work, and the keeper
    of the bot's one rate plan, which every other sender (reminders, notices) paces itself by."""

    def wake(self) -> None: ...

    async def pace(self, chat_id: int, *, group: bool = False) -> None: ...

    def pause(self, seconds: float) -> None: ...


@dataclass
class Services:
    """What handlers share for the life of the process; opened in post_init, closed at shutdown."""

    config: Config
    db: Database
    outbox: Outbox | None = None  # the announcement worker (handlers/jobs/announcements/)
    clock: Clock = field(default_factory=Clock)  # the bot's one clock (handlers/common/clock.py)


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """CallbackContext with the person loaded once per update by the identity handler."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application=application, chat_id=chat_id, user_id=user_id)
        self._identity: Identity | None = None

    @property
    def services(self) -> Services:
        services = self.bot_data[SERVICES_KEY]
        assert isinstance(services, Services)
        return services

    @property
    def clock(self) -> Clock:
        return self.services.clock

    @property
    def db(self) -> Database:
        return self.services.db

    @property
    def identity(self) -> Identity:
        if self._identity is None:
            raise RuntimeError("identity not loaded: is the identity handler registered first?")
        return self._identity

    @identity.setter
    def identity(self, value: Identity) -> None:
        self._identity = value

    @property
    def chat_id(self) -> int | None:
        """The chat this update came from (a private chat's id is her Telegram id)."""
        return self._chat_id

    @property
    def has_identity(self) -> bool:
        return self._identity is not None

    @property
    def t(self) -> Translator:
        """Her translator; English before we know who she is (e.g. in the error handler)."""
        locale = self._identity.locale if self._identity else "en"
        return translator(locale)
