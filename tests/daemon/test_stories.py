"""Each story of the demo data leads to exactly the expected writes and alerts; a second cycle changes nothing."""

from __future__ import annotations

import re

import pytest

from odoo_urgency.sandbox import Sandbox
from tests.daemon.conftest import activities, make_sync

KEY = re.compile(r"odoo-urgency key: (\S+?)</p>")


def keys(sb: Sandbox) -> list[str]:
    return sorted(k for a in activities(sb) for k in KEY.findall(a["note"] or ""))


def tier_tags(sb: Sandbox) -> dict[str, list[str]]:
    tags = {t["id"]: t["name"] for t in sb.env.search_read("crm.tag", [], ["name"])}
    return {o["name"]: sorted(tags[t] for t in o["tag_ids"] if "/" in tags[t])
            for o in sb.env.search_read("sale.order", [], ["name", "tag_ids"])}


def test_first_cycle_tells_each_story(protocol_sb: tuple[str, Sandbox]) -> None:
    """Over XML-RPC and JSON-RPC against Odoo 17, over JSON-2 against Odoo 19 (stock references, not
    procurement groups, tie the orders to their MOs there)."""
    protocol, sb = protocol_sb
    before_mo = {m["name"]: m for m in sb.env.search_read("mrp.production", [], ["name", "priority", "date_start"])}
    sync = make_sync(sb, protocol=protocol)
    summary = sync.run_cycle()

    assert summary.errors == 0
    assert summary.orders_by_tier == {"normal": 4, "special": 1, "urgent": 3}
    tags = tier_tags(sb)
    assert tags["S00001"] == ["Urgent / 紧急"]      # line stop, delivery tomorrow
    assert tags["S00002"] == ["Urgent / 紧急"]      # raw-material shortage
    assert tags["S00003"] == ["Special / 特殊"]     # big order of a VIP customer
    assert tags["S00004"] == tags["S00005"] == tags["S00006"] == tags["S00007"] == []
    assert tags["S00008"] == ["Urgent / 紧急"]
    assert tags["S00009"] == []                     # cancelled: left alone

    found = keys(sb)
    assert found == sorted([
        "confirm:sale.order:1:urgent", "shortage:sale.order:1:5", "mo_priority:mrp.production:1",
        "delivery:stock.picking:1",
        "confirm:sale.order:2:urgent", "shortage:sale.order:2:2",
        "confirm:sale.order:3:special", "shortage:sale.order:3:6",
        "breach1:sale.order:7",
        "confirm:sale.order:8:urgent", "shortage:sale.order:8:5", "mo_priority:mrp.production:2",
        "delivery:stock.picking:3",
        # One line, two urgent MOs whose finish targets (requested delivery − 24 h buffer) have passed: the
        # capacity plan tells sales and the planner, with the numbers, for each.
        "capacity:mrp.production:1:salesperson", "capacity:mrp.production:1:planner",
        "capacity:mrp.production:2:salesperson", "capacity:mrp.production:2:planner",
        # materials of S00001 (sandbox.demo_materials): chips on the late P00001, cables without supply
        "expedite:purchase.order:1:1", "no_supply:mrp.production:1:8", "materials_late:sale.order:1:1",
    ]), found
    by_key = {k: a for a in activities(sb) for k in KEY.findall(a["note"] or "")}
    assert by_key["breach1:sale.order:7"]["user_id"][0] == 7            # the team leader hears of the breach
    assert by_key["capacity:mrp.production:2:salesperson"]["user_id"][0] == 6
    assert by_key["capacity:mrp.production:2:planner"]["user_id"][0] == 8
    assert "the best plan finishes MO WH/MO/00001" in by_key["capacity:mrp.production:1:planner"]["note"]
    assert by_key["delivery:stock.picking:1"]["user_id"][0] == 9        # logistics
    # No MO, no planner configured: the planner's chain reaches the Manufacturing administrators (the admin).
    assert by_key["shortage:sale.order:2:2"]["user_id"][0] == 2
    assert "reached through planner ← group:mrp.group_mrp_manager" in by_key["shortage:sale.order:2:2"]["note"]
    assert "overdue since" in by_key["delivery:stock.picking:3"]["summary"]     # its ship-by time has passed

    after_mo = {m["name"]: m for m in sb.env.search_read("mrp.production", [], ["name", "priority", "date_start"])}
    assert after_mo["WH/MO/00001"]["priority"] == "1"
    # Assembly Line 1 runs one work order at a time: the plan puts the three MOs one after the other, the urgent
    # ones first (earliest due first), the ordinary WH/MO/00003 after them.
    slots = sorted((w["date_start"], w["date_finished"], w["production_id"][1])
                   for w in sb.env.search_read("mrp.workorder", [], ["date_start", "date_finished", "production_id"]))
    assert [name for *_, name in slots] == ["WH/MO/00002", "WH/MO/00001", "WH/MO/00003"]
    assert all(earlier[1] <= later[0] for earlier, later in zip(slots, slots[1:], strict=False))
    assert before_mo["WH/MO/00003"]["date_start"] < after_mo["WH/MO/00003"]["date_start"]
    pickings = {p["name"]: p for p in sb.env.search_read("stock.picking", [], ["name", "priority"])}
    assert pickings["WH/OUT/00001"]["priority"] == "1"
    assert pickings["WH/OUT/00002"]["priority"] == "0"                  # the confirmed normal order's delivery

    again = sync.run_cycle()
    assert (again.writes, again.alerts, again.errors) == (0, 0, 0)
    assert again.rpc_calls <= 5, again.rpc_calls
    assert keys(sb) == found


def test_no_change_cycle_costs_at_most_five_calls_after_a_restart(sb: Sandbox, tmp_path) -> None:
    cache = tmp_path / "fp.json"
    make_sync(sb, cache=cache).run_cycle()
    fresh = make_sync(sb, cache=cache)      # a new process: fingerprints come from the local cache
    fresh.prepare()                         # once per process: activity type, models, tier tags
    summary = fresh.run_cycle()
    assert (summary.writes, summary.alerts) == (0, 0)
    assert summary.rpc_calls <= 5


def test_restart_without_cache_still_changes_nothing(sb: Sandbox) -> None:
    make_sync(sb).run_cycle()
    before = keys(sb)
    summary = make_sync(sb).run_cycle()     # no cache: decides again, finds nothing to do
    assert (summary.writes, summary.alerts, summary.errors) == (0, 0, 0)
    assert keys(sb) == before


def test_dry_run_changes_nothing(sb: Sandbox) -> None:
    before = sb.env.search_read("sale.order", [], ["tag_ids", "write_date"])
    summary = make_sync(sb).run_cycle(dry_run=True)
    assert summary.alerts == 20 and summary.plans  # 17 + the 3 of the materials story
    assert sb.env.search_read("sale.order", [], ["tag_ids", "write_date"]) == before
    assert activities(sb) == []
    assert sb.env.search_read("ir.config_parameter", [("key", "like", "odoo_urgency")], ["key"]) == []


def test_a_new_change_is_picked_up_and_decided(protocol_sb: tuple[str, Sandbox]) -> None:
    protocol, sb = protocol_sb
    sync = make_sync(sb, protocol=protocol)
    sync.run_cycle()
    # A salesperson marks an ordinary quotation as a rush: the next cycle makes it urgent.
    sb.env.write("sale.order", [4], {"client_order_ref": "RUSH please, 加急"})
    summary = sync.run_cycle()
    assert summary.orders_by_tier["urgent"] == 1
    assert tier_tags(sb)["S00004"] == ["Urgent / 紧急"]
    assert "confirm:sale.order:4:urgent" in keys(sb)


def test_an_mo_is_found_by_its_link_alone(protocol_sb: tuple[str, Sandbox]) -> None:
    """No origin on the MO: only the link ties it to its order — a procurement group on 17, a stock reference
    on 19 (the schema reads whichever this server has; the reader never names the field)."""
    protocol, sb = protocol_sb
    if protocol == "jsonrpc":
        pytest.skip("the link does not depend on the wire: XML-RPC covers Odoo 17")
    sb.env.write("mrp.production", [1], {"origin": False})
    link = "stock_reference_ids" if protocol == "json2" else "procurement_group_id"
    assert sb.env.read("sale.order", [1], [link])[0][link], "S00001 has its link"
    make_sync(sb, protocol=protocol).run_cycle()
    assert "mo_priority:mrp.production:1" in keys(sb)
    assert sb.env.read("mrp.production", [1], ["priority"])[0]["priority"] == "1"
