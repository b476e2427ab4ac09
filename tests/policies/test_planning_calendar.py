"""The one calendar model: several spans a day, time zones, two-week calendars, leaves; deadlines share it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from odoo_urgency.policies import CalendarConfig, add_working_hours
from odoo_urgency.policies.calendar import working_time
from odoo_urgency.policies.planning import Attendance, WorkingTime
from odoo_urgency.policies.planning.calendar import week_type

STANDARD = WorkingTime("Europe/Brussels", tuple(
    Attendance(day, a, b) for day in range(5) for a, b in ((8.0, 12.0), (13.0, 17.0))), name="Standard 40 hours/week")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_two_spans_a_day_in_the_calendars_time_zone() -> None:
    # Thursday 2026-12-03, Brussels is UTC+1: 08:00–12:00 and 13:00–17:00 local.
    spans = STANDARD.spans(utc(2026, 12, 3, 0), utc(2026, 12, 4, 0))
    assert spans == [(utc(2026, 12, 3, 7), utc(2026, 12, 3, 11)), (utc(2026, 12, 3, 12), utc(2026, 12, 3, 16))]


def test_work_crosses_the_lunch_break_and_the_weekend() -> None:
    assert STANDARD.add_hours(utc(2026, 12, 3, 10), 2) == utc(2026, 12, 3, 13)  # 11:00 + 2 h → 14:00 local
    assert STANDARD.add_hours(utc(2026, 12, 4, 15), 2) == utc(2026, 12, 7, 8)  # Friday 16:00 + 2 h → Monday 09:00


def test_leaves_remove_working_time() -> None:
    maintenance = STANDARD.with_leaves([(utc(2026, 12, 3, 9), utc(2026, 12, 3, 13))])
    assert maintenance.working_hours(utc(2026, 12, 3, 0), utc(2026, 12, 4, 0)) == 8 - 3


def test_two_week_calendar_alternates() -> None:
    monday = date(2026, 11, 30)
    odd = WorkingTime("UTC", (Attendance(0, 8, 16, week_type=week_type(monday)),))
    this_week = odd.working_hours(utc(2026, 11, 30), utc(2026, 12, 1))
    next_week = odd.working_hours(utc(2026, 12, 7), utc(2026, 12, 8))
    assert (this_week, next_week) == (8, 0)


def test_daylight_saving_day_keeps_its_hours() -> None:
    # Brussels leaves summer time on Sunday 2026-10-25: Monday still has 8 working hours.
    assert STANDARD.working_hours(utc(2026, 10, 26), utc(2026, 10, 27)) == 8


def test_deadlines_in_working_mode_are_this_model() -> None:
    config = CalendarConfig(mode="working", timezone="Asia/Shanghai", holidays=[date(2026, 12, 4)])
    start = utc(2026, 12, 3, 9, 30)  # Thursday 17:30 in Shanghai; Friday is a holiday
    assert add_working_hours(start, 2, config) == working_time(config).add_hours(start, 2) == utc(2026, 12, 7, 1, 30)
    assert add_working_hours(start, 2, STANDARD) == STANDARD.add_hours(start, 2)


@settings(max_examples=100, deadline=None)
@given(st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31)),
       st.floats(min_value=0.25, max_value=200).map(lambda h: round(h, 2)))
def test_added_hours_are_exactly_that_many_working_hours(start: datetime, hours: float) -> None:
    start = start.replace(tzinfo=UTC)
    end = STANDARD.add_hours(start, hours)
    assert abs(STANDARD.working_hours(start, end) - hours) < 1e-6
    assert any(a < end <= b for a, b in STANDARD.spans(end - timedelta(days=4), end + timedelta(days=1)))
