"""Transports: one HTTP session, three wire protocols.

XML-RPC (``/xmlrpc/2/common`` and ``/xmlrpc/2/object``), JSON-RPC (``/jsonrpc``) and, from Odoo 19, JSON-2
(``/json/2/<model>/<method>``, in :mod:`connector._json2`) are sent over one :class:`requests.Session`, so
there is one connection pool with keep-alive, explicit connect/read timeouts and TLS verification (on by
default, with an optional CA bundle) whichever protocol is configured. Tests replay recorded Odoo answers
with ``responses``, which intercepts this session: no network needed.

A transport knows nothing of retries or of what a call means; it sends ``service.method(*args)`` once and
returns the result or raises a typed error from ``_exceptions`` (``from`` the wire-level exception, so the
cause stays visible). Every transport speaks the same call shape (XML-RPC's ``execute_kw`` arguments); the
JSON-2 one turns it into named arguments.
"""

from __future__ import annotations

import itertools
import json
import xmlrpc.client
from typing import Any, Protocol

import requests
from requests.adapters import HTTPAdapter

from odoo_urgency.connector._exceptions import (
    NetworkError,
    OdooError,
    ProtocolError,
    RequestTimeout,
    ServerError,
    ServerUnavailable,
    from_jsonrpc_error,
    from_xmlrpc_fault,
)
from odoo_urgency.connector.settings import ConnectionSettings, hide_userinfo

_UNAVAILABLE = {502, 503, 504}


class Transport(Protocol):
    def call(self, service: str, method: str, args: list[Any], *, label: str) -> Any: ...

    def close(self) -> None: ...


def _no_none(value: Any) -> Any:
    """Odoo's XML-RPC refuses ``None`` (``allow_none`` is off): send ``False``, as Odoo itself does."""
    if value is None:
        return False
    if isinstance(value, dict):
        return {key: _no_none(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_no_none(item) for item in value]
    return value


class _HttpTransport:
    def __init__(self, settings: ConnectionSettings, session: requests.Session | None = None) -> None:
        self._settings = settings
        self._session = session or new_session(settings)
        self._timeout = (settings.connect_timeout, settings.read_timeout)

    def _request(self, verb: str, path: str, label: str, *, data: bytes | None = None,
                 headers: dict[str, str] | None = None) -> requests.Response:
        """Send once; network failures and 502/503/504 become typed (transient) errors, any other answer is
        returned for the protocol to read."""
        url = self._settings.url + path
        try:
            response = self._session.request(verb, url, data=data, headers=headers, timeout=self._timeout)
        except requests.exceptions.Timeout as exc:
            raise RequestTimeout(f"no answer from {self._settings.public_url} within the timeout", call=label) from exc
        except requests.exceptions.SSLError as exc:
            # Not transient: a TLS handshake that fails (https:// to a plain-HTTP port, a certificate the system
            # does not trust) fails the same way on every retry.
            raise ProtocolError(f"TLS handshake with {self._settings.public_url} failed ({_first_reason(exc)}): is the server "
                                "speaking plain http, or is its certificate untrusted (odoo.ca_bundle)?",
                                call=label) from exc
        except requests.exceptions.ConnectionError as exc:
            raise NetworkError(f"cannot reach {self._settings.public_url}: {_first_reason(exc)}", call=label) from exc
        except requests.exceptions.RequestException as exc:
            raise NetworkError(f"request to {self._settings.public_url} failed: {_first_reason(exc)}", call=label) from exc
        if response.status_code in _UNAVAILABLE:
            raise ServerUnavailable(f"HTTP {response.status_code} from {self._settings.public_url + path}", call=label)
        return response

    def _post(self, path: str, data: bytes, content_type: str, label: str) -> requests.Response:
        shown = self._settings.public_url + path
        response = self._request("POST", path, label, data=data, headers={"Content-Type": content_type})
        if response.status_code == 404:
            raise ProtocolError(f"HTTP 404 at {shown}: not an Odoo server, or its external API is disabled", call=label)
        if response.status_code == 500:
            raise ServerError(f"HTTP 500 from {shown}", call=label)
        if response.status_code != 200:
            # Odoo answers its external API with 200 (faults inside) or 404; anything else is not an Odoo
            raise ProtocolError(f"HTTP {response.status_code} at {shown}: not an Odoo server", call=label)
        return response

    def set_timeout(self, connect: float, read: float) -> None:
        self._timeout = (connect, read)

    def close(self) -> None:
        self._session.close()


def new_session(settings: ConnectionSettings) -> requests.Session:
    """The one keep-alive session of a client (shared when ``auto`` hands over to the chosen protocol)."""
    session = requests.Session()
    adapter = HTTPAdapter(pool_connections=2, pool_maxsize=4, max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.verify = str(settings.ca_bundle) if settings.ca_bundle is not None else settings.verify_tls
    return session


def _first_reason(exc: Exception) -> str:
    """A short, secret-free reason from a requests/urllib3 exception chain."""
    text = hide_userinfo(str(exc))
    for marker in ("Connection refused", "Name or service not known", "Temporary failure in name resolution",
                   "Connection reset", "Remote end closed connection", "Connection aborted",
                   "certificate verify failed", "No route to host", "wrong version number"):
        if marker in text:
            return marker.lower()
    return text.split("(Caused by")[0].strip()[:200] or exc.__class__.__name__


class XmlRpcTransport(_HttpTransport):
    def call(self, service: str, method: str, args: list[Any], *, label: str) -> Any:
        body = xmlrpc.client.dumps(tuple(_no_none(args)), method, allow_none=False).encode("utf-8")
        response = self._post(f"/xmlrpc/2/{service}", body, "text/xml", label)
        try:
            result, _ = xmlrpc.client.loads(response.content, use_builtin_types=True)
        except xmlrpc.client.Fault as fault:
            raise from_xmlrpc_fault(int(fault.faultCode), str(fault.faultString), label) from fault
        except Exception as exc:  # noqa: BLE001 - anything unparseable is a protocol error
            raise ProtocolError(f"the answer from {self._settings.public_url} is not XML-RPC", call=label) from exc
        return result[0] if result else None


class JsonRpcTransport(_HttpTransport):
    def __init__(self, settings: ConnectionSettings, session: requests.Session | None = None) -> None:
        super().__init__(settings, session)
        self._ids = itertools.count(1)

    def call(self, service: str, method: str, args: list[Any], *, label: str) -> Any:
        payload = {"jsonrpc": "2.0", "method": "call", "id": next(self._ids),
                   "params": {"service": service, "method": method, "args": args}}
        response = self._post("/jsonrpc", json.dumps(payload).encode("utf-8"), "application/json", label)
        try:
            answer = response.json()
        except ValueError as exc:
            raise ProtocolError(f"the answer from {self._settings.public_url} is not JSON-RPC", call=label) from exc
        if not isinstance(answer, dict):
            raise ProtocolError(f"the answer from {self._settings.public_url} is not JSON-RPC", call=label)
        if "error" in answer and answer["error"]:
            error = answer["error"]
            raise from_jsonrpc_error(error if isinstance(error, dict) else {"message": str(error)}, label)
        return answer.get("result")


__all__ = ["Transport", "XmlRpcTransport", "JsonRpcTransport", "new_session", "OdooError"]
