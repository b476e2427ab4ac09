"""The period of the command line: ``--month``, or ``--since`` [``--until``], or the last complete month.

Months are calendar months in ``rules.calendar.timezone`` (:mod:`policies.assessment.periods`); every boundary is
an aware UTC datetime. A bad or contradictory value is a :class:`~jobs.runtime.errors.JobError` with exit 2.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from odoo_urgency.jobs.runtime.days import parse_day
from odoo_urgency.jobs.runtime.errors import EXIT_USAGE, JobError
from odoo_urgency.policies.assessment.periods import add_months, month
from odoo_urgency.policies.calendar import as_utc

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Period:
    start: datetime  # aware UTC
    end: datetime  # aware UTC, exclusive
    label: str
    #: ``YYYY-MM`` when the period is one calendar month (what sending is keyed by), else None.
    month: str | None = None


def parse_month(value: str, tz: ZoneInfo) -> Period:
    match = _MONTH.match(value.strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1970:
        raise JobError(f"--month: expected YYYY-MM (e.g. 2026-10), got {value!r}", EXIT_USAGE)
    label, start, end = month(int(match.group(1)), int(match.group(2)), tz)
    return Period(start, end, label, label)


def last_complete_month(now: datetime, tz: ZoneInfo) -> Period:
    local = as_utc(now).astimezone(tz)
    year, month_no = add_months(local.year, local.month, -1)
    return parse_month(f"{year:04d}-{month_no:02d}", tz)


def resolve_period(month_text: str | None, since: str | None, until: str | None, tz: ZoneInfo,
                   now: datetime) -> Period:
    """``--month``, or ``--since`` [``--until``, default now], or by default the last complete month."""
    if month_text and (since or until):
        raise JobError("give either --month or --since/--until, not both", EXIT_USAGE)
    if month_text:
        return parse_month(month_text, tz)
    if until and not since:
        raise JobError("--until needs --since", EXIT_USAGE)
    if since:
        start = parse_day(since, "--since", tz)
        end = parse_day(until, "--until", tz) if until else as_utc(now)
        if end <= start:
            raise JobError(f"--until ({until or 'now'}) must be after --since ({since})", EXIT_USAGE)
        return Period(start, end, f"{since} – {until}" if until else f"{since} – now")
    return last_complete_month(now, tz)
