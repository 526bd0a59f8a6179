"""python-telegram-bot's transport, answered in the process by the offline Bot API."""

from __future__ import annotations

import json
from typing import Any

from telegram.request import BaseRequest, RequestData

from bot.offline.api import OfflineBotApi
from bot.offline.state import JSON


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
