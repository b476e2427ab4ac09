"""Reader: what the rules need, in as few round trips as possible, in the records' version-neutral names.

Its contract (``jobs.daemon.reader``): the context of a batch costs ONE call per related model whatever the
batch's size (names of categories and tags are remembered for the daemon's life); MOs belong to an order by
procurement group or by origin; version-specific field names never leave the reader. The sandbox answers for
Odoo 17; for the other versions a server made of the recorded real answers (``responses``) shows what is asked
and what comes back.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import responses
from pydantic import SecretStr

from odoo_urgency.connector import ConnectionSettings, OdooClient, Schema, detect
from odoo_urgency.connector.records import ManufacturingOrder, SaleOrder, format_datetime
from odoo_urgency.jobs.daemon.reader import Reader
from odoo_urgency.jobs.runtime.settings import Settings
from odoo_urgency.policies import OrderContext
from odoo_urgency.sandbox import Sandbox
from odoo_urgency.sandbox.generate import generate
from tests.conftest import FIXTURES


def make_reader(client: OdooClient, schema: Schema) -> Reader:
    return Reader(client, schema, Settings().rules, install_mode=False)


def contexts(reader: Reader, order_ids: list[int], memo: dict[str, Any] | None = None) -> list[OrderContext]:
    return reader.contexts(reader.read_batch(reader.read_rows(SaleOrder, order_ids)), memo or {})


def calls_for(client: OdooClient, reader: Reader, order_ids: list[int]) -> Counter[str]:
    before = Counter(client.stats.by_method)
    contexts(reader, order_ids)
    return Counter(client.stats.by_method) - before


# -- round trips -------------------------------------------------------------------------------------------


def test_a_batch_costs_one_call_per_model_whatever_its_size(sb: Sandbox, client: OdooClient, schema: Schema) -> None:
    generate(sb.env, 80, seed=3)
    open_ids = sorted(sb.env.search("sale.order", [("state", "!=", "cancel")]))
    small = calls_for(client, make_reader(client, schema), open_ids[:3])
    large = calls_for(client, make_reader(client, schema), open_ids)
    assert len(open_ids) > 80
    assert large == small                                  # 3 orders or 80: the same calls
    assert large["sale.order.read"] == 1                   # the orders themselves
    assert all(count == 1 for label, count in large.items() if label != "res.partner.read")
    assert large["res.partner.read"] <= 2                  # the customers, then their parent companies
    for model in ("sale.order.line", "mrp.production", "stock.picking"):
        assert large[f"{model}.search_read"] == 1


def test_names_of_categories_and_tags_are_read_once_for_the_readers_life(
        sb: Sandbox, client: OdooClient, schema: Schema) -> None:
    reader = make_reader(client, schema)
    first = calls_for(client, reader, [1, 2, 3])
    again = calls_for(client, reader, [1, 2, 3])
    assert first["crm.tag.read"] == 1 and first["res.partner.category.read"] == 1
    assert again["crm.tag.read"] == 0 and again["res.partner.category.read"] == 0
    ctx = contexts(reader, [3])[0]
    assert "VIP" in ctx.category_names.values()            # S00003's customer is a VIP: the name still arrives


# -- what belongs to an order ------------------------------------------------------------------------------


@pytest.fixture
def order_with_mos(sb: Sandbox) -> dict[str, int]:
    """A quotation whose MOs are linked one by its procurement group only, one by its origin only; one MO
    serves nobody."""
    env = sb.env
    partner = int(env.search("res.partner", [("name", "ilike", "Huadong")])[0])
    product = int(env.search("product.product", [])[0])
    order = int(env.create("sale.order", {"partner_id": partner}))  # type: ignore[arg-type]
    name = env.read("sale.order", [order], ["name"])[0]["name"]
    group = int(env.create("procurement.group", {"name": "PG-X", "partner_id": partner}))  # type: ignore[arg-type]
    env.write("sale.order", [order], {"procurement_group_id": group})

    def mo(**values: Any) -> int:
        return int(env.create("mrp.production", {"product_id": product, "product_qty": 1.0, **values}))  # type: ignore[arg-type]

    return {"order": order, "by_group": mo(procurement_group_id=group), "by_origin": mo(origin=name),
            "stranger": mo(origin="SOMEONE-ELSE"), "picking": int(env.create("stock.picking", {  # type: ignore[arg-type]
                "picking_type_code": "outgoing", "sale_id": order, "partner_id": partner}))}


def test_mos_belong_to_an_order_by_procurement_group_or_by_origin(
        client: OdooClient, schema: Schema, order_with_mos: dict[str, int]) -> None:
    ids = order_with_mos
    ctx = contexts(make_reader(client, schema), [ids["order"]])[0]
    assert sorted(mo.id for mo in ctx.mos) == sorted([ids["by_group"], ids["by_origin"]])
    assert [p.id for p in ctx.pickings] == [ids["picking"]]


def test_changed_mos_and_deliveries_lead_back_to_their_orders(
        sb: Sandbox, client: OdooClient, schema: Schema, order_with_mos: dict[str, int]) -> None:
    ids = order_with_mos
    reader = make_reader(client, schema)
    fields = ["procurement_group_id", "origin"]
    by_group = client.read("mrp.production", [ids["by_group"]], fields)
    by_origin = client.read("mrp.production", [ids["by_origin"]], fields)
    stranger = client.read("mrp.production", [ids["stranger"]], fields)
    assert reader.order_ids_for(by_group, []) == [ids["order"]]
    assert reader.order_ids_for(by_origin, []) == [ids["order"]]
    assert reader.order_ids_for(stranger, []) == []
    picking = client.read("stock.picking", [ids["picking"]], ["sale_id", "origin"])
    before = client.stats.calls
    assert reader.order_ids_for([], picking) == [ids["order"]]
    assert client.stats.calls == before                     # sale_id names the order: no search needed


def test_a_batch_keeps_the_raw_rows_the_memo_is_settled_against(
        client: OdooClient, schema: Schema, order_with_mos: dict[str, int]) -> None:
    ids = order_with_mos
    reader = make_reader(client, schema)
    batch = reader.read_batch(reader.read_rows(SaleOrder, [ids["order"], 1]))
    assert set(batch.rows) == {("sale.order", ids["order"]), ("sale.order", 1), ("mrp.production", 1),
                               ("mrp.production", ids["by_group"]), ("mrp.production", ids["by_origin"]),
                               ("stock.picking", 1), ("stock.picking", ids["picking"])}
    mo_row = batch.rows[("mrp.production", 1)]
    assert "date_start" in mo_row and "write_uid" in mo_row       # as the ERP names it, with its stamp
    before = client.stats.calls
    by_id = {ctx.order.id: ctx for ctx in reader.contexts(batch, {})}
    assert client.stats.calls == before                           # contexts are built from the batch alone
    assert by_id[1].mos[0].planned_start is not None


def test_each_context_gets_only_its_own_records_memo(sb: Sandbox, client: OdooClient, schema: Schema) -> None:
    memo = {"sale.order:1": {"tag_ids": [[4, 9]]}, "mrp.production:1": {"priority": "1"},
            "sale.order:2": {"tag_ids": [[4, 9]]}, "mrp.production:2": {"priority": "1"}}
    by_id = {ctx.order.id: ctx for ctx in contexts(make_reader(client, schema), [1, 2], memo)}
    assert by_id[1].memo == {"sale.order:1": {"tag_ids": [[4, 9]]}, "mrp.production:1": {"priority": "1"}}
    assert by_id[2].memo == {"sale.order:2": {"tag_ids": [[4, 9]]}}


def test_the_due_window_finds_an_order_whose_deadline_fell_since_the_last_cycle(
        sb: Sandbox, client: OdooClient, schema: Schema) -> None:
    reader = make_reader(client, schema)
    received = sb.env.read("sale.order", [7], ["create_date"])[0]["create_date"]   # S00007, normal: 24 h
    deadline = datetime.strptime(received, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC) + timedelta(hours=24)

    def found(last_cycle: datetime, now: datetime) -> bool:
        return 7 in client.search("sale.order", reader.due_window_domain(last_cycle, now))

    assert found(deadline - timedelta(minutes=1), deadline + timedelta(minutes=1))
    assert not found(deadline + timedelta(seconds=1), deadline + timedelta(minutes=5))  # fell before: not news
    assert not found(deadline - timedelta(minutes=5), deadline - timedelta(seconds=1))  # not yet


# -- version-specific names stay inside ---------------------------------------------------------------------


#: Fields every Odoo model has (the recordings list only the fields the plugin cares about).
MAGIC = ("id", "display_name", "create_uid", "create_date", "write_uid", "write_date")


class RecordedOdoo:
    """A JSON-RPC server made of one version's recorded answers: ``fields_get`` and ``read``/``search_read``
    from the fixtures, refusing fields that version does not have, as Odoo does."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.requested: dict[str, list[str]] = {}

    def answer(self, request: Any) -> tuple[int, dict[str, str], str]:
        body = json.loads(request.body)
        params = body["params"]
        if params["service"] == "common":
            version = json.loads((self.folder / "version.json").read_text(encoding="utf-8"))
            result: Any = version if params["method"] == "version" else 2
        else:
            _db, _uid, _password, model, method, args, *rest = params["args"]
            if not (self.folder / "fields" / f"{model}.json").exists():
                # a model this database lacks (the plugin's own x_urgency_state before install): Odoo's answer
                fault = json.loads((self.folder / "jsonrpc" / "fault_unknown_model.json").read_text(encoding="utf-8"))
                return 200, {}, json.dumps(dict(fault["response_body"], id=body["id"]))
            result = self.execute(model, method, args, rest[0] if rest else {})
        return 200, {}, json.dumps({"jsonrpc": "2.0", "id": body["id"], "result": result})

    def execute(self, model: str, method: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
        fields = json.loads((self.folder / "fields" / f"{model}.json").read_text(encoding="utf-8"))
        if method == "fields_get":
            return fields
        rows = json.loads((self.folder / "records" / f"{model}.json").read_text(encoding="utf-8"))
        wanted = kwargs.get("fields") or (args[1] if method == "read" and len(args) > 1 else list(fields))
        unknown = [name for name in wanted if name not in fields and name not in MAGIC]
        assert not unknown, f"Odoo would refuse: Invalid field {unknown} on model {model!r}"
        self.requested[model] = list(wanted)
        ids = args[0] if method == "read" else None
        return [{"id": row["id"], **{name: row.get(name, False) for name in wanted}}
                for row in rows if ids is None or row["id"] in ids]


@pytest.mark.parametrize("version", [16, 17, 18, 19])
def test_the_planned_start_is_read_under_each_versions_own_name(version: int) -> None:
    folder = FIXTURES / f"odoo-{version}"
    if not folder.is_dir():
        pytest.skip(f"no recorded answers for Odoo {version}")
    server = RecordedOdoo(folder)
    settings = ConnectionSettings(url="http://odoo.test", database="urgency", login="admin",
                                  password=SecretStr("admin"), protocol="jsonrpc")
    with responses.RequestsMock() as mock:
        mock.add_callback(responses.POST, re.compile(r"http://odoo\.test/jsonrpc"), callback=server.answer)
        client = OdooClient(settings)
        schema = detect(client, with_rights=False)
        reader = make_reader(client, schema)
        recorded = json.loads((folder / "records" / "mrp.production.json").read_text(encoding="utf-8"))
        mos = reader.records(ManufacturingOrder, reader.read_rows(ManufacturingOrder, [row["id"] for row in recorded]))
    start, finish = ("date_planned_start", "date_planned_finished") if version == 16 else ("date_start", "date_finished")
    assert {start, finish} <= set(server.requested["mrp.production"])
    if version == 16:
        assert "date_start" not in server.requested["mrp.production"]       # 16's date_start is the actual start
    planned = {row["id"]: row[start] for row in recorded}
    assert any(planned.values())
    for mo in mos:
        expected = planned[mo.id]
        assert (format_datetime(mo.planned_start) if mo.planned_start else False) == expected
