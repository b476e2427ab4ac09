"""After a write: did it replace a person's value? (issue 19, "no lost update")

The writer looks again right before it writes, but a person's edit can still land between that look and the write
itself — and Odoo's ``write`` cannot be made conditional over the API. Where Odoo keeps the chatter tracking of a
field (``mail.tracking.value``: the plugin's own ``x_urgency`` and ``x_urgency_deadline``, which ``install`` marks
tracked), the write leaves a trace of what it replaced: the tracking value of the daemon's write — the latest one
whose new value is the value written — holds the value the record had right before it. When that old value is not
what the daemon's last look saw, a person changed the field in between and the daemon overwrote them.

Then: the person's value is put back (only while the record still holds the daemon's value — a yet newer edit is
left alone), the order is counted as a conflict and decided again next cycle, and the memo (which says the daemon
wrote its value) now disagrees with the record, so the field is the person's for good (``policies.ownership``).

Fields Odoo does not track (an MO's planned start, a priority) leave no such trace: for them the narrowed look
before the write is the protection, and a later edit is seen by its stamp.

Odoo lets only administrators read ``mail.tracking.value`` (``base.group_system``; even the field
``mail.message.tracking_value_ids`` is theirs). The daemon's own least-privilege user gets an AccessError: the check
is then off for the rest of the process — said once, in a warning — and the narrowed look before each write stays
the protection, as for untracked fields. It never fails the cycle (it did: on a real Odoo 17 the daemon's user
could finish no cycle at all).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

import structlog

from odoo_urgency.connector import AccessError, OdooClient
from odoo_urgency.policies.wire import same

log = structlog.get_logger("daemon")

TRACKING = "mail.tracking.value"
#: field type → the column of mail.tracking.value that holds its values
COLUMN = {"selection": "char", "char": "char", "text": "text", "datetime": "datetime", "date": "datetime",
          "integer": "integer", "boolean": "integer", "float": "float", "monetary": "float"}

Key = tuple[str, int]


def tracked_fields(config: dict[str, Any]) -> dict[str, dict[str, int]]:
    """model → field → ``ir.model.fields`` id of the plugin's tracked fields, as ``install`` recorded them."""
    raw = config.get("tracked_fields")
    if not isinstance(raw, dict):
        return {}
    return {str(model): {str(name): int(fid) for name, fid in fields.items() if isinstance(fid, int)}
            for model, fields in raw.items() if isinstance(fields, dict)}


class Overwrites:
    """Finds and undoes the daemon's writes that replaced a person's value, for tracked fields."""

    def __init__(self, client: OdooClient, tracked: dict[str, dict[str, int]],
                 unreadable: Callable[[str], None] = lambda _error: None) -> None:
        self.client = client
        #: model → field name → its ``ir.model.fields`` id (from the config record ``install`` wrote)
        self.tracked = tracked
        #: told once the tracking cannot be read (the user is no administrator): the caller turns the check off
        self.unreadable = unreadable

    def find(self, written: dict[Key, dict[str, Any]], seen: dict[Key, dict[str, Any]]) -> dict[Key, dict[str, Any]]:
        """Per record, the person's values this batch's writes replaced (Odoo names, wire values).

        ``written``: what was written (Odoo names); ``seen``: the record as the last look before the write saw it."""
        found: dict[Key, dict[str, Any]] = {}
        by_model: dict[str, list[int]] = defaultdict(list)
        for (model, res_id), values in written.items():
            if any(name in self.tracked.get(model, {}) for name in values):
                by_model[model].append(res_id)
        for model, ids in by_model.items():
            fields = self.tracked[model]
            specs = self.client.fields_get(model)
            try:
                rows = self._tracking(model, ids, sorted(fields.values()))
            except AccessError as exc:
                self.unreadable(str(exc).splitlines()[0])
                return {}
            for res_id in ids:
                for name, value in written[(model, res_id)].items():
                    if name not in fields or (model, res_id) not in seen:
                        continue
                    ours = _latest(rows.get(res_id, []), fields[name], specs.get(name, {}), value)
                    if ours is None:
                        continue
                    before = seen[(model, res_id)].get(name)
                    if not same(ours, before):
                        found.setdefault((model, res_id), {})[name] = ours
        return found

    def _tracking(self, model: str, ids: list[int], field_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
        """The tracking values of ``field_ids`` on the records ``ids``, newest first, by record (two calls)."""
        columns = sorted({f"{age}_value_{kind}" for age in ("old", "new") for kind in set(COLUMN.values())})
        rows = self.client.search_read(TRACKING, [
            ("mail_message_id.model", "=", model), ("mail_message_id.res_id", "in", ids),
            ("field_id", "in", field_ids)], ["field_id", "mail_message_id", *columns], order="id desc")
        message_ids = sorted({mid for row in rows if (mid := _id(row.get("mail_message_id")))})
        on = {int(m["id"]): int(m["res_id"]) for m in self.client.read("mail.message", message_ids, ["res_id"])}
        by_record: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for row in rows:
            res_id = on.get(_id(row.get("mail_message_id")) or 0)
            if res_id is not None:
                by_record[res_id].append(row)
        return by_record

    def restore(self, found: dict[Key, dict[str, Any]], written: dict[Key, dict[str, Any]]) -> list[Key]:
        """Put the persons' values back where the record still holds the daemon's; the records restored."""
        restored: list[Key] = []
        for (model, res_id), values in found.items():
            rows = self.client.read(model, [res_id], sorted(values))
            if not rows or any(not same(rows[0].get(name), written[(model, res_id)].get(name)) for name in values):
                continue  # someone wrote after the daemon: theirs stands
            self.client.write(model, [res_id], values)
            restored.append((model, res_id))
            log.warning("person_value_restored", model=model, id=res_id, values=values,
                        note="the daemon's write replaced a person's edit made just before it; theirs is back, "
                             "and the field is theirs from now on")
        return restored


def _latest(rows: list[dict[str, Any]], field_id: int, spec: dict[str, Any], value: Any) -> Any:
    """The old value (wire form) of the newest tracking value of the daemon's write of ``value``; None if none."""
    column = COLUMN.get(str(spec.get("type")), "char")
    labels = {str(k): str(v) for k, v in spec.get("selection") or []}
    for row in rows:
        if _id(row.get("field_id")) != field_id:
            continue
        new = _wire(row.get(f"new_value_{column}"), labels)
        if same(new, value):
            return _wire(row.get(f"old_value_{column}"), labels)
    return None


def _id(value: Any) -> int | None:
    return int(value[0]) if isinstance(value, (list, tuple)) and value else (int(value) if value else None)


def _wire(value: Any, labels: dict[str, str]) -> Any:
    """A tracked value as the record would hold it: a selection's label back to its key; empty as False."""
    if value in (None, "", False):
        return False
    if labels:
        for key, label in labels.items():
            if label == value:
                return key
    return value
