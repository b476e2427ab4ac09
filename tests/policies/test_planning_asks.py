"""The overtime line of the capacity alert: written by the planner, read back by the monthly report."""

from __future__ import annotations

from datetime import date

from odoo_urgency.policies.planning.asks import OvertimeAsk, overtime_in, overtime_note, total_hours
from odoo_urgency.policies.planning.model import Overtime


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


def test_flagged_lines_written_and_read_back() -> None:
    from datetime import UTC, datetime, timedelta, timezone

    from odoo_urgency.policies.flagged import Flag, earliest, flagged_note, flags_in

    shanghai = timezone(timedelta(hours=8))
    flags = [Flag(41, datetime(2026, 11, 3, 16, 0, tzinfo=shanghai), 12), Flag(41, datetime(2026, 11, 5, tzinfo=UTC), 13),
             Flag(42, datetime(2026, 11, 4, 9, 30, tzinfo=UTC), 12)]
    note = "<p>Ask the vendor to expedite.</p>" + flagged_note(flags) + "<p>odoo-urgency key: expedite:x</p>"
    assert "41/2026-11-03T08:00Z/12" in note
    read = flags_in(f"<div><div>{note}</div></div>")
    assert read == [Flag(41, datetime(2026, 11, 3, 8, tzinfo=UTC), 12), flags[1], flags[2]]
    assert earliest(read)[41].mo_id == 12 and set(earliest(read)) == {41, 42}
    assert flagged_note([]) == "" and flags_in(None) == [] and flags_in("<p>P00001 Screw</p>") == []
    assert flags_in("<p>odoo-urgency flagged: 1/2026-13-01T00:00Z/2</p>") == []
