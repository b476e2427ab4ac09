"""Verdicts: per need, whether its supply is there in time; per MO, when its materials are ready and the earliest
possible finish.

* available — covered by its reservation and free stock;
* on_time — incoming supply covers it and arrives by the need date;
* late — some of its supply arrives after the need date (how late: the latest arrival minus the need date);
* short — part of it has no supply at all.

Earliest possible finish = the later of materials ready and the production slot's start (never before ``now``),
plus the slot's duration: a late component pushes the whole MO. The slot is passed in, so the capacity planner's
slot replaces the MO's planned dates without touching this rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from odoo_urgency.policies.materials.pegging import Coverage


class Status(StrEnum):
    AVAILABLE = "available"
    ON_TIME = "on_time"
    LATE = "late"
    SHORT = "short"


def arrival(coverage: Coverage) -> datetime | None:
    """When the last unit covering the need arrives (None: all of it is here now)."""
    dates = [a.supply.expected for a in coverage.allocations if a.supply.expected is not None]
    return max(dates) if dates else None


def status(coverage: Coverage) -> Status:
    if coverage.short > 0:
        return Status.SHORT
    when = arrival(coverage)
    if when is None:
        return Status.AVAILABLE
    return Status.LATE if when > coverage.need.needed_by else Status.ON_TIME


def late_by(coverage: Coverage) -> timedelta:
    when = arrival(coverage)
    return max(when - coverage.need.needed_by, timedelta(0)) if when is not None else timedelta(0)


@dataclass
class MoMaterials:
    """The materials side of one MO: its coverages, when everything is there, and the earliest finish."""

    mo_id: int
    mo_name: str
    coverages: list[Coverage] = field(default_factory=list)
    #: When the last component arrives (``now`` if all are here); None while something has no supply.
    ready_at: datetime | None = None
    earliest_finish: datetime | None = None

    @property
    def status(self) -> Status:
        statuses = {status(c) for c in self.coverages}
        for worst in (Status.SHORT, Status.LATE, Status.ON_TIME):
            if worst in statuses:
                return worst
        return Status.AVAILABLE


def earliest_finish(ready_at: datetime, slot_start: datetime, slot_finish: datetime, now: datetime) -> datetime:
    """The later of materials ready and the slot's start (not before now), plus the slot's duration."""
    duration = max(slot_finish - slot_start, timedelta(0))
    return max(ready_at, slot_start, now) + duration


def summarize_mo(
    mo_id: int, mo_name: str, coverages: list[Coverage], now: datetime,
    slot_start: datetime | None, slot_finish: datetime | None,
) -> MoMaterials:
    """One MO's materials verdict from the coverages of its needs and its production slot."""
    mine = [c for c in coverages if c.need.mo_id == mo_id]
    out = MoMaterials(mo_id=mo_id, mo_name=mo_name, coverages=mine)
    if any(c.short > 0 for c in mine):
        return out
    arrivals = [when for when in (arrival(c) for c in mine) if when is not None]
    out.ready_at = max([now, *arrivals])
    if slot_start is not None and slot_finish is not None:
        out.earliest_finish = earliest_finish(out.ready_at, slot_start, slot_finish, now)
    return out
