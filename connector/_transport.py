"""Transports: one HTTP session, two wire protocols.

Both XML-RPC (``/xmlrpc/2/common`` and ``/xmlrpc/2/object``) and JSON-RPC (``/jsonrpc``) are sent over one
:class:`requests.Session`, so there is one connection pool with keep-alive, explicit connect/read timeouts
and TLS verification (on by default, with an optional CA bundle) whichever protocol is configured. Tests
replay recorded Odoo answers with ``responses``, which intercepts this session: no network needed.

A transport knows nothing of retries or of what a call means; it sends ``service.method(*args)`` once and
returns the result or raises a typed error from ``_exceptions``.
"""

from __future__ import annotations

import itertools
import json
import xmlrpc.client
from typing import Any, Protocol

import requests
from requests.adapters import HTTPAdapter

from connector._exceptions import (
    NetworkError,
    OdooError,
    ProtocolError,
    RequestTimeout,
    ServerError,
    ServerUnavailable,
    from_jsonrpc_error,
    from_xmlrpc_fault,
)
from connector.settings import ConnectionSettings

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
    def __init__(self, settings: ConnectionSettings) -> None:
        self._settings = settings
        self._session = requests.Session()
        adapter = HTTPAdapter(pool_connections=2, pool_maxsize=4, max_retries=0)
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)
        if settings.ca_bundle is not None:
            self._session.verify = str(settings.ca_bundle)
        else:
            self._session.verify = settings.verify_tls
        self._timeout = (settings.connect_timeout, settings.read_timeout)

    def _post(self, path: str, data: bytes, content_type: str, label: str) -> requests.Response:
        url = self._settings.url + path
        try:
            response = self._session.post(url, data=data, headers={"Content-Type": content_type}, timeout=self._timeout)
        except requests.exceptions.Timeout:
            raise RequestTimeout(f"no answer from {self._settings.url} within the timeout", call=label) from None
        except requests.exceptions.SSLError as exc:
            raise NetworkError(f"TLS error talking to {self._settings.url}: {_first_reason(exc)}", call=label) from None
        except requests.exceptions.ConnectionError as exc:
            raise NetworkError(f"cannot reach {self._settings.url}: {_first_reason(exc)}", call=label) from None
        except requests.exceptions.RequestException as exc:
            raise NetworkError(f"request to {self._settings.url} failed: {_first_reason(exc)}", call=label) from None
        if response.status_code in _UNAVAILABLE:
            raise ServerUnavailable(f"HTTP {response.status_code} from {url}", call=label)
        if response.status_code == 404:
            raise ProtocolError(f"HTTP 404 at {url}: not an Odoo server, or its external API is disabled", call=label)
        if response.status_code != 200:
            raise ServerError(f"HTTP {response.status_code} from {url}", call=label)
        return response

    def close(self) -> None:
        self._session.close()


def _first_reason(exc: Exception) -> str:
    """A short, secret-free reason from a requests/urllib3 exception chain."""
    text = str(exc)
    for marker in ("Connection refused", "Name or service not known", "Temporary failure in name resolution",
                   "Connection reset", "Remote end closed connection", "Connection aborted",
                   "certificate verify failed", "No route to host"):
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
            raise from_xmlrpc_fault(int(fault.faultCode), str(fault.faultString), label) from None
        except Exception:  # noqa: BLE001 - anything unparseable is a protocol error
            raise ProtocolError(f"the answer from {self._settings.url} is not XML-RPC", call=label) from None
        return result[0] if result else None


class JsonRpcTransport(_HttpTransport):
    def __init__(self, settings: ConnectionSettings) -> None:
        super().__init__(settings)
        self._ids = itertools.count(1)

    def call(self, service: str, method: str, args: list[Any], *, label: str) -> Any:
        payload = {"jsonrpc": "2.0", "method": "call", "id": next(self._ids),
                   "params": {"service": service, "method": method, "args": args}}
        response = self._post("/jsonrpc", json.dumps(payload).encode("utf-8"), "application/json", label)
        try:
            answer = response.json()
        except ValueError:
            raise ProtocolError(f"the answer from {self._settings.url} is not JSON-RPC", call=label) from None
        if not isinstance(answer, dict):
            raise ProtocolError(f"the answer from {self._settings.url} is not JSON-RPC", call=label)
        if "error" in answer and answer["error"]:
            error = answer["error"]
            raise from_jsonrpc_error(error if isinstance(error, dict) else {"message": str(error)}, label)
        return answer.get("result")


def make_transport(settings: ConnectionSettings) -> Transport:
    if settings.protocol == "jsonrpc":
        return JsonRpcTransport(settings)
    return XmlRpcTransport(settings)


__all__ = ["Transport", "XmlRpcTransport", "JsonRpcTransport", "make_transport", "OdooError"]
