# ruff: noqa: E501  (the hand-computed table of the data set stays one row per line)
"""Production, logistics, purchasing and the penalties, in two companies and three currencies, computed by hand.

Rules: the defaults (urgent 2 h, special 12 h; MOs must finish ``delivery_buffer_hours`` = 24 h before the
requested delivery; penalty bands ≤24 h 2 %, ≤72 h 5 %, beyond 10 %; history factor 1 + 0.25 per earlier late
delivery within 90 days). Period: November 2026 (UTC); now = 2026-12-01 06:00 UTC.

Company 1 "San Francisco" (USD). Every order is processed within its limit (sales on time 5/5).

| order | tier | amount | requested | MO (needed = requested − 24 h) | delivery (scheduled → shipped) |
|---|---|---|---|---|---|
| S1 | urgent | 900 EUR at the order's rate 0.9 = 1000 USD | 11-05 12:00 | M1 needed 11-04 12:00, done 11-04 18:00: 6 h late; work centers Assembly + Paint | P1 SF: 11-05 00:00 → 11-05 20:00: 20 h late; 8 h after requested |
| S2 | special | 500 | 11-20 00:00 | M2 (by origin) needed 11-19, done 11-18: on time; pulled earlier by the plugin; Assembly | (special: not a logistics item) |
| S3 | urgent | 2000 | 11-25 00:00 | M3 needed 11-24 00:00, not done: 174 h late at now | P3 SF: 11-24 12:00 → not shipped: 162 h late; 150 h after requested; pulled earlier |
| S4 | urgent | 800 | 11-27 04:00 | — | P4 Oakland: 11-27 00:00 → 11-27 06:00: 6 h late; 2 h after requested |
| S6 | urgent | 300 | 11-15 00:00 | — | P6 Oakland: 11-14 00:00 → 11-13 12:00: on time |

Customer penalties (charged to the first late department: production, else logistics, else sales):
S1 8 h → 2 % × 1000 = 20.00 (production, Big Co's first); S3 150 h → 10 % × 1.25 (S1 was late for Big Co within
90 days) × 2000 = 250.00 (production); S4 2 h → 2 % × 800 = 16.00 (logistics, Small Co).

Purchasing (the lines the materials pass flagged, with the date each was needed):
L1 on PO1 (Wood Corner; buyer Mitchell; 9 EUR × 100 at 0.9 = 1000 USD): flagged for M1, needed at its planned
start 11-03 00:00, received 11-03 10:00: 10 h late → 2 % × 1.25 (L2, October, late for Wood Corner) = 25.00.
L2 on PO2 (needed 10-10, October: history and trend only). L3/L4 on PO3 (Steel Inc; no buyer), needed 11-11: L3
received before, on time; L4 (20 × 5 = 100) not received: 486 h late → 10 % = 10.00. L5 was never flagged; L6 is
flagged but its PO was cancelled: both left out.

Company 2 "Shanghai" (CNY), no MOs, no purchases:
T1 urgent, 1400 USD at the order's rate 0.14 = 10000 CNY, processed in 3 h (breach, level 1); Q1 scheduled 11-05,
shipped 11-06 06:00 (30 h late; 6 h after requested 11-06) → 2 % × 10000 = 200.00 (logistics).
T2 urgent, 5000 CNY, never confirmed (breach, level 2), requested 11-20, nothing shipped: 270 h → 10 % × 1.25 (T1
for the same customer) × 5000 = 625.00 (sales). T3 urgent, 900 EUR without a stored rate: today's rates (EUR 0.9,
CNY 7.2 per USD) give 7200 CNY; Q3 scheduled 11-21 12:00, shipped 11-23 00:00 (36 h late; 24 h after requested
11-22) → 2 % × 7200 = 144.00 (logistics).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from odoo_urgency.connector.records import (
    Company,
    ManufacturingOrder,
    Picking,
    PurchaseLine,
    PurchaseOrder,
    Receipt,
    SaleOrder,
    WorkOrder,
)
from odoo_urgency.policies import Rules
from odoo_urgency.policies.assessment import Assessment, Records, assess
from odoo_urgency.policies.flagged import Flag
from odoo_urgency.policies.tiers import Tier

NOW = datetime(2026, 12, 1, 6, tzinfo=UTC)
START, END = datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC)
USD, EUR, CNY = [1, "USD"], [2, "EUR"], [3, "CNY"]


def so(oid, name, tier, created, confirmed, requested, amount, *, company=1, partner=(100, "Big Co"), currency=None,
       rate=None, group=None, state="sale"):
    return SaleOrder.model_validate({
        "id": oid, "name": name, "state": state, "create_date": created, "date_order": confirmed or created,
        "commitment_date": requested, "amount_total": amount, "partner_id": list(partner), "x_urgency": tier,
        "company_id": [company, "c"], "currency_id": currency or (USD if company == 1 else CNY),
        "currency_rate": rate or False, "links": [group] if group else [],
        "user_id": [2, "Mitchell"], "team_id": [1, "Sales"],
    })


def mo(mid, name, state, finished, *, group=None, origin=False, start=False, memo=None):
    return ManufacturingOrder.model_validate({
        "id": mid, "name": name, "state": state, "date_finished": finished, "planned_start": start,
        "links": [group] if group else [], "origin": origin, "company_id": [1, "c"],
        "x_urgency_memo": memo or {},
    })


def delivery(pid, sale_id, scheduled, done, kind=None, memo=None):
    return Picking.model_validate({
        "id": pid, "name": f"OUT/{pid}", "sale_id": [sale_id, "x"], "picking_type_code": "outgoing",
        "picking_type_id": list(kind) if kind else False, "scheduled_date": scheduled,
        "state": "done" if done else "assigned", "date_done": done or False, "x_urgency_memo": memo or {},
    })


SF, OAKLAND = (7, "San Francisco: Delivery Orders"), (8, "Oakland: Delivery Orders")
ORDERS = [
    so(1, "S1", "urgent", "2026-11-02 08:00:00", "2026-11-02 09:00:00", "2026-11-05 12:00:00", 900.0,
       currency=EUR, rate=0.9, group=501),
    so(2, "S2", "special", "2026-11-10 00:00:00", "2026-11-10 02:00:00", "2026-11-20 00:00:00", 500.0),
    so(3, "S3", "urgent", "2026-11-20 00:00:00", "2026-11-20 01:00:00", "2026-11-25 00:00:00", 2000.0, group=503),
    so(4, "S4", "urgent", "2026-11-26 00:00:00", "2026-11-26 00:30:00", "2026-11-27 04:00:00", 800.0,
       partner=(200, "Small Co")),
    so(6, "S6", "urgent", "2026-11-12 00:00:00", "2026-11-12 01:00:00", "2026-11-15 00:00:00", 300.0),
    so(11, "T1", "urgent", "2026-11-03 00:00:00", "2026-11-03 03:00:00", "2026-11-06 00:00:00", 1400.0, company=2,
       partner=(300, "Lotus"), currency=USD, rate=0.14),
    so(12, "T2", "urgent", "2026-11-15 00:00:00", None, "2026-11-20 00:00:00", 5000.0, company=2,
       partner=(300, "Lotus"), state="sent"),
    so(13, "T3", "urgent", "2026-11-21 00:00:00", "2026-11-21 01:00:00", "2026-11-22 00:00:00", 900.0, company=2,
       partner=(400, "Peony"), currency=EUR),
]
MOS = [
    mo(21, "WH/MO/00001", "done", "2026-11-04 18:00:00", group=501, start="2026-11-03 00:00:00"),
    mo(22, "WH/MO/00002", "done", "2026-11-18 00:00:00", origin="S2", memo={"planned_start": "2026-11-17 00:00:00"}),
    mo(23, "WH/MO/00003", "confirmed", "2026-11-30 00:00:00", group=503),
    mo(24, "WH/MO/00004", "cancel", False, group=503),
]
WORKORDERS = [WorkOrder.model_validate(row) for row in (
    {"id": 1, "production_id": [21, "M1"], "workcenter_id": [1, "Assembly"]},
    {"id": 2, "production_id": [21, "M1"], "workcenter_id": [2, "Paint"]},
    {"id": 3, "production_id": [22, "M2"], "workcenter_id": [1, "Assembly"]},
)]
PICKINGS = [
    delivery(31, 1, "2026-11-05 00:00:00", "2026-11-05 20:00:00", SF),
    delivery(33, 3, "2026-11-24 12:00:00", None, SF, memo={"scheduled_date": "2026-11-24 12:00:00"}),
    delivery(34, 4, "2026-11-27 00:00:00", "2026-11-27 06:00:00", OAKLAND),
    delivery(36, 6, "2026-11-14 00:00:00", "2026-11-13 12:00:00", OAKLAND),
    delivery(41, 11, "2026-11-05 00:00:00", "2026-11-06 06:00:00"),
    delivery(43, 13, "2026-11-21 12:00:00", "2026-11-23 00:00:00"),
]


def po(pid, name, origin, vendor, *, buyer=None, priority="0", state="purchase", currency=USD, rate=False):
    return PurchaseOrder.model_validate({
        "id": pid, "name": name, "origin": origin, "partner_id": list(vendor), "user_id": list(buyer) if buyer else False,
        "priority": priority, "state": state, "company_id": [1, "c"], "currency_id": currency, "currency_rate": rate,
    })


def line(lid, po_id, price, qty, received, planned):
    return PurchaseLine.model_validate({"id": lid, "order_id": [po_id, "P"], "price_unit": price, "product_qty": qty,
                                       "qty_received": received, "date_planned": planned,
                                       "product_id": [5, "Screw"]})


WOOD, STEEL = (9, "Wood Corner"), (10, "Steel Inc")
POS = {p.id: p for p in (
    po(1, "P00001", "WH/MO/00001", WOOD, buyer=(2, "Mitchell"), currency=EUR, rate=0.9),
    po(2, "P00002", "OP/00009", WOOD, priority="1"),
    po(3, "P00003", "S6", STEEL),
    po(5, "P00005", "OP/00001", STEEL),
    po(6, "P00006", "S1", STEEL, state="cancel"),
)}
LINES = [
    line(1, 1, 9.0, 100, 100, "2026-11-01 00:00:00"),
    line(2, 2, 10.0, 10, 10, "2026-10-10 00:00:00"),
    line(3, 3, 30.0, 10, 10, "2026-11-11 00:00:00"),
    line(4, 3, 20.0, 5, 0, "2026-11-11 00:00:00"),
    line(5, 5, 20.0, 5, 0, "2026-11-02 00:00:00"),
    line(6, 6, 20.0, 5, 0, "2026-11-02 00:00:00"),
]
RECEIPTS = [Receipt.model_validate(row) for row in (
    {"id": 1, "purchase_line_id": [1, "L1"], "state": "done", "date": "2026-11-03 10:00:00"},
    {"id": 2, "purchase_line_id": [2, "L2"], "state": "done", "date": "2026-10-12 00:00:00"},
    {"id": 3, "purchase_line_id": [3, "L3"], "state": "done", "date": "2026-11-10 00:00:00"},
    {"id": 4, "purchase_line_id": [4, "L4"], "state": "cancel", "date": "2026-11-10 00:00:00"},
)]
COMPANIES = {1: Company.model_validate({"id": 1, "name": "San Francisco", "currency_id": USD}),
             2: Company.model_validate({"id": 2, "name": "Shanghai", "currency_id": CNY})}


FLAGS = {f.line_id: f for f in (
    Flag(1, datetime(2026, 11, 3, tzinfo=UTC), 21), Flag(2, datetime(2026, 10, 10, tzinfo=UTC), 99),
    Flag(3, datetime(2026, 11, 11, tzinfo=UTC), 98), Flag(4, datetime(2026, 11, 11, tzinfo=UTC), 98),
    Flag(6, datetime(2026, 11, 2, tzinfo=UTC), 97),
)}


def records(**changes) -> Records:
    base = dict(flags=FLAGS, orders=ORDERS, tiers={o.id: Tier(o.x_urgency) for o in ORDERS}, pickings=PICKINGS, mos=MOS,
                workorders=WORKORDERS, purchase_orders=POS, purchase_lines=LINES, receipts=RECEIPTS,
                companies=COMPANIES, currency_rates={1: 1.0, 2: 0.9, 3: 7.2},
                currency_names={1: "USD", 2: "EUR", 3: "CNY"})
    base.update(changes)
    return Records(**base)


@pytest.fixture(scope="module")
def result() -> Assessment:
    return assess(records(), Rules(), period_start=START, period_end=END, now=NOW, trend_months=2)


def groups(section, kind):
    return {g.name: g for g in section.groups[kind]}


def shared(figures):
    return (figures.items, figures.on_time, figures.late, figures.pending, figures.on_time_rate,
            figures.lateness_p50_hours, figures.lateness_p90_hours, figures.penalty)


def test_one_section_per_company_in_its_currency(result):
    assert [(c.company_id, c.company, c.currency) for c in result.companies] == [
        (1, "San Francisco", "USD"), (2, "Shanghai", "CNY")]
    for company in result.companies:
        assert [s.department for s in company.departments] == ["sales", "production", "logistics", "purchasing"]


def test_production(result):
    section = result.companies[0].department("production")
    assert shared(section.total) == (3, 1, 2, 0, pytest.approx(1 / 3), 6.0, 174.0, 270.0)
    assert section.total.pulled_earlier == 1
    centers = groups(section, "work_center")
    assert list(centers) == ["Assembly", "Paint", "(no work center)"]
    assert shared(centers["Assembly"]) == (2, 1, 1, 0, 0.5, 6.0, 6.0, 20.0)
    assert shared(centers["Paint"]) == (1, 0, 1, 0, 0.0, 6.0, 6.0, 20.0)
    assert shared(centers["(no work center)"]) == (1, 0, 1, 0, 0.0, 174.0, 174.0, 250.0)


def test_logistics(result):
    section = result.companies[0].department("logistics")
    total = section.total
    assert shared(total) == (4, 1, 3, 0, 0.25, 20.0, 162.0, 16.0)
    assert (total.items_requested, total.on_time_requested, total.late_requested, total.on_time_rate_requested,
            total.lateness_requested_p50_hours, total.lateness_requested_p90_hours) == (4, 1, 3, 0.25, 8.0, 150.0)
    assert total.pulled_earlier == 1
    warehouses = groups(section, "warehouse")
    assert list(warehouses) == ["Oakland", "San Francisco"]
    assert shared(warehouses["Oakland"]) == (2, 1, 1, 0, 0.5, 6.0, 6.0, 16.0)
    assert shared(warehouses["San Francisco"]) == (2, 0, 2, 0, 0.0, 20.0, 162.0, 0.0)
    assert list(groups(section, "operation_type")) == ["Oakland: Delivery Orders", "San Francisco: Delivery Orders"]
    # Company 2's transfers carry no operation type: grouped by their type code, no warehouse.
    other = result.companies[1].department("logistics")
    assert shared(other.total) == (2, 0, 2, 0, 0.0, 30.0, 36.0, 344.0)
    assert list(groups(other, "operation_type")) == ["outgoing"]
    assert list(groups(other, "warehouse")) == ["(no warehouse)"]


def test_purchasing(result):
    section = result.companies[0].department("purchasing")
    assert shared(section.total) == (3, 1, 2, 0, pytest.approx(1 / 3), 10.0, 486.0, 35.0)
    vendors = groups(section, "vendor")
    assert shared(vendors["Wood Corner"]) == (1, 0, 1, 0, 0.0, 10.0, 10.0, 25.0)
    assert shared(vendors["Steel Inc"]) == (2, 1, 1, 0, 0.5, 486.0, 486.0, 10.0)
    assert list(groups(section, "buyer")) == ["Mitchell", "(no buyer)"]


def test_sales_per_company(result):
    first, second = (c.department("sales").total for c in result.companies)
    assert (first.items, first.on_time, first.late, first.penalty) == (5, 5, 0, 0.0)
    assert (second.items, second.on_time, second.late, second.penalty) == (3, 1, 2, 625.0)
    assert (second.escalated_level1, second.escalated_level2) == (1, 1)


def test_penalties_per_department_and_party_in_company_currency(result):
    first, second = result.companies
    rows = {r.document: (r.department, r.party, r.delay_hours, r.late_history, r.base_amount, r.conversion, r.penalty)
            for r in first.penalties.rows}
    assert rows == {
        "S1": ("production", "Big Co", 8.0, 0, 1000.0, "order", 20.0),
        "S3": ("production", "Big Co", 150.0, 1, 2000.0, "same", 250.0),
        "S4": ("logistics", "Small Co", 2.0, 0, 800.0, "same", 16.0),
        "P00001 Screw": ("purchasing", "Wood Corner", 10.0, 1, 1000.0, "order", 25.0),
        "P00003 Screw": ("purchasing", "Steel Inc", 486.0, 0, 100.0, "same", 10.0),
    }
    assert first.penalties.by_department == {"sales": 0.0, "production": 270.0, "logistics": 16.0, "purchasing": 35.0}
    assert [(p.party_kind, p.party, p.late, p.penalty) for p in first.penalties.by_party] == [
        ("customer", "Big Co", 2, 270.0), ("vendor", "Wood Corner", 1, 25.0), ("customer", "Small Co", 1, 16.0),
        ("vendor", "Steel Inc", 1, 10.0)]
    assert first.penalties.total == 321.0
    rows2 = {r.document: (r.department, r.late_history, r.base_amount, r.conversion, r.penalty)
             for r in second.penalties.rows}
    assert rows2 == {"T1": ("logistics", 0, 10000.0, "order", 200.0), "T2": ("sales", 1, 5000.0, "same", 625.0),
                     "T3": ("logistics", 0, 7200.0, "today", 144.0)}
    assert second.penalties.by_department == {"sales": 625.0, "production": 0.0, "logistics": 344.0,
                                              "purchasing": 0.0}
    assert second.conversions == {"order": 1, "same": 1, "today": 1}


def test_trend_per_department(result):
    company = result.companies[0]
    series = {s.department: [(p.month, p.items, p.on_time_rate) for p in s.points] for s in company.trend}
    assert series["purchasing"] == [("2026-10", 1, 0.0), ("2026-11", 3, pytest.approx(1 / 3))]
    assert series["production"] == [("2026-10", 0, None), ("2026-11", 3, pytest.approx(1 / 3))]
    assert series["sales"] == [("2026-10", 0, None), ("2026-11", 5, 1.0)]


def test_missing_apps_are_said_not_zeroed():
    result = assess(records(mos=None, purchase_lines=None, purchase_orders=None, workorders=None,
                            notes={"purchasing": "the purchase app is not installed"}),
                    Rules(), period_start=START, period_end=END, now=NOW, trend_months=1)
    company = result.companies[0]
    production, purchasing = company.department("production"), company.department("purchasing")
    assert (production.available, purchasing.available) == (False, False)
    assert purchasing.note == "the purchase app is not installed"
    assert {s.department for s in company.trend} == {"sales", "logistics"}
    # Without MOs the late customer deliveries fall to logistics (late shipments) or sales.
    assert company.penalties.by_department["production"] == 0.0
    no_centers = assess(records(workorders=None), Rules(), period_start=START, period_end=END, now=NOW)
    section = no_centers.companies[0].department("production")
    assert section.groups == {} and "work orders" in (section.note or "")


def test_companies_setting_keeps_only_those():
    rules = Rules.model_validate({"companies": [2]})
    result = assess(records(), rules, period_start=START, period_end=END, now=NOW)
    assert [c.company for c in result.companies] == ["Shanghai"]


def test_json_has_the_same_keys_in_every_department(result):
    data = result.model_dump(mode="json")
    sections = data["companies"][0]["departments"]
    common = {"kind", "id", "name", "items", "on_time", "late", "pending", "on_time_rate", "lateness_p50_hours",
              "lateness_p90_hours", "penalty"}
    for section in sections:
        assert common <= set(section["total"]), section["department"]
        assert {"department", "available", "note", "total", "groups"} == set(section)


def test_overtime_the_planner_asked_for_per_work_center():
    """M1 (due 11-04) had 2 h asked on Assembly and 1.5 h on Paint; M3 (due 11-24, no work orders left) 4 h on
    Welding (#3), which gives it that work center's group; an ask for an MO of another month counts nowhere."""
    from datetime import date

    from odoo_urgency.policies.planning.asks import OvertimeAsk

    asks = {21: [OvertimeAsk(1, date(2026, 11, 3), 2.0, "Assembly"), OvertimeAsk(2, date(2026, 11, 3), 1.5, "Paint")],
            23: [OvertimeAsk(3, date(2026, 11, 22), 3.0, "Welding"), OvertimeAsk(3, date(2026, 11, 23), 1.0, "Welding")],
            99: [OvertimeAsk(1, date(2026, 10, 3), 8.0, "Assembly")]}
    result = assess(records(overtime=asks), Rules(), period_start=START, period_end=END, now=NOW)
    section = result.companies[0].department("production")
    assert (section.total.overtime_asked_hours, section.total.overtime_asked_mos) == (7.5, 2)
    centers = groups(section, "work_center")
    assert list(centers) == ["Assembly", "Paint", "Welding"]
    assert [(g.overtime_asked_hours, g.overtime_asked_mos, g.items) for g in centers.values()] == [
        (2.0, 1, 2), (1.5, 1, 1), (4.0, 1, 1)]
    assert shared(centers["Welding"]) == (1, 0, 1, 0, 0.0, 174.0, 174.0, 250.0)
    # Nothing asked: zero, under the same keys.
    plain = assess(records(), Rules(), period_start=START, period_end=END, now=NOW).companies[0]
    assert plain.department("production").total.overtime_asked_hours == 0.0


def test_six_month_trend_side_by_side():
    """The default trend: six months ending with the period, every available department, empty months as gaps."""
    from odoo_urgency.jobs.report.charts import trend_chart

    result = assess(records(), Rules(), period_start=START, period_end=END, now=NOW, trend_months=6)
    company = result.companies[0]
    assert company.trend_months == ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"]
    series = {s.department: [(p.items, p.on_time_rate) for p in s.points] for s in company.trend}
    assert list(series) == ["sales", "production", "logistics", "purchasing"]
    assert series["purchasing"] == [(0, None)] * 4 + [(1, 0.0), (3, pytest.approx(1 / 3))]
    assert series["logistics"] == [(0, None)] * 5 + [(4, 0.25)]
    chart = trend_chart(company)
    assert [label for _, label in chart.x_labels] == company.trend_months
    purchasing = next(s for s in chart.series if s.name.startswith("Purchasing"))
    assert [len(segment) for segment in purchasing.segments] == [2]  # one line over the two months with items
