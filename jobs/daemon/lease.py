"""The daemon's durable state and its lease, kept in the ERP (``ir.config_parameter``).

Everything that must survive a lost host lives in the ERP, so the daemon can move to another machine freely:
one parameter ``odoo_urgency.state`` holds JSON ``{"lease": {"holder", "expires"}, "cursor", "last_cycle", ...}``.

* ``cursor`` is the largest ``write_date`` (server clock) seen so far. The next cycle reads rows with
  ``write_date >= cursor - overlap``: Odoo stamps ``write_date`` with the *start* of the writing transaction,
  so a long transaction can commit rows older than the cursor; the overlap catches them, and idempotent
  planning makes reading a row twice harmless.
* ``last_cycle`` is when the previous cycle ran (the daemon's clock): deadlines that passed since then are due.
* The lease: only one daemon (or backfill) acts on one database. The row itself is the lease, and Odoo's unique
  constraint on the parameter's key is the referee: taking a free or expired lease means deleting the stale row
  and *creating* a new one — of two daemons racing, only one create can succeed. A holder renews by writing its
  own row; if that row is gone, another daemon took over and the holder stops before writing anything more.
"""

from __future__ import annotations

import json
import os
import socket
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from typing import Any

import structlog

from connector import MissingRecordError, OdooClient, OdooError
from connector.records import format_datetime, parse_datetime
from jobs.runtime.errors import LeaseHeld

STATE_KEY = "odoo_urgency.state"
log = structlog.get_logger("daemon")


class LeaseLost(LeaseHeld):
    """The lease expired and another daemon took it over while this one was working."""


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
        extra = {k: v for k, v in data.items() if k not in ("lease", "cursor", "last_cycle")}
        return cls(holder=lease.get("holder"), expires=_moment(lease, "expires"), cursor=_moment(data, "cursor"),
                   last_cycle=_moment(data, "last_cycle"), param_id=param_id, extra=extra)

    def dump(self) -> str:
        data = dict(self.extra)
        data["lease"] = {"holder": self.holder, "expires": format_datetime(self.expires) if self.expires else None}
        data["cursor"] = format_datetime(self.cursor) if self.cursor else None
        data["last_cycle"] = format_datetime(self.last_cycle) if self.last_cycle else None
        return json.dumps(data, sort_keys=True)

    def held_by(self, holder: str, now: datetime) -> bool:
        return self.holder == holder and self.expires is not None and self.expires > now

    def held_by_other(self, holder: str, now: datetime) -> bool:
        return bool(self.holder) and self.holder != holder and self.expires is not None and self.expires > now


def _moment(data: dict[str, Any], name: str) -> datetime | None:
    """A datetime of the state; one that cannot be read (a hand-edited row) is as good as unknown — a rescan, a
    free lease — rather than a cycle that fails for good."""
    try:
        return parse_datetime(data.get(name))
    except (TypeError, ValueError):
        log.warning("state_unreadable", key=STATE_KEY, field=name, value=str(data.get(name))[:40])
        return None


class StateStore:
    """Reads and writes ``odoo_urgency.state`` (one ``ir.config_parameter`` row, which is also the lease)."""

    def __init__(self, client: OdooClient, holder: str, lease_seconds: float) -> None:
        self.client = client
        self.holder = holder
        self.lease = timedelta(seconds=lease_seconds)

    def read(self) -> DaemonState:
        rows = self.client.search_read("ir.config_parameter", [("key", "=", STATE_KEY)], ["value"], limit=1)
        return DaemonState.parse(rows[0]["id"], rows[0]["value"]) if rows else DaemonState()

    def hold(self, state: DaemonState, now: datetime) -> DaemonState:
        """The state with the lease held by us: as read when we hold it, else taken over (or LeaseHeld)."""
        if state.held_by(self.holder, now):
            return state
        return self.acquire(state, now)

    def acquire(self, state: DaemonState, now: datetime) -> DaemonState:
        """Take a free or expired lease: delete the stale row, create ours (the unique key decides races)."""
        if state.held_by_other(self.holder, now):
            until = format_datetime(state.expires) if state.expires else "?"
            raise LeaseHeld(f"another daemon ({state.holder}) holds the lease on this database until {until} UTC")
        if state.param_id is not None:
            self.client.unlink("ir.config_parameter", [state.param_id])
        taken = replace(state, holder=self.holder, expires=now + self.lease, param_id=None)
        for attempt in range(1, self.client.settings.retry_attempts + 1):
            try:
                taken.param_id = self.client.create_one("ir.config_parameter",
                                                        {"key": STATE_KEY, "value": taken.dump()})
                break
            except OdooError as exc:
                if not exc.transient:
                    raise LeaseHeld("another daemon took the lease on this database at the same moment") from None
                # The answer is lost, not necessarily the create: look before sending it again.
                found = self.read()
                if found.held_by(self.holder, now):
                    taken = found
                    break
                if found.param_id is not None or attempt == self.client.settings.retry_attempts:
                    raise
        log.info("lease_acquired", holder=self.holder)
        return taken

    def renew(self, state: DaemonState, now: datetime) -> None:
        """Extend our lease (and save the cursor with it). Raises LeaseLost when the row is no longer ours."""
        state.holder, state.expires = self.holder, now + self.lease
        try:
            self.client.write("ir.config_parameter", [state.param_id or 0], {"value": state.dump()})
        except MissingRecordError:
            raise LeaseLost("the lease expired and another daemon took it over; stopping this cycle") from None

    def needs_renewal(self, state: DaemonState, now: datetime) -> bool:
        return state.expires is None or state.expires - now < self.lease / 2

    def keep(self, state: DaemonState, now: datetime) -> None:
        """Renew before a batch when half the lease is gone, so a long cycle never outlives it unnoticed."""
        if self.needs_renewal(state, now):
            self.renew(state, now)

    def take(self, now: datetime) -> DaemonState:
        """Hold the lease outside a cycle (the backfill), from a fresh read."""
        return self.hold(self.read(), now)

    def give_back(self) -> None:
        """Release whatever lease this holder has, as the ERP has it now (end of ``once``, shutdown)."""
        self.release(self.read())

    def release(self, state: DaemonState) -> None:
        """End our lease now, keeping the cursor for whoever comes next."""
        if state.holder == self.holder and state.param_id is not None:
            state.expires = datetime.now(timezone.utc)
            self.client.write("ir.config_parameter", [state.param_id], {"value": state.dump()})
