"""订单管理制度 第十条: 普通订单 24 小时, 特殊订单 12 小时, 紧急订单 2 小时 — in calendar or working hours."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from odoo_urgency.policies import CalendarConfig, Tier, add_working_hours, processing_deadline
from tests.policies.factories import NOW, rules

WORKING = CalendarConfig(mode="working")


@pytest.mark.parametrize(
    ("tier", "expected"),
    [
        (Tier.NORMAL, datetime(2026, 11, 27, 10, 0, tzinfo=UTC)),
        (Tier.SPECIAL, datetime(2026, 11, 26, 22, 0, tzinfo=UTC)),
        (Tier.URGENT, datetime(2026, 11, 26, 12, 0, tzinfo=UTC)),
    ],
    ids=["第十条(一) 普通订单 24 小时", "第十条(二) 特殊订单 12 小时", "第十条(三) 紧急订单 2 小时"],
)
def test_calendar_deadlines(tier: Tier, expected: datetime) -> None:
    assert processing_deadline(NOW, tier, rules()) == expected


@pytest.mark.parametrize(
    ("start", "hours", "expected"),
    [
        (datetime(2026, 11, 27, 17, 0, tzinfo=UTC), 2, datetime(2026, 11, 30, 9, 0, tzinfo=UTC)),  # Fri 17:00 → Mon
        (datetime(2026, 11, 26, 9, 0, tzinfo=UTC), 2, datetime(2026, 11, 26, 11, 0, tzinfo=UTC)),
        (datetime(2026, 11, 26, 6, 0, tzinfo=UTC), 2, datetime(2026, 11, 26, 10, 0, tzinfo=UTC)),  # before opening
        (datetime(2026, 11, 26, 20, 0, tzinfo=UTC), 2, datetime(2026, 11, 27, 10, 0, tzinfo=UTC)),  # after closing
        (datetime(2026, 11, 28, 12, 0, tzinfo=UTC), 1, datetime(2026, 11, 30, 9, 0, tzinfo=UTC)),  # Saturday
        (datetime(2026, 11, 26, 10, 0, tzinfo=UTC), 24, datetime(2026, 11, 30, 14, 0, tzinfo=UTC)),  # 10 h days
        (datetime(2026, 11, 26, 18, 0, tzinfo=UTC), 10, datetime(2026, 11, 27, 18, 0, tzinfo=UTC)),
    ],
    ids=["friday 17:00 + 2h -> monday 09:00", "inside a day", "before opening", "after closing", "weekend",
         "24 working hours span days", "exactly one working day"],
)
def test_working_hours(start: datetime, hours: float, expected: datetime) -> None:
    assert add_working_hours(start, hours, WORKING) == expected


def test_holidays_are_skipped() -> None:
    calendar = CalendarConfig(mode="working", holidays=[date(2026, 11, 30)])
    start = datetime(2026, 11, 27, 17, 0, tzinfo=UTC)
    assert add_working_hours(start, 2, calendar) == datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def test_working_hours_in_the_configured_time_zone() -> None:
    """Shanghai 08:00–18:00 is 00:00–10:00 UTC."""
    calendar = CalendarConfig(mode="working", timezone="Asia/Shanghai")
    start = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)  # 17:30 in Shanghai (Thursday)
    assert add_working_hours(start, 2, calendar) == datetime(2026, 11, 27, 1, 30, tzinfo=UTC)


def test_daylight_saving_day_has_no_phantom_hours() -> None:
    """Europe/Berlin leaves summer time on 2026-10-25 (a Sunday): Friday 17:00 + 2 h is Monday 09:00 local."""
    calendar = CalendarConfig(mode="working", timezone="Europe/Berlin")
    start = datetime(2026, 10, 23, 15, 0, tzinfo=UTC)  # 17:00 CEST
    assert add_working_hours(start, 2, calendar) == datetime(2026, 10, 26, 8, 0, tzinfo=UTC)  # 09:00 CET


def test_working_mode_deadline_through_rules() -> None:
    friday = datetime(2026, 11, 27, 17, 0, tzinfo=UTC)
    got = processing_deadline(friday, Tier.URGENT, rules(calendar={"mode": "working"}))
    assert got == datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def test_naive_input_is_utc() -> None:
    assert add_working_hours(datetime(2026, 11, 26, 10, 0), 1, CalendarConfig()) == datetime(
        2026, 11, 26, 11, 0, tzinfo=UTC)
