"""Talking to Odoo over its external API (XML-RPC or JSON-RPC).

The public surface is small: :class:`OdooClient` (calls, paging, retries, round-trip counting),
:func:`detect` / :class:`Schema` (version, apps, version-specific field names, rights), the typed records in
:mod:`connector.records`, :class:`ConnectionSettings`, and the exception hierarchy rooted at
:class:`OdooError`. Everything else is private (modules starting with ``_``).

The names load lazily (PEP 562): importing :mod:`connector.records` — the record types the pure policies share
with the shell — must not pull in the HTTP stack, so this package imports no submodule until a name is asked for.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from connector._exceptions import (
        AccessError,
        AuthenticationError,
        ConcurrencyError,
        DatabaseNotFound,
        MissingRecordError,
        NetworkError,
        OdooError,
        ProtocolError,
        RequestTimeout,
        ServerError,
        ServerUnavailable,
        TransportError,
        UnknownNameError,
        ValidationError,
    )
    from connector.client import (
        CallStats,
        OdooClient,
    )
    from connector.schema import (
        Schema,
        detect,
    )
    from connector.settings import (
        ConnectionSettings,
    )

#: public name → the module that defines it
_EXPORTS: dict[str, str] = {
    "AccessError": "connector._exceptions",
    "AuthenticationError": "connector._exceptions",
    "ConcurrencyError": "connector._exceptions",
    "DatabaseNotFound": "connector._exceptions",
    "MissingRecordError": "connector._exceptions",
    "NetworkError": "connector._exceptions",
    "OdooError": "connector._exceptions",
    "ProtocolError": "connector._exceptions",
    "RequestTimeout": "connector._exceptions",
    "ServerError": "connector._exceptions",
    "ServerUnavailable": "connector._exceptions",
    "TransportError": "connector._exceptions",
    "UnknownNameError": "connector._exceptions",
    "ValidationError": "connector._exceptions",
    "CallStats": "connector.client",
    "OdooClient": "connector.client",
    "Schema": "connector.schema",
    "detect": "connector.schema",
    "ConnectionSettings": "connector.settings",
}

__all__ = [
    "AccessError",
    "AuthenticationError",
    "CallStats",
    "ConcurrencyError",
    "ConnectionSettings",
    "DatabaseNotFound",
    "MissingRecordError",
    "NetworkError",
    "OdooClient",
    "OdooError",
    "ProtocolError",
    "RequestTimeout",
    "Schema",
    "ServerError",
    "ServerUnavailable",
    "TransportError",
    "UnknownNameError",
    "ValidationError",
    "detect",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'connector' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
