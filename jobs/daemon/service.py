"""The service loop: a cycle every ``poll_interval`` seconds, alive through ERP outages, stoppable at once.

* SIGTERM / SIGINT set a flag: the cycle stops at the next batch boundary, keeps the cursor of what it fully
  processed, releases the lease, and the process exits 0. Under a slow ERP, past a few seconds the call in flight
  is abandoned (``jobs.daemon.stopping``): the process is gone within 10 s whatever the ERP does.
* Network errors, timeouts and outages (after the connector's own retries) end the cycle, not the daemon: it
  waits with exponential backoff and jitter (bounded by ``max_backoff_seconds``) and resumes from the cursor
  kept in the ERP.
* Another daemon holding the lease: wait and say so, then try again.
* Configuration and authentication errors are fatal: they will not heal by waiting.
"""

from __future__ import annotations

import random
import signal
import threading
from collections.abc import Callable

import structlog

from odoo_urgency.connector import AuthenticationError, OdooError, TransportError
from odoo_urgency.jobs.daemon.metrics import Metrics
from odoo_urgency.jobs.daemon.stopping import Abandoned, Stopper
from odoo_urgency.jobs.daemon.summary import CycleSummary
from odoo_urgency.jobs.daemon.synchronizer import Synchronizer
from odoo_urgency.jobs.runtime.errors import LeaseHeld

log = structlog.get_logger("daemon")


class Daemon:
    def __init__(self, sync: Synchronizer, *, poll_interval: float, max_backoff: float,
                 metrics: Metrics | None = None, stopper: Stopper | None = None) -> None:
        self.sync = sync
        self.poll_interval = poll_interval
        self.max_backoff = max_backoff
        self.metrics = metrics or Metrics()
        self.stopper = stopper
        self._stop = stopper.event if stopper else threading.Event()

    def stop(self, *_: object) -> None:
        self._stop.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    @property
    def interrupted(self) -> bool:
        """Stopped by Ctrl-C (SIGINT) rather than by a service manager (SIGTERM) or the end of its cycles."""
        return self.stopper is not None and self.stopper.stopped_by == signal.SIGINT

    def install_signal_handlers(self) -> None:
        """SIGTERM / SIGINT stop the daemon; past the grace period the call in flight is abandoned."""
        if self.stopper is None:
            self.stopper = Stopper(event=self._stop)
        self.stopper.install()

    def run(self, *, max_cycles: int | None = None, on_cycle: Callable[[CycleSummary], None] | None = None) -> int:
        try:
            cycles = self._loop(max_cycles, on_cycle)
        except Abandoned:
            log.warning("call_abandoned", note="stopped while waiting for the ERP; the next run finds what it did")
            cycles = -1
        self._release()
        log.info("daemon_stopped", cycles=cycles)
        return 0

    def _loop(self, max_cycles: int | None, on_cycle: Callable[[CycleSummary], None] | None) -> int:
        failures = 0
        cycles = 0
        log.info("daemon_started", mode=self.sync.mode, holder=self.sync.holder, poll_interval=self.poll_interval)
        while not self.stopping:
            try:
                summary = self.sync.run_cycle(stop=lambda: self.stopping)
            except AuthenticationError:
                raise
            except LeaseHeld as exc:
                log.warning("lease_held", detail=str(exc), retry_in_s=self.poll_interval)
                self.metrics.lease_waits += 1
                wait = self.poll_interval
            except (TransportError, OdooError) as exc:
                failures += 1
                wait = min(self.max_backoff, self.poll_interval * (2 ** min(failures - 1, 10)))
                wait = random.uniform(wait / 2, wait)
                self.metrics.record_error(exc.__class__.__name__)
                log.warning("cycle_failed", error=str(exc), kind=exc.__class__.__name__, retry_in_s=round(wait, 1),
                            consecutive_failures=failures)
            else:
                failures = 0
                self.metrics.record_cycle(summary)
                if on_cycle:
                    on_cycle(summary)
                wait = self.poll_interval
            cycles += 1
            if max_cycles is not None and cycles >= max_cycles:
                break
            self._stop.wait(wait)
        return cycles

    def _release(self) -> None:
        """Give the lease back; after a stop signal, within what is left of the limit and without retries."""
        stopper = self.stopper
        try:
            if stopper is not None and stopper.stopping:
                stopper.abandon_after(stopper.remaining())
                self.sync.client.hurry(stopper.remaining())
            self.sync.release()
        except (OdooError, Abandoned) as exc:
            log.warning("lease_not_released", error=str(exc) or "no time left", note="it expires by itself")
        finally:
            if stopper is not None:
                stopper.disarm()
