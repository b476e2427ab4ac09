"""The daemon's capacity pass on the sandbox's one-line story: what it writes, that Odoo's planning stays
consistent, that it is quiet when nothing changed, and that a user's move is never undone."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from odoo_urgency.connector import OdooClient, detect
from odoo_urgency.jobs.daemon.summary import CycleSummary
from odoo_urgency.jobs.daemon.synchronizer import Synchronizer
from odoo_urgency.sandbox import Sandbox
from tests.daemon.conftest import make_settings


@pytest.fixture
def sb() -> Iterator[Sandbox]:
    with Sandbox(demo=True, database="urgency") as sandbox:
        yield sandbox


def sync_at(sb: Sandbox, clock: list[datetime]) -> Synchronizer:
    settings = make_settings(sb)
    client = OdooClient(settings.odoo, retry_base_wait=0.01)
    client.authenticate()
    return Synchronizer(client, detect(client, with_rights=False), settings, holder="test-daemon",
                        clock=lambda: clock[0])


def slots(sb: Sandbox) -> dict[str, dict]:
    rows = sb.env.search_read("mrp.workorder", [], ["production_id", "date_start", "date_finished", "leave_id"])
    return {r["production_id"][1]: r for r in rows}


def test_the_plan_is_written_as_odoo_plans_and_stays_consistent(sb: Sandbox) -> None:
    clock = [datetime.now(UTC)]
    sync_at(sb, clock).run_cycle()
    for name, wo in slots(sb).items():
        leave = sb.env.read("resource.calendar.leaves", [wo["leave_id"][0]], ["date_from", "date_to", "time_type"])[0]
        assert (leave["date_from"], leave["date_to"], leave["time_type"]) == (wo["date_start"], wo["date_finished"],
                                                                              "other"), name
        mo = sb.env.search_read("mrp.production", [("name", "=", name)], ["date_start", "date_finished",
                                                                          "is_planned"])[0]
        # written with force_date: still planned, and the MO spans its work order
        assert mo["is_planned"] and (mo["date_start"], mo["date_finished"]) == (wo["date_start"], wo["date_finished"])
    assert sb.env.model("mrp.production").button_unplan([1]) is True  # Odoo's "Unplan" still works on it


def steady(now: datetime) -> datetime:
    """A moment whose next 10 minutes cross no edge of the demo's working hours (Europe/Brussels 8–12, 13–17):
    across one the plan rightly changes (work planned to start "now" cannot start at 12:05, in the lunch break),
    which made this test fail between 10:50 and 11:00 UTC."""
    from zoneinfo import ZoneInfo

    local = now.astimezone(ZoneInfo("Europe/Brussels"))
    for hour in (8, 12, 13, 17):
        edge = local.replace(hour=hour, minute=0, second=0, microsecond=0)
        if local < edge <= local + timedelta(minutes=11):
            return now - timedelta(minutes=20)
    return now


def test_a_quiet_cycle_later_writes_nothing(sb: Sandbox) -> None:
    clock = [steady(datetime.now(UTC))]
    sync_at(sb, clock).run_cycle()
    clock[0] += timedelta(minutes=10)
    summary = sync_at(sb, clock).run_cycle()        # a restart without cache: it decides everything again
    assert (summary.writes, summary.alerts, summary.errors) == (0, 0, 0)


def test_a_work_order_a_user_moved_is_never_moved_back(sb: Sandbox) -> None:
    clock = [datetime.now(UTC)]
    sync = sync_at(sb, clock)
    sync.run_cycle()
    normal = slots(sb)["WH/MO/00003"]
    later = (datetime.strptime(normal["date_start"], "%Y-%m-%d %H:%M:%S") + timedelta(days=7)).strftime(
        "%Y-%m-%d %H:%M:%S")
    finish = (datetime.strptime(later, "%Y-%m-%d %H:%M:%S") + timedelta(hours=9)).strftime("%Y-%m-%d %H:%M:%S")
    # The planner drags it in Odoo's Gantt: both work-order dates, then the MO follows (as Odoo's planning does).
    sb.env.write("mrp.workorder", [normal["id"]], {"date_start": later, "date_finished": finish}, uid=8)
    sb.env.call(8, "mrp.production", "write", [[3], {"date_start": later, "date_finished": finish}],
                {"context": {"force_date": True}}, trusted=True)
    clock[0] += timedelta(hours=2)
    sync.run_cycle()
    sync.capacity(clock[0], CycleSummary(), dry_run=False)  # and once more, whatever the cycle saw
    assert slots(sb)["WH/MO/00003"]["date_start"] == later
