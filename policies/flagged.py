"""Purchase lines the materials pass flagged, written so that the ERP itself can tell them back (每月考核: 采购).

When a purchase line that supplies a special or urgent MO is expected after the component is needed, the materials
pass asks the buyer to expedite (``expedite:purchase.order:<po>:<move>``). Beside its sentences the alert's note
carries one machine-readable line, like the key line:

    odoo-urgency flagged: 41/2026-11-03T08:00Z/12

each item ``purchase line id / needed by (UTC) / MO id``. The note lives on in Odoo, on the open activity and —
once someone marks it done — in the chatter message Odoo posts with it, so the monthly report assesses exactly
the lines the plugin flagged (received by the date they were needed?), from the ERP's records.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from odoo_urgency.policies.note_data import data_items, data_paragraph

FLAGGED_LINE = "odoo-urgency flagged:"
_ITEM = r"(\d+)/(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})Z/(\d+)"


@dataclass(frozen=True)
class Flag:
    """A purchase line the plugin asked to expedite: needed by then, for that MO."""

    line_id: int
    needed_by: datetime
    mo_id: int


def flagged_note(flags: Iterable[Flag]) -> str:
    """The note's machine-readable paragraph; empty without flags."""
    return data_paragraph(FLAGGED_LINE, (f"{f.line_id}/{f.needed_by.astimezone(UTC):%Y-%m-%dT%H:%M}Z/{f.mo_id}"
                                         for f in flags))


def flags_in(text: object) -> list[Flag]:
    """The flags in a note or chatter message (none in any other text)."""
    flags = []
    for line_id, moment, mo_id in data_items(text, FLAGGED_LINE, _ITEM):
        try:
            flags.append(Flag(int(line_id), datetime.strptime(moment, "%Y-%m-%dT%H:%M").replace(tzinfo=UTC),
                              int(mo_id)))
        except ValueError:  # a moment that does not exist: a hand-edited note, not ours to guess
            continue
    return flags


def earliest(flags: Iterable[Flag]) -> dict[int, Flag]:
    """Line id → its earliest need (a line flagged for several needs is due by the first of them)."""
    found: dict[int, Flag] = {}
    for flag in flags:
        if flag.line_id not in found or flag.needed_by < found[flag.line_id].needed_by:
            found[flag.line_id] = flag
    return found
