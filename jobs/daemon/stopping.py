"""Stopping the daemon within 10 s, whatever the ERP does.

SIGTERM (or SIGINT) first asks politely: the cycle stops at the next batch boundary, keeps the cursor of what it
fully processed and gives the lease back. A slow ERP can make that wait as long as ``read_timeout`` times the
calls of a batch — longer than systemd waits. So :class:`Stopper` also arms a timer: past ``grace`` seconds,
SIGALRM raises :class:`Abandoned` in the main thread, which interrupts the socket read in flight (a blocking
``recv`` returns to Python to run the handler) or whatever else the cycle is doing.

Abandoning is safe anywhere because every step of a cycle is already safe to interrupt, like a crash: the ERP
may still finish the abandoned call; in install mode values and memo travel in one call; in tag mode the intent
is saved before the writes and settled by the next run; alerts are found again by their keys before any is
created; the cursor moves only after a complete cycle. The lease is then given back with short timeouts and no
retries, bounded by what is left of ``limit``; if the ERP cannot take even that, the lease expires by itself.
"""

from __future__ import annotations

import signal
import threading
import time
from types import FrameType

import structlog

log = structlog.get_logger("daemon")

#: Seconds after SIGTERM during which the cycle may still stop cleanly at a batch boundary.
GRACE_SECONDS = 4.0
#: Seconds after SIGTERM by which the process has exited (systemd's unit allows 30; the issue asks 10).
LIMIT_SECONDS = 9.0


class Abandoned(BaseException):
    """The stop limit passed with work in flight. A BaseException, like KeyboardInterrupt, so that no
    ``except Exception`` on the way (one bad order must not stop a cycle) swallows it."""


class Stopper:
    def __init__(self, *, grace: float = GRACE_SECONDS, limit: float = LIMIT_SECONDS,
                 event: threading.Event | None = None) -> None:
        self.grace = grace
        self.limit = limit
        self.event = event or threading.Event()
        self._asked_at: float | None = None
        #: The signal that asked (SIGINT: a person pressed Ctrl-C → exit 130), if any.
        self.stopped_by: int | None = None

    @property
    def stopping(self) -> bool:
        return self.event.is_set()

    def install(self) -> Stopper:
        """Main thread only (Python delivers signals there)."""
        signal.signal(signal.SIGTERM, self._asked)
        signal.signal(signal.SIGINT, self._asked)
        signal.signal(signal.SIGALRM, self._overdue)
        return self

    def remaining(self) -> float:
        """Seconds left before the process must be gone (the whole limit while nobody asked to stop)."""
        if self._asked_at is None:
            return self.limit
        return max(0.0, self.limit - (time.monotonic() - self._asked_at))

    def abandon_after(self, seconds: float) -> None:
        """Raise :class:`Abandoned` in the main thread in ``seconds`` (at least a millisecond)."""
        signal.setitimer(signal.ITIMER_REAL, max(seconds, 0.001))

    def disarm(self) -> None:
        signal.setitimer(signal.ITIMER_REAL, 0)

    def _asked(self, signum: int, _frame: FrameType | None) -> None:
        if self._asked_at is not None:
            return  # a second SIGTERM changes nothing: the timer already runs
        self._asked_at = time.monotonic()
        self.stopped_by = signum
        log.info("stopping", signal=signal.Signals(signum).name, abandon_after_s=self.grace)
        self.event.set()
        self.abandon_after(self.grace)

    def _overdue(self, _signum: int, _frame: FrameType | None) -> None:
        if self._asked_at is not None:
            raise Abandoned()
