"""A day typed by a person on the command line: a date (or date and time) in the zone the person lives in.

``backfill --since`` and ``report --since`` read the same text the same way: ``2026-12-01`` means midnight of that
day in ``rules.calendar.timezone``, the zone every time shown to a person is in. The result is an aware UTC
datetime (what domains and policies compare with); a bad value is one line and exit 2.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from odoo_urgency.jobs.runtime.errors import EXIT_USAGE, JobError

__all__ = ["parse_day"]


def parse_day(value: str, flag: str, tz: ZoneInfo) -> datetime:
    text = value.strip()
    try:
        parsed = datetime.strptime(text, "%Y-%m-%d") if len(text) == 10 else datetime.fromisoformat(text)
    except ValueError:
        raise JobError(f"{flag}: expected a date YYYY-MM-DD (or YYYY-MM-DDTHH:MM), got {value!r}",
                       EXIT_USAGE) from None
    if parsed.year < 1970:
        raise JobError(f"{flag}: {value!r} is before 1970", EXIT_USAGE)
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)).astimezone(ZoneInfo("UTC"))
