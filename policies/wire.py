"""Odoo wire values and the "never fight the user" test.

The memo holds the wire values the plugin wrote; comparing wire values (strings to the second) rather than Python
datetimes keeps the comparison exact across a write/read round trip.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from connector.records import format_datetime


def wire_datetime(value: datetime | None) -> str | bool:
    """Odoo's ``"YYYY-MM-DD HH:MM:SS"`` (UTC), or ``False`` for no value."""
    return format_datetime(value) if value is not None else False


def ceil_second(value: datetime) -> datetime:
    """Round up to a whole second: Odoo stores seconds, and a planned date must never fall before ``now``."""
    if value.microsecond == 0:
        return value
    return value.replace(microsecond=0) + timedelta(seconds=1)


def same(a: Any, b: Any) -> bool:
    """Wire equality where ``False``, ``None`` and ``""`` all mean "empty"."""
    empty = (None, False, "")
    if a in empty and b in empty:
        return True
    return bool(a == b) or str(a) == str(b)


def user_changed(memo: dict[str, Any], field: str, current: Any) -> bool:
    """The plugin wrote ``field`` before and the record no longer holds that value: a user changed it."""
    return field in memo and not same(memo[field], current)
