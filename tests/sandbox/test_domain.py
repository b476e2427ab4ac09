"""Domain evaluation, table-driven over the demo data (order names S00001..S00009)."""

from __future__ import annotations

from typing import Any

import pytest

from odoo_urgency.sandbox import Sandbox

from .helpers import execute

ALL = {f"S0000{i}" for i in range(1, 10)}
CASES: list[tuple[str, list[Any], set[str]]] = [
    ("empty", [], ALL),
    ("equal", [("state", "=", "sale")], {"S00006"}),
    ("not equal includes all others", [("state", "!=", "draft")], {"S00006", "S00009"}),
    ("in", [("state", "in", ["sale", "cancel"])], {"S00006", "S00009"}),
    ("not in", [("state", "not in", ["draft"])], {"S00006", "S00009"}),
    ("false date", [("commitment_date", "=", False)], {"S00006", "S00009"}),
    (
        "set date",
        [("commitment_date", "!=", False), ("state", "=", "draft")],
        {"S00001", "S00002", "S00003", "S00004", "S00005", "S00007", "S00008"},
    ),
    ("greater", [("amount_total", ">", 100000)], {"S00003"}),
    ("less equal", [("amount_total", "<=", 665)], {"S00004", "S00009"}),
    ("ilike", [("client_order_ref", "ilike", "line is DOWN")], {"S00001"}),
    ("ilike chinese", [("note", "ilike", "紧急缺货")], {"S00002"}),
    ("not ilike includes empty", [("client_order_ref", "not ilike", "down")], ALL - {"S00001"}),
    ("=like", [("name", "=like", "S0000_")], ALL),
    ("like case", [("name", "like", "s000")], set()),
    ("or prefix", ["|", ("name", "=", "S00001"), ("name", "=", "S00002")], {"S00001", "S00002"}),
    ("and prefix", ["&", ("state", "=", "draft"), ("amount_total", ">", 10000)], {"S00002", "S00003"}),
    ("not prefix", ["!", ("state", "=", "draft")], {"S00006", "S00009"}),
    (
        "nested",
        ["|", "&", ("state", "=", "sale"), ("amount_total", ">", 1), "!", ("state", "!=", "cancel")],
        {"S00006", "S00009"},
    ),
    ("m2o id", [("partner_id", "=", 14)], {"S00003"}),
    ("m2o name", [("partner_id", "ilike", "global motors")], {"S00003"}),
    ("dotted m2m", [("partner_id.category_id.name", "=", "VIP")], {"S00003"}),
    ("dotted m2o", [("user_id.login", "=", "admin")], {"S00005"}),
    ("x2many in", [("tag_ids", "in", [1, 2])], set()),
    ("x2many name", [("tag_ids", "=", "加急")], {"S00001"}),
    (
        "x2many empty",
        [("tag_ids", "=", False), ("state", "=", "draft")],
        {"S00002", "S00003", "S00004", "S00005", "S00007"},
    ),
    ("o2m path", [("order_line.product_id.default_code", "=", "PUMP-01")], {"S00002"}),
    (
        "datetime vs date",
        [("commitment_date", ">", "2000-01-01")],
        {"S00001", "S00002", "S00003", "S00004", "S00005", "S00007", "S00008"},
    ),
    ("id in", [("id", "in", [1, 2, 999])], {"S00001", "S00002"}),
    ("true leaf", [(1, "=", 1)], ALL),
    ("non-stored ignored (Odoo 17)", [("expected_date", "=", "1999-01-01 00:00:00")], ALL),
]


@pytest.mark.parametrize(("label", "domain", "expected"), CASES, ids=[c[0] for c in CASES])
def test_domain(sb: Sandbox, label: str, domain: list[Any], expected: set[str]) -> None:
    tag_ids = sb.env.model("crm.tag").search([("name", "in", ["Rush", "加急"])])
    if label == "x2many in":
        domain = [("tag_ids", "in", tag_ids)]
        expected = {"S00001", "S00008"}
    rows = sb.env.model("sale.order").search_read(domain, ["name"])
    assert {r["name"] for r in rows} == expected


def test_order_limit_offset_and_count(sb: Sandbox) -> None:
    ids = execute(sb, "sale.order", "search", [], order="amount_total desc, id", limit=3, offset=1)
    names = [r["name"] for r in execute(sb, "sale.order", "read", ids, ["name"])]
    assert names == ["S00002", "S00008", "S00001"]
    assert execute(sb, "sale.order", "search_count", [("state", "=", "draft")]) == 7
    assert execute(sb, "sale.order", "search_count", [], limit=2) == 2


def test_active_test(sb: Sandbox) -> None:
    assert 1 not in execute(sb, "res.users", "search", [])
    assert 1 in execute(sb, "res.users", "search", [], context={"active_test": False})
    assert 1 in execute(sb, "res.users", "search", [("active", "=", False)])


def test_write_date_cursor(sb: Sandbox) -> None:
    rows = execute(sb, "sale.order", "search_read", [], fields=["write_date"], order="write_date desc, id")
    dates = [r["write_date"] for r in rows]
    assert dates == sorted(dates, reverse=True)
