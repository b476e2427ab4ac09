"""The planner's time line: whole minutes of work, counted from ``now``.

Real time has nights, weekends and holidays in which nothing happens; the solver should not have to model them.
The axis keeps only the minutes in which *some* work center works (the union of their calendars) and numbers
them 0, 1, 2…: an operation of 600 minutes of work is an interval of length 600 on the axis, and mapped back it
spans the night in between, exactly as Odoo plans a work order across days. A work center that does not work
in part of the union (another calendar, its own leave, a maintenance slot) gets that part as a fixed busy
interval, so nothing is ever placed in its non-working time. (The price: on a work center whose calendar
differs from the union, one operation does not straddle such a gap; it waits or finishes before it.)
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from odoo_urgency.policies.planning.calendar import Span, as_utc, merge, subtract

Interval = tuple[int, int]


def _minutes(delta: timedelta) -> float:
    return delta.total_seconds() / 60


@dataclass
class Axis:
    """Working minutes of the union of calendars between ``origin`` and ``origin + horizon``."""

    origin: datetime
    starts: list[int] = field(default_factory=list)  # real minutes from origin where each span opens
    ends: list[int] = field(default_factory=list)
    offsets: list[int] = field(default_factory=list)  # axis position where each span opens
    length: int = 0

    @classmethod
    def build(cls, origin: datetime, spans: Iterable[Span]) -> Axis:
        origin = as_utc(origin)
        axis = cls(origin)
        for start, end in merge(spans):
            a = max(0, math.ceil(_minutes(start - origin)))
            b = math.floor(_minutes(end - origin))
            if b <= a:
                continue
            if axis.ends and a <= axis.ends[-1]:  # rounding made two spans touch
                axis.length += b - axis.ends[-1]
                axis.ends[-1] = b
                continue
            axis.starts.append(a)
            axis.ends.append(b)
            axis.offsets.append(axis.length)
            axis.length += b - a
        return axis

    def at(self, moment: datetime) -> int:
        """Axis position of a real instant: the working minutes before it (an instant in a gap → the next)."""
        real = math.floor(_minutes(as_utc(moment) - self.origin))
        index = bisect_right(self.starts, real) - 1
        if index < 0:
            return 0
        return self.offsets[index] + min(real, self.ends[index]) - self.starts[index]

    def real(self, position: int, *, end: bool = False) -> datetime:
        """The real instant of an axis position; an ``end`` on a span boundary closes the earlier span."""
        if not self.starts:
            return self.origin + timedelta(minutes=position)
        index = (bisect_left if end else bisect_right)(self.offsets, position) - 1
        index = min(max(index, 0), len(self.starts) - 1)
        return self.origin + timedelta(minutes=self.starts[index] + position - self.offsets[index])

    def segments(self, spans: Iterable[Span]) -> list[Interval]:
        """Real spans as axis intervals (the working minutes they cover), merged."""
        out: list[Interval] = []
        for start, end in merge(spans):
            a, b = self.at(start), self.at(end)
            if b > a:
                if out and a <= out[-1][1]:
                    out[-1] = (out[-1][0], max(b, out[-1][1]))
                else:
                    out.append((a, b))
        return out

    def gaps(self, working: list[Span], until: datetime) -> list[Interval]:
        """The axis minutes in which a calendar with these ``working`` spans does not work."""
        union = [(self.origin + timedelta(minutes=a), self.origin + timedelta(minutes=b))
                 for a, b in zip(self.starts, self.ends, strict=True)]
        holes = subtract(union, merge(working))
        return self.segments(h for h in holes if h[0] < until)


def merge_intervals(intervals: Iterable[Interval]) -> list[Interval]:
    out: list[Interval] = []
    for a, b in sorted(i for i in intervals if i[1] > i[0]):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(b, out[-1][1]))
        else:
            out.append((a, b))
    return out
