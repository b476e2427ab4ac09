"""The one rule every department is judged by: done by the date it was due?

An item (an order to process, an MO to finish, a delivery to ship, a purchase line to receive) has a *due* moment
and, once done, a *done* moment. Done at or before due is **on time**; done after, or not done while ``now`` is
past due, is **late**; not done and not yet due is **pending** (the outcome is still open). Lateness is the hours
past due — until done, or until ``now`` for what is still not done. The sales processing deadline, the production
finish, the shipment and the receipt all go through :func:`judge`, so "late" means the same thing in every
section of the report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from odoo_urgency.policies.calendar import as_utc


class Status(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    PENDING = "pending"


@dataclass(frozen=True)
class Judgment:
    due: datetime
    done_at: datetime | None
    status: Status
    #: Hours past due (0 unless late).
    lateness_hours: float = 0.0

    @property
    def decided(self) -> bool:
        return self.status is not Status.PENDING


def judge(due: datetime, done_at: datetime | None, now: datetime) -> Judgment:
    due = as_utc(due)
    done = as_utc(done_at) if done_at is not None else None
    end = done if done is not None else as_utc(now)
    if end <= due:
        return Judgment(due, done, Status.ON_TIME if done is not None else Status.PENDING)
    return Judgment(due, done, Status.LATE, round((end - due).total_seconds() / 3600, 4))
