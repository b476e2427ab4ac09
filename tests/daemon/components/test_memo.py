"""MemoStore: the plugin's memory of what it wrote, kept in the ERP, against the sandbox.

Its contract (``jobs.daemon.memo``): tag mode keeps one ``ir.config_parameter`` written once per batch, saves an
*intent* before values are written and settles it after a crash by looking at the records; install mode puts the
memo into the record's own ``x_urgency_memo`` in the same call as the values and never calls the ERP itself.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from odoo_urgency.connector import NetworkError, OdooClient, Schema
from odoo_urgency.connector.records import ManufacturingOrder, SaleOrder
from odoo_urgency.jobs.daemon.memo import MEMO_FIELD, MEMO_KEY, MemoStore
from odoo_urgency.policies import OrderContext
from odoo_urgency.sandbox import Sandbox
from tests.daemon.components.conftest import odoo_name
from tests.daemon.conftest import make_sync


def saved_memo(sb: Sandbox) -> dict[str, Any] | None:
    rows = sb.env.search_read("ir.config_parameter", [("key", "=", MEMO_KEY)], ["value"])
    assert len(rows) <= 1
    return json.loads(rows[0]["value"]) if rows else None


def save_memo(sb: Sandbox, memo: dict[str, Any]) -> None:
    sb.env.create("ir.config_parameter", {"key": MEMO_KEY, "value": json.dumps(memo)})


def tag_id(sb: Sandbox, name: str) -> int:
    return int(sb.env.search("crm.tag", [("name", "=", name)])[0])


# -- tag mode: the intent ---------------------------------------------------------------------------------


def test_an_intent_is_saved_as_pending_and_only_a_confirmation_makes_it_the_plugins(
        sb: Sandbox, client: OdooClient) -> None:
    rush = tag_id(sb, "Rush")
    memo = MemoStore(client, install_mode=False)
    memo.load()
    memo.intend("sale.order", 1, {"tag_ids": [(4, rush)]})
    memo.flush()
    # Saved before any value is written: a crash now leaves the intent in the ERP, not in this process.
    assert saved_memo(sb) == {"sale.order:1": {"pending": {"tag_ids": [[4, rush]]}}}
    memo.confirm("sale.order", 1)
    memo.flush()
    assert saved_memo(sb) == {"sale.order:1": {"tag_ids": [[4, rush]]}}


def test_a_refused_write_drops_the_intent_but_keeps_what_was_written_before(
        sb: Sandbox, client: OdooClient) -> None:
    save_memo(sb, {"mrp.production:1": {"priority": "1", "alerts": ["mo_priority:mrp.production:1"]}})
    memo = MemoStore(client, install_mode=False)
    memo.load()
    memo.intend("mrp.production", 1, {"planned_start": "2030-01-01 08:00:00"})
    memo.flush()
    memo.forget_pending("mrp.production", 1)
    memo.flush()
    assert saved_memo(sb) == {"mrp.production:1": {"priority": "1", "alerts": ["mo_priority:mrp.production:1"]}}


def test_settling_after_a_crash_adopts_what_the_record_holds_and_drops_what_it_does_not(
        sb: Sandbox, client: OdooClient, schema: Schema) -> None:
    rush, export = tag_id(sb, "Rush"), tag_id(sb, "Export")
    mo = sb.env.read("mrp.production", [1], ["date_start"])[0]
    # A run saved three intents, then stopped: order 1 and MO 1 were written, order 2 was not.
    sb.env.write("sale.order", [1], {"tag_ids": [(4, rush)]})
    save_memo(sb, {
        "sale.order:1": {"pending": {"tag_ids": [[4, rush]]}},
        "sale.order:2": {"pending": {"tag_ids": [[4, export]]}, "alerts": ["confirm:sale.order:2:urgent"]},
        "mrp.production:1": {"pending": {"planned_start": mo["date_start"], "priority": "0"}},
        "sale.order:3": {"pending": {"tag_ids": [[4, rush]]}},      # not in this batch: left for later
    })
    memo = MemoStore(client, install_mode=False)
    memo.load()
    rows = {("sale.order", row["id"]): row for row in client.read("sale.order", [1, 2], ["tag_ids"])}
    rows[("mrp.production", 1)] = client.read("mrp.production", [1], ["date_start", "priority"])[0]
    memo.resolve(rows, odoo_name(schema))
    settled = memo.snapshot()
    assert settled["sale.order:1"] == {"tag_ids": [[4, rush]]}                  # holds it: the plugin's
    assert settled["sale.order:2"] == {"alerts": ["confirm:sale.order:2:urgent"]}  # does not: never happened
    # Neutral names are looked up under this version's field (planned_start → date_start on Odoo 17).
    assert settled["mrp.production:1"] == {"planned_start": mo["date_start"], "priority": "0"}
    assert settled["sale.order:3"] == {"pending": {"tag_ids": [[4, rush]]}}
    memo.flush()
    assert saved_memo(sb) == settled


def test_a_removed_tag_counts_as_held_only_when_the_record_no_longer_has_it(
        sb: Sandbox, client: OdooClient, schema: Schema) -> None:
    rush = tag_id(sb, "Rush")
    sb.env.write("sale.order", [1], {"tag_ids": [(4, rush)]})
    save_memo(sb, {"sale.order:1": {"pending": {"tag_ids": [[3, rush]]}},
                   "sale.order:2": {"pending": {"tag_ids": [[3, rush]]}}})
    memo = MemoStore(client, install_mode=False)
    memo.load()
    rows = {("sale.order", row["id"]): row for row in client.read("sale.order", [1, 2], ["tag_ids"])}
    memo.resolve(rows, odoo_name(schema))
    assert memo.snapshot()["sale.order:1"] == {}                     # still tagged: the removal never happened
    assert memo.snapshot()["sale.order:2"] == {"tag_ids": [[3, rush]]}


def test_a_write_that_went_through_counts_whole_though_a_user_changed_part_of_it_since(
        sb: Sandbox, client: OdooClient, schema: Schema) -> None:
    # The plugin wrote priority and start in one (atomic) write and stopped before confirming; then the planner
    # moved the start. The priority it holds shows the write happened: both values are the plugin's, and the
    # start that differs from it is the planner's — to be left alone, not taken back.
    sb.env.write("mrp.production", [1], {"priority": "1"})
    save_memo(sb, {"mrp.production:1": {"pending": {"priority": "1", "planned_start": "2030-01-01 08:00:00"}}})
    memo = MemoStore(client, install_mode=False)
    memo.load()
    rows = {("mrp.production", 1): client.read("mrp.production", [1], ["date_start", "priority"])[0]}
    memo.resolve(rows, odoo_name(schema))
    assert memo.snapshot()["mrp.production:1"] == {"priority": "1", "planned_start": "2030-01-01 08:00:00"}


def test_a_start_the_planner_moved_after_a_crash_is_left_alone(sb: Sandbox) -> None:
    # Without work orders S00001's MO follows the lead-time rule (with them, the capacity plan moves it).
    sb.env.unlink("mrp.workorder", sb.env.search("mrp.workorder", [("production_id", "=", 1)]))
    before = sb.env.read("mrp.production", [1], ["date_start", "date_finished", "priority"])[0]
    # The cycle pulls S00001's MO earlier and raises its priority, then dies before confirming its memo (the
    # parameter writes before the values — the lease's fence, the memo's intent — go through).
    wrote: list[str] = []

    def memo_confirmation(_s: str, model: str, method: str) -> bool:
        if method in ("write", "load") and model in ("mrp.production", "stock.picking", "sale.order"):
            wrote.append(model)
        return bool(wrote) and (model, method) == ("ir.config_parameter", "write")

    sb.faults.fail_calls(memo_confirmation, "drop", times=10)
    with pytest.raises(NetworkError):
        make_sync(sb).run_cycle()
    sb.faults.reset()
    pulled = sb.env.read("mrp.production", [1], ["date_start", "priority"])[0]
    assert pulled["date_start"] < before["date_start"] and pulled["priority"] == "1"
    # The planner puts the start back where it was; the daemon comes back.
    sb.env.write("mrp.production", [1], {"date_start": before["date_start"],
                                         "date_finished": before["date_finished"]}, uid=8)
    make_sync(sb).run_cycle()
    assert sb.env.read("mrp.production", [1], ["date_start"])[0]["date_start"] == before["date_start"]


# -- tag mode: one parameter, written once ---------------------------------------------------------------


def test_flush_writes_the_parameter_once_for_a_whole_batch(sb: Sandbox, client: OdooClient) -> None:
    memo = MemoStore(client, install_mode=False)
    memo.load()
    for order_id in (1, 2, 3):
        memo.record_write("sale.order", order_id, {"tag_ids": [(4, 99)]})
        memo.add_alert("sale.order", order_id, f"confirm:sale.order:{order_id}:urgent")
    before = client.stats.calls
    memo.flush()
    assert client.stats.calls - before == 1
    assert client.stats.by_method["ir.config_parameter.create"] == 1
    memo.add_alert("sale.order", 4, "breach1:sale.order:4")
    memo.flush()
    assert client.stats.by_method["ir.config_parameter.write"] == 1      # the same row, not a second one
    assert client.stats.calls - before == 2
    memo.flush()                                                         # nothing new: no call
    assert client.stats.calls - before == 2
    saved = saved_memo(sb)
    assert saved is not None and set(saved) == {"sale.order:1", "sale.order:2", "sale.order:3", "sale.order:4"}
    assert saved["sale.order:2"] == {"tag_ids": [[4, 99]], "alerts": ["confirm:sale.order:2:urgent"]}


def test_an_alert_key_is_kept_once_and_added_to_what_the_erp_already_knows(
        sb: Sandbox, client: OdooClient) -> None:
    save_memo(sb, {"sale.order:7": {"alerts": ["breach1:sale.order:7"]}})
    memo = MemoStore(client, install_mode=False)
    memo.load()
    memo.add_alert("sale.order", 7, "breach1:sale.order:7")
    assert memo.dirty_records() == []                                     # known already: nothing to save
    memo.add_alert("sale.order", 7, "breach2:sale.order:7")
    memo.add_alert("sale.order", 7, "breach2:sale.order:7")
    memo.flush()
    assert saved_memo(sb) == {"sale.order:7": {"alerts": ["breach1:sale.order:7", "breach2:sale.order:7"]}}


def test_a_dry_run_changes_nothing_in_the_erp(sb: Sandbox, client: OdooClient) -> None:
    memo = MemoStore(client, install_mode=False, dry_run=True)
    memo.load()
    memo.intend("sale.order", 1, {"tag_ids": [(4, 1)]})
    before = client.stats.calls
    memo.flush()
    assert client.stats.calls == before and saved_memo(sb) is None


def test_an_unreadable_memo_costs_nothing_but_itself(sb: Sandbox, client: OdooClient) -> None:
    sb.env.create("ir.config_parameter", {"key": MEMO_KEY, "value": "{not json"})
    memo = MemoStore(client, install_mode=False)
    memo.load()
    assert memo.snapshot() == {}
    memo.add_alert("sale.order", 1, "confirm:sale.order:1:urgent")
    memo.flush()                                                         # the same row is repaired, not duplicated
    assert saved_memo(sb) == {"sale.order:1": {"alerts": ["confirm:sale.order:1:urgent"]}}


def test_an_entry_that_is_not_an_object_is_dropped_alone(sb: Sandbox, client: OdooClient) -> None:
    # Hand-edited in Settings > System Parameters: before, every cycle stopped building the contexts.
    save_memo(sb, {"sale.order:1": "urgent", "sale.order:2": {"alerts": ["breach1:sale.order:2"]},
                   "sale.order:3": ["tag_ids"]})
    memo = MemoStore(client, install_mode=False)
    memo.load()
    assert memo.snapshot() == {"sale.order:2": {"alerts": ["breach1:sale.order:2"]}}
    memo.add_alert("sale.order", 1, "confirm:sale.order:1:urgent")
    memo.flush()
    assert saved_memo(sb) == {"sale.order:1": {"alerts": ["confirm:sale.order:1:urgent"]},
                              "sale.order:2": {"alerts": ["breach1:sale.order:2"]}}


# -- install mode: the memo travels with the values -----------------------------------------------------


def context_with_memos(order_memo: dict[str, Any], mo_memo: dict[str, Any]) -> OrderContext:
    order = SaleOrder(id=1, name="S00001", x_urgency_memo=order_memo)
    mo = ManufacturingOrder(id=5, name="WH/MO/00005", x_urgency_memo=mo_memo)
    return OrderContext(order=order, mos=[mo], install_mode=True)


def test_install_mode_merges_new_values_into_the_memo_the_record_came_with(client: OdooClient) -> None:
    memo = MemoStore(client, install_mode=True)
    memo.register([context_with_memos({"x_urgency": "special", "alerts": ["confirm:sale.order:1:special"]}, {})])
    memo.record_write("sale.order", 1, {"x_urgency": "urgent", "x_urgency_deadline": "2030-01-01 10:00:00"})
    memo.add_alert("sale.order", 1, "confirm:sale.order:1:urgent")
    values = memo.with_memo_field(("sale.order", 1), {"x_urgency": "urgent", "x_urgency_deadline": "2030-01-01 10:00:00"})
    assert values["x_urgency"] == "urgent"
    assert json.loads(values[MEMO_FIELD]) == {
        "x_urgency": "urgent", "x_urgency_deadline": "2030-01-01 10:00:00",
        "alerts": ["confirm:sale.order:1:special", "confirm:sale.order:1:urgent"]}
    # A record the plugin does not touch this batch gets no memo field (its memo is not rewritten).
    assert memo.with_memo_field(("mrp.production", 5), {"priority": "1"}) == {"priority": "1"}


def test_install_mode_never_calls_the_erp_and_forgets_each_batch(client: OdooClient) -> None:
    memo = MemoStore(client, install_mode=True)
    memo.load()
    memo.register([context_with_memos({}, {"priority": "1"})])
    memo.record_write("mrp.production", 5, {"planned_start": "2030-01-01 08:00:00"})
    assert json.loads(memo.with_memo_field(("mrp.production", 5), {})[MEMO_FIELD]) == {
        "priority": "1", "planned_start": "2030-01-01 08:00:00"}
    memo.forget_pending("mrp.production", 5)                 # the write was refused: claim nothing
    assert memo.with_memo_field(("mrp.production", 5), {"priority": "0"}) == {"priority": "0"}
    memo.record_write("sale.order", 1, {"x_urgency": "normal"})
    before = client.stats.calls
    memo.flush()
    assert client.stats.calls == before and client.stats.by_method["ir.config_parameter.search_read"] == 0
    assert memo.dirty_records() == [] and memo.snapshot() == {}
    assert memo.with_memo_field(("sale.order", 1), {"x_urgency": "normal"}) == {"x_urgency": "normal"}


@pytest.mark.parametrize("install_mode", [False, True])
def test_values_are_kept_as_json_would_carry_them(client: OdooClient, install_mode: bool) -> None:
    memo = MemoStore(client, install_mode=install_mode, dry_run=True)
    memo.record_write("sale.order", 1, {"tag_ids": [(4, 3), (3, 4)]})
    key = ("sale.order", 1)
    if install_mode:
        assert json.loads(memo.with_memo_field(key, {})[MEMO_FIELD]) == {"tag_ids": [[4, 3], [3, 4]]}
    else:
        memo.flush()
        assert memo.snapshot() == {"sale.order:1": {"tag_ids": [[4, 3], [3, 4]]}}
