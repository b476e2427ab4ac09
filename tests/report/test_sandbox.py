"""End to end against the embedded sandbox ERP: a generated history in a past month (March 2024, far from the
demo data), read in batches; the figures, the CSV, the HTML file, and the number of RPC calls.

300 orders, received every 2 h from 2024-03-01, salesperson admin (team Alpha) for even i, demo (team Beta) for
odd i; the kind is i % 6 (50 orders each; tiers computed by classify, tag mode):

| kind | signal → tier | processed after | figures |
|---|---|---|---|
| 0 | note "line down" → urgent | 1 h | on time |
| 1 | tag "Rush" → urgent | 3 h | breach, level 1 (2 h < 3 h ≤ 4 h) |
| 2 | tag "Priority" → special | 10 h | on time |
| 3 | none → normal | 30 h | breach, level 1 (24 h < 30 h ≤ 48 h) |
| 4 | none → normal | never | breach, level 2 (years ago) |
| 5 | none → normal | 5 h | on time |

Urgent deliveries: i = 0, 6, 12, 18 (kind 0, admin/Alpha, amount 1000, requested 72 h after receipt, same customer):
i=0 delivered 10 h late → 2 % = 20; i=6 on time; i=12 never delivered → 10 % × 1.25 (one earlier late) = 125;
i=18 delivered 30 h late → 5 % × 1.5 (two earlier late) = 75. Penalty 220.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from typing import Any

import pytest

sandbox = pytest.importorskip("sandbox")

from odoo_urgency.jobs import cli  # noqa: E402
from odoo_urgency.jobs.runtime.connect import connect_and_detect  # noqa: E402

START = datetime(2024, 3, 1)
FMT = "%Y-%m-%d %H:%M:%S"


def _create(env: Any, model: str, vals: Any) -> Any:
    if hasattr(env, "create"):
        return env.create(model, vals)
    with env.transaction():
        return env.model(model).create(vals)


def _at(moment: datetime) -> str:
    return moment.strftime(FMT)


def _orders(env: Any, ids: dict[str, int], count: int, first: int = 0, kinds: tuple[int, ...] | None = None) -> None:
    picking_fields = env.fields("stock.picking")
    vals_list = []
    deliveries: list[tuple[int, datetime, datetime, str]] = []
    for i in range(first, first + count):
        kind = kinds[i % len(kinds)] if kinds else i % 6
        user, team = (2, ids["alpha"]) if i % 2 == 0 else (6, ids["beta"])
        created = START + timedelta(hours=2 * (i % 300), minutes=(i // 300))
        vals: dict[str, Any] = {"partner_id": ids["buyer"], "user_id": user, "team_id": team,
                                "create_date": _at(created), "date_order": _at(created), "state": "draft"}
        if kind == 0:
            vals["note"] = "<p>Customer line down, please hurry</p>"
        elif kind == 1:
            vals["tag_ids"] = [(6, 0, [ids["rush"]])]
        elif kind == 2:
            vals["tag_ids"] = [(6, 0, [ids["priority"]])]
        hours = {0: 1, 1: 3, 2: 10, 3: 30, 5: 5}.get(kind)
        if hours is not None:
            vals.update(state="sale", date_order=_at(created + timedelta(hours=hours)))
        if i in (0, 6, 12, 18) and first == 0:
            requested = created + timedelta(hours=72)
            vals["commitment_date"] = _at(requested)
            vals["order_line"] = [(0, 0, {"product_id": ids["product"], "name": "Pump", "product_uom_qty": 1,
                                          "price_unit": 1000.0})]
            delivered = {0: requested + timedelta(hours=10), 6: requested - timedelta(hours=5),
                         18: requested + timedelta(hours=30)}.get(i)
            deliveries.append((i, requested, delivered or created, "done" if delivered else "assigned"))
        vals_list.append(vals)
    order_ids = _create(env, "sale.order", vals_list)
    for i, _requested, delivered, state in deliveries:
        picking = {"sale_id": order_ids[i], "picking_type_code": "outgoing", "state": state,
                   "scheduled_date": _at(delivered), "write_date": _at(delivered)}
        if "date_done" in picking_fields and state == "done":
            picking["date_done"] = _at(delivered)
        _create(env, "stock.picking", picking)


@pytest.fixture(scope="module")
def erp():
    with sandbox.Sandbox() as sb:
        env = sb.env
        ids = {
            "alpha": _create(env, "crm.team", {"name": "Alpha"}),
            "beta": _create(env, "crm.team", {"name": "Beta"}),
            "rush": _create(env, "crm.tag", {"name": "Rush"}),
            "priority": _create(env, "crm.tag", {"name": "Priority"}),
            "regular": _create(env, "res.partner.category", {"name": "Regular"}),
        }
        ids["company"] = _create(env, "res.partner", {"name": "ACME Corp", "is_company": True,
                                                      "category_id": [(6, 0, [ids["regular"]])]})
        ids["buyer"] = _create(env, "res.partner", {"name": "Jo Buyer", "parent_id": ids["company"]})
        ids["product"] = _create(env, "product.product", {"name": "Pump", "lst_price": 1000.0, "type": "product",
                                                            "detailed_type": "product"})
        _IDS.update(ids)
        _orders(env, ids, 300)
        # Outside the figures: a cancelled order in March, an order in April.
        _create(env, "sale.order", [
            {"partner_id": ids["buyer"], "user_id": 2, "team_id": ids["alpha"], "state": "cancel",
             "create_date": "2024-03-10 10:00:00"},
            {"partner_id": ids["buyer"], "user_id": 2, "team_id": ids["alpha"], "state": "draft",
             "create_date": "2024-04-02 10:00:00"},
        ])
        yield sb, ids


@pytest.fixture()
def cli_env(erp, monkeypatch, tmp_path):
    sb, _ = erp
    monkeypatch.chdir(tmp_path)
    for key, value in {"URL": sb.url, "DATABASE": sb.database, "LOGIN": "admin", "PASSWORD": "admin"}.items():
        monkeypatch.setenv(f"ODOO_URGENCY_{key}", value)
    monkeypatch.delenv("ODOO_URGENCY_API_KEY", raising=False)
    monkeypatch.delenv("ODOO_URGENCY_CONFIG", raising=False)
    return tmp_path


def _main(argv: list[str]) -> int:
    return cli.main(argv)


def _by_name(groups: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {group["name"]: group for group in groups}


def _sales(data: dict[str, Any]) -> dict[str, Any]:
    [company] = data["companies"]
    return next(s for s in company["departments"] if s["department"] == "sales")


def test_json_figures(cli_env, capsys):
    assert _main(["report", "--month", "2024-03", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    sales = _sales(data)
    total = sales["total"]
    assert (total["orders"], total["orders_urgent"], total["orders_special"], total["orders_normal"]) == \
        (300, 100, 50, 150)
    assert (total["processed"], total["on_time"], total["pending"], total["breaches"]) == (250, 150, 0, 150)
    assert (total["escalated_level1"], total["escalated_level2"]) == (100, 50)
    assert total["on_time_rate"] == pytest.approx(0.5)
    # processing hours: 50 × each of 1, 3, 10, 30, 5 → sorted 250 values; median = mean of ranks 125, 126 (5 h);
    # p90 nearest rank ceil(225) = 225 → 30 h
    assert (total["median_hours"], total["p90_hours"]) == (5.0, 30.0)
    # i=0 and i=18 shipped on their scheduled dates: charged to sales (20 + 75); i=12 never shipped, past its
    # scheduled date: charged to logistics (125).
    assert (total["urgent_deliveries"], total["late_urgent_deliveries"], total["penalty"]) == (4, 3, 95.0)
    people = _by_name(sales["groups"]["salesperson"])
    admin, demo = people["Mitchell Admin"], people["Marc Demo"]
    assert (admin["orders"], admin["on_time"], admin["breaches"], admin["escalated_level2"]) == (150, 100, 50, 50)
    assert (demo["orders"], demo["on_time"], demo["breaches"], demo["escalated_level1"]) == (150, 50, 100, 100)
    teams = _by_name(sales["groups"]["team"])
    assert set(teams) == {"Alpha", "Beta"}
    assert teams["Alpha"]["penalty"] == 95.0 and teams["Beta"]["penalty"] == 0.0
    [company] = data["companies"]
    assert (company["company"], company["currency"]) == ("My Company (San Francisco)", "USD")
    logistics = next(s for s in company["departments"] if s["department"] == "logistics")
    assert [(g["name"], g["items"], g["on_time"], g["late"]) for g in logistics["groups"]["warehouse"]] == [
        ("San Francisco", 4, 3, 1)]  # i=12 never shipped: late against its scheduled date
    assert [g["name"] for g in logistics["groups"]["operation_type"]] == ["San Francisco: Delivery Orders"]
    assert company["penalties"]["by_department"] == {"sales": 95.0, "production": 0.0, "logistics": 125.0,
                                                     "purchasing": 0.0}
    rows = company["penalties"]["rows"]
    assert sorted((row["late_history"], row["penalty"]) for row in rows) == [(0, 20.0), (1, 125.0), (2, 75.0)]
    assert {row["party"] for row in rows} == {"ACME Corp"} and {row["party_id"] for row in rows} == {ids_company()}


def ids_company() -> int:
    return _IDS["company"]


_IDS: dict[str, int] = {}


def test_csv_and_html(cli_env, capsys):
    assert _main(["report", "--month", "2024-03", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    sales = [(r["kind"], r["items"]) for r in rows if r["department"] == "sales"]
    assert sales == [("salesperson", "150"), ("salesperson", "150"), ("team", "150"), ("team", "150"),
                     ("total", "300")]

    target = cli_env / "report.html"
    assert _main(["report", "--since", "2024-03-01", "--until", "2024-04-01", "--format", "html",
                  "--output", str(target)]) == 0
    page = target.read_text(encoding="utf-8")
    root = ET.fromstring(page.split("\n", 1)[1])
    svg = root.findall(".//{http://www.w3.org/2000/svg}svg")
    assert len(svg) == 2


def _run_counting(sb: Any, month: str, page_size: int) -> tuple[dict[str, Any], Any]:
    from odoo_urgency.jobs.report.commands import register, run

    captured: dict[str, Any] = {}

    def connect(settings):
        client, schema = connect_and_detect(settings)
        captured["client"] = client
        return client, schema

    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    args = parser.parse_args(["report", "--month", month, "--format", "json", "--page-size", str(page_size)])
    args.config = None
    args.log_json = False
    args.log_level = "error"
    return captured, run(args, connect=connect)


def test_rpc_calls_grow_only_with_the_pages(erp, cli_env, capsys):
    sb, ids = erp
    captured, code = _run_counting(sb, "2024-03", 100)
    assert code == 0
    capsys.readouterr()
    stats = captured["client"].stats
    assert stats.by_method["sale.order.search_read"] == 4  # 3 full pages of 100 and the empty one that ends it
    reads = {k: v for k, v in stats.by_method.items() if k.endswith((".read", ".search_read"))
             and not k.startswith(("sale.order.", "ir."))}
    # one batched read per related model (res.partner twice: the customers, then their parent companies); the
    # MOs of special/urgent orders, the purchase lines the plugin flagged (one search of open to-dos and one of
    # the chatter: none flagged, so no line, order or receipt to read), companies, currencies
    assert reads == {"res.partner.read": 2, "res.partner.category.read": 1, "crm.tag.read": 1,
                     "stock.picking.search_read": 1, "mrp.production.search_read": 1,
                     "mail.activity.search_read": 1, "mail.message.search_read": 1, "res.company.search_read": 1,
                     "res.currency.search_read": 1}, reads
    # + login (2), what detect asks (6 fields_get: stock.move and purchase.order for materials, the latter shared
    # with the purchasing check) and whether work orders and purchasing exist (2 more fields_get)
    assert stats.calls <= 24, stats.by_method
    before = stats.calls

    _orders(sb.env, ids, 300, first=300, kinds=(5,))  # 300 more orders in the same month
    captured, code = _run_counting(sb, "2024-03", 100)
    capsys.readouterr()
    assert code == 0
    assert captured["client"].stats.calls - before == 3  # only the 3 extra pages of orders
