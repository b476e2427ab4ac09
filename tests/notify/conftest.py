"""A local HTTP sink and a local SMTP server that receive what the push channels send."""

from __future__ import annotations

import json
import re
import socket
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from odoo_urgency.sandbox import Sandbox


@pytest.fixture
def sb() -> Iterator[Sandbox]:
    with Sandbox(demo=True) as sandbox:
        yield sandbox


KEYS = re.compile(r"odoo-urgency key: ([^\s)]+(?: [^\s)]+)*)")


def keys_in(text: str) -> list[str]:
    """Every alert key a message names (a merged alert names several; a digest one group per line)."""
    return [key for group in KEYS.findall(text) for key in group.split(" ")]


@dataclass
class HttpSink:
    """Answers 200 and keeps each JSON body, or answers 503 while ``down`` (an outage)."""

    port: int = 0
    messages: list[dict] = field(default_factory=list)
    down: bool = False
    refused: int = 0

    @property
    def url(self) -> str:
        return f"json://127.0.0.1:{self.port}/hook"

    def keys(self) -> Counter[str]:
        return Counter(key for message in self.messages for key in keys_in(message.get("message", "")))


@pytest.fixture
def sink() -> Iterator[HttpSink]:
    state = HttpSink()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if state.down:
                state.refused += 1
                self.send_response(503)
            else:
                state.messages.append(json.loads(body))
                self.send_response(200)
            self.end_headers()

        def log_message(self, *_: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


@dataclass
class SmtpSink:
    port: int = 0
    mails: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"mailto://127.0.0.1:{self.port}?from=odoo-urgency@example.com&to=sales@example.com&mode=insecure"

    def keys(self) -> Counter[str]:
        import email
        from email import policy

        found: Counter[str] = Counter()
        for raw in self.mails:
            message = email.message_from_string(raw, policy=policy.default)
            part = message.get_body(preferencelist=("plain",))
            found.update(keys_in(part.get_content() if part is not None else ""))
        return found


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    from aiosmtpd.controller import Controller

    state = SmtpSink()
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    state.port = probe.getsockname()[1]
    probe.close()

    class Handler:
        async def handle_DATA(self, _server: object, _session: object, envelope: object) -> str:  # noqa: N802
            content = envelope.content  # type: ignore[attr-defined]
            state.mails.append(content.decode("utf-8", "replace") if isinstance(content, bytes) else content)
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=state.port, server_hostname="localhost")
    controller.start()
    yield state
    controller.stop()
