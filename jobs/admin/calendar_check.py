"""What ``check`` says about the hours deadlines count: every hour, the settings' week, or the company's working
hours read from the ERP (``[rules.calendar] source = "erp"``) — and a problem when the ERP has none to give."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol

from odoo_urgency.connector import OdooClient
from odoo_urgency.jobs.runtime.calendars import attach_company_calendar
from odoo_urgency.jobs.runtime.errors import JobError
from odoo_urgency.jobs.runtime.settings import Settings

__all__ = ["check_calendar"]

DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


class Report(Protocol):
    facts: list[tuple[str, str]]
    problems: list[str]


def check_calendar(report: Report, settings: Settings, client: OdooClient, now: datetime | None = None) -> None:
    calendar = settings.rules.calendar
    if calendar.mode == "calendar":
        report.facts.append(("deadlines count", f"every hour (times shown in {calendar.timezone})"))
        return
    if calendar.source == "settings":
        days = ", ".join(DAYS[day] for day in calendar.working_days)
        spans = ", ".join(f"{a:%H:%M}-{b:%H:%M}" for a, b in calendar.day_spans)
        extra = f", {len(calendar.holidays)} holidays, {len(calendar.workdays)} make-up working days"
        report.facts.append(("deadlines count", f"working hours from settings: {days} {spans} "
                                                f"{calendar.timezone}{extra}"))
        return
    moment = now or datetime.now(UTC)
    rules = settings.rules.model_copy()
    try:
        attach_company_calendar(client, rules, moment, moment + timedelta(days=366))
    except JobError as exc:
        report.problems.append(str(exc))
        return
    working = rules.calendar.working
    report.facts.append(("deadlines count", f"the company's working hours in the ERP: {working.name} "
                                            f"({working.tz}), {len(working.leaves)} public holidays in the next year"))
