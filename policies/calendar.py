"""Counting hours for deadlines: calendar hours, or working hours.

In mode "working" the hours are those of :class:`policies.planning.calendar.WorkingTime` — the same model the
capacity planner uses for the work centers' calendars read from the ERP. ``[rules.calendar]`` describes a
weekly schedule in settings (days, one span a day, a time zone, holidays); :func:`working_time` turns it into
that model, and a calendar read from the ERP (the company's ``resource.calendar``) can be passed instead.
Everything returned is aware UTC.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from policies.config import CalendarConfig
from policies.planning.calendar import Attendance, WorkingTime, as_utc

__all__ = ["add_working_hours", "as_utc", "to_local", "working_time"]


def working_time(calendar: CalendarConfig) -> WorkingTime:
    """The settings' weekly schedule as the shared calendar model (holidays are whole local days off)."""
    opens = calendar.start_time.hour + calendar.start_time.minute / 60
    closes = calendar.end_time.hour + calendar.end_time.minute / 60
    attendances = tuple(Attendance(day, opens, closes) for day in calendar.working_days)
    return WorkingTime(calendar.timezone, attendances, holidays=frozenset(calendar.holidays), name="settings")


def add_working_hours(start: datetime, hours: float, calendar: CalendarConfig | WorkingTime) -> datetime:
    """``start`` + ``hours``: plain hours in mode "calendar"; otherwise only hours of work count (Friday 17:00
    + 2 h → Monday 09:00 with the default 08:00–18:00 Monday–Friday)."""
    start = as_utc(start)
    if isinstance(calendar, CalendarConfig):
        if calendar.mode == "calendar" or hours <= 0:
            return start + timedelta(hours=hours)
        calendar = working_time(calendar)
    return calendar.add_hours(start, hours)


def to_local(value: datetime, calendar: CalendarConfig) -> datetime:
    """An aware datetime in the configured time zone (for texts and activity dates)."""
    return as_utc(value).astimezone(calendar.tz)
