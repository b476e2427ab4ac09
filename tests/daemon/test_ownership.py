"""Whose is a field: a person who changed a value the plugin wrote owns it for good — also when they set it back
to the plugin's own value (A→B→A); the plugin lowers a priority only when it raised it itself and nobody touched
the record since."""

from __future__ import annotations

import json

import pytest

from odoo_urgency.connector import OdooClient
from odoo_urgency.jobs.admin.install import run_install
from odoo_urgency.sandbox import Sandbox
from tests.daemon.conftest import make_settings, make_sync

SALESPERSON, PLANNER = 6, 8


@pytest.fixture
def installed(sb: Sandbox) -> Sandbox:
    run_install(OdooClient(make_settings(sb).odoo), out=lambda *_: None)
    return sb


def tier(sb: Sandbox, oid: int) -> str:
    return sb.env.read("sale.order", [oid], ["x_urgency"])[0]["x_urgency"]


def test_a_to_b_to_a_stays_the_person_s(installed: Sandbox) -> None:
    sync = make_sync(installed)
    sync.run_cycle()
    assert tier(installed, 4) == "normal"                               # the plugin's value
    installed.env.write("sale.order", [4], {"x_urgency": "special"}, uid=SALESPERSON)
    sync.run_cycle()
    installed.env.write("sale.order", [4], {"x_urgency": "normal"}, uid=SALESPERSON)   # back to the plugin's value
    sync.run_cycle()
    # Then the order looks urgent to the rules: the tier is still the person's.
    installed.env.write("sale.order", [4], {"client_order_ref": "RUSH please"}, uid=SALESPERSON)
    summary = sync.run_cycle()
    assert summary.errors == 0
    assert tier(installed, 4) == "normal"
    memo = json.loads(installed.env.read("sale.order", [4], ["x_urgency_memo"])[0]["x_urgency_memo"])
    assert "x_urgency" in memo.get("yielded", [])


def test_a_priority_is_lowered_only_if_nobody_touched_the_record_since(installed: Sandbox) -> None:
    sync = make_sync(installed)
    sync.run_cycle()
    mo = installed.env.read("mrp.production", [1], ["priority"])[0]
    assert mo["priority"] == "1"                                        # raised by the plugin for S00001
    # The planner works on the MO (assigns it to themselves) without changing its priority.
    installed.env.write("mrp.production", [1], {"user_id": PLANNER}, uid=PLANNER)
    sync.run_cycle()
    # The salesperson says S00001 is not urgent after all.
    installed.env.write("sale.order", [1], {"x_urgency": "normal", "x_urgency_manual": True}, uid=SALESPERSON)
    sync.run_cycle()
    assert installed.env.read("mrp.production", [1], ["priority"])[0]["priority"] == "1"   # touched: left alone
    assert installed.env.read("stock.picking", [1], ["priority"])[0]["priority"] == "0"    # untouched: lowered
