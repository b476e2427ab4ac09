"""The connector's exceptions, and the one place that maps what Odoo sends onto them.

A shallow hierarchy, after httpx: callers catch :class:`OdooError` for anything, or one of its few
children for what they can act on. Every error keeps Odoo's own message (minus the server traceback) and
names the call that failed (``sale.order.write``), and none ever carries a password or an API key.

What Odoo really sends (checked against recorded Odoo 16/17/18 answers):

* XML-RPC faults: code 1 = any other exception (the text is the server traceback; its last line says what
  it was), 2 = UserError / ValidationError / MissingError, 3 = AccessDenied (bad login or key),
  4 = AccessError.
* JSON-RPC: HTTP 200 with ``error.data.name`` (``odoo.exceptions.AccessError``, ``builtins.ValueError``, ...)
  and ``error.data.message``.
"""

from __future__ import annotations

import re


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

    def __init__(self, message: str, **kwargs: object) -> None:
        super().__init__(message, **kwargs)  # type: ignore[arg-type]
        match = re.search(r"Record: [\w.]+\(([\d, ]+)\)", message)
        self.ids = [int(part) for part in match.group(1).split(",") if part.strip()] if match else []


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


def _classify(name: str, message: str, call: str, fault_code: int | None, odoo_name: str) -> OdooError:
    kwargs: dict[str, object] = {"call": call, "odoo_name": odoo_name, "fault_code": fault_code}
    lowered = message.lower()
    if "could not serialize access" in lowered or name in ("SerializationFailure", "TransactionRollbackError"):
        return ConcurrencyError(message, **kwargs)  # type: ignore[arg-type]
    if name == "OperationalError" and "does not exist" in lowered and "database" in lowered:
        return DatabaseNotFound(message, **kwargs)  # type: ignore[arg-type]
    if name == "AccessDenied":
        return AuthenticationError(message, **kwargs)  # type: ignore[arg-type]
    if name == "AccessError":
        return AccessError(message, **kwargs)  # type: ignore[arg-type]
    if name == "MissingError" or lowered.startswith("record does not exist or has been deleted"):
        return MissingRecordError(message, **kwargs)  # type: ignore[arg-type]
    if re.match(r"object [\w.]+ doesn't exist", lowered):
        return UnknownNameError(message, **kwargs)  # type: ignore[arg-type]
    if name == "AttributeError" and re.match(r"the method .* does not exist", lowered):
        return UnknownNameError(message, **kwargs)  # type: ignore[arg-type]
    if name in ("ValueError", "KeyError") and (lowered.startswith("invalid field") or "unknown field" in lowered):
        return UnknownNameError(message, **kwargs)  # type: ignore[arg-type]
    if name in ("UserError", "ValidationError", "RedirectWarning", "ValueError", "Warning"):
        return ValidationError(message, **kwargs)  # type: ignore[arg-type]
    return ServerError(message, **kwargs)  # type: ignore[arg-type]


def from_xmlrpc_fault(code: int, text: str, call: str) -> OdooError:
    """Map an XML-RPC fault (code, faultString) to a typed error."""
    name, message = _strip_traceback(text)
    if code == 3:
        return AuthenticationError(message or "Access Denied", call=call, odoo_name="AccessDenied", fault_code=3)
    if code == 4:
        return AccessError(message, call=call, odoo_name="AccessError", fault_code=4)
    if code == 2:
        if message.startswith("Record does not exist or has been deleted"):
            name = "MissingError"
        else:
            name = name or "UserError"
    return _classify(name, message, call, code, name)


def from_jsonrpc_error(error: dict[str, object], call: str) -> OdooError:
    """Map a JSON-RPC ``error`` object to a typed error."""
    data = error.get("data") if isinstance(error.get("data"), dict) else {}
    assert isinstance(data, dict)
    full_name = str(data.get("name") or "")
    message = str(data.get("message") or error.get("message") or "")
    short = full_name.rsplit(".", 1)[-1]
    if full_name == "odoo.http.SessionExpiredException":
        return AuthenticationError(message, call=call, odoo_name=full_name)
    return _classify(short, message, call, None, full_name)
