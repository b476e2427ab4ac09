"""The service loop: a cycle every ``poll_interval`` seconds, alive through ERP outages, stoppable at once.

* SIGTERM / SIGINT set a flag: the cycle finishes the write batch in flight, keeps the cursor of what it fully
  processed, releases the lease, and the process exits 0 — well within systemd's default 90 s (the issue asks
  for 10 s: a batch is bounded by ``batch_size``).
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
from types import FrameType

import structlog

from connector import AuthenticationError, OdooError, TransportError
from jobs.daemon.metrics import Metrics
from jobs.daemon.summary import CycleSummary
from jobs.daemon.synchronizer import Synchronizer
from jobs.runtime.errors import LeaseHeld

log = structlog.get_logger("daemon")


class Daemon:
    def __init__(self, sync: Synchronizer, *, poll_interval: float, max_backoff: float,
                 metrics: Metrics | None = None) -> None:
        self.sync = sync
        self.poll_interval = poll_interval
        self.max_backoff = max_backoff
        self.metrics = metrics or Metrics()
        self._stop = threading.Event()
        #: the signal that stopped the daemon (SIGINT: a person pressed Ctrl-C → exit 130), if any
        self.stopped_by: int | None = None

    def stop(self, *_: object) -> None:
        self._stop.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    @property
    def interrupted(self) -> bool:
        """Stopped by Ctrl-C (SIGINT) rather than by a service manager (SIGTERM) or the end of its cycles."""
        return self.stopped_by == signal.SIGINT

    def install_signal_handlers(self) -> None:
        def handler(signum: int, _frame: FrameType | None) -> None:
            log.info("stopping", signal=signal.Signals(signum).name)
            self.stopped_by = signum
            self.stop()

        signal.signal(signal.SIGTERM, handler)
        signal.signal(signal.SIGINT, handler)

    def run(self, *, max_cycles: int | None = None, on_cycle: Callable[[CycleSummary], None] | None = None) -> int:
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
        self._release()
        log.info("daemon_stopped", cycles=cycles)
        return 0

    def _release(self) -> None:
        try:
            self.sync.release()
        except OdooError as exc:
            log.warning("lease_not_released", error=str(exc), note="it expires by itself")
