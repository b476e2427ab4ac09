"""The Odoo client: the one object the rest of the program talks to the ERP through.

It authenticates once, then sends ``execute_kw`` calls over the configured transport, retrying only where
that is safe (see ``_retry``). It counts its round trips (``stats``), so a job can report how many RPC calls
a cycle cost, and caches ``fields_get`` per model. Reading many rows goes through :meth:`search_read_all`,
which pages by id (keyset paging, stable while other users insert rows) rather than by offset.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import structlog

from odoo_urgency.connector._exceptions import AuthenticationError, OdooError
from odoo_urgency.connector._json2 import NEEDS_KEY
from odoo_urgency.connector._protocols import make_transport
from odoo_urgency.connector._retry import IDEMPOTENT_METHODS, run_with_retry
from odoo_urgency.connector._transport import Transport
from odoo_urgency.connector.costs import CallCost, records_of
from odoo_urgency.connector.settings import ConnectionSettings

log = structlog.get_logger("connector")

Domain = list[Any]


@dataclass
class CallStats:
    """Round trips sent, in total and per ``model.method``; what they cost (``connector.costs``)."""

    calls: int = 0
    by_method: Counter[str] = field(default_factory=Counter)
    costs: dict[str, CallCost] = field(default_factory=dict)

    def record(self, label: str) -> None:
        self.calls += 1
        self.by_method[label] += 1

    def cost(self, label: str, records: int, seconds: float) -> None:
        self.costs.setdefault(label, CallCost()).add(records, seconds)

    def snapshot(self) -> dict[str, CallCost]:
        return {label: CallCost(c.calls, c.records, c.seconds) for label, c in self.costs.items()}


class OdooClient:
    """A connection to one database as one user."""

    def __init__(self, settings: ConnectionSettings, *, transport: Transport | None = None,
                 retry_base_wait: float = 0.2, max_calls_per_second: float | None = None) -> None:
        self.settings = settings
        self._transport = transport or make_transport(settings)
        self._retry_base_wait = retry_base_wait
        self._fields_cache: dict[str, dict[str, dict[str, Any]]] = {}
        self.uid: int | None = None
        self.stats = CallStats()
        self.server_version: dict[str, Any] = {}
        #: Protects a production ERP from a bulk job: at most this many calls per second (None = no limit).
        self.max_calls_per_second = max_calls_per_second
        self._next_slot = 0.0

    # -- plumbing ---------------------------------------------------------------------------------------

    def _send(self, service: str, method: str, args: list[Any], *, label: str, idempotent: bool) -> Any:
        def attempt() -> Any:
            self._pace()
            self.stats.record(label)
            started = time.perf_counter()
            result = self._transport.call(service, method, args, label=label)
            call_args = args[5] if service == "object" and len(args) > 5 else []
            self.stats.cost(label, records_of(str(args[4]) if call_args else method, call_args, result),
                            time.perf_counter() - started)
            return result

        return run_with_retry(attempt, idempotent=idempotent, attempts=self.settings.retry_attempts,
                              max_seconds=self.settings.retry_max_seconds, base_wait=self._retry_base_wait)

    def _pace(self) -> None:
        if not self.max_calls_per_second:
            return
        now = time.monotonic()
        if now < self._next_slot:
            time.sleep(self._next_slot - now)
            now = self._next_slot
        self._next_slot = now + 1.0 / self.max_calls_per_second

    def hurry(self, seconds: float) -> None:
        """From now on: no retries, and no call waits longer than ``seconds`` (a process that must exit soon
        gives its lease back with what time is left)."""
        self.settings = self.settings.model_copy(update={"retry_attempts": 1})
        limit = max(seconds, 0.1)
        set_timeout = getattr(self._transport, "set_timeout", None)
        if set_timeout is not None:
            set_timeout(min(self.settings.connect_timeout, limit), min(self.settings.read_timeout, limit))

    def close(self) -> None:
        self._transport.close()

    def __enter__(self) -> OdooClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return (f"OdooClient(url={self.settings.public_url!r}, database={self.settings.database!r}, "
                f"login={self.settings.login!r}, protocol={self.settings.protocol!r}, uid={self.uid})")

    @property
    def protocol(self) -> str:
        """The wire protocol in use; ``auto`` is resolved by the first call (``version()``)."""
        return str(getattr(self._transport, "protocol", "") or self.settings.protocol)

    @property
    def protocol_reason(self) -> str:
        """Why this protocol: the settings said so, or what ``auto`` saw."""
        return str(getattr(self._transport, "reason", "") or f"protocol = {self.settings.protocol!r} in [odoo]")

    # -- common service ---------------------------------------------------------------------------------

    def version(self) -> dict[str, Any]:
        result = self._send("common", "version", [], label="common.version", idempotent=True)
        self.server_version = result if isinstance(result, dict) else {}
        return self.server_version

    @property
    def major_version(self) -> int:
        info = self.server_version.get("server_version_info") or [0]
        try:
            return int(info[0])
        except (TypeError, ValueError, IndexError):
            return 0

    def authenticate(self) -> int:
        """Log in; returns the uid. Raises :class:`AuthenticationError` for a wrong login, password or key."""
        secret = self.settings.secret()
        if self.settings.protocol == "json2" and not self.settings.api_key_value():
            raise AuthenticationError(NEEDS_KEY, call="common.authenticate")
        if not secret:
            raise AuthenticationError(
                "no password or API key: set ODOO_URGENCY_PASSWORD or ODOO_URGENCY_API_KEY "
                "(or password_file / api_key_file in [odoo])", call="common.authenticate")
        uid = self._send("common", "authenticate",
                         [self.settings.database, self.settings.login, secret, {}],
                         label="common.authenticate", idempotent=True)
        if not uid:
            raise AuthenticationError(
                f"login {self.settings.login!r} refused by database {self.settings.database!r}: "
                "wrong login, password or API key (or the API key expired)", call="common.authenticate")
        self.uid = int(uid)
        return self.uid

    # -- object service ---------------------------------------------------------------------------------

    def call(self, model: str, method: str, *args: Any, idempotent: bool | None = None, **kwargs: Any) -> Any:
        """``execute_kw(model, method, args, kwargs)``. Retried on transient errors only when idempotent
        (by default: the read methods and ``write``; pass ``idempotent=True`` for a business method you know
        is safe to send twice)."""
        if self.uid is None:
            self.authenticate()
        label = f"{model}.{method}"
        safe = method in IDEMPOTENT_METHODS if idempotent is None else idempotent
        payload: list[Any] = [self.settings.database, self.uid, self.settings.secret(), model, method, list(args)]
        if kwargs:
            payload.append(kwargs)
        return self._send("object", "execute_kw", payload, label=label, idempotent=safe)

    def search(self, model: str, domain: Domain, *, order: str | None = None, limit: int | None = None,
               offset: int = 0, context: dict[str, Any] | None = None) -> list[int]:
        kwargs = _drop_none(order=order, limit=limit, offset=offset or None, context=context)
        return list(self.call(model, "search", domain, **kwargs))

    def search_read(self, model: str, domain: Domain, fields: Sequence[str] | None = None, *,
                    order: str | None = None, limit: int | None = None, offset: int = 0,
                    context: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        kwargs = _drop_none(fields=list(fields) if fields is not None else None, order=order, limit=limit,
                            offset=offset or None, context=context)
        return list(self.call(model, "search_read", domain, **kwargs))

    def search_read_all(self, model: str, domain: Domain, fields: Sequence[str] | None = None, *,
                        page_size: int | None = None, context: dict[str, Any] | None = None
                        ) -> Iterator[list[dict[str, Any]]]:
        """Every matching row, in pages ordered by id. Keyset paging (``id > last``), not offsets: rows
        created or deleted by others while we page neither shift nor duplicate what we read."""
        size = page_size or self.settings.page_size
        last_id = 0
        while True:
            page_domain = [("id", ">", last_id), *domain] if last_id else list(domain)
            rows = self.search_read(model, page_domain, fields, order="id", limit=size, context=context)
            if rows:
                yield rows
            if len(rows) < size:
                return
            last_id = int(rows[-1]["id"])

    def search_count(self, model: str, domain: Domain, *, context: dict[str, Any] | None = None) -> int:
        return int(self.call(model, "search_count", domain, **_drop_none(context=context)))

    def read(self, model: str, ids: Sequence[int], fields: Sequence[str] | None = None) -> list[dict[str, Any]]:
        if not ids:
            return []
        kwargs = _drop_none(fields=list(fields) if fields is not None else None)
        return list(self.call(model, "read", list(ids), **kwargs))

    def write(self, model: str, ids: Sequence[int], values: dict[str, Any]) -> bool:
        """Write the same absolute values on every id (one round trip)."""
        if not ids:
            return True
        return bool(self.call(model, "write", list(ids), values))

    def create(self, model: str, values: dict[str, Any] | Sequence[dict[str, Any]]) -> int | list[int]:
        """Create one record (a dict → its id) or many in one call (a list → their ids). Never retried."""
        if isinstance(values, dict):
            return int(self.call(model, "create", values))
        if not values:
            return []
        result = self.call(model, "create", list(values))
        return [int(item) for item in result] if isinstance(result, list) else [int(result)]

    def create_one(self, model: str, values: dict[str, Any]) -> int:
        """Create one record; its id. Never retried."""
        return int(self.call(model, "create", values))

    def create_many(self, model: str, values: Sequence[dict[str, Any]]) -> list[int]:
        """Create records in one call; their ids in order. Never retried."""
        result = self.create(model, list(values))
        return result if isinstance(result, list) else [result]

    def unlink(self, model: str, ids: Sequence[int]) -> bool:
        if not ids:
            return True
        return bool(self.call(model, "unlink", list(ids)))

    def fields_get(self, model: str, *, refresh: bool = False) -> dict[str, dict[str, Any]]:
        """The model's fields (type, relation, selection, required, readonly), cached per model."""
        if refresh or model not in self._fields_cache:
            result = self.call(model, "fields_get", [],
                               attributes=["type", "string", "relation", "selection", "required", "readonly"])
            self._fields_cache[model] = dict(result)
        return self._fields_cache[model]

    def forget_fields(self, model: str | None = None) -> None:
        if model is None:
            self._fields_cache.clear()
        else:
            self._fields_cache.pop(model, None)


def _drop_none(**kwargs: Any) -> dict[str, Any]:
    return {key: value for key, value in kwargs.items() if value is not None}


__all__ = ["OdooClient", "CallStats", "OdooError"]
