"""The connector's exceptions, and the one place that maps what Odoo sends onto them.

A shallow hierarchy, after httpx: callers catch :class:`OdooError` for anything, or one of its few
children for what they can act on. Every error keeps Odoo's own message (minus the server traceback) and
names the call that failed (``sale.order.write``), and none ever carries a password or an API key. The
transports raise these ``from`` the wire-level exception, so a debugger still sees the original cause.

What Odoo really sends (checked against recorded Odoo 16/17/18/19 answers):

* XML-RPC faults: code 1 = any other exception (the text is the server traceback; its last line says what
  it was), 2 = UserError / ValidationError / MissingError, 3 = AccessDenied (bad login or key),
  4 = AccessError.
* JSON-RPC: HTTP 200 with ``error.data.name`` (``odoo.exceptions.AccessError``, ``builtins.ValueError``, ...)
  and ``error.data.message``.
* JSON-2 (Odoo 19+): an HTTP status (401 bad key, 403 access, 404 unknown model/method or missing record,
  422 validation, 500 anything else) with a JSON body ``{"name": ..., "message": ...}``; an unknown
  database is an HTML 404 page ("No database is selected").

The mapping is data, not code: :data:`_RULES` is read top to bottom and the first rule whose exception
names and message pattern both match decides the error class.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any


class OdooError(Exception):
    """Base of every error the connector raises."""

    #: True when the same call may succeed if simply sent again (the retry policy reads this).
    transient: bool = False

    def __init__(self, message: str, *, call: str = "", odoo_name: str = "", fault_code: int | None = None) -> None:
        self.message = message.strip()
        self.call = call
        self.odoo_name = odoo_name
        self.fault_code = fault_code
        super().__init__(self.message)

    def __str__(self) -> str:
        first_line = self.message.splitlines()[0] if self.message else self.__class__.__name__
        return f"{self.call}: {first_line}" if self.call else first_line

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({self.message!r}, call={self.call!r})"


class TransportError(OdooError):
    """The ERP could not be reached or answered outside the protocol (network, timeout, HTTP status)."""


class NetworkError(TransportError):
    """Connection refused, reset or dropped before an answer came."""

    transient = True


class RequestTimeout(TransportError):
    """No answer within the configured connect or read timeout."""

    transient = True


class ServerUnavailable(TransportError):
    """HTTP 502/503/504: a proxy or the server said it cannot serve now."""

    transient = True


class ProtocolError(TransportError):
    """An answer that is not XML-RPC / JSON-RPC (wrong URL, not an Odoo, a proxy's error page)."""


class AuthenticationError(OdooError):
    """Wrong login, password or API key (fault 3, ``odoo.exceptions.AccessDenied``)."""


class DatabaseNotFound(OdooError):
    """The configured database does not exist on this server."""


class AccessError(OdooError):
    """The user lacks a right on a model or record (fault 4, ``odoo.exceptions.AccessError``)."""


class MissingRecordError(OdooError):
    """A record does not exist or has been deleted (``odoo.exceptions.MissingError``)."""

    @property
    def ids(self) -> list[int]:
        """The ids Odoo named as missing (``Record: sale.order(999999,)``), when it did."""
        match = re.search(r"Record: [\w.]+\(([\d, ]+)\)", self.message)
        return [int(part) for part in match.group(1).split(",") if part.strip()] if match else []


class ValidationError(OdooError):
    """Odoo refused the values: a UserError, a ValidationError, a wrong selection value."""


class UnknownNameError(OdooError):
    """A model, field or method that does not exist on this server (wrong version, module missing)."""


class ConcurrencyError(OdooError):
    """PostgreSQL could not serialize the transaction against a concurrent one; safe to send again."""

    transient = True


class ServerError(OdooError):
    """Any other server-side failure."""


_EXC_LINE = re.compile(r"^(?:[\w.]+\.)?(\w+(?:Error|Exception|Failure|Warning|Denied|Fault)): ?(.*)$")


def _strip_traceback(text: str) -> tuple[str, str]:
    """Split a server traceback into (exception class name, message). Plain messages come back as-is."""
    if "Traceback (most recent call last)" not in text:
        return "", text.strip()
    lines = text.rstrip().splitlines()
    for index in range(len(lines) - 1, -1, -1):
        line = lines[index]
        if line.startswith((" ", "\t")):
            continue
        match = _EXC_LINE.match(line)
        if match:
            rest = "\n".join([match.group(2), *lines[index + 1 :]]).strip()
            return match.group(1), rest
    return "", lines[-1].strip()


@dataclass(frozen=True)
class _Rule:
    """Odoo exception class names (short: ``AccessError``) and/or a message pattern → our error class.
    An empty ``names`` matches any name; an empty ``pattern`` matches any message."""

    error: type[OdooError]
    names: frozenset[str] = frozenset()
    pattern: str = ""

    def matches(self, name: str, lowered_message: str) -> bool:
        return (not self.names or name in self.names) and (not self.pattern or bool(re.search(self.pattern, lowered_message)))


def _rule(error: type[OdooError], *names: str, pattern: str = "") -> _Rule:
    return _Rule(error, frozenset(names), pattern)


#: First match wins: the specific (a ValueError that says "Invalid field") before the general (any ValueError).
_RULES: tuple[_Rule, ...] = (
    _rule(ConcurrencyError, "SerializationFailure", "TransactionRollbackError"),
    _rule(ConcurrencyError, pattern=r"could not serialize access"),
    _rule(DatabaseNotFound, "OperationalError", pattern=r"database .*does not exist"),
    _rule(AuthenticationError, "AccessDenied", "SessionExpiredException", "Unauthorized"),
    _rule(AccessError, "AccessError", "Forbidden"),
    _rule(MissingRecordError, "MissingError"),
    _rule(MissingRecordError, pattern=r"^record does not exist or has been deleted"),
    _rule(UnknownNameError, pattern=r"^object [\w.]+ doesn't exist"),
    _rule(UnknownNameError, "AttributeError", "NotFound", pattern=r"^the method .* does not exist"),
    _rule(UnknownNameError, "NotFound", pattern=r"^the model .* does not exist"),
    _rule(UnknownNameError, "ValueError", "KeyError", pattern=r"^invalid field|unknown field"),
    _rule(ValidationError, "UserError", "ValidationError", "RedirectWarning", "ValueError", "Warning",
          "UnprocessableEntity"),
)

#: XML-RPC fault code → the Odoo exception it stands for (code 1 carries a traceback that names it).
_FAULT_NAMES = {2: "UserError", 3: "AccessDenied", 4: "AccessError"}

#: JSON-2 HTTP status → our error, when the body names nothing the rules know.
_STATUS_ERRORS: dict[int, type[OdooError]] = {
    401: AuthenticationError, 403: AccessError, 404: UnknownNameError, 422: ValidationError,
}


def _classify(name: str, message: str, *, call: str, odoo_name: str, fault_code: int | None = None,
              default: type[OdooError] = ServerError) -> OdooError:
    lowered = message.lower()
    error = next((rule.error for rule in _RULES if rule.matches(name, lowered)), default)
    return error(message, call=call, odoo_name=odoo_name, fault_code=fault_code)


def from_xmlrpc_fault(code: int, text: str, call: str) -> OdooError:
    """Map an XML-RPC fault (code, faultString) to a typed error."""
    name, message = _strip_traceback(text)
    # Codes 3 and 4 say exactly what happened; code 2 says "a user-facing error" unless the text names one.
    name = _FAULT_NAMES[code] if code in (3, 4) else name or _FAULT_NAMES.get(code, "")
    if code == 3 and not message:
        message = "Access Denied"
    return _classify(name, message, call=call, odoo_name=name, fault_code=code)


def from_jsonrpc_error(error: dict[str, Any], call: str) -> OdooError:
    """Map a JSON-RPC ``error`` object to a typed error."""
    data = error.get("data") if isinstance(error.get("data"), dict) else {}
    assert isinstance(data, dict)
    full_name = str(data.get("name") or "")
    message = str(data.get("message") or error.get("message") or "")
    return _classify(full_name.rsplit(".", 1)[-1], message, call=call, odoo_name=full_name)


def from_json2_error(status: int, body: object, call: str) -> OdooError:
    """Map a JSON-2 error answer (HTTP status and decoded JSON body, or the raw text) to a typed error."""
    if not isinstance(body, dict):
        text = str(body or "")
        if status == 404 and "No database is selected" in text:
            return DatabaseNotFound("the database does not exist on this server (JSON-2 answered "
                                    "'No database is selected')", call=call, odoo_name="werkzeug.exceptions.NotFound")
        return ProtocolError(f"HTTP {status} without a JSON-2 error body: not an Odoo 19+ server, or its JSON-2 API "
                             "is disabled", call=call)
    full_name = str(body.get("name") or "")
    message = str(body.get("message") or f"HTTP {status}")
    return _classify(full_name.rsplit(".", 1)[-1], message, call=call, odoo_name=full_name,
                     default=_STATUS_ERRORS.get(status, ServerError))
