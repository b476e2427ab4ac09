"""Talking to Odoo over its external API (XML-RPC or JSON-RPC).

The public surface is small: :class:`OdooClient` (calls, paging, retries, round-trip counting),
:func:`detect` / :class:`Schema` (version, apps, version-specific field names, rights), the typed records in
:mod:`connector.records`, :class:`ConnectionSettings`, and the exception hierarchy rooted at
:class:`OdooError`. Everything else is private (modules starting with ``_``).
"""

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
from connector.client import CallStats, OdooClient
from connector.schema import Schema, detect
from connector.settings import ConnectionSettings

__all__ = [
    "AccessError", "AuthenticationError", "CallStats", "ConcurrencyError", "ConnectionSettings", "DatabaseNotFound",
    "MissingRecordError", "NetworkError", "OdooClient", "OdooError", "ProtocolError", "RequestTimeout", "Schema",
    "ServerError", "ServerUnavailable", "TransportError", "UnknownNameError", "ValidationError", "detect",
]
