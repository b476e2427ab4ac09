"""When the factory works: one calendar model for work centers and for processing deadlines.

A :class:`WorkingTime` is what Odoo keeps in ``resource.calendar`` (+ ``.attendance`` + ``.leaves``): spans of a
week day in the calendar's time zone (several a day — morning and afternoon around a lunch break, which Odoo
records as a ``lunch`` attendance that is not work), optionally only in the first or second week of a two-week
calendar and only between two dates, minus leaves (public holidays, maintenance, a work center's own time off)
given as UTC instants. The deadlines of ``[rules.calendar]`` in "working" mode are the same model built from
settings (:meth:`WorkingTime.from_config`), so a deadline and a plan never disagree about when work happens.

Spans are computed per local day and converted to UTC one by one, so a daylight-saving change neither creates
nor loses hours. Everything returned is aware UTC.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

#: Safety bound: a calendar that never works (no attendance, or everything on leave) must not loop forever.
MAX_DAYS = 3660
Span = tuple[datetime, datetime]


@dataclass(frozen=True)
class Attendance:
    """One working span of a week day, in local hours (``resource.calendar.attendance``)."""

    weekday: int  # 0 = Monday, as Odoo's ``dayofweek``
    hour_from: float
    hour_to: float
    week_type: int | None = None  # two-week calendars: 0 the first week, 1 the second
    date_from: date | None = None
    date_to: date | None = None

    def applies(self, day: date) -> bool:
        if day.weekday() != self.weekday:
            return False
        if self.week_type is not None and week_type(day) != self.week_type:
            return False
        return (self.date_from is None or day >= self.date_from) and (self.date_to is None or day <= self.date_to)


def week_type(day: date) -> int:
    """Odoo's ``resource.calendar.attendance.get_week_type``: weeks alternate from the proleptic calendar's start."""
    return int((day.toordinal() - 1) // 7 % 2)


def _local(day: date, hours: float, tz: ZoneInfo) -> datetime:
    """``day`` at ``hours`` (24.0 is the next midnight) in ``tz``, as aware UTC."""
    wall = datetime(day.year, day.month, day.day) + timedelta(hours=hours)
    return wall.replace(tzinfo=tz).astimezone(UTC)


def merge(spans: Iterable[Span]) -> list[Span]:
    """Sorted, non-overlapping, touching spans joined."""
    out: list[Span] = []
    for start, end in sorted(s for s in spans if s[1] > s[0]):
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def subtract(spans: list[Span], holes: list[Span]) -> list[Span]:
    """``spans`` minus ``holes`` (both sorted and merged)."""
    out: list[Span] = []
    index = 0
    for start, end in spans:
        while index < len(holes) and holes[index][1] <= start:
            index += 1
        cursor, probe = start, index
        while probe < len(holes) and holes[probe][0] < end:
            if holes[probe][0] > cursor:
                out.append((cursor, holes[probe][0]))
            cursor = max(cursor, holes[probe][1])
            probe += 1
        if cursor < end:
            out.append((cursor, end))
    return out


@dataclass(frozen=True)
class WorkingTime:
    """A weekly working schedule in a time zone, minus leaves. ``holidays`` are whole local days off."""

    tz: str
    attendances: tuple[Attendance, ...]
    leaves: tuple[Span, ...] = ()
    holidays: frozenset[date] = field(default_factory=frozenset)
    name: str = ""

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)

    def spans(self, start: datetime, end: datetime) -> list[Span]:
        """The working spans between two instants, clipped to them, sorted and merged."""
        start, end = as_utc(start), as_utc(end)
        if end <= start:
            return []
        return subtract(merge(self._raw_spans(start, end)), merge(self.leaves))

    def _raw_spans(self, start: datetime, end: datetime) -> Iterator[Span]:
        tz = self.zone
        day = start.astimezone(tz).date() - timedelta(days=1)
        last = end.astimezone(tz).date() + timedelta(days=1)
        while day <= last:
            if day not in self.holidays:
                for attendance in self.attendances:
                    if attendance.applies(day) and attendance.hour_to > attendance.hour_from:
                        opens, closes = _local(day, attendance.hour_from, tz), _local(day, attendance.hour_to, tz)
                        if closes > start and opens < end:
                            yield max(opens, start), min(closes, end)
            day += timedelta(days=1)

    def add_hours(self, start: datetime, hours: float) -> datetime:
        """``start`` + ``hours`` of work: Friday 17:00 + 2 h → Monday 10:00 on an 08:00–17:00 week."""
        start = as_utc(start)
        remaining = timedelta(hours=hours)
        if remaining <= timedelta(0):
            return start
        cursor = start
        for _ in range(0, MAX_DAYS, 14):
            chunk_end = cursor + timedelta(days=14)
            for opens, closes in self.spans(cursor, chunk_end):
                if remaining <= closes - opens:
                    return opens + remaining
                remaining -= closes - opens
            cursor = chunk_end
        raise ValueError(f"the working calendar {self.name or self.tz!r} has no working hours in the next ten years")

    def working_hours(self, start: datetime, end: datetime) -> float:
        return sum((b - a).total_seconds() for a, b in self.spans(start, end)) / 3600

    def with_leaves(self, leaves: Iterable[Span]) -> WorkingTime:
        return WorkingTime(self.tz, self.attendances, tuple(self.leaves) + tuple(leaves), self.holidays, self.name)


def as_utc(value: datetime) -> datetime:
    """Aware UTC; a naive datetime is taken as UTC (Odoo's convention)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
