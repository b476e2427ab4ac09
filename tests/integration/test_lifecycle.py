"""The whole life of the plugin in a real Odoo 17: install (twice), daemon cycles on test orders, a user's tier,
uninstall. The tests run in file order and share the database state; each one skips when a step it needs failed.
Everything the module creates is removed at its end (and whatever a crashed earlier run left, at its start)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, MutableMapping
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
import structlog
from structlog.testing import capture_logs

from odoo_urgency.connector import OdooClient
from odoo_urgency.connector.records import format_datetime
from odoo_urgency.jobs.admin.install import VERSION_PARAM, plugin_version
from odoo_urgency.jobs.daemon import synchronizer as cycle_module
from odoo_urgency.jobs.daemon.synchronizer import CycleSummary, Synchronizer
from odoo_urgency.jobs.daemon.writer import KEY_LINE, Applier

from .conftest import (
    PARAM_PREFIX,
    PLUGIN_MODULE,
    Target,
    demo_client,
    make_sync,
    new_ref,
    remove_plugin,
    remove_test_orders,
)

FMT = "%Y-%m-%d %H:%M:%S"
ORDER_FIELDS = ["name", "state", "create_date", "write_date", "user_id", "x_urgency", "x_urgency_deadline",
                "x_urgency_reason", "x_urgency_manual", "x_urgency_memo"]


class World:
    """What the steps share."""

    def __init__(self) -> None:
        self.done: set[str] = set()
        self.orders: dict[str, int] = {}
        self.sync: Synchronizer | None = None

    def need(self, *steps: str) -> None:
        missing = [step for step in steps if step not in self.done]
        if missing:
            pytest.skip(f"an earlier step failed: {', '.join(missing)}")


@pytest.fixture(scope="module")
def world(target: Target, admin: OdooClient) -> Iterator[World]:
    remove_test_orders(admin)
    remove_plugin(admin)
    state = World()
    yield state
    if state.sync is not None:
        state.sync.client.close()
    remove_test_orders(admin)
    remove_plugin(admin)
    assert not admin.search("sale.order", [("client_order_ref", "=like", "ITEST-%")])


def _xmlid(client: OdooClient, module: str, name: str) -> int:
    rows = client.search_read("ir.model.data", [("module", "=", module), ("name", "=", name)], ["res_id"])
    assert rows, f"{module}.{name} not found"
    return int(rows[0]["res_id"])


def _create_order(client: OdooClient, commitment: datetime | None, salesperson: int) -> int:
    partner = _xmlid(client, "base", "res_partner_2")                 # Deco Addict, no VIP category
    product = client.search("product.product", [("sale_ok", "=", True), ("type", "=", "service")],
                            order="id", limit=1)[0]
    values: dict[str, Any] = {
        "partner_id": partner, "client_order_ref": new_ref(), "user_id": salesperson,
        "order_line": [(0, 0, {"product_id": product, "product_uom_qty": 1, "price_unit": 100.0})],
    }
    if commitment is not None:
        values["commitment_date"] = format_datetime(commitment)
    return client.create_one("sale.order", values)


def _orders(client: OdooClient, world: World) -> dict[str, dict[str, Any]]:
    rows = {row["id"]: row for row in client.read("sale.order", list(world.orders.values()), ORDER_FIELDS)}
    return {key: rows[oid] for key, oid in world.orders.items()}


def _run(sync: Synchronizer, monkeypatch: pytest.MonkeyPatch
         ) -> tuple[CycleSummary, list[MutableMapping[str, Any]], list[Applier]]:
    """One cycle, with the daemon's log events and the appliers it made."""
    appliers: list[Applier] = []

    class Recording(Applier):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            appliers.append(self)

    monkeypatch.setattr(cycle_module, "Applier", Recording)
    structlog.reset_defaults()
    with capture_logs() as events:
        summary = sync.run_cycle()
    assert summary.errors == 0, summary.error_messages
    return summary, events, appliers


# -- install ---------------------------------------------------------------------------------------------------


def test_install_dry_run_changes_nothing(world: World, admin: OdooClient, cli: Callable[..., int],
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert cli("install", "--dry-run") == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert "would create field sale.order.x_urgency" in out
    assert out.strip().splitlines()[-1].startswith("dry run, nothing changed:")
    assert not admin.search("ir.model.data", [("module", "=", PLUGIN_MODULE)])
    assert "x_urgency" not in admin.fields_get("sale.order", refresh=True)


def test_install_needs_an_administrator(world: World, target: Target, admin: OdooClient, cli: Callable[..., int],
                                       capsys: pytest.CaptureFixture[str]) -> None:
    user = demo_client(target)
    if user is None:
        pytest.skip("no demo user in this database")
    user.close()
    assert cli("install", "--dry-run", login="demo") == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "needs an administrator" in err[0] and "ir.model.fields" in err[0], err
    assert not admin.search("ir.model.data", [("module", "=", PLUGIN_MODULE)])


def test_install_then_install_again(world: World, admin: OdooClient, cli: Callable[..., int],
                                    capsys: pytest.CaptureFixture[str]) -> None:
    code = cli("install")
    out, err = capsys.readouterr()
    assert code == 0, f"{out}\n{err}"
    last = out.strip().splitlines()[-1]
    assert last.endswith("0 updated, 0 unchanged") and not last.startswith("0 created"), out
    fields = admin.fields_get("sale.order", refresh=True)
    assert {"x_urgency", "x_urgency_deadline", "x_urgency_reason", "x_urgency_manual", "x_urgency_memo"} <= set(fields)
    assert [value for value, _ in fields["x_urgency"]["selection"]] == ["normal", "special", "urgent"]
    for model in ("mrp.production", "stock.picking"):
        assert "x_urgency_memo" in admin.fields_get(model, refresh=True)
    params = admin.search_read("ir.config_parameter", [("key", "=", VERSION_PARAM)], ["value"])
    assert [p["value"] for p in params] == [plugin_version()]

    code = cli("install")
    out, err = capsys.readouterr()
    assert code == 0, f"{out}\n{err}"
    last = out.strip().splitlines()[-1]
    assert last.startswith("0 created, 0 updated, "), out
    world.done.add("install")


def test_installed_views_apply_to_the_standard_sale_views(world: World, admin: OdooClient) -> None:
    """Odoo validates and combines the inherited views: the web client gets our fields and filters."""
    world.need("install")
    views = admin.call("sale.order", "get_views", [[False, "form"], [False, "list"], [False, "search"]])["views"]
    assert 'name="x_urgency"' in views["form"]["arch"] and 'name="x_urgency_manual"' in views["form"]["arch"]
    assert 'name="x_urgency"' in views["list"]["arch"]
    assert 'name="x_urgency_urgent"' in views["search"]["arch"]
    assert 'name="x_urgency_deadline_passed"' in views["search"]["arch"]
    quotations = _xmlid(admin, "sale", "view_quotation_tree_with_onboarding")
    arch = admin.call("sale.order", "get_views", [[quotations, "list"]])["views"]["list"]["arch"]
    assert 'name="x_urgency"' in arch


# -- the daemon ------------------------------------------------------------------------------------------------


def test_a_cycle_writes_tiers_deadlines_and_alerts(world: World, target: Target, admin: OdooClient,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    world.need("install")
    now = datetime.now(timezone.utc)
    # the demo user is the salesperson (so that user can set the tier by hand later), else the admin
    demo_users = admin.search("res.users", [("login", "=", "demo")])
    salesperson = demo_users[0] if demo_users else int(admin.uid or 0)
    world.orders["urgent"] = _create_order(admin, now + timedelta(hours=10), salesperson)  # lead time 10 h < 48 h
    world.orders["normal"] = _create_order(admin, now + timedelta(days=10), salesperson)   # lead time 240 h > 120 h
    world.sync = sync = make_sync(target)
    assert sync.mode == "install"

    summary, events, appliers = _run(sync, monkeypatch)

    orders = _orders(admin, world)
    urgent, normal = orders["urgent"], orders["normal"]
    assert urgent["x_urgency"] == "urgent", urgent
    assert normal["x_urgency"] == "normal", normal
    for row, hours in ((urgent, 2), (normal, 24)):
        received = datetime.strptime(row["create_date"], FMT)
        assert row["x_urgency_deadline"] == (received + timedelta(hours=hours)).strftime(FMT)
        assert row["x_urgency_reason"]
        assert row["x_urgency_manual"] is False
        assert json.loads(row["x_urgency_memo"])["x_urgency"] == row["x_urgency"]

    activity_type = _xmlid(admin, PLUGIN_MODULE, "activity_type_urgent")
    activities = admin.search_read("mail.activity", [("res_model", "=", "sale.order"),
                                                     ("res_id", "in", list(world.orders.values()))],
                                   ["res_id", "user_id", "activity_type_id", "note", "summary", "date_deadline"])
    on_urgent = [a for a in activities if a["res_id"] == world.orders["urgent"]]
    assert on_urgent, "no activity on the urgent order"
    assert all(KEY_LINE in (a["note"] or "") for a in on_urgent), on_urgent
    assert all(a["activity_type_id"][0] == activity_type for a in on_urgent)
    assert any(a["user_id"] and a["user_id"][0] == urgent["user_id"][0] for a in on_urgent)
    assert not [a for a in activities if a["res_id"] == world.orders["normal"]]   # normal: no alert
    memo_keys = json.loads(urgent["x_urgency_memo"]).get("alerts", [])
    assert memo_keys and all(any(key in a["note"] for a in on_urgent) for key in memo_keys)

    # the bulk writes went through Odoo's `load`, and `load` was never refused
    assert sync.client.stats.by_method["sale.order.load"] >= 1, dict(sync.client.stats.by_method)
    assert appliers and all(applier.use_load for applier in appliers)
    refused = [e for e in events if e["event"] in ("bulk_load_unavailable", "bulk_load_refused",
                                                   "group_write_refused", "write_refused")]
    assert not refused, refused
    assert summary.writes >= 2 and summary.alerts >= 1
    world.done.add("cycle")


def test_a_second_cycle_writes_nothing(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    world.need("cycle")
    assert world.sync is not None
    summary, _events, _ = _run(world.sync, monkeypatch)
    assert (summary.writes, summary.alerts, summary.conflicts) == (0, 0, 0), summary.as_json()
    world.done.add("second cycle")
    # a quiet cycle is cheap: state, three "what changed" looks, the lease (jobs/cycle.py's promise)
    assert summary.rpc_calls <= 5, dict(world.sync.client.stats.by_method)


def test_a_restarted_daemon_writes_nothing_either(world: World, target: Target, admin: OdooClient,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A new process has no fingerprints: it decides the recent rows again and finds nothing to change."""
    world.need("second cycle")
    fresh = make_sync(target)
    try:
        summary, _events, _ = _run(fresh, monkeypatch)
        assert (summary.writes, summary.alerts, summary.conflicts) == (0, 0, 0), summary.as_json()
        count = admin.search_count("mail.activity", [("res_model", "=", "sale.order"),
                                                     ("res_id", "=", world.orders["urgent"])])
        assert count >= 1
    finally:
        fresh.client.close()


def test_a_tier_set_by_a_user_is_respected(world: World, target: Target, admin: OdooClient,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    world.need("cycle")
    assert world.sync is not None
    urgent, normal = world.orders["urgent"], world.orders["normal"]
    # the salesperson (an internal, non-admin user when the demo user exists) knows better: not that urgent
    # after all, and says so over the external API by ticking the box
    user = demo_client(target) or target.client()
    try:
        user.write("sale.order", [urgent], {"x_urgency": "normal", "x_urgency_manual": True})
        # the same user raises the normal order without ticking the box: still a user's value
        user.write("sale.order", [normal], {"x_urgency": "special"})
    finally:
        user.close()
    summary, _events, _ = _run(world.sync, monkeypatch)
    assert summary.errors == 0 and summary.writes >= 2      # the deadlines follow the users' tiers
    summary, _events, _ = _run(world.sync, monkeypatch)
    assert (summary.writes, summary.errors) == (0, 0)
    after = _orders(admin, world)
    assert after["urgent"]["x_urgency"] == "normal" and after["urgent"]["x_urgency_manual"] is True
    assert after["normal"]["x_urgency"] == "special"
    received = {key: datetime.strptime(row["create_date"], FMT) for key, row in after.items()}
    assert after["urgent"]["x_urgency_deadline"] == (received["urgent"] + timedelta(hours=24)).strftime(FMT)
    assert after["normal"]["x_urgency_deadline"] == (received["normal"] + timedelta(hours=12)).strftime(FMT)
    dry = {plan.decision.order_id: plan for plan in world.sync.run_cycle(dry_run=True).plans}
    assert urgent not in dry or not dry[urgent].writes
    world.sync.release()


# -- uninstall -------------------------------------------------------------------------------------------------


def test_uninstall_removes_everything(world: World, admin: OdooClient, cli: Callable[..., int],
                                      capsys: pytest.CaptureFixture[str]) -> None:
    world.need("install")
    activity_type = _xmlid(admin, PLUGIN_MODULE, "activity_type_urgent")
    tag_ids = [_xmlid(admin, PLUGIN_MODULE, name) for name in ("tag_urgent", "tag_special")]
    code = cli("uninstall", "--yes")
    out, err = capsys.readouterr()
    assert code == 0, f"{out}\n{err}"
    assert "removed" in out.strip().splitlines()[-1]
    assert not admin.search("ir.model.data", [("module", "=", PLUGIN_MODULE)])
    for model in ("sale.order", "mrp.production", "stock.picking"):
        assert not [name for name in admin.fields_get(model, refresh=True) if name.startswith("x_urgency")]
    assert not admin.search("ir.model.fields", [("name", "=like", "x_urgency%")])
    assert not admin.search("ir.ui.view", [("name", "like", "(odoo-urgency)")], context={"active_test": False})
    assert not admin.search("mail.activity.type", [("id", "=", activity_type)], context={"active_test": False})
    assert not admin.search("mail.activity", [("activity_type_id", "=", activity_type)])
    assert not admin.search("crm.tag", [("id", "in", tag_ids)])
    assert not admin.search("ir.config_parameter", [("key", "=like", PARAM_PREFIX + "%")])
    # the standard views still work without our extensions
    views = admin.call("sale.order", "get_views", [[False, "form"], [False, "list"], [False, "search"]])["views"]
    assert "x_urgency" not in views["form"]["arch"]
    # and the plugin is gone for `check` too
    assert cli("check") == 0
    assert "tag mode" in capsys.readouterr().out
