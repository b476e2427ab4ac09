"""The write guard: what the daemon makes sure of before each write batch, and what it remembers about creates
whose answer may be lost (issue 19).

**The fence.** Before each batch of writes (to-dos, values, the capacity plan's dates) the guard renews the lease
(:meth:`jobs.daemon.lease.StateStore.fence`: one write of the daemon's own state record), which fails once another
daemon replaced that record — and is refused by the daemon itself when its lease already ran out by its own clock.
A quiet cycle writes nothing and so pays no fence: it stays at five calls. The guard measures each batch from its
fence to its last write and warns when the lease is shorter than ``LEASE_MARGIN`` × that time.

**Creates in flight.** ``create`` is never sent twice blindly, but a lost answer says nothing about whether the
ERP did it: a real Odoo may still be running it, and commit it seconds after the client gave up — a search right
after the loss finds nothing, and a second create duplicates every to-do. So the keys of a batch of to-dos are
written into the daemon's state *with the fence that precedes their create* (the same single write), as
``in_flight: {key: when}``. Until the ERP shows them, or until ``erp_request_limit_seconds`` have passed (Odoo
kills a request after ``limit_time_real``, so by then the lost call committed or rolled back), those alerts are
not created again: their orders wait for the next cycle, which looks again. A restart reads the same state, so
a SIGKILL right after the create was sent (and a restart within seconds) waits just the same. Keys are settled —
dropped from the state — when found, or when a create is answered; the next state write saves that.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

import structlog

from odoo_urgency.connector.records import format_datetime, parse_datetime
from odoo_urgency.jobs.daemon.lease import DaemonState, StateStore

IN_FLIGHT = "in_flight"
#: Keys older than this are dropped even if never seen again (their order no longer wants the alert).
FORGET_AFTER = timedelta(days=1)
log = structlog.get_logger("daemon")


class WriteGuard:
    """The fence and the in-flight creates of one daemon for one cycle's state."""

    def __init__(self, lease: StateStore, state: DaemonState, clock: Callable[[], datetime], *,
                 settle: timedelta, margin: timedelta, margin_factor: float = 2.0) -> None:
        self.lease = lease
        self.state = state
        self.clock = clock
        #: how long a lost create may still commit (the ERP's request limit)
        self.settle = settle
        #: the lease left that a fence needs: a renewal landing after the lease ran out is not a fence
        self.margin = margin
        self.margin_factor = margin_factor
        self._fenced_at: float | None = None
        #: a lost create was found committed this cycle: the plugin's duplicates are worth a sweep
        self.recovered = False

    # -- the fence -----------------------------------------------------------------------------------------

    def fence(self) -> None:
        """Before a write batch: still ours? renewed (one write) — else ``LeaseLost``, and nothing is written."""
        self.batch_done()
        self.lease.fence(self.state, self.clock(), self.margin)
        self._fenced_at = time.monotonic()

    def batch_done(self) -> None:
        """The batch since the last fence is over: compare its duration with the lease."""
        if self._fenced_at is None:
            return
        took = time.monotonic() - self._fenced_at
        self._fenced_at = None
        if took * self.margin_factor > self.lease.lease.total_seconds():
            log.warning("lease_short_for_batch", batch_s=round(took, 1), lease_s=self.lease.lease.total_seconds(),
                        note=f"raise daemon.lease_seconds above {self.margin_factor:g} × the batch time, or lower "
                             "daemon.batch_size")

    # -- creates in flight ---------------------------------------------------------------------------------

    def in_flight(self) -> dict[str, datetime]:
        raw = self.state.extra.get(IN_FLIGHT)
        found: dict[str, datetime] = {}
        for key, when in (raw.items() if isinstance(raw, dict) else []):
            try:
                moment = parse_datetime(when)
            except (TypeError, ValueError):
                moment = None
            if moment is not None:
                found[str(key)] = moment
        return found

    def _save(self, keys: dict[str, datetime]) -> None:
        now = self.clock()
        kept = {key: format_datetime(when) for key, when in keys.items() if now - when < FORGET_AFTER}
        if kept:
            self.state.extra[IN_FLIGHT] = kept
        else:
            self.state.extra.pop(IN_FLIGHT, None)

    def waiting(self, keys: Iterable[str]) -> set[str]:
        """Of ``keys`` (not found in the ERP), those a lost create may still commit: not to be sent again yet."""
        flying, now = self.in_flight(), self.clock()
        return {key for key in keys if key in flying and now < flying[key] + self.settle}

    def found(self, keys: Iterable[str]) -> None:
        """These keys are live in the ERP: any lost create of theirs did happen."""
        flying = self.in_flight()
        settled = [key for key in keys if key in flying]
        if settled:
            self.recovered = True
            log.info("lost_create_found", count=len(settled), note="the ERP committed it after its answer was lost")
            self.settle_keys(settled)

    def settle_keys(self, keys: Iterable[str]) -> None:
        flying = self.in_flight()
        for key in keys:
            flying.pop(key, None)
        self._save(flying)

    def sending(self, keys: Iterable[str]) -> None:
        """About to send a create for ``keys``: note them as in flight, saved by the fence's own write."""
        flying, now = self.in_flight(), self.clock()
        flying.update({key: now for key in keys})
        self._save(flying)
        self.fence()
