"""The overtime the planner asked for, written so that the ERP itself can tell it back (每月考核: 加班).

The capacity alert (:mod:`policies.planning.alerts`) tells people in sentences ("Overtime that would make it:
Assembly Line 1 12-03 2 h"); sentences change with the language and drop the year and the work center's id. So the
alert's note also carries one machine-readable line, like the key line:

    odoo-urgency overtime: 3/2026-12-03/2.5 3/2026-12-04/2

each item ``work center id / day (the work center's local date) / hours``. The note lives on in Odoo: on the open
activity, and — when someone marks it done — in the chatter message Odoo posts with the activity's note
(``mail.message_activity_done``). The monthly report reads it back from there (:mod:`policies.assessment.production`),
so the figure is computed from the ERP's records, not from the daemon's memory.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from odoo_urgency.policies.note_data import data_items, data_paragraph
from odoo_urgency.policies.planning.model import Overtime

OVERTIME_LINE = "odoo-urgency overtime:"
_ITEM = r"(\d+)/(\d{4})-(\d{2})-(\d{2})/(\d+(?:\.\d+)?)"


@dataclass(frozen=True)
class OvertimeAsk:
    """Hours of overtime the planner asked for on one work center and day, for one MO."""

    workcenter_id: int
    day: date
    hours: float
    workcenter: str = ""


def overtime_note(overtime: Sequence[Overtime]) -> str:
    """The note's machine-readable paragraph; empty when no overtime was asked for."""
    return data_paragraph(OVERTIME_LINE, (f"{o.workcenter_id}/{o.day:%Y-%m-%d}/{o.hours:g}" for o in overtime))


def overtime_in(text: object) -> list[OvertimeAsk]:
    """The asks in a note or chatter message (the first overtime line; none in any other text)."""
    asks = []
    for wc, year, month, day, hours in data_items(text, OVERTIME_LINE, _ITEM):
        try:
            asks.append(OvertimeAsk(int(wc), date(int(year), int(month), int(day)), float(hours)))
        except ValueError:  # a day that does not exist: a hand-edited note, not ours to guess
            continue
    return asks


def total_hours(asks: Iterable[OvertimeAsk], workcenter_id: int | None = None) -> float:
    """Hours asked for, on one work center or (None) on all."""
    return round(sum(a.hours for a in asks if workcenter_id is None or a.workcenter_id == workcenter_id), 2)
