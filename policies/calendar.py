"""Counting hours for deadlines: calendar hours, or working hours of a weekly schedule.

Working hours are counted in the configured time zone (a working day is a local day), but all arithmetic
happens on aware UTC datetimes so that daylight-saving jumps neither create nor lose hours. Holidays are local
dates. Everything returned is aware UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from policies.config import CalendarConfig

#: Safety bound: a schedule that never yields a working hour (every day a holiday) must not loop forever.
_MAX_DAYS = 3660


def as_utc(value: datetime) -> datetime:
    """Aware UTC; a naive datetime is taken as UTC (Odoo's convention)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def add_working_hours(start: datetime, hours: float, calendar: CalendarConfig) -> datetime:
    """``start`` + ``hours``: plain hours in mode "calendar"; in mode "working", only hours inside
    ``day_start``–``day_end`` of working days that are not holidays count (Friday 17:00 + 2 h → Monday 09:00
    with the default 08:00–18:00 Monday–Friday)."""
    start = as_utc(start)
    if calendar.mode == "calendar" or hours <= 0:
        return start + timedelta(hours=hours)
    tz = calendar.tz
    remaining = timedelta(hours=hours)
    cursor = start
    day = start.astimezone(tz).date()
    holidays = set(calendar.holidays)
    for _ in range(_MAX_DAYS):
        if day.weekday() in calendar.working_days and day not in holidays:
            opens = datetime.combine(day, calendar.start_time, tzinfo=tz).astimezone(UTC)
            closes = datetime.combine(day, calendar.end_time, tzinfo=tz).astimezone(UTC)
            cursor = max(cursor, opens)
            if cursor < closes:
                available = closes - cursor
                if remaining <= available:
                    return cursor + remaining
                remaining -= available
                cursor = closes
        day += timedelta(days=1)
    raise ValueError("the working calendar has no working hours in the next ten years")


def to_local(value: datetime, calendar: CalendarConfig) -> datetime:
    """An aware datetime in the configured time zone (for texts and activity dates)."""
    return as_utc(value).astimezone(calendar.tz)
