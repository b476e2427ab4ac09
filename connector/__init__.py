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
    from odoo_urgency.connector._exceptions import (
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
    from odoo_urgency.connector.client import (
        CallStats,
        OdooClient,
    )
    from odoo_urgency.connector.schema import (
        Schema,
        detect,
    )
    from odoo_urgency.connector.settings import (
        ConnectionSettings,
    )

#: public name → the module that defines it
_EXPORTS: dict[str, str] = {
    "AccessError": "odoo_urgency.connector._exceptions",
    "AuthenticationError": "odoo_urgency.connector._exceptions",
    "ConcurrencyError": "odoo_urgency.connector._exceptions",
    "DatabaseNotFound": "odoo_urgency.connector._exceptions",
    "MissingRecordError": "odoo_urgency.connector._exceptions",
    "NetworkError": "odoo_urgency.connector._exceptions",
    "OdooError": "odoo_urgency.connector._exceptions",
    "ProtocolError": "odoo_urgency.connector._exceptions",
    "RequestTimeout": "odoo_urgency.connector._exceptions",
    "ServerError": "odoo_urgency.connector._exceptions",
    "ServerUnavailable": "odoo_urgency.connector._exceptions",
    "TransportError": "odoo_urgency.connector._exceptions",
    "UnknownNameError": "odoo_urgency.connector._exceptions",
    "ValidationError": "odoo_urgency.connector._exceptions",
    "CallStats": "odoo_urgency.connector.client",
    "OdooClient": "odoo_urgency.connector.client",
    "Schema": "odoo_urgency.connector.schema",
    "detect": "odoo_urgency.connector.schema",
    "ConnectionSettings": "odoo_urgency.connector.settings",
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
