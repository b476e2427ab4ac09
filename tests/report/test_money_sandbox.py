"""Money right, end to end over the sandbox ERP: two companies (USD and CNY), orders in EUR, each amount in its
company's currency at the rate Odoo stored on the order (not today's), one section per company.

Rates (units per USD): EUR 0.9 from 2024-01-01, 0.5 from 2024-06-01 (today's, which must not be used);
CNY 7.2 from 2024-01-01. May 2024; every order is urgent (its note says the customer's line is down), confirmed
within the hour, delivered on its scheduled date but after the requested date (charged to sales):

| company | order | amount | stored rate | in the company's currency | late | penalty |
|---|---|---|---|---|---|---|
| 1 San Francisco (USD) | A1 | 900 EUR | 0.9 | 1000.00 USD | 10 h | 2 % → 20.00 |
| 2 Shanghai (CNY) | B1 | 720 EUR | 0.9 / 7.2 = 0.125 | 5760.00 CNY | 30 h | 5 % → 288.00 |
| 2 Shanghai (CNY) | B2 | 100 CNY | 1 | 100.00 CNY | 2 h | 2 % × 1.25 (B1 late for the same customer) → 2.50 |
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import pytest

sandbox = pytest.importorskip("sandbox")

from odoo_urgency.jobs import cli  # noqa: E402

FMT = "%Y-%m-%d %H:%M:%S"


def _order(env: Any, company: int, partner: int, currency: int, amount: float, created: datetime, late_hours: int,
           product: int) -> int:
    requested = created + timedelta(hours=72)
    shipped = requested + timedelta(hours=late_hours)
    order = env.model("sale.order").create({
        "partner_id": partner, "company_id": company, "currency_id": currency, "user_id": 2,
        "create_date": created.strftime(FMT), "date_order": (created + timedelta(minutes=30)).strftime(FMT),
        "state": "sale", "note": "<p>Customer line down</p>", "commitment_date": requested.strftime(FMT),
        "order_line": [(0, 0, {"product_id": product, "name": "Pump", "product_uom_qty": 1, "price_unit": amount})],
    })
    env.model("stock.picking").create({
        "sale_id": order, "picking_type_code": "outgoing", "state": "done",
        "scheduled_date": shipped.strftime(FMT), "date_done": shipped.strftime(FMT), "write_date": shipped.strftime(FMT),
    })
    return order


def test_two_companies_each_in_its_currency_at_the_order_rate(monkeypatch, tmp_path) -> None:
    with sandbox.Sandbox() as sb:
        env = sb.env
        env.model("res.currency").write([2], {"active": True})
        cny = env.model("res.currency").create({"name": "CNY", "symbol": "¥", "rounding": 0.01})
        for currency, day, rate in ((2, "2024-01-01", 0.9), (2, "2024-06-01", 0.5), (cny, "2024-01-01", 7.2)):
            env.model("res.currency.rate").create({"name": day, "rate": rate, "currency_id": currency})
        home = env.model("res.partner").create({"name": "Shanghai", "is_company": True})
        shanghai = env.model("res.company").create({"name": "Shanghai", "currency_id": cny, "partner_id": home})
        buyer = env.model("res.partner").create({"name": "Lotus Trading", "is_company": True})
        pump = env.model("product.product").create({"name": "Pump", "type": "product", "detailed_type": "product"})
        _order(env, 1, buyer, 2, 900.0, datetime(2024, 5, 2, 8), 10, pump)
        _order(env, shanghai, buyer, 2, 720.0, datetime(2024, 5, 6, 8), 30, pump)
        _order(env, shanghai, buyer, cny, 100.0, datetime(2024, 5, 20, 8), 2, pump)
        monkeypatch.chdir(tmp_path)
        for key, value in {"URL": sb.url, "DATABASE": sb.database, "LOGIN": "admin", "PASSWORD": "admin"}.items():
            monkeypatch.setenv(f"ODOO_URGENCY_{key}", value)
        monkeypatch.delenv("ODOO_URGENCY_CONFIG", raising=False)
        monkeypatch.delenv("ODOO_URGENCY_API_KEY", raising=False)
        assert cli.main(["report", "--month", "2024-05", "--format", "json", "--output", "r.json"]) == 0
    companies = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["companies"]
    assert [(c["company"], c["currency"]) for c in companies] == [("My Company (San Francisco)", "USD"),
                                                                  ("Shanghai", "CNY")]
    first, second = ([(r["base_amount"], r["conversion"], r["late_history"], r["penalty"])
                      for r in c["penalties"]["rows"]] for c in companies)
    assert first == [(1000.0, "order", 0, 20.0)]
    assert second == [(5760.0, "order", 0, 288.0), (100.0, "same", 1, 2.5)]
    assert [c["penalties"]["by_department"]["sales"] for c in companies] == [20.0, 290.5]
    for company in companies:
        assert [s["department"] for s in company["departments"]] == ["sales", "production", "logistics",
                                                                      "purchasing"]
    assert [c["departments"][0]["total"]["orders_urgent"] for c in companies] == [1, 2]
