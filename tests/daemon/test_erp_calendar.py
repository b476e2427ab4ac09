"""``[rules.calendar] source = "erp"``: processing deadlines count the company's working hours as the ERP keeps
them (the same ``resource.calendar`` the capacity planner reads): its lunch break, its public holidays."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from odoo_urgency.jobs.runtime.calendars import attach_company_calendar
from odoo_urgency.jobs.runtime.errors import JobError
from odoo_urgency.policies import Rules, Tier
from odoo_urgency.policies.deadlines import processing_deadline
from odoo_urgency.sandbox import Sandbox

from .conftest import make_sync

FRIDAY_3PM_BRUSSELS = datetime(2026, 12, 4, 14, 0, tzinfo=UTC)  # the sandbox company: Europe/Brussels, 8–12, 13–17


def erp_rules() -> Rules:
    return Rules.model_validate({"calendar": {"mode": "working", "source": "erp"}})


def test_deadlines_count_the_companys_hours_and_skip_its_public_holiday() -> None:
    with Sandbox() as sb:
        sync = make_sync(sb)
        rules = erp_rules()
        window = (FRIDAY_3PM_BRUSSELS - timedelta(days=30), FRIDAY_3PM_BRUSSELS + timedelta(days=30))
        attach_company_calendar(sync.client, rules, *window)
        # Friday 15:00 + 24 working hours: Fri 2 h, Mon 8, Tue 8, Wed 4 + 2 after lunch → Wednesday 15:00
        assert processing_deadline(FRIDAY_3PM_BRUSSELS, Tier.NORMAL, rules) == datetime(2026, 12, 9, 14, 0,
                                                                                            tzinfo=UTC)
        sb.env.create("resource.calendar.leaves", {  # Monday a public holiday (a global leave, as Odoo keeps them)
            "name": "Holiday", "calendar_id": 1, "resource_id": False, "time_type": "leave",
            "date_from": "2026-12-06 23:00:00", "date_to": "2026-12-07 22:59:59"})
        rules = erp_rules()
        attach_company_calendar(sync.client, rules, *window)
        assert processing_deadline(FRIDAY_3PM_BRUSSELS, Tier.NORMAL, rules) == datetime(2026, 12, 10, 14, 0,
                                                                                            tzinfo=UTC)


def test_the_daemon_reads_the_company_calendar_once_and_deadlines_use_it() -> None:
    with Sandbox(now=lambda: FRIDAY_3PM_BRUSSELS) as sb:
        sync = make_sync(sb)
        sync.settings.rules = erp_rules()
        sync.clock = lambda: FRIDAY_3PM_BRUSSELS
        sync.prepare()
        working = sync.settings.rules.calendar.working
        assert working is not None and working.name == "Standard 40 hours/week" and working.tz == "Europe/Brussels"
        calls = sync.client.stats.calls
        sync.prepare()
        assert sync.client.stats.calls == calls  # once per process, not per cycle


def test_a_company_without_working_hours_is_one_line() -> None:
    with Sandbox() as sb:
        sb.env.model("res.company", 1).write([1], {"resource_calendar_id": False})
        sync = make_sync(sb)
        with pytest.raises(JobError, match=r'source = "erp": the company .* has no working hours'):
            attach_company_calendar(sync.client, erp_rules(), FRIDAY_3PM_BRUSSELS, FRIDAY_3PM_BRUSSELS)


def test_settings_source_reads_nothing() -> None:
    with Sandbox() as sb:
        sync = make_sync(sb)
        calls = sync.client.stats.calls
        rules = Rules.model_validate({"calendar": {"mode": "working"}})
        attach_company_calendar(sync.client, rules, FRIDAY_3PM_BRUSSELS, FRIDAY_3PM_BRUSSELS)
        assert sync.client.stats.calls == calls and rules.calendar.working is None


def test_check_says_which_hours_deadlines_count() -> None:
    from odoo_urgency.jobs.admin.check import run_check

    with Sandbox() as sb:
        sync = make_sync(sb)
        sync.settings.rules = erp_rules()
        facts = dict(run_check(sync.settings, sync.client).facts)
        assert facts["deadlines count"].startswith(
            "the company's working hours in the ERP: Standard 40 hours/week (Europe/Brussels)")
        sb.env.write("res.company", [1], {"resource_calendar_id": False})
        report = run_check(sync.settings, sync.client)
        assert any("has no working hours" in problem for problem in report.problems), report.problems
        assert not report.ok
