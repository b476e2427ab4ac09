"""Reading working hours from the ERP: ``resource.calendar``, its attendances and its leaves, in three calls.

One reader for both users of the calendar model (:mod:`policies.planning.calendar`): the capacity planner (each
work center's calendar, with the work center's own leaves) and the processing deadlines in working-hours mode
with ``[rules.calendar] source = "erp"`` (the company's calendar and its public holidays), so a deadline and a
plan never disagree about when the factory works.

Odoo records a lunch break as an attendance with ``day_period = 'lunch'``: not work. An attendance limited to
dates (``date_from``/``date_to``, 16–18) is how a make-up working day (调休) or a seasonal schedule is kept; Odoo 19
has no such fields, so they are read only where the server has them. Global leaves (no resource) of the calendar,
or of no calendar, are public holidays; ``time_type = 'other'`` leaves are the work orders' own slots, not time off.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import structlog

from odoo_urgency.connector import OdooClient
from odoo_urgency.connector.records import format_datetime, parse_datetime
from odoo_urgency.jobs.runtime.errors import EXIT_USAGE, JobError
from odoo_urgency.policies import Rules
from odoo_urgency.policies.planning import Attendance, WorkingTime

log = structlog.get_logger("daemon")

__all__ = ["CalendarReader", "OwnLeaves", "attach_company_calendar"]

#: leaves that belong to one resource (a work center's own maintenance), as (resource id or None, (start, end))
OwnLeaves = list[tuple[int | None, tuple[datetime, datetime]]]
ATTENDANCE_FIELDS = ["calendar_id", "dayofweek", "hour_from", "hour_to", "day_period", "week_type"]


def _id(value: Any) -> int | None:
    return int(value[0]) if isinstance(value, list | tuple) and value else (int(value) if value else None)


class CalendarReader:
    def __init__(self, client: OdooClient) -> None:
        self.client = client

    def read(self, ids: list[int], since: datetime, until: datetime, *, global_only: bool = False
             ) -> dict[int, tuple[WorkingTime, OwnLeaves]]:
        """Each calendar with the leaves that touch [since, until]: global ones folded in, a resource's own kept
        apart (the caller gives each work center its own). ``global_only``: public holidays only (a company
        calendar's employees' time off can be thousands of rows, and is not the company's)."""
        if not ids:
            return {}
        rows = self.client.read("resource.calendar", ids, ["name", "tz", "two_weeks_calendar"])
        dated = {"date_from", "date_to"} <= set(self.client.fields_get("resource.calendar.attendance"))
        attendances = self.client.search_read(
            "resource.calendar.attendance", [("calendar_id", "in", ids)],
            ATTENDANCE_FIELDS + (["date_from", "date_to"] if dated else []))
        leaves = self.client.search_read(
            "resource.calendar.leaves",
            [("date_to", ">=", format_datetime(since)), ("date_from", "<=", format_datetime(until)),
             ("time_type", "=", "leave"), *([("resource_id", "=", False)] if global_only else []),
             "|", ("calendar_id", "in", ids), ("calendar_id", "=", False)],
            ["calendar_id", "resource_id", "date_from", "date_to"])
        return {int(row["id"]): _calendar(row, attendances, leaves) for row in rows}

    def company_calendar(self, since: datetime, until: datetime) -> WorkingTime | None:
        """The working hours of the connected user's company, with its public holidays; None when it has none."""
        user = self.client.read("res.users", [int(self.client.uid or 0)], ["company_id"])
        company = _id(user[0].get("company_id")) if user else None
        if company is None:
            return None
        rows = self.client.read("res.company", [company], ["resource_calendar_id"])
        calendar = _id(rows[0].get("resource_calendar_id")) if rows else None
        if calendar is None:
            return None
        working, own = self.read([calendar], since, until, global_only=True).get(calendar, (None, []))
        if working is None:
            return None
        return working.with_leaves([span for resource, span in own if resource is None])


def _calendar(row: dict[str, Any], attendances: list[dict[str, Any]], leaves: list[dict[str, Any]]
              ) -> tuple[WorkingTime, OwnLeaves]:
    mine = [a for a in attendances if _id(a["calendar_id"]) == int(row["id"]) and a.get("day_period") != "lunch"]
    spans = tuple(Attendance(int(a["dayofweek"]), float(a["hour_from"]), float(a["hour_to"]),
                             int(a["week_type"]) if row.get("two_weeks_calendar") and a.get("week_type") else None,
                             _day(a.get("date_from")), _day(a.get("date_to")))
                  for a in mine)
    own: OwnLeaves = []
    for leave in leaves:
        if _id(leave.get("calendar_id")) not in (None, int(row["id"])):
            continue
        start, end = parse_datetime(leave["date_from"]), parse_datetime(leave["date_to"])
        if start is not None and end is not None:
            own.append((_id(leave.get("resource_id")), (start, end)))
    return WorkingTime(row.get("tz") or "UTC", spans, name=row.get("name") or ""), own


def _day(value: Any) -> date | None:
    return date.fromisoformat(value[:10]) if isinstance(value, str) and value else None


def attach_company_calendar(client: OdooClient, rules: Rules, since: datetime, until: datetime) -> None:
    """With ``[rules.calendar] source = "erp"``: deadlines count the company's working hours from now on (the
    holidays between ``since`` and ``until``). A company without working hours is one line, not a guess."""
    calendar = rules.calendar
    if calendar.source != "erp":
        return
    working = CalendarReader(client).company_calendar(since, until)
    if working is None:
        raise JobError('rules.calendar.source = "erp": the company of the plugin\'s user has no working hours '
                       "(Settings › Companies › Working Hours); set them or use source = \"settings\"", EXIT_USAGE)
    rules.calendar = calendar.with_working_time(working)
    log.info("deadline_calendar", source="erp", calendar=working.name, timezone=working.tz,
             holidays=len(working.leaves))
