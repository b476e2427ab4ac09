"""The daemon's durable state and its lease, kept in the ERP (:mod:`jobs.daemon.home`).

Everything that must survive a lost host lives in the ERP, so the daemon can move to another machine freely:
one record ``state`` of the daemon's home holds JSON ``{"lease": {"holder", "expires"}, "cursor", "last_cycle",
...}`` — in the custom model ``x_urgency_state`` once ``odoo-urgency install`` made it (writes clear no cache, and
the daemon needs no administrator rights), else in ``ir.config_parameter`` ``odoo_urgency.state``.

* ``cursor`` is the largest ``write_date`` (server clock) seen so far. The next cycle reads rows with
  ``write_date >= cursor - overlap``: Odoo stamps ``write_date`` with the *start* of the writing transaction,
  so a long transaction can commit rows older than the cursor; the overlap catches them, and idempotent
  planning makes reading a row twice harmless.
* ``last_cycle`` is when the previous cycle ran (the daemon's clock): deadlines that passed since then are due.
* The lease: only one daemon (or backfill) acts on one database. The record itself is the lease: taking a free
  or expired lease *replaces* the stale record with ours, and the home makes sure that of two daemons racing
  only one replacement succeeds (:meth:`jobs.daemon.home.Home.replace`). A holder renews by writing its own
  record; if that record is gone, another daemon took over and the holder stops before writing anything more.
* The fence (issue 19): before each write batch the holder renews (one write of its record) — and refuses to renew
  a lease that has already run out by its own clock, because another daemon may be replacing it at that very
  moment (:meth:`StateStore.fence`). A renewal that succeeds leaves ``lease_seconds`` for the batch; the settings
  refuse a lease too short for the longest call (:func:`jobs.runtime.settings.lease_floor`).
* A holder on this host whose process is gone (``hostname:pid``, the pid no longer running) is taken over at once:
  a restart after a SIGKILL does not wait ``lease_seconds`` for its own dead self.
"""

from __future__ import annotations

import json
import os
import socket
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

import structlog

from odoo_urgency.connector import MissingRecordError, OdooClient
from odoo_urgency.connector.records import format_datetime, parse_datetime
from odoo_urgency.jobs.daemon.home import STATE, Entry, Home, ParamHome
from odoo_urgency.jobs.runtime.errors import LeaseHeld

#: the state's parameter where no state model was installed (``ParamHome``: ``odoo_urgency.`` + ``STATE``)
STATE_KEY = "odoo_urgency.state"
log = structlog.get_logger("daemon")


class LeaseLost(LeaseHeld):
    """The lease expired and another daemon took it over while this one was working."""


def default_holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def dead_on_this_host(holder: str | None) -> bool:
    """Is ``holder`` a ``hostname:pid`` of this host whose process no longer runs? Anything else — another host,
    a configured name, a process we may not signal — is presumed alive."""
    host, _, pid = (holder or "").rpartition(":")
    if host != socket.gethostname() or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:  # it exists under another user
        return False
    return False


@dataclass
class DaemonState:
    holder: str | None = None
    expires: datetime | None = None
    cursor: datetime | None = None
    last_cycle: datetime | None = None
    record_id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def parse(cls, record_id: int | None, raw: str | None) -> DaemonState:
        try:
            data = json.loads(raw) if raw else {}
        except ValueError:
            log.warning("state_unreadable", key=STATE)
            data = {}
        if not isinstance(data, dict):
            data = {}
        lease = data.get("lease") if isinstance(data.get("lease"), dict) else {}
        assert isinstance(lease, dict)
        extra = {k: v for k, v in data.items() if k not in ("lease", "cursor", "last_cycle")}
        return cls(holder=lease.get("holder"), expires=_moment(lease, "expires"), cursor=_moment(data, "cursor"),
                   last_cycle=_moment(data, "last_cycle"), record_id=record_id, extra=extra)

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
        log.warning("state_unreadable", key=STATE, field=name, value=str(data.get(name))[:40])
        return None


class StateStore:
    """Reads and writes the daemon's ``state`` record (which is also the lease) in its home."""

    def __init__(self, client: OdooClient, holder: str, lease_seconds: float, home: Home | None = None) -> None:
        self.client = client
        self.holder = holder
        self.lease = timedelta(seconds=lease_seconds)
        self.home = home or ParamHome(client)

    def read(self) -> DaemonState:
        entry = self.home.read([STATE]).get(STATE)
        return DaemonState.parse(entry.id, entry.value) if entry else DaemonState()

    def hold(self, state: DaemonState, now: datetime) -> DaemonState:
        """The state with the lease held by us: as read when we hold it, else taken over (or LeaseHeld)."""
        if state.held_by(self.holder, now):
            return state
        return self.acquire(state, now)

    def acquire(self, state: DaemonState, now: datetime) -> DaemonState:
        """Take a free or expired lease, or one of a dead process of this host: replace the stale record with ours
        (the home decides races)."""
        if state.held_by_other(self.holder, now):
            if not dead_on_this_host(state.holder):
                until = format_datetime(state.expires) if state.expires else "?"
                raise LeaseHeld(f"another daemon ({state.holder}) holds the lease on this database until {until} UTC")
            log.warning("lease_of_dead_process", holder=state.holder, note="its process is gone: taken over now")
        taken = replace(state, holder=self.holder, expires=now + self.lease, record_id=None)
        stale = Entry(state.record_id, None) if state.record_id is not None else None
        taken.record_id = self.home.replace(stale, STATE, taken.dump()).id
        log.info("lease_acquired", holder=self.holder, home=self.home.where)
        return taken

    def renew(self, state: DaemonState, now: datetime) -> None:
        """Extend our lease (and save the cursor with it). Raises LeaseLost when the row is no longer ours."""
        state.holder, state.expires = self.holder, now + self.lease
        try:
            self.home.write(state.record_id or 0, state.dump())
        except MissingRecordError:
            raise LeaseLost("the lease expired and another daemon took it over; stopping this cycle") from None

    def fence(self, state: DaemonState, now: datetime, margin: timedelta = timedelta(0)) -> None:
        """Before a write batch: make sure the lease is still ours and renew it (one write), else ``LeaseLost``.

        A lease that ran out (or would within ``margin``, the time a renewal may take) by our clock is not renewed:
        another daemon may be replacing it at this moment, and a renewal landing after its read would let both
        write. We stop instead; the next cycle takes the lease again the race-safe way."""
        if not state.held_by(self.holder, now + margin):
            raise LeaseLost("the lease ran out while this daemon was working; stopping before the next write")
        self.renew(state, now)

    def needs_renewal(self, state: DaemonState, now: datetime) -> bool:
        return state.expires is None or state.expires - now < self.lease / 2

    def keep(self, state: DaemonState, now: datetime) -> None:
        """Renew before a batch when half the lease is gone, so a long cycle never outlives it unnoticed."""
        if self.needs_renewal(state, now):
            self.renew(state, now)

    def take(self, now: datetime) -> DaemonState:
        """Hold the lease outside a cycle (the backfill), from a fresh read."""
        return self.hold(self.read(), now)

    def give_back(self, now: datetime) -> None:
        """Release whatever lease this holder has, as the ERP has it now (end of ``once``, shutdown)."""
        self.release(self.read(), now)

    def release(self, state: DaemonState, now: datetime) -> None:
        """End our lease at ``now`` (the daemon's clock), keeping the cursor for whoever comes next."""
        if state.holder == self.holder and state.record_id is not None:
            state.expires = now
            self.home.write(state.record_id, state.dump())
