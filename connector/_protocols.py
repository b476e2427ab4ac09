"""Which wire protocol a client speaks, and why.

``xmlrpc``, ``jsonrpc`` and ``json2`` are what they say. ``auto`` (the default) asks the server its version
first (``GET /web/version``, one request, no login): JSON-2 when the server is Odoo 19 or later and an API
key is configured, else XML-RPC, which every supported version (16–19) speaks. The choice and its reason
are kept (``protocol``, ``reason``) so ``check`` can say them.
"""

from __future__ import annotations

from typing import Any

from odoo_urgency.connector._json2 import Json2Transport, probe_version
from odoo_urgency.connector._transport import JsonRpcTransport, Transport, XmlRpcTransport, _HttpTransport, new_session
from odoo_urgency.connector.settings import ConnectionSettings

#: First Odoo major version with the JSON-2 API.
JSON2_SINCE = 19

_EXPLICIT: dict[str, type[XmlRpcTransport | JsonRpcTransport | Json2Transport]] = {
    "xmlrpc": XmlRpcTransport, "jsonrpc": JsonRpcTransport, "json2": Json2Transport,
}


class AutoTransport:
    """Chooses on its first call, then hands every call to the chosen transport (same keep-alive session)."""

    def __init__(self, settings: ConnectionSettings) -> None:
        self._settings = settings
        self._session = new_session(settings)
        self._chosen: Transport | None = None
        self.protocol = ""
        self.reason = ""

    def call(self, service: str, method: str, args: list[Any], *, label: str) -> Any:
        return self.choose(label).call(service, method, args, label=label)

    def choose(self, label: str = "web.version") -> Transport:
        if self._chosen is None:
            probe = _HttpTransport(self._settings, self._session)
            info = probe_version(probe, label)
            self.protocol, self.reason = decide(info, has_key=bool(self._settings.api_key_value()))
            chosen: Transport = _EXPLICIT[self.protocol](self._settings, self._session)
            self._chosen = chosen
        return self._chosen

    def close(self) -> None:
        self._session.close()


def decide(version: dict[str, Any] | None, *, has_key: bool) -> tuple[str, str]:
    """(protocol, reason) for a server that answered ``version`` (None: it did not say)."""
    if version is None:
        return "xmlrpc", "auto: the server does not answer /web/version (Odoo 16-18), so XML-RPC"
    info = version.get("server_version_info") or [0]
    major = int(info[0]) if str(info[0]).isdigit() else 0
    name = version.get("server_version") or str(major)
    if major < JSON2_SINCE:
        return "xmlrpc", f"auto: Odoo {name} has no JSON-2 API, so XML-RPC"
    if not has_key:
        return "xmlrpc", (f"auto: Odoo {name} speaks JSON-2 but no API key is set, so XML-RPC "
                          "(deprecated on 19+: set an API key)")
    return "json2", f"auto: Odoo {name} and an API key, so JSON-2"


def make_transport(settings: ConnectionSettings) -> Transport:
    if settings.protocol == "auto":
        return AutoTransport(settings)
    return _EXPLICIT[settings.protocol](settings)


__all__ = ["AutoTransport", "JSON2_SINCE", "decide", "make_transport"]
