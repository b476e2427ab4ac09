"""The memo's entries: what the plugin wrote on one record and which alerts it created there.

Pure functions over one entry (a JSON object: wire values by version-neutral field name, plus ``"alerts"``, the
keys of alerts created). The daemon's :class:`jobs.daemon.memo.MemoStore` stores entries; the policies read
them (:func:`policies.wire.user_changed`); the tests apply plans through these same functions, so what is proved
about idempotence holds for the daemon itself.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any


def as_stored(values: Mapping[str, Any]) -> dict[str, Any]:
    """Values as the memo keeps them: JSON (tuples become lists, datetimes their wire strings)."""
    return dict(json.loads(json.dumps(dict(values), default=str)))


def with_write(entry: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """The entry after the plugin wrote ``values`` on the record."""
    return {**entry, **as_stored(values)}


#: The memo's list of fields the plugin gave up for good: a person changed them after the plugin wrote them.
YIELDED = "yielded"


def yielded(entry: Mapping[str, Any]) -> set[str]:
    """Fields of the record that are a person's for good (see :mod:`policies.ownership`)."""
    fields = entry.get(YIELDED)
    return {str(name) for name in fields} if isinstance(fields, (list, tuple)) else set()


def with_yielded(entry: Mapping[str, Any], fields: set[str]) -> dict[str, Any]:
    """The entry after the plugin gave ``fields`` up for good."""
    return {**entry, YIELDED: sorted(yielded(entry) | fields)}


def with_alert(entry: Mapping[str, Any], key: str) -> dict[str, Any]:
    """The entry after the plugin created the alert ``key`` on the record (each key once)."""
    alerts = list(entry.get("alerts") or [])
    if key in alerts:
        return dict(entry)
    return {**entry, "alerts": [*alerts, key]}
