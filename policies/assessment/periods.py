"""Calendar months in the company's time zone: the assessment's unit of time (每月考核).

A month runs from local midnight on its first day to local midnight on the next month's first day; both bounds
are returned as aware UTC datetimes so that every comparison with Odoo's UTC timestamps is exact, across
daylight-saving changes too.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from odoo_urgency.policies.calendar import as_utc

#: (label ``YYYY-MM``, start, end exclusive) of one month.
Month = tuple[str, datetime, datetime]


def add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def month_start(year: int, month: int, tz: ZoneInfo) -> datetime:
    return datetime(year, month, 1, tzinfo=tz).astimezone(UTC)


def month(year: int, month_no: int, tz: ZoneInfo) -> Month:
    next_year, next_month = add_months(year, month_no, 1)
    return f"{year:04d}-{month_no:02d}", month_start(year, month_no, tz), month_start(next_year, next_month, tz)


def months_ending(period_end: datetime, tz: ZoneInfo, count: int) -> list[Month]:
    """The ``count`` months ending with the one holding the period's last instant, oldest first."""
    last = (as_utc(period_end) - timedelta(microseconds=1)).astimezone(tz)
    result = []
    for back in range(count - 1, -1, -1):
        year, month_no = add_months(last.year, last.month, -back)
        result.append(month(year, month_no, tz))
    return result


def month_of(moment: datetime | None, months: list[Month]) -> str | None:
    """The label of the month holding ``moment``, or None outside them."""
    if moment is None:
        return None
    moment = as_utc(moment)
    return next((label for label, start, end in months if start <= moment < end), None)
