"""Applier: carrying out plans in the ERP, against the sandbox, with the plans written by hand.

Its contract (``jobs.daemon.writer``): re-read before writing and drop the orders a user changed meanwhile;
create only alerts whose keys no live activity carries, and never send a ``create`` twice; equal values share one
``write``, values of their own go through one ``load``; a record that refuses its write is skipped alone; the
memo is saved as an intent before the writes (tag mode) or travels in the same call as the values (install mode).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

import pytest

from odoo_urgency.connector import NetworkError, OdooClient, Schema, detect
from odoo_urgency.jobs.admin.install import run_install
from odoo_urgency.jobs.admin.installed import resolve
from odoo_urgency.jobs.daemon.memo import MEMO_FIELD, MEMO_KEY, MemoStore
from odoo_urgency.jobs.daemon.stamps import stamp
from odoo_urgency.jobs.daemon.writer import AlertTarget, Applier, alert_note
from odoo_urgency.policies import Alert, Decision, OrderPlan, RecordWrite, Tier
from odoo_urgency.sandbox import Sandbox
from odoo_urgency.sandbox.faults import ServerError
from odoo_urgency.sandbox.orm import Env
from tests.daemon.components.conftest import ErpCalls, connect

URGENT_TAG = "Urgent / 紧急"


# -- plans, as the policies would make them --------------------------------------------------------------


def write(model: str, res_id: int, values: dict[str, Any], expected: dict[str, Any] | None = None) -> RecordWrite:
    return RecordWrite(model=model, res_id=res_id, values=values, expected=expected or {}, reason="test")


def alert(key: str, model: str = "sale.order", res_id: int = 1) -> Alert:
    return Alert(key=key, kind="confirm", role="salesperson", model=model, res_id=res_id, user_id=6,
                 summary=f"Confirm {key}", note="<p>Confirm the order.</p>",
                 due=datetime(2030, 1, 1, 10, tzinfo=UTC), date_deadline=date(2030, 1, 1))


def plan(order_id: int, writes: Sequence[RecordWrite] = (), alerts: Sequence[Alert] = ()) -> OrderPlan:
    decision = Decision(order_id=order_id, order_name=f"S{order_id:05d}", tier=Tier.URGENT,
                        computed_tier=Tier.URGENT, manual=False, reasons=[], received=None,
                        processing_deadline=None, processed=False, processed_at=None, breached=False,
                        escalation_level=0, feasible=None)
    return OrderPlan(decision=decision, writes=list(writes), alerts=list(alerts))


# -- the ERP side ------------------------------------------------------------------------------------------


@pytest.fixture
def tagged(client: OdooClient) -> tuple[AlertTarget, int]:
    """Tag mode: the alert target and the id of the plugin's urgent tag."""
    target, tags = resolve(client, install_mode=False)
    return target, tags[Tier.URGENT]


def make_applier(client: OdooClient, schema: Schema, target: AlertTarget, *,
                 seen: dict[tuple[str, int], str] | None = None) -> Applier:
    memo = MemoStore(client, install_mode=schema.install_mode)
    memo.load()
    return Applier(client, schema, memo, target, seen_stamps=seen)


def stamps_now(client: OdooClient, model: str, ids: list[int]) -> dict[tuple[str, int], str]:
    return {(model, row["id"]): stamp(row) for row in client.read(model, ids, ["write_date", "write_uid"])}


def tags(sb: Sandbox, order_id: int) -> list[int]:
    return list(sb.env.read("sale.order", [order_id], ["tag_ids"])[0]["tag_ids"])


def activities_with(sb: Sandbox, key: str) -> list[dict[str, Any]]:
    return sb.env.search_read("mail.activity", [("note", "ilike", f"odoo-urgency key: {key}<")], ["res_id"])


def saved_memo(sb: Sandbox) -> dict[str, Any]:
    rows = sb.env.search_read("ir.config_parameter", [("key", "=", MEMO_KEY)], ["value"])
    return json.loads(rows[0]["value"]) if rows else {}


def refuse(monkeypatch: pytest.MonkeyPatch, model: str, res_id: int) -> None:
    """Make one record refuse every write, as a customisation's server error would (a record error)."""
    original = Env.call

    def call(self: Env, uid: int, called: str, method: str, args: Any = (), kwargs: Any = None,
             trusted: bool = False) -> Any:
        ids = args[0] if method == "write" and args and isinstance(args[0], list) else []
        rows = args[1] if method == "load" and len(args) > 1 else []
        if called == model and (res_id in ids or any(row[0] == str(res_id) for row in rows)):
            raise ServerError("KeyError: 'boom in a custom override'", "builtins.KeyError")
        return original(self, uid, called, method, args, kwargs, trusted)

    monkeypatch.setattr(Env, "call", call)


# -- 1. never over a user's edit ---------------------------------------------------------------------------


def test_a_users_edit_between_read_and_write_is_a_conflict_and_is_not_overwritten(
        sb: Sandbox, client: OdooClient, schema: Schema, tagged: tuple[AlertTarget, int]) -> None:
    target, urgent = tagged
    seen = stamps_now(client, "sale.order", [1, 2])                  # the rows the plans were made on
    sb.env.write("sale.order", [1], {"client_order_ref": "call me first"}, uid=6)   # then a user edits order 1
    applier = make_applier(client, schema, target, seen=seen)
    result = applier.apply([plan(1, [write("sale.order", 1, {"tag_ids": [(4, urgent)]})], [alert("c:1")]),
                            plan(2, [write("sale.order", 2, {"tag_ids": [(4, urgent)]})], [alert("c:2", res_id=2)])])
    assert result.conflicts == [1]
    assert urgent not in tags(sb, 1) and activities_with(sb, "c:1") == []     # neither its write nor its alert
    assert urgent in tags(sb, 2) and len(activities_with(sb, "c:2")) == 1     # the other order goes on
    assert set(result.written) == {("sale.order", 2)} and result.errors == []
    assert "sale.order:1" not in saved_memo(sb)


def test_a_value_that_changed_since_the_plan_is_a_conflict_even_without_a_stamp(
        sb: Sandbox, client: OdooClient, schema: Schema, tagged: tuple[AlertTarget, int]) -> None:
    target, _ = tagged
    planned = client.read("mrp.production", [1], ["date_start"])[0]["date_start"]
    sb.env.write("mrp.production", [1], {"date_start": "2031-06-01 06:00:00"}, uid=8)   # the planner moved it
    applier = make_applier(client, schema, target)
    result = applier.apply([plan(1, [write("mrp.production", 1, {"planned_start": "2030-01-01 06:00:00"},
                                           expected={"planned_start": planned})])])
    assert result.conflicts == [1] and result.records_written == 0
    assert sb.env.read("mrp.production", [1], ["date_start"])[0]["date_start"] == "2031-06-01 06:00:00"


def test_a_record_deleted_meanwhile_is_a_conflict_not_an_error(
        sb: Sandbox, client: OdooClient, schema: Schema, tagged: tuple[AlertTarget, int]) -> None:
    target, urgent = tagged
    order = int(sb.env.create("sale.order", {"partner_id": sb.env.search("res.partner", [])[0]}))  # type: ignore[arg-type]
    seen = stamps_now(client, "sale.order", [order])
    sb.env.unlink("sale.order", [order])
    result = make_applier(client, schema, target, seen=seen).apply(
        [plan(order, [write("sale.order", order, {"tag_ids": [(4, urgent)]})])])
    assert result.conflicts == [order] and result.errors == []


# -- 2. alerts: never twice --------------------------------------------------------------------------------


def test_alert_keys_found_on_live_activities_are_not_created_again(
        sb: Sandbox, client: OdooClient, schema: Schema, tagged: tuple[AlertTarget, int]) -> None:
    target, _ = tagged
    known = alert("confirm:sale.order:1:urgent")
    # A run created it and died before saving its memo.
    sb.env.create("mail.activity", {"res_model_id": target.model_ids["sale.order"], "res_id": 1,
                                    "activity_type_id": target.activity_type_id, "summary": known.summary,
                                    "note": alert_note(known), "date_deadline": "2030-01-01", "user_id": 6})
    fresh = alert("breach1:sale.order:1")
    applier = make_applier(client, schema, target)
    result = applier.apply([plan(1, [], [known, fresh]), plan(2, [], [fresh])])   # the same key twice in a batch
    assert result.alerts_created == [fresh]
    assert len(activities_with(sb, known.key)) == 1 and len(activities_with(sb, fresh.key)) == 1
    assert client.stats.by_method["mail.activity.create"] == 1                   # one create for the batch
    # Both keys are known from now on, so the rules will not plan them again.
    assert saved_memo(sb)["sale.order:1"]["alerts"] == [known.key, fresh.key]


@pytest.mark.parametrize("fault", ["drop_after", "conflict"])
def test_an_alert_create_is_never_sent_twice(
        sb: Sandbox, client: OdooClient, schema: Schema, tagged: tuple[AlertTarget, int], fault: str) -> None:
    target, _ = tagged
    key = "confirm:sale.order:1:urgent"
    is_create = lambda _s, model, method: (model, method) == ("mail.activity", "create")  # noqa: E731
    sb.faults.fail_calls(is_create, fault)       # the answer is lost (or the database says "try again")
    with pytest.raises(Exception) as raised:
        make_applier(client, schema, target).apply([plan(1, [], [alert(key)])])
    assert getattr(raised.value, "transient", False)                              # it ends the cycle
    assert [entry for entry in sb.faults.log if entry[1:] == ("mail.activity", "create")] == [
        ("object", "mail.activity", "create")]                                    # sent once, not retried
    created_before = len(activities_with(sb, key))
    assert created_before == (1 if fault == "drop_after" else 0)
    again = make_applier(client, schema, target).apply([plan(1, [], [alert(key)])])  # the next cycle
    assert len(activities_with(sb, key)) == 1
    assert len(again.alerts_created) == 1 - created_before
    assert key in saved_memo(sb)["sale.order:1"]["alerts"]


# -- 3. writes: few calls, one bad record alone ------------------------------------------------------------


def test_equal_values_share_one_write(sb: Sandbox, client: OdooClient, schema: Schema,
                                      tagged: tuple[AlertTarget, int], erp_calls: ErpCalls) -> None:
    target, urgent = tagged
    applier = make_applier(client, schema, target)
    erp_calls.clear()
    result = applier.apply([plan(oid, [write("sale.order", oid, {"tag_ids": [(4, urgent)]})]) for oid in (1, 2, 3)])
    writes = erp_calls.of("sale.order", "write")
    assert len(writes) == 1 and sorted(writes[0].args[0]) == [1, 2, 3]
    assert erp_calls.of("sale.order", "load") == []
    assert all(urgent in tags(sb, oid) for oid in (1, 2, 3)) and result.records_written == 3
    # Tag mode: the memo row is written twice in all — the intent before the values, the confirmation after.
    memo_calls = [c.method for c in erp_calls if c.model == "ir.config_parameter" and c.method != "search_read"]
    assert memo_calls == ["create", "write"]
    assert erp_calls.methods().index(("ir.config_parameter", "create")) < erp_calls.methods().index(
        ("sale.order", "write"))


def test_different_values_go_through_one_load(sb: Sandbox, client: OdooClient, schema: Schema,
                                              tagged: tuple[AlertTarget, int], erp_calls: ErpCalls) -> None:
    target, _ = tagged
    applier = make_applier(client, schema, target)
    erp_calls.clear()
    result = applier.apply([
        plan(1, [write("mrp.production", 1, {"planned_start": "2030-01-02 06:00:00", "priority": "1"})]),
        plan(8, [write("mrp.production", 2, {"planned_start": "2030-01-03 07:30:00", "priority": "1"})]),
    ])
    loads = erp_calls.of("mrp.production", "load")
    assert len(loads) == 1 and erp_calls.of("mrp.production", "write") == []
    fields, rows = loads[0].args
    assert fields[0] == ".id" and set(fields[1:]) == {"date_start", "priority"}    # this version's names
    assert len(rows) == 2 and loads[0].kwargs.get("context") == {"tz": "UTC"}      # datetimes taken as UTC
    mos = {row["id"]: row for row in sb.env.read("mrp.production", [1, 2], ["date_start", "priority"])}
    assert (mos[1]["date_start"], mos[2]["date_start"]) == ("2030-01-02 06:00:00", "2030-01-03 07:30:00")
    assert mos[1]["priority"] == mos[2]["priority"] == "1" and result.records_written == 2
    assert saved_memo(sb)["mrp.production:2"] == {"planned_start": "2030-01-03 07:30:00", "priority": "1"}


def test_a_record_that_refuses_its_write_is_skipped_alone(
        sb: Sandbox, client: OdooClient, schema: Schema, tagged: tuple[AlertTarget, int],
        monkeypatch: pytest.MonkeyPatch) -> None:
    target, urgent = tagged
    refuse(monkeypatch, "sale.order", 2)
    result = make_applier(client, schema, target).apply(
        [plan(oid, [write("sale.order", oid, {"tag_ids": [(4, urgent)]})]) for oid in (1, 2, 3)])
    assert urgent in tags(sb, 1) and urgent in tags(sb, 3) and urgent not in tags(sb, 2)
    assert len(result.errors) == 1 and "sale.order:2" in result.errors[0]
    assert result.failed_orders == {2} and result.records_written == 2
    memo = saved_memo(sb)
    assert memo["sale.order:1"] == {"tag_ids": [[4, urgent]]}
    assert memo["sale.order:2"] == {}                  # neither claimed as written nor left pending


def test_a_bad_row_in_a_load_costs_only_that_row(
        sb: Sandbox, client: OdooClient, schema: Schema, tagged: tuple[AlertTarget, int]) -> None:
    target, _ = tagged
    result = make_applier(client, schema, target).apply([
        plan(1, [write("mrp.production", 1, {"priority": "9"})]),          # not a priority Odoo knows
        plan(8, [write("mrp.production", 2, {"planned_start": "2030-01-03 07:30:00"})]),
    ])
    assert result.failed_orders == {1} and len(result.errors) == 1 and "mrp.production:1" in result.errors[0]
    assert sb.env.read("mrp.production", [2], ["date_start"])[0]["date_start"] == "2030-01-03 07:30:00"
    assert sb.env.read("mrp.production", [1], ["priority"])[0]["priority"] == "0"


def test_a_write_cut_off_midway_leaves_the_intent_for_the_next_run(
        sb: Sandbox, client: OdooClient, schema: Schema, tagged: tuple[AlertTarget, int]) -> None:
    target, urgent = tagged
    sb.faults.fail_calls(lambda _s, model, method: (model, method) == ("sale.order", "write"), "drop", times=10)
    with pytest.raises(NetworkError):
        make_applier(client, schema, target).apply([plan(1, [write("sale.order", 1, {"tag_ids": [(4, urgent)]})])])
    assert saved_memo(sb) == {"sale.order:1": {"pending": {"tag_ids": [[4, urgent]]}}}
    assert urgent not in tags(sb, 1)


# -- install mode: the memo travels with the values --------------------------------------------------------


def test_install_mode_writes_the_memo_in_the_same_call_as_the_values(sb: Sandbox, erp_calls: ErpCalls) -> None:
    run_install(connect(sb), out=lambda *_: None)
    client = connect(sb)
    schema = detect(client, with_rights=False)
    assert schema.install_mode
    target, _ = resolve(client, install_mode=True)
    applier = make_applier(client, schema, target)
    erp_calls.clear()
    applier.apply([plan(1, [write("sale.order", 1, {"x_urgency": "urgent"})], [alert("confirm:sale.order:1:urgent")]),
                   plan(2, [], [alert("breach1:sale.order:2", res_id=2)])])
    value_calls = [c for c in erp_calls if c.model == "sale.order" and c.method in ("write", "load")]
    for call in value_calls:                     # every call that carries values carries the memo too
        fields = call.args[1] if call.method == "write" else call.args[0]
        assert MEMO_FIELD in fields
    assert len(value_calls) == 2                                   # one load per set of fields, no extra call
    assert [c for c in erp_calls if c.model == "ir.config_parameter"] == []
    rows = {r["id"]: r for r in sb.env.read("sale.order", [1, 2], ["x_urgency", MEMO_FIELD])}
    assert rows[1]["x_urgency"] == "urgent"
    assert json.loads(rows[1][MEMO_FIELD]) == {"x_urgency": "urgent", "alerts": ["confirm:sale.order:1:urgent"]}
    assert json.loads(rows[2][MEMO_FIELD]) == {"alerts": ["breach1:sale.order:2"]}   # alert keys alone, too
