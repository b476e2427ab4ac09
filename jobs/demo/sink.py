"""A local webhook sink for the demo: the push messages a cycle sends, received on loopback and printed, so a
new user sees what their chat or mailbox would get (the demo's channel is ``json://127.0.0.1:<port>/demo``)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from rich.console import Console
from rich.panel import Panel


class DemoSink:
    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    owner.messages.append(json.loads(body))
                except ValueError:
                    owner.messages.append({"title": "(not JSON)", "message": body.decode("utf-8", "replace")})
                self.send_response(200)
                self.end_headers()

            def log_message(self, *_: object) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, name="demo-sink", daemon=True)

    @property
    def url(self) -> str:
        return f"json://127.0.0.1:{self.server.server_address[1]}/demo"

    def __enter__(self) -> DemoSink:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def show(self, console: Console, limit: int = 6) -> None:
        console.print(f"\n[bold]Pushed messages[/bold]: {len(self.messages)} received by the demo's local webhook "
                      f"(configure \\[notify] channels for WeCom, DingTalk, Feishu, Slack, Teams or e-mail):")
        for message in self.messages[:limit]:
            console.print(Panel(str(message.get("message", "")), title=str(message.get("title", "")),
                                title_align="left", expand=False))
        if len(self.messages) > limit:
            console.print(f"… and {len(self.messages) - limit} more")
