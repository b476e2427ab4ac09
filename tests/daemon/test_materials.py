"""Materials end to end over the sandbox: the demo's urgent order S00001 waits for MCU chips on the late purchase
order P00001 and for connector cables nothing supplies. Each action, a user's change, a buyer's change, a receipt,
many cycles without a duplicate, an ERP without the purchase app, and the optional draft RFQ."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import SecretStr

from odoo_urgency.connector import ConnectionSettings, OdooClient, detect
from odoo_urgency.jobs.daemon.synchronizer import Synchronizer
from odoo_urgency.jobs.runtime.settings import DaemonSettings, Settings
from odoo_urgency.policies import Rules
from odoo_urgency.policies.config import MaterialsConfig
from odoo_urgency.sandbox import Sandbox
from tests.daemon.conftest import activities

KEY = re.compile(r"odoo-urgency key: (\S+?)</p>")
MATERIALS = ("expedite", "no_supply", "materials_late")


def sync_for(sb: Sandbox, materials: MaterialsConfig | None = None, **daemon: Any) -> Synchronizer:
    settings = Settings(
        odoo=ConnectionSettings(url=sb.url, database=sb.database, login="admin", password=SecretStr("admin"),
                                retry_attempts=3, retry_max_seconds=5),  # type: ignore[call-arg]
        daemon=DaemonSettings(**daemon),
        rules=Rules(materials=materials or MaterialsConfig()),
    )  # fmt: skip
    client = OdooClient(settings.odoo, retry_base_wait=0.01)
    client.authenticate()
    return Synchronizer(client, detect(client, with_rights=False), settings, holder="test-daemon")


def material_alerts(sb: Sandbox) -> dict[str, dict[str, Any]]:
    found = {}
    for activity in activities(sb):
        for key in KEY.findall(activity["note"] or ""):
            if key.split(":")[0] in MATERIALS:
                found[key] = activity
    return found


def story(sb: Sandbox) -> dict[str, Any]:
    env = sb.env
    po = env.search_read("purchase.order", [("name", "=", "P00001")], ["priority", "order_line", "user_id"])[0]
    mo = env.search_read("mrp.production", [("origin", "=", "S00001")], ["date_start"])[0]
    products = {p["default_code"]: p["id"] for p in env.search_read("product.product", [], ["default_code"])}
    return {"po": po, "mo": mo, "chip": products["MCU-32"], "cable": products["CABLE-8"]}


def test_late_po_is_expedited_and_shortages_told_once_over_many_cycles(sb: Sandbox) -> None:
    sync = sync_for(sb, rescan_minutes=1e-6)  # every cycle decides every open order again
    first = sync.run_cycle()
    assert first.errors == 0
    s = story(sb)
    assert s["po"]["priority"] == "1"
    alerts = material_alerts(sb)
    chip_move = sb.env.search("stock.move", [("raw_material_production_id", "=", s["mo"]["id"]),
                                             ("product_id", "=", s["chip"])])[0]  # fmt: skip
    assert sorted(alerts) == sorted([
        f"expedite:purchase.order:{s['po']['id']}:{chip_move}",
        f"no_supply:mrp.production:{s['mo']['id']}:{s['cable']}",
        f"materials_late:sale.order:1:{s['mo']['id']}",
    ])  # fmt: skip
    expedite = alerts[f"expedite:purchase.order:{s['po']['id']}:{chip_move}"]
    assert (expedite["res_model"], expedite["user_id"][1]) == ("purchase.order", "Purchasing Buyer")
    for part in ("16 of [MCU-32]", "P00001", "WH/MO/00001", "S00001", "h late", "expedite"):
        assert part in expedite["note"], part
    assert "6 have no supply" in alerts[f"no_supply:mrp.production:{s['mo']['id']}:{s['cable']}"]["note"]
    count = len(activities(sb))
    for _ in range(6):
        summary = sync.run_cycle()
        assert (summary.alerts, summary.writes, summary.errors) == (0, 0, 0)
        assert summary.orders_by_tier["urgent"] == 3  # decided again, nothing new to say
    assert len(activities(sb)) == count


def test_a_priority_the_buyer_lowered_is_theirs(sb: Sandbox) -> None:
    sync = sync_for(sb, rescan_minutes=1e-6)
    sync.run_cycle()
    po_id = story(sb)["po"]["id"]
    sb.env.write("purchase.order", [po_id], {"priority": "0"}, uid=6)
    for _ in range(3):
        assert sync.run_cycle().errors == 0
    assert story(sb)["po"]["priority"] == "0"


class Clock:
    """The ERP's clock, moved by hand: the daemon reads only what the server stamps."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def later(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def _busy_erp_moves_on(sb: Sandbox, sync: Synchronizer, clock: Clock) -> None:
    """Ten minutes of other work in the ERP (the cursor passes the plugin's own writes), then a quiet cycle."""
    clock.later(minutes=10)
    sb.env.write("sale.order", [4], {"note": "<p>call back on Monday</p>"}, uid=6)
    sync.run_cycle()
    clock.later(seconds=30)


def test_a_buyer_moving_the_po_in_time_is_seen_next_cycle_without_new_alerts() -> None:
    clock = Clock()
    with Sandbox(demo=True, now=clock) as sb:
        sync = sync_for(sb)  # no rescan: only the components' moves bring the order back
        sync.run_cycle()
        _busy_erp_moves_on(sb, sync, clock)
        assert sync.run_cycle().rpc_calls <= 5
        clock.later(seconds=30)
        s, before = story(sb), len(activities(sb))
        sb.env.write("purchase.order", [s["po"]["id"]], {"date_planned": s["mo"]["date_start"]}, uid=6)  # in time
        cycle = sync.run_cycle()
        assert cycle.orders_by_tier["urgent"] == 1 and (cycle.alerts, cycle.errors) == (0, 0)
        verdict = sync.materials.last[1].plan
        assert verdict is not None
        chip = next(c for c in verdict.mos[s["mo"]["id"]].coverages if c.need.product_id == s["chip"])
        assert [a.supply.po_name for a in chip.allocations] == ["P00001"] and chip.short == 0
        assert chip.allocations[0].supply.expected == chip.need.needed_by  # no longer late
        assert len(activities(sb)) == before
        assert sync.run_cycle().rpc_calls <= 5


def test_a_received_po_closes_the_shortage() -> None:
    clock = Clock()
    with Sandbox(demo=True, now=clock) as sb:
        s = story(sb)
        sync = sync_for(sb)
        sync.run_cycle()
        plan = sync.materials.last[1].plan
        assert plan is not None and plan.mos[s["mo"]["id"]].status.value == "short"  # chips late, cables short
        _busy_erp_moves_on(sb, sync, clock)
        receipt = sb.env.search_read("stock.move", [("purchase_line_id", "in", s["po"]["order_line"])], ["picking_id"])
        sb.env.call(6, "stock.picking", "button_validate", [[receipt[0]["picking_id"][0]]])
        cycle = sync.run_cycle()
        assert cycle.orders_by_tier["urgent"] == 1 and (cycle.alerts, cycle.errors) == (0, 0)
        plan = sync.materials.last[1].plan
        assert plan is not None
        chip = next(c for c in plan.mos[s["mo"]["id"]].coverages if c.need.product_id == s["chip"])
        assert [(a.supply.kind, a.quantity) for a in chip.allocations] == [("stock", 16.0)]  # the shortage is closed
        assert plan.mos[s["mo"]["id"]].status.value == "short"  # the cables still have no supply


def test_draft_rfq_once_from_the_first_vendor_never_confirmed(sb: Sandbox) -> None:
    sync = sync_for(sb, MaterialsConfig(draft_rfq=True, purchasing_user_id=11), rescan_minutes=1e-6)
    assert sync.run_cycle().rfqs == 1
    rfqs = sb.env.search_read("purchase.order", [("origin", "ilike", "WH/MO/00001")], ["state", "partner_id", "order_line"])
    assert len(rfqs) == 1 and rfqs[0]["state"] == "draft" and rfqs[0]["partner_id"][1] == "Cable Co. 线缆公司"
    line = sb.env.read("purchase.order.line", rfqs[0]["order_line"], ["product_qty", "product_id"])[0]
    assert line["product_qty"] == 10.0  # 6 short, the vendor's minimum is 10
    for _ in range(3):
        assert sync.run_cycle().rfqs == 0
    sb.env.unlink("purchase.order", [rfqs[0]["id"]])  # purchasing threw it away: the memo keeps it from coming back
    assert sync.run_cycle().rfqs == 0


def test_without_the_purchase_app_shortages_are_still_told() -> None:
    with Sandbox(demo=True, purchase=False) as sb:
        sync = sync_for(sb)
        assert not sync.schema.purchase_installed
        summary = sync.run_cycle()
        assert summary.errors == 0
        keys = sorted(material_alerts(sb))
        assert [k.split(":")[0] for k in keys] == ["materials_late", "no_supply", "no_supply"]  # chips and cables


def test_install_mode_explain_and_check_show_materials(sb: Sandbox, capsys: Any, monkeypatch: Any, tmp_path: Any) -> None:
    from odoo_urgency.connector import OdooClient
    from odoo_urgency.jobs import cli
    from odoo_urgency.jobs.admin.install import run_install

    run_install(OdooClient(sync_for(sb).settings.odoo), out=lambda *_: None)
    sync = sync_for(sb, rescan_minutes=1e-6)
    assert sync.mode == "install" and "x_urgency_memo" in sync.schema.custom_fields["purchase.order"]
    sync.run_cycle()
    po = story(sb)["po"]
    assert po["priority"] == "1"
    memo = sb.env.read("purchase.order", [po["id"]], ["x_urgency_memo"])[0]["x_urgency_memo"]
    assert '"priority": "1"' in memo  # remembered on the PO itself, so a buyer's later change is theirs
    sb.env.write("purchase.order", [po["id"]], {"priority": "0"}, uid=6)
    assert (sync.run_cycle().writes, story(sb)["po"]["priority"]) == (0, "0")
    sync.release()
    capsys.readouterr()
    for name, value in (("URL", sb.url), ("DATABASE", sb.database), ("LOGIN", "admin"), ("PASSWORD", "admin"), ("CONFIG", ""),
                        ("DAEMON__CACHE_DIR", str(tmp_path))):
        monkeypatch.setenv(f"ODOO_URGENCY_{name}", value)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["explain", "S00001", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    [mo] = data["materials"]
    assert (mo["mo"], mo["status"], mo["feasible"], data["combined_feasible"]) == ("WH/MO/00001", "short", False, False)
    parts = {c["product"].split("]")[0][1:]: c for c in mo["components"]}
    assert parts["MCU-32"]["status"] == "late" and parts["MCU-32"]["supply"][0]["purchase_order"] == "P00001"
    assert parts["CABLE-8"]["short"] == 6.0 and parts["HSG-1"]["status"] == "available"
    assert data["would_write"] == [] and data["would_alert"] == []  # all said and done, the buyer's priority kept
    assert cli.main(["explain", "S00001"]) == 0
    text = capsys.readouterr().out
    assert "materials of WH/MO/00001: short" in text and "6 WITHOUT SUPPLY" in text and "NOT feasible" in text
    cli.main(["check"])
    text = capsys.readouterr().out
    assert re.search(r"purchasing follow-up\s+on", text) and "draft RFQs" in text


def test_an_install_without_the_purchase_model_puts_the_expedite_alert_on_the_mo(sb: Sandbox) -> None:
    """An install made before the purchase app (or this version) recorded no model id for purchase orders: the
    expedite alert goes on the MO that needs the supply instead of failing, once."""
    sync = sync_for(sb)
    sync.prepare()
    assert sync._target is not None
    sync._target.model_ids.pop("purchase.order", None)
    assert sync.run_cycle().errors == 0
    s = story(sb)
    expedite = [a for k, a in material_alerts(sb).items() if k.startswith("expedite:")]
    assert [(a["res_model"], a["res_id"]) for a in expedite] == [("mrp.production", s["mo"]["id"])]
    assert sync.run_cycle().alerts == 0


def test_components_are_needed_at_the_capacity_planners_start(sb: Sandbox) -> None:
    """WH/MO/00001 has a work order on Assembly Line 1: its components are needed when the capacity planner starts
    it, not at the start it had before the plan — decided after the capacity pass in the same cycle, once."""
    from odoo_urgency.connector.records import parse_datetime
    from odoo_urgency.policies import i18n

    before = story(sb)["mo"]["date_start"]
    sync = sync_for(sb)
    first = sync.run_cycle()
    assert first.errors == 0 and first.orders_by_tier["urgent"] == 3  # held-back orders are not counted twice
    s = story(sb)
    planned = parse_datetime(s["mo"]["date_start"])
    assert planned is not None and s["mo"]["date_start"] != before  # the planner moved the urgent MO earlier
    judged = sync.materials.last[1]
    assert [slot.start for slot in judged.slots] == [planned]
    assert judged.plan is not None
    assert {c.need.needed_by for c in judged.plan.mos[s["mo"]["id"]].coverages} == {planned}
    [expedite] = [a for k, a in material_alerts(sb).items() if k.startswith("expedite:")]
    assert i18n.when(planned, sync.settings.rules.calendar, "en") in expedite["note"]
    count = len(activities(sb))
    assert sync.run_cycle().rpc_calls <= 5  # settled: nothing is news
    assert len(activities(sb)) == count


def test_a_dry_run_shows_the_same_materials_alerts_as_the_run() -> None:
    with Sandbox(demo=True) as sb:
        planned = sync_for(sb).run_cycle(dry_run=True)
        keys = sorted(a.key for plan in planned.plans for a in plan.alerts if a.kind in MATERIALS)
        sync_for(sb).run_cycle()
        assert keys == sorted(material_alerts(sb)) and len(keys) == 3
