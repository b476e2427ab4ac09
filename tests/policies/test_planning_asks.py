"""The overtime line of the capacity alert: written by the planner, read back by the monthly report."""

from __future__ import annotations

from datetime import date

from policies.planning.asks import OvertimeAsk, overtime_in, overtime_note, total_hours
from policies.planning.model import Overtime


def test_written_and_read_back() -> None:
    asked = [Overtime(3, "Assembly Line 1", date(2026, 12, 3), 2.0), Overtime(4, "Paint", date(2026, 12, 4), 1.25)]
    note = "<p>Overtime that would make it: Assembly Line 1 12-03 2 h.</p>" + overtime_note(asked) + \
        "<p>odoo-urgency key: capacity:mrp.production:7:planner</p>"
    asks = overtime_in(note)
    assert asks == [OvertimeAsk(3, date(2026, 12, 3), 2.0), OvertimeAsk(4, date(2026, 12, 4), 1.25)]
    assert (total_hours(asks), total_hours(asks, 4), total_hours(asks, 9)) == (3.25, 1.25, 0.0)
    # Odoo's done message wraps the note in its own markup: still found.
    assert overtime_in(f'<div class="o_mail_activity_note"><div class="fst-italic">{note}</div></div>') == asks


def test_nothing_asked_nothing_read() -> None:
    assert overtime_note([]) == ""
    assert overtime_in("<p>Overtime that would make it: Line 12-03 2 h.</p>") == []
    assert overtime_in(None) == []
    assert overtime_in("<p>odoo-urgency overtime: 3/2026-02-30/2</p>") == []  # no such day: not guessed
