"""Odoo wire values: the one home of "are two values equal", x2many commands, and "never fight the user".

The memo holds the wire values the plugin wrote; comparing wire values (strings to the second) rather than Python
datetimes keeps the comparison exact across a write/read round trip. The daemon's writer, memo and read-back use
these same functions, so the rules and the shell can never disagree about what "the record holds it" means.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta, timezone
from typing import Any

from odoo_urgency.connector.records import format_datetime
from odoo_urgency.policies.memo import yielded

#: Odoo's ways of saying "no value" on the wire.
EMPTY: tuple[Any, ...] = (None, False, "", [])
#: Columns Odoo changes on every write: never part of a comparison of contents.
BOOKKEEPING = ("write_date", "write_uid", "__last_update", "display_name")


def wire_datetime(value: datetime | None) -> str | bool:
    """Odoo's ``"YYYY-MM-DD HH:MM:SS"`` (UTC), or ``False`` for no value."""
    return format_datetime(value) if value is not None else False


def iso8601(value: datetime | None) -> str | None:
    """A time for JSON: ISO 8601 with its offset (``2026-12-03T05:32:11+00:00``), which every JSON consumer parses;
    naive values are taken as UTC, as Odoo sends them."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.isoformat(timespec="seconds")


_WIRE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")


def iso_times(value: Any) -> Any:
    """``value`` for a JSON output: datetimes, and Odoo wire times (``"YYYY-MM-DD HH:MM:SS"``, UTC) anywhere in
    lists and dicts, become ISO 8601 with offset."""
    if isinstance(value, datetime):
        return iso8601(value)
    if isinstance(value, str) and _WIRE_TIME.match(value):
        return iso8601(datetime.fromisoformat(value))
    if isinstance(value, dict):
        return {key: iso_times(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [iso_times(item) for item in value]
    return value


def ceil_second(value: datetime) -> datetime:
    """Round up to a whole second: Odoo stores seconds, and a planned date must never fall before ``now``."""
    if value.microsecond == 0:
        return value
    return value.replace(microsecond=0) + timedelta(seconds=1)


def is_commands(value: Any) -> bool:
    """An x2many command list (``[(4, id), (3, id)]``) rather than a plain value."""
    return isinstance(value, (list, tuple)) and bool(value) and isinstance(value[0], (list, tuple))


def _id(value: Any) -> Any:
    """A many2one read as ``[id, "name"]`` compares by its id."""
    if isinstance(value, (list, tuple)) and len(value) == 2 and isinstance(value[0], int) and isinstance(value[1], str):
        return value[0]
    return value


def same(a: Any, b: Any) -> bool:
    """Wire equality: every empty is equal, many2one pairs compare by id, id lists in any order."""
    if a in EMPTY and b in EMPTY:
        return True
    a, b = _id(a), _id(b)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return sorted(map(str, a)) == sorted(map(str, b))
    return bool(a == b) or str(a) == str(b)


def apply_commands(ids: Iterable[int], commands: Iterable[Any]) -> list[int]:
    """The ids an x2many holds after the link (4) and unlink (3) commands the plugin uses."""
    result = list(ids)
    for command in commands:
        code, target = command[0], command[1]
        if code == 4 and target not in result:
            result.append(target)
        elif code == 3 and target in result:
            result.remove(target)
    return result


def holds(current: Any, written: Any) -> bool:
    """Does a field whose value is ``current`` hold what the plugin wrote (commands: each link/unlink done)?"""
    if is_commands(written):
        ids = set(current or [])
        return all((command[1] in ids) == (command[0] == 4) for command in written if command[0] in (3, 4))
    return same(current, written)


def apply_values(row: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """The row as Odoo will return it after ``values`` were written (x2many commands applied)."""
    updated = dict(row)
    for name, value in values.items():
        updated[name] = apply_commands(updated.get(name) or [], value) if is_commands(value) else value
    return updated


def same_row(actual: Mapping[str, Any], expected: Mapping[str, Any]) -> bool:
    """Does ``actual`` hold every value of ``expected`` (bookkeeping columns aside)?"""
    return all(same(actual.get(name), value) for name, value in expected.items() if name not in BOOKKEEPING)


def user_changed(memo: Mapping[str, Any], field: str, current: Any) -> bool:
    """Is ``field`` a person's? It is when a person changed it after the plugin wrote it — now (the record no
    longer holds the plugin's value) or at any time since (the memo says the plugin yielded it), so a person who
    sets the plugin's own value back (A→B→A) keeps the field."""
    return field in yielded(memo) or (field in memo and not holds(current, memo[field]))
