"""The daemon's durable state and its lease, kept in the ERP (``ir.config_parameter``).

Everything that must survive a lost host lives in the ERP, so the daemon can move to another machine freely:
one parameter ``odoo_urgency.state`` holds JSON ``{"lease": {"holder", "expires"}, "cursor", "last_cycle"}``.

* ``cursor`` is the largest ``write_date`` (server clock) seen so far. The next cycle reads rows with
  ``write_date >= cursor - overlap``: Odoo stamps ``write_date`` with the *start* of the writing transaction,
  so a long transaction can commit rows older than the cursor; the overlap catches them, and idempotent
  planning makes reading a row twice harmless.
* ``last_cycle`` is when the previous cycle ran (the daemon's clock): deadlines that passed since then are due.
* The lease: only one daemon acts on one database. A daemon acquires it when free or expired, writes it, reads
  it back (another daemon may have written in between: the last writer wins, the loser sees it and waits),
  and renews it with the cursor at the end of each cycle.
"""

from __future__ import annotations

import json
import os
import socket
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

import structlog

from connector import OdooClient
from connector.records import format_datetime, parse_datetime
from jobs.errors import LeaseHeld

STATE_KEY = "odoo_urgency.state"
log = structlog.get_logger("daemon")


def default_holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass
class DaemonState:
    holder: str | None = None
    expires: datetime | None = None
    cursor: datetime | None = None
    last_cycle: datetime | None = None
    param_id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def parse(cls, param_id: int | None, raw: str | None) -> DaemonState:
        try:
            data = json.loads(raw) if raw else {}
        except ValueError:
            log.warning("state_unreadable", key=STATE_KEY)
            data = {}
        if not isinstance(data, dict):
            data = {}
        lease = data.get("lease") if isinstance(data.get("lease"), dict) else {}
        assert isinstance(lease, dict)
        return cls(holder=lease.get("holder"), expires=parse_datetime(lease.get("expires")),
                   cursor=parse_datetime(data.get("cursor")), last_cycle=parse_datetime(data.get("last_cycle")),
                   param_id=param_id, extra={k: v for k, v in data.items() if k not in ("lease", "cursor", "last_cycle")})

    def dump(self) -> str:
        data = dict(self.extra)
        data["lease"] = {"holder": self.holder, "expires": format_datetime(self.expires) if self.expires else None}
        data["cursor"] = format_datetime(self.cursor) if self.cursor else None
        data["last_cycle"] = format_datetime(self.last_cycle) if self.last_cycle else None
        return json.dumps(data, sort_keys=True)

    def held_by_other(self, holder: str, now: datetime) -> bool:
        return bool(self.holder) and self.holder != holder and self.expires is not None and self.expires > now


class StateStore:
    """Reads and writes ``odoo_urgency.state`` (one ``ir.config_parameter`` row)."""

    def __init__(self, client: OdooClient, holder: str, lease_seconds: float) -> None:
        self.client = client
        self.holder = holder
        self.lease = timedelta(seconds=lease_seconds)

    def read(self) -> DaemonState:
        rows = self.client.search_read("ir.config_parameter", [("key", "=", STATE_KEY)], ["value"], limit=1)
        return DaemonState.parse(rows[0]["id"], rows[0]["value"]) if rows else DaemonState()

    def save(self, state: DaemonState) -> None:
        value = state.dump()
        if state.param_id is None:
            state.param_id = self.client.create_one("ir.config_parameter", {"key": STATE_KEY, "value": value})
        else:
            self.client.write("ir.config_parameter", [state.param_id], {"value": value})

    def acquire(self, now: datetime) -> DaemonState:
        """Take the lease or raise :class:`LeaseHeld`. Costs a read, a write and a read-back."""
        state = self.read()
        if state.held_by_other(self.holder, now):
            raise LeaseHeld(f"another daemon ({state.holder}) holds the lease on this database until "
                            f"{format_datetime(state.expires)} UTC" if state.expires else "lease held")
        state.holder, state.expires = self.holder, now + self.lease
        self.save(state)
        confirmed = self.read()
        if confirmed.holder != self.holder:
            raise LeaseHeld(f"another daemon ({confirmed.holder}) took the lease on this database")
        return confirmed

    def check(self, now: datetime) -> DaemonState:
        """Read the state at the start of a cycle; take the lease if we do not hold it."""
        state = self.read()
        if state.holder == self.holder and state.expires is not None and state.expires > now:
            return state
        return self.acquire(now)

    def renew(self, state: DaemonState, now: datetime) -> None:
        state.holder, state.expires = self.holder, now + self.lease
        self.save(state)

    def release(self, state: DaemonState) -> None:
        if state.holder == self.holder:
            state.expires = datetime.now(timezone.utc)
            self.save(state)
