"""Work centers, work orders and calendars behave as Odoo 16–19 keep planning consistent (``_set_dates``,
``button_unplan``, ``write`` with and without ``force_date``)."""

from __future__ import annotations

import xmlrpc.client

import pytest

from odoo_urgency.sandbox import Sandbox

from .helpers import execute


def _workorders(sb: Sandbox, production: int) -> list[dict]:
    return execute(sb, "mrp.workorder", "search_read", [("production_id", "=", production)],
                   ["date_start", "date_finished", "leave_id", "is_planned", "workcenter_id"])


def test_demo_line_and_calendar_as_odoo_ships_them(sb: Sandbox) -> None:
    line = execute(sb, "mrp.workcenter", "search_read", [("name", "=", "Assembly Line 1")],
                   ["resource_calendar_id", "default_capacity", "time_efficiency", "alternative_workcenter_ids"])[0]
    assert line["resource_calendar_id"][1] == "Standard 40 hours/week"
    assert (line["default_capacity"], line["time_efficiency"], line["alternative_workcenter_ids"]) == (1.0, 100.0, [])
    attendances = execute(sb, "resource.calendar.attendance", "search_read",
                          [("calendar_id", "=", line["resource_calendar_id"][0]), ("day_period", "!=", "lunch")],
                          ["hour_from", "hour_to"])
    assert sum(a["hour_to"] - a["hour_from"] for a in attendances) == 40.0
    company = execute(sb, "res.company", "read", [1], ["resource_calendar_id"])[0]
    assert company["resource_calendar_id"][0] == line["resource_calendar_id"][0]


def test_work_order_dates_move_their_calendar_slot(sb: Sandbox) -> None:
    wo = _workorders(sb, 1)[0]
    assert wo["is_planned"] and wo["leave_id"]
    execute(sb, "mrp.workorder", "write", [wo["id"]],
            {"date_start": "2030-01-07 08:00:00", "date_finished": "2030-01-07 16:00:00"})
    leave = execute(sb, "resource.calendar.leaves", "read", [wo["leave_id"][0]],
                    ["date_from", "date_to", "time_type", "calendar_id"])[0]
    assert (leave["date_from"], leave["date_to"], leave["time_type"]) == (
        "2030-01-07 08:00:00", "2030-01-07 16:00:00", "other")


def test_moving_a_planned_mo_without_force_date_unplans_it(sb: Sandbox) -> None:
    execute(sb, "mrp.production", "write", [1], {"date_start": "2030-01-07 08:00:00"},
            context={"force_date": True})
    assert _workorders(sb, 1)[0]["is_planned"]
    execute(sb, "mrp.production", "write", [1], {"date_start": "2030-01-08 08:00:00"})
    wo = _workorders(sb, 1)[0]
    assert not wo["is_planned"] and wo["date_start"] is False and wo["leave_id"] is False


def test_unplan_drops_every_slot_and_refuses_started_work(sb: Sandbox) -> None:
    leaves_before = execute(sb, "resource.calendar.leaves", "search_count", [("time_type", "=", "other")])
    assert execute(sb, "mrp.production", "button_unplan", [1]) is True
    assert execute(sb, "resource.calendar.leaves", "search_count", [("time_type", "=", "other")]) == leaves_before - 1
    wo = _workorders(sb, 2)[0]
    sb.env.model("mrp.workorder").write([wo["id"]], {"state": "progress"})
    with pytest.raises(xmlrpc.client.Fault, match="already started"):
        execute(sb, "mrp.production", "button_unplan", [2])


def test_one_date_alone_cannot_unplan_a_work_order(sb: Sandbox) -> None:
    wo = _workorders(sb, 1)[0]
    with pytest.raises(xmlrpc.client.Fault, match="unplan one single Work Order"):
        execute(sb, "mrp.workorder", "write", [wo["id"]], {"date_finished": False})
