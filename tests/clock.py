"""A clock the test moves by hand, for the daemon and the sandbox alike (``Sandbox(now=clock)``): the ERP then
stamps ``write_date`` with the test's time, so "ten minutes later" is exact."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class Clock:
    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime.now(UTC).replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)
