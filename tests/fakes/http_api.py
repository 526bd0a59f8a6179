"""The offline Bot API served over real HTTP on 127.0.0.1, for end-to-end tests.

`bydelsbot run` talks to it exactly as to api.telegram.org (BOT_API_URL points here): URLs of the
form /bot<token>/<method>, form-encoded or multipart bodies, JSON answers, long-polled getUpdates.
Every call is decoded and checked against the Bot API specification before it is answered.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

from bot.offline.api import OfflineBotApi
from bot.offline.state import JSON
from tests.telegram_spec import load_spec


class _QuietServer(ThreadingHTTPServer):
    """A bot that stops (or is killed, as the crash tests and benchmarks do) closes its
    connections with requests in flight, as it may against Telegram: not a fault of the fake's,
    so not a traceback on stderr. Any other error is printed as before."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionResetError | BrokenPipeError):
            return
        super().handle_error(request, client_address)


class BotApiHttpServer:
    def __init__(self, api: OfflineBotApi, token: str, round_trip: float = 0.0) -> None:
        self.api = api
        self.token = token
        # Seconds each answer takes beyond loopback (half on the way in, half on the way out), as
        # a real network between the bot and Telegram would; getUpdates is left alone.
        self.round_trip = round_trip
        server = self
        self._httpd = _QuietServer(("127.0.0.1", 0), _handler_for(server))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}/bot"

    def __enter__(self) -> BotApiHttpServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def answer(self, path: str, content_type: str, body: bytes) -> tuple[int, JSON]:
        prefix = f"/bot{self.token}/"
        if not path.startswith(prefix):
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        method = path[len(prefix) :].split("?", 1)[0]
        spec = load_spec()
        if not spec.has_method(method):
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        uploads: dict[str, tuple[str, bytes]] = {}
        params = spec.decode_form(method, _form_fields(content_type, body, uploads))
        delay = self.round_trip / 2 if method != "getUpdates" else 0.0
        if delay:
            time.sleep(delay)  # this request's own server thread: others are not held up
        answer = self.api.call(method, params, uploads)
        if delay:
            time.sleep(delay)
        return answer


def _form_fields(
    content_type: str, body: bytes, uploads: dict[str, tuple[str, bytes]] | None = None
) -> dict[str, str]:
    """The form's fields; uploaded files' names and bytes go into `uploads` (as the offline
    fake keeps them), so an end-to-end test can read a picture the bot sent."""
    if not body:
        return {}
    if content_type.startswith("application/json"):
        return {k: v if isinstance(v, str) else json.dumps(v) for k, v in json.loads(body).items()}
    if content_type.startswith("multipart/form-data"):
        message = BytesParser(policy=HTTP).parsebytes(
            f"Content-Type: {content_type}\r\n\r\n".encode() + body
        )
        fields: dict[str, str] = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if part.get_filename():
                fields[str(name)] = f"attach://{name}"  # an uploaded file
                if uploads is not None:
                    data = part.get_payload(decode=True)
                    assert isinstance(data, bytes)
                    uploads[str(name)] = (str(part.get_filename()), data)
            else:
                fields[str(name)] = part.get_content()
        return fields
    return dict(parse_qsl(body.decode(), keep_blank_values=True))


def _handler_for(server: BotApiHttpServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # The headers and the body go out in two writes: with Nagle's algorithm the body waits
        # for the client's delayed ACK (40 ms), which Telegram's servers never make anyone wait.
        disable_nagle_algorithm = True

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            status, payload = server.answer(self.path, self.headers.get("Content-Type", ""), body)
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST

        def log_message(self, format: str, *args: Any) -> None:
            return  # request lines carry the token; keep test output clean

    return Handler
