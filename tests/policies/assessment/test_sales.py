"""The sales figures of the assessment against a small data set computed by hand (no ERP).

Rules: the defaults (normal 24 h, special 12 h, urgent 2 h, calendar hours, UTC, second escalation level at 2× the
limit; penalty bands ≤24 h 2 %, ≤72 h 5 %, beyond 10 %, history factor 1 + 0.25 × earlier late deliveries in 90
days, at most 2.0, capped at 20 % of the amount). Period: October 2026; judged at now = 2026-11-01 06:00 UTC.

| order | who / team | tier | received | processed | figures |
|---|---|---|---|---|---|
| A1 | Alice / Europe | normal | 10-01 08:00 | 10-01 20:00 (12 h) | on time |
| A2 | Alice / Europe | special | 10-02 08:00 | 10-03 02:00 (18 h) | breach, level 1 (18 h < 24 h) |
| A3 | Alice / Europe | urgent | 10-03 08:00 | never | breach, level 2 |
| A4 | Alice / Europe | special | 10-20 00:00 | 10-21 06:00 (30 h) | breach, level 2 (30 h > 24 h) |
| B1 | Bob / Europe | urgent | 10-05 10:00 | 10-05 11:00 (1 h) | on time; late delivery (1) |
| B2 | Bob / Europe | normal | 10-10 00:00 | 10-10 05:00 (5 h) | on time |
| B3 | Bob / Europe | urgent | 10-12 00:00 | 10-12 01:30 (1.5 h) | on time; delivered before the requested date |
| C1 | Carol / Asia | special | 10-15 00:00 | 10-15 03:30 (3.5 h) | on time |
| C2 | Carol / Asia | urgent (computed) | 10-31 23:00 | never | breach, level 2; late delivery (2) |
| N1 | nobody | normal | 10-31 22:00 | never | pending (deadline 11-01 22:00) |
| X1 | Alice | normal | 10-05 | cancelled | excluded |
| B0 | Bob / Europe | urgent | 09-05 00:00 | 09-05 01:00 | September: only history and trend |
| Z1 | Alice | normal | 11-01 01:00 | | November: excluded |

(1) B1: requested 10-07 10:00, delivered 10-08 16:00: 30 h late → band 5 %, × 1.25 (one earlier late urgent delivery
to the same company within 90 days: B0, requested 09-10, delivered 09-12) = 6.25 % × 8000 = 500.00.
(2) C2: computed urgent ("ASAP" in the note, 3 h lead time); requested 11-01 02:00, not delivered at now: 4 h late →
band 2 % × 1.0 × 1000 = 20.00.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from odoo_urgency.connector.records import Partner, Picking, SaleOrder
from odoo_urgency.policies import Rules
from odoo_urgency.policies.assessment import Classifying, Records, SalesFigures, assess, nearest_rank, report_tiers

NOW = datetime(2026, 11, 1, 6, 0, tzinfo=UTC)
START = datetime(2026, 10, 1, tzinfo=UTC)
END = datetime(2026, 11, 1, tzinfo=UTC)

ALICE, BOB, CAROL = [1, "Alice"], [2, "Bob"], [3, "Carol"]
EUROPE, ASIA = [10, "Europe"], [20, "Asia"]


def order(oid: int, name: str, user, team, created: str, *, tier: str | None, state: str = "draft",
          confirmed: str | None = None, requested: str | None = None, amount: float = 1000.0,
          partner=(300, "Plain Co"), note: str | bool = False) -> SaleOrder:
    return SaleOrder.model_validate({
        "id": oid, "name": name, "state": state, "create_date": created, "date_order": confirmed or created,
        "commitment_date": requested or False, "partner_id": list(partner), "user_id": user or False,
        "team_id": team or False, "amount_total": amount, "tag_ids": [], "note": note,
        "x_urgency": tier or False,
    })


def picking(pid: int, sale_id: int, state: str, done: str | None, code: str = "outgoing") -> Picking:
    return Picking.model_validate({"id": pid, "name": f"WH/OUT/{pid}", "sale_id": [sale_id, "x"], "state": state,
                                   "picking_type_code": code, "date_done": done or False})


ORDERS = [
    order(1, "A1", ALICE, EUROPE, "2026-10-01 08:00:00", tier="normal", state="sale", confirmed="2026-10-01 20:00:00"),
    order(2, "A2", ALICE, EUROPE, "2026-10-02 08:00:00", tier="special", state="sale",
          confirmed="2026-10-03 02:00:00"),
    order(3, "A3", ALICE, EUROPE, "2026-10-03 08:00:00", tier="urgent", state="draft"),
    order(4, "A4", ALICE, EUROPE, "2026-10-20 00:00:00", tier="special", state="done",
          confirmed="2026-10-21 06:00:00"),
    order(5, "B1", BOB, EUROPE, "2026-10-05 10:00:00", tier="urgent", state="sale", confirmed="2026-10-05 11:00:00",
          requested="2026-10-07 10:00:00", amount=8000.0, partner=(100, "Big Co")),
    order(6, "B2", BOB, EUROPE, "2026-10-10 00:00:00", tier="normal", state="sale", confirmed="2026-10-10 05:00:00"),
    order(7, "B3", BOB, EUROPE, "2026-10-12 00:00:00", tier="urgent", state="sale", confirmed="2026-10-12 01:30:00",
          requested="2026-10-14 00:00:00", amount=5000.0, partner=(100, "Big Co")),
    order(8, "C1", CAROL, ASIA, "2026-10-15 00:00:00", tier="special", state="sale", confirmed="2026-10-15 03:30:00"),
    order(9, "C2", CAROL, ASIA, "2026-10-31 23:00:00", tier=None, state="sent", requested="2026-11-01 02:00:00",
          partner=(200, "Small Co"), note="<p>ASAP please</p>"),
    order(10, "N1", None, None, "2026-10-31 22:00:00", tier="normal", state="draft"),
    order(11, "X1", ALICE, EUROPE, "2026-10-05 00:00:00", tier="urgent", state="cancel"),
    order(12, "B0", BOB, EUROPE, "2026-09-05 00:00:00", tier="urgent", state="sale", confirmed="2026-09-05 01:00:00",
          requested="2026-09-10 00:00:00", amount=3000.0, partner=(101, "Big Co, Buyer")),
    order(13, "Z1", ALICE, EUROPE, "2026-11-01 01:00:00", tier="normal", state="draft"),
]

PARTNERS = {
    100: Partner.model_validate({"id": 100, "name": "Big Co", "is_company": True, "category_id": []}),
    101: Partner.model_validate({"id": 101, "name": "Buyer", "parent_id": [100, "Big Co"], "category_id": []}),
    200: Partner.model_validate({"id": 200, "name": "Small Co", "is_company": True, "category_id": []}),
    300: Partner.model_validate({"id": 300, "name": "Plain Co", "is_company": True, "category_id": []}),
}

PICKINGS = [
    picking(1, 5, "done", "2026-10-08 16:00:00"),          # B1 delivered 30 h after the requested date
    picking(2, 5, "done", "2026-10-06 00:00:00", "incoming"),  # a receipt: not a delivery
    picking(3, 7, "done", "2026-10-13 12:00:00"),          # B3 on time
    picking(4, 7, "cancel", False),                          # cancelled: ignored
    picking(5, 12, "done", "2026-09-12 00:00:00"),         # B0 48 h late: B1's history
]


def compute_report(orders, *, rules, period_start, period_end, now, partners, pickings, install_mode=True,
                   trend_months=0, period_label=None):
    """The sales section (and the company's penalties and trend) of the assessment of these records."""
    known = Classifying(partners=partners, category_names={}, tag_names={}, install_mode=install_mode,
                        tier_tag_ids={})
    records = Records(orders=orders, tiers=report_tiers(orders, rules, now, known), partners=partners,
                      pickings=pickings, mos=None)
    assessment = assess(records, rules, period_start=period_start, period_end=period_end, now=now,
                        period_label=period_label, trend_months=trend_months, install_mode=install_mode)
    assert len(assessment.companies) == 1
    return Sales(assessment.companies[0])


class Sales:
    def __init__(self, company):
        section = company.department("sales")
        self.salespeople: list[SalesFigures] = section.groups["salesperson"]
        self.teams: list[SalesFigures] = section.groups["team"]
        self.total: SalesFigures = section.total
        self.late_deliveries = company.penalties.rows
        self.company = company


@pytest.fixture(scope="module")
def report():
    return compute_report(ORDERS, rules=Rules(), period_start=START, period_end=END, now=NOW, partners=PARTNERS,
                          pickings=PICKINGS, install_mode=True, trend_months=2, period_label="2026-10")


def by_name(groups):
    return {group.name: group for group in groups}


def test_salespeople_figures(report):
    people = by_name(report.salespeople)
    assert [g.name for g in report.salespeople] == ["Alice", "Bob", "Carol", "(no salesperson)"]
    alice = people["Alice"]
    assert (alice.orders, alice.orders_normal, alice.orders_special, alice.orders_urgent) == (4, 1, 2, 1)
    assert (alice.processed, alice.on_time, alice.pending) == (3, 1, 0)
    assert alice.on_time_rate == pytest.approx(0.25)
    assert (alice.median_hours, alice.p90_hours) == (18.0, 30.0)
    assert (alice.breaches, alice.escalated_level1, alice.escalated_level2) == (3, 1, 2)
    assert (alice.urgent_deliveries, alice.late_urgent_deliveries, alice.penalty) == (0, 0, 0.0)

    bob = people["Bob"]
    assert (bob.orders, bob.orders_normal, bob.orders_special, bob.orders_urgent) == (3, 1, 0, 2)
    assert (bob.processed, bob.on_time, bob.pending, bob.on_time_rate) == (3, 3, 0, 1.0)
    assert (bob.median_hours, bob.p90_hours) == (1.5, 5.0)
    assert (bob.breaches, bob.escalated_level1, bob.escalated_level2) == (0, 0, 0)
    assert (bob.urgent_deliveries, bob.late_urgent_deliveries, bob.penalty) == (2, 1, 500.0)

    carol = people["Carol"]
    assert (carol.orders, carol.orders_special, carol.orders_urgent) == (2, 1, 1)
    assert (carol.processed, carol.on_time, carol.pending, carol.on_time_rate) == (1, 1, 0, 0.5)
    assert (carol.median_hours, carol.p90_hours) == (3.5, 3.5)
    assert (carol.breaches, carol.escalated_level1, carol.escalated_level2) == (1, 0, 1)
    assert (carol.urgent_deliveries, carol.late_urgent_deliveries, carol.penalty) == (1, 1, 20.0)

    nobody = people["(no salesperson)"]
    assert nobody.id == 0
    assert (nobody.orders, nobody.processed, nobody.pending, nobody.breaches) == (1, 0, 1, 0)
    assert (nobody.on_time_rate, nobody.median_hours, nobody.p90_hours) == (None, None, None)


def test_team_figures(report):
    teams = by_name(report.teams)
    assert set(teams) == {"Europe", "Asia", "(no team)"}
    europe = teams["Europe"]
    assert (europe.orders, europe.orders_normal, europe.orders_special, europe.orders_urgent) == (7, 2, 2, 3)
    assert (europe.processed, europe.on_time, europe.pending) == (6, 4, 0)
    assert europe.on_time_rate == pytest.approx(4 / 7)
    # processing hours 1, 1.5, 5, 12, 18, 30: median (5 + 12) / 2; p90 rank ceil(5.4) = 6
    assert (europe.median_hours, europe.p90_hours) == (8.5, 30.0)
    assert (europe.breaches, europe.escalated_level1, europe.escalated_level2) == (3, 1, 2)
    assert (europe.urgent_deliveries, europe.late_urgent_deliveries, europe.penalty) == (2, 1, 500.0)
    assert teams["Asia"].model_dump(exclude={"kind", "id", "name"}) == \
        by_name(report.salespeople)["Carol"].model_dump(exclude={"kind", "id", "name"})


def test_company_total(report):
    total = report.total
    assert total.kind == "total"
    assert (total.orders, total.orders_normal, total.orders_special, total.orders_urgent) == (10, 3, 3, 4)
    assert (total.processed, total.on_time, total.pending) == (7, 5, 1)
    assert total.on_time_rate == pytest.approx(5 / 9)
    # 1, 1.5, 3.5, 5, 12, 18, 30: median 5; p90 rank ceil(6.3) = 7
    assert (total.median_hours, total.p90_hours) == (5.0, 30.0)
    assert (total.breaches, total.escalated_level1, total.escalated_level2) == (4, 1, 3)
    assert (total.urgent_deliveries, total.late_urgent_deliveries, total.penalty) == (3, 2, 520.0)
    assert total.orders == total.on_time + total.breaches + total.pending
    # The shared keys say the same in the sales words: items = orders, late = breaches; lateness of the breaches
    # (A2 6 h, A3 now − 10-03 10:00 = 692 h, A4 18 h, C2 now − 11-01 01:00 = 5 h): p50 rank 2 = 6, p90 rank 4.
    assert (total.items, total.late) == (total.orders, total.breaches)
    assert (total.lateness_p50_hours, total.lateness_p90_hours) == (6.0, 692.0)


def test_late_deliveries_and_penalties(report):
    rows = {row.document: row for row in report.late_deliveries}
    assert list(rows) == ["B1", "C2"]
    b1 = rows["B1"]
    assert (b1.delay_hours, b1.late_history, b1.rate, b1.history_factor, b1.penalty) == (30.0, 1, 0.05, 1.25, 500.0)
    assert b1.done_at == datetime(2026, 10, 8, 16, tzinfo=UTC)
    assert (b1.department, b1.party_kind, b1.party_id, b1.party) == ("sales", "customer", 100, "Big Co")
    c2 = rows["C2"]
    assert (c2.delay_hours, c2.late_history, c2.rate, c2.history_factor, c2.penalty) == (4.0, 0, 0.02, 1.0, 20.0)
    assert c2.done_at is None
    penalties = report.company.penalties
    assert penalties.by_department == {"sales": 520.0, "production": 0.0, "logistics": 0.0, "purchasing": 0.0}
    assert [(p.party, p.late, p.penalty) for p in penalties.by_party] == [("Big Co", 1, 500.0), ("Small Co", 1, 20.0)]


def test_trend(report):
    company = report.company
    assert company.trend_months == ["2026-09", "2026-10"]
    series = {s.department: [(p.month, p.items, p.on_time_rate) for p in s.points] for s in company.trend}
    assert series["sales"] == [("2026-09", 1, 1.0), ("2026-10", 10, pytest.approx(5 / 9))]
    # Logistics is judged against scheduled dates; these deliveries have none, so it has nothing to count yet.
    assert series["logistics"] == [("2026-09", 0, None), ("2026-10", 0, None)]
    assert set(series) == {"sales", "logistics"}  # production and purchasing are unavailable here


def test_nearest_rank_p90():
    assert nearest_rank([], 90) is None
    assert nearest_rank([7.0], 90) == 7.0
    assert nearest_rank([float(v) for v in range(10, 0, -1)], 90) == 9.0   # rank ceil(9.0) = 9, not 9.1
    assert nearest_rank([float(v) for v in range(1, 21)], 90) == 18.0      # rank 18
    assert nearest_rank([float(v) for v in range(1, 12)], 90) == 10.0      # rank ceil(9.9) = 10


def test_escalation_switched_off_and_working_calendar():
    rules = Rules.model_validate({"escalation": {"enabled": False}})
    off = compute_report(ORDERS, rules=rules, period_start=START, period_end=END, now=NOW, partners=PARTNERS,
                         pickings=PICKINGS)
    assert (off.total.breaches, off.total.escalated_level1, off.total.escalated_level2) == (4, 0, 0)


def test_tag_mode_computes_tiers():
    # Without install mode x_urgency is ignored: the tiers come from classify (no signal → normal, except C2
    # and the lead-time ones: B1 requested 48 h after receipt is not < 48 h → special (< 120 h); B3 48 h → special).
    report = compute_report(ORDERS, rules=Rules(), period_start=START, period_end=END, now=NOW, partners=PARTNERS,
                            pickings=PICKINGS, install_mode=False)
    total = report.total
    assert (total.orders_normal, total.orders_special, total.orders_urgent) == (7, 2, 1)
