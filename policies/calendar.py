"""Counting hours for deadlines: calendar hours, or working hours.

In mode "working" the hours are those of :class:`policies.planning.calendar.WorkingTime` — the same model the
capacity planner uses for the work centers' calendars read from the ERP. ``[rules.calendar]`` describes a
weekly schedule in settings (days, one or several spans a day, a time zone, holidays, make-up working days);
:func:`working_time` turns it into that model. With ``source = "erp"`` the jobs read the company's
``resource.calendar`` from the ERP and attach it (:meth:`CalendarConfig.with_working_time`): deadlines then count
the same hours as the planner's work centers.
Everything returned is aware UTC.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import cast

from odoo_urgency.policies.config import CalendarConfig
from odoo_urgency.policies.planning.calendar import Attendance, WorkingTime, as_utc

__all__ = ["add_working_hours", "as_utc", "to_local", "working_time"]


def working_time(calendar: CalendarConfig) -> WorkingTime:
    """The schedule deadlines count on, as the shared calendar model: the ERP's company calendar once the jobs
    read it (source "erp"), else the settings' week — several spans a day, holidays as whole local days off, and
    make-up working days (调休) worked with the spans of an ordinary working day."""
    if calendar.working is not None:
        return cast(WorkingTime, calendar.working)
    hours = [(_hours(opens), _hours(closes)) for opens, closes in calendar.day_spans]
    weekly = [Attendance(day, opens, closes) for day in calendar.working_days for opens, closes in hours]
    makeup = [Attendance(day.weekday(), opens, closes, date_from=day, date_to=day)
              for day in calendar.workdays for opens, closes in hours]
    return WorkingTime(calendar.timezone, (*weekly, *makeup), holidays=frozenset(calendar.holidays), name="settings")


def _hours(moment: time) -> float:
    return moment.hour + moment.minute / 60


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
