"""A planner's lock (``mrp.production.x_urgency_locked``): ``install`` adds it, ``check`` says whether it is there,
and the daemon never moves an MO a planner ticked — while it does move the same MO when nobody locked it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from odoo_urgency.connector import OdooClient
from odoo_urgency.jobs.admin.check import run_check
from odoo_urgency.jobs.admin.install import run_install
from odoo_urgency.jobs.runtime.connect import connect
from odoo_urgency.sandbox import Sandbox
from tests.daemon.conftest import make_settings
from tests.install.conftest import settings_for

from .test_capacity_cycle import sync_at

URGENT_MO = "WH/MO/00001"  # S00001's MO: planned days too late, the capacity pass pulls it in


@pytest.fixture
def sb() -> Iterator[Sandbox]:
    with Sandbox(demo=True, database="urgency") as sandbox:
        yield sandbox


def _dates(sb: Sandbox, name: str) -> tuple[tuple[str, str], tuple[str, str]]:
    mo = sb.env.search_read("mrp.production", [("name", "=", name)], ["date_start", "date_finished"])[0]
    wo = sb.env.search_read("mrp.workorder", [("production_id", "=", mo["id"])], ["date_start", "date_finished"])[0]
    return (mo["date_start"], mo["date_finished"]), (wo["date_start"], wo["date_finished"])


def _install(sb: Sandbox) -> None:
    admin = connect(settings_for(sb))
    try:
        run_install(admin, out=lambda _: None)
    finally:
        admin.close()


def _lock_as_the_planner(sb: Sandbox, name: str) -> None:
    """What a planner does in the MO's form: tick the field (over RPC, with the planner's own rights)."""
    planner = connect(settings_for(sb, "planner", "planner"))
    try:
        mo_id = planner.search("mrp.production", [("name", "=", name)])[0]
        assert planner.write("mrp.production", [mo_id], {"x_urgency_locked": True})
        assert planner.search("mrp.production", [("x_urgency_locked", "=", True)]) == [mo_id]
    finally:
        planner.close()


def _check_lock_line(sb: Sandbox) -> str:
    settings = make_settings(sb)
    client = OdooClient(settings.odoo, retry_base_wait=0.01)
    try:
        report = run_check(settings, client)
    finally:
        client.close()
    return dict(report.facts)["MO lock"]


def test_install_adds_the_lock_and_check_reports_it(sb: Sandbox) -> None:
    assert _check_lock_line(sb).startswith("warning: mrp.production has no field x_urgency_locked")
    _install(sb)
    assert _check_lock_line(sb).startswith("mrp.production.x_urgency_locked: ")
    field = sb.env.model("mrp.production").fields_get()["x_urgency_locked"]
    assert field["type"] == "boolean"


def test_a_locked_mo_is_never_moved(sb: Sandbox) -> None:
    _install(sb)
    before = _dates(sb, URGENT_MO)
    _lock_as_the_planner(sb, URGENT_MO)
    clock = [datetime.now(UTC)]
    sync_at(sb, clock).run_cycle()
    assert _dates(sb, URGENT_MO) == before
    # (that the others are planned around a locked MO's slot is a property test: tests/policies/)


def test_the_same_mo_unlocked_is_moved(sb: Sandbox) -> None:
    """The control: without the lock the cycle does move it, so the test above can fail."""
    _install(sb)
    before = _dates(sb, URGENT_MO)
    sync_at(sb, [datetime.now(UTC)]).run_cycle()
    assert _dates(sb, URGENT_MO) != before
