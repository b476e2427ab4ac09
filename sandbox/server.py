"""HTTP front: Odoo's XML-RPC and JSON-RPC endpoints over ``ThreadingHTTPServer``.

Endpoints: ``/xmlrpc/2/common`` and ``/xmlrpc/2/object`` (also ``/xmlrpc/common`` and
``/xmlrpc/object``), ``/jsonrpc`` (``{"service", "method", "args"}``) and
``/web/webclient/version_info``. HTTP/1.1 with keep-alive. One RPC call = one transaction
under the store lock (calls are serialised, as if each were a database transaction).

Faults are produced the way Odoo 17 produces them: XML-RPC ``<fault>`` with the Odoo code
and message (a traceback for code 1), JSON-RPC HTTP 200 with ``error.data.name`` etc.
Injected faults (:class:`~sandbox.faults.Faults`) are applied here, before or after the
call is executed, because they simulate the network and the database server.
"""

from __future__ import annotations

import json
import socket
import threading
import time
import traceback
import xmlrpc.client
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from . import json2
from .faults import AccessDenied, Faults, OdooError, ServerError, bad_database, serialization_failure
from .odoo19 import VERSION_INFO_19
from .orm import Env

VERSION_INFO: dict[str, Any] = {
    "server_version": "17.0-20240709",
    "server_version_info": [17, 0, 0, "final", 0, ""],
    "server_serie": "17.0",
    "protocol_version": 1,
}


class _Drop(Exception):
    """Close the connection without answering."""


def wire(value: Any) -> Any:
    """Odoo never sends None: it becomes False (XML-RPC is marshalled with allow_none=False)."""
    if value is None:
        return False
    if isinstance(value, dict):
        return {str(k): wire(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [wire(v) for v in value]
    return value


class Dispatcher:
    """Protocol-independent dispatch of ``common`` and ``object`` service methods."""

    def __init__(self, env: Env, faults: Faults) -> None:
        self.env = env
        self.faults = faults

    @property
    def version_info(self) -> dict[str, Any]:
        return dict(VERSION_INFO_19 if self.env.odoo_version >= 19 else VERSION_INFO)

    def dispatch(self, service: str, method: str, params: list[Any]) -> Any:
        env = self.env
        if service == "common":
            if method in ("version", "about"):
                return self.version_info if method == "version" else "See http://openerp.com"
            if method in ("login", "authenticate"):
                if len(params) < 3:
                    raise ServerError(f"{method}() missing required arguments", "builtins.TypeError")
                self._check_db(params[0])
                return env.authenticate(params[1], params[2])
            raise ServerError(f"Method not available {method}", "builtins.NameError")
        if service == "object":
            if method not in ("execute", "execute_kw"):
                raise ServerError(f"Method not available {method}", "builtins.NameError")
            if len(params) < 5:
                raise ServerError(f"{method}() missing required arguments", "builtins.TypeError")
            db, uid, password, model, name = params[:5]
            self._check_db(db)
            if not env.check_credentials(uid, password):
                raise AccessDenied()
            if method == "execute_kw":
                args = params[5] if len(params) > 5 else []
                kwargs = params[6] if len(params) > 6 else {}
                if not isinstance(args, list) or not isinstance(kwargs, dict):
                    raise ServerError("execute_kw() arguments must be a list and a dict", "builtins.TypeError")
            else:
                args, kwargs = list(params[5:]), {}
            return env.call(uid, model, name, args, kwargs)
        if service == "db" and method == "list":
            return [env.database]
        raise ServerError(f"No such service: {service}", "builtins.KeyError")

    def _check_db(self, db: Any) -> None:
        if db != self.env.database:
            raise bad_database(str(db))

    @staticmethod
    def describe(service: str, method: str, params: list[Any]) -> tuple[str, str, str]:
        """(service, model, method) for the call log; the object method is the model's method."""
        if service == "object" and len(params) >= 5:
            return ("object", str(params[3]), str(params[4]))
        return (service, "", method)


def _as_error(exc: BaseException) -> OdooError:
    if isinstance(exc, OdooError):
        return exc
    name = type(exc).__name__
    module = type(exc).__module__
    err = ServerError(str(exc), f"{module}.{name}" if module != "builtins" else f"builtins.{name}")
    err.where = "".join(traceback.format_tb(exc.__traceback__))
    return err


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body leave in separate writes; with Nagle's algorithm on, the client's delayed ACK adds
    # ~40 ms to every keep-alive request. Real Odoo (werkzeug) sets TCP_NODELAY too.
    disable_nagle_algorithm = True
    server: SandboxHTTPServer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        """Quiet: the sandbox is used inside test runs."""

    def do_GET(self) -> None:
        dispatcher = self.server.dispatcher
        if self.path.startswith("/web/webclient/version_info"):
            self._send(
                200, json.dumps({"jsonrpc": "2.0", "id": None, "result": dispatcher.version_info}).encode(),
                "application/json",
            )
        elif self.path in ("/web/version", "/json/version") and dispatcher.env.odoo_version >= 19:
            self._send(200, json2.version_body(dispatcher.env, dispatcher.version_info), "application/json")
        elif self.path in ("/", "/web/health"):
            self._send(200, b'{"status": "pass"}', "application/json")
        else:
            self._send(404, b"Not Found", "text/plain")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        path = self.path.split("?")[0].rstrip("/")
        try:
            if path in ("/xmlrpc/2/common", "/xmlrpc/2/object", "/xmlrpc/common", "/xmlrpc/object"):
                self._xmlrpc(path.rsplit("/", 1)[1], body)
            elif path == "/jsonrpc":
                self._jsonrpc(body, version_info=False)
            elif path == "/web/webclient/version_info":
                self._jsonrpc(body, version_info=True)
            elif path.startswith("/json/2/") and path.count("/") == 4 and self.server.dispatcher.env.odoo_version >= 19:
                _, _, _, model, method = path.split("/")
                self._json2(model, method, body)
            else:
                self._send(404, b"Not Found", "text/plain")
        except _Drop:
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    # -- protocols ---------------------------------------------------------------------
    def _xmlrpc(self, service: str, body: bytes) -> None:
        try:
            params, method = xmlrpc.client.loads(body)
        except Exception as exc:  # malformed request: Odoo answers a code-1 fault
            self._xml_fault(_as_error(exc))
            return
        outcome = self._run(service, method or "", list(params))
        if outcome is None:
            return
        ok, value = outcome
        if ok:
            try:
                payload = xmlrpc.client.dumps((wire(value),), methodresponse=True, allow_none=False)
            except (TypeError, OverflowError) as exc:
                self._xml_fault(_as_error(exc))
                return
            self._send(200, payload.encode(), "text/xml")
        else:
            self._xml_fault(value)

    def _xml_fault(self, err: OdooError) -> None:
        payload = xmlrpc.client.dumps(xmlrpc.client.Fault(err.code, err.fault_string()), methodresponse=True)
        self._send(200, payload.encode(), "text/xml")

    def _jsonrpc(self, body: bytes, version_info: bool) -> None:
        try:
            request = json.loads(body or b"{}")
            params = request.get("params") or {}
        except (ValueError, AttributeError) as exc:
            self._json_answer(None, False, _as_error(exc))
            return
        rid = request.get("id")
        if version_info:
            self._json_answer(rid, True, self.server.dispatcher.version_info)
            return
        outcome = self._run(str(params.get("service")), str(params.get("method")), list(params.get("args") or []))
        if outcome is not None:
            self._json_answer(rid, *outcome)

    def _json_answer(self, rid: Any, ok: bool, value: Any) -> None:
        if ok:
            answer = {"jsonrpc": "2.0", "id": rid, "result": wire(value)}
        else:
            err: OdooError = value
            answer = {
                "jsonrpc": "2.0",
                "id": rid,
                "error": {
                    "code": 200,
                    "message": "Odoo Server Error",
                    "data": {
                        "name": err.json_name,
                        "debug": err.traceback_text(),
                        "message": err.message,
                        "arguments": [err.message],
                        "context": {},
                    },
                },
            }
        self._send(200, json.dumps(answer, ensure_ascii=False).encode(), "application/json")

    def _json2(self, model: str, method: str, body: bytes) -> None:
        env = self.server.dispatcher.env
        if self.headers.get("X-Odoo-Database", env.database) != env.database:
            self._send(404, json2.NO_DATABASE, "text/html")
            return

        def call() -> Any:
            return json2.call(env, json2.user_of(env, self.headers.get("Authorization", "")), model, method, body)

        outcome = self._run("object", method, [], call=call, describe=("object", model, method))
        if outcome is None:
            return
        ok, value = outcome
        if ok:
            self._send(200, json.dumps(wire(value), ensure_ascii=False).encode(), "application/json")
        else:
            self._send(*json2.error_answer(value), "application/json")

    # -- the call, with injected faults ------------------------------------------------
    def _run(self, service: str, method: str, params: list[Any], call: Any = None,
             describe: tuple[str, str, str] | None = None) -> tuple[bool, Any] | None:
        faults = self.server.faults
        injected = faults.injected(*(describe or Dispatcher.describe(service, method, params)))
        kind = injected.kind if injected else None
        if faults.latency:
            time.sleep(faults.latency)
        if kind == "http503":
            self._send(503, b"<html><body><h1>503 Service Unavailable</h1></body></html>", "text/html")
            return None
        if kind == "drop":
            raise _Drop()
        if kind == "conflict":
            return False, serialization_failure()
        def execute() -> Any:
            return call() if call is not None else self.server.dispatcher.dispatch(service, method, params)

        env = self.server.dispatcher.env
        try:
            if injected is not None and injected.kind == "commit_late":
                value = env.run_unseen(injected.seconds, execute)
            else:
                value = execute()
            result: tuple[bool, Any] = (True, value)
        except Exception as exc:
            result = (False, _as_error(exc))
        if kind == "drop_after":
            raise _Drop()
        if injected is not None and injected.kind in ("answer_late", "commit_late"):
            time.sleep(injected.seconds if injected.kind == "answer_late" else injected.answer_after)
        return result

    def _send(self, status: int, payload: bytes, content_type: str) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", f"{content_type}; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except OSError:  # the client gave up waiting (a late answer): nobody to tell
            self.close_connection = True


class SandboxHTTPServer(ThreadingHTTPServer):
    """ThreadingHTTPServer that tracks its connections so a stop really cuts them."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port: int, dispatcher: Dispatcher, faults: Faults) -> None:
        self.dispatcher = dispatcher
        self.faults = faults
        self._connections: set[socket.socket] = set()
        self._conn_lock = threading.Lock()
        super().__init__(("127.0.0.1", port), Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._conn_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._conn_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def cut_connections(self) -> None:
        with self._conn_lock:
            connections = list(self._connections)
        for conn in connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class HTTPFront:
    """Start/stop the HTTP server on a fixed port (0 = pick a free one the first time)."""

    def __init__(self, dispatcher: Dispatcher, faults: Faults, port: int = 0) -> None:
        self.dispatcher = dispatcher
        self.faults = faults
        self.port = port
        self._server: SandboxHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._server is not None

    def start(self) -> None:
        if self._server is not None:
            return
        server = SandboxHTTPServer(self.port, self.dispatcher, self.faults)
        self.port = server.server_address[1]
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name=f"sandbox-{self.port}", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.cut_connections()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
