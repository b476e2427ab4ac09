"""The assessment of a month: every department of every company, from records and ``now`` (no I/O).

The shell reads a range of sale orders wider than the month (the penalty history window and the trend months
before it) and everything that serves them; :func:`assess` judges every item once and then counts what falls in
the period, per company (one section per company in a multi-company database, amounts in that company's
currency). Which month an item belongs to:

* sales and customer penalties: the month the order was **received** (``create_date``);
* production, logistics, purchasing and vendor penalties: the month the item was **due** (needed by, scheduled,
  needed by) — a department is assessed on what it had to deliver that month.

A department's total ``penalty`` is every penalty charged to it for the period (customer penalties follow their
orders' received month); its groups' penalties cover the documents of the group's items of the month.

A department whose app or model the ERP lacks (``None`` records) is reported as unavailable with a note, never as
zero. The trend gives each department's on-time rate for the ``trend_months`` months ending with the period.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from pydantic import BaseModel, Field

from odoo_urgency.connector.records import (
    Company,
    ManufacturingOrder,
    Partner,
    Picking,
    PurchaseLine,
    PurchaseOrder,
    Receipt,
    Ref,
    SaleOrder,
    WorkOrder,
)
from odoo_urgency.policies.assessment import logistics, penalties, production, purchasing, sales
from odoo_urgency.policies.assessment.figures import Figures, Section, count
from odoo_urgency.policies.assessment.judgment import Judgment
from odoo_urgency.policies.assessment.money import to_company
from odoo_urgency.policies.assessment.periods import Month, month_of, months_ending
from odoo_urgency.policies.assessment.stats import P90_DEFINITION
from odoo_urgency.policies.calendar import as_utc
from odoo_urgency.policies.config import Rules
from odoo_urgency.policies.flagged import Flag
from odoo_urgency.policies.planning.asks import OvertimeAsk
from odoo_urgency.policies.tiers import Tier

DEPARTMENTS = ("sales", "production", "logistics", "purchasing")
NO_COMPANY = "(no company)"


@dataclass
class Records:
    """What the shell read. ``None`` for a model the ERP does not have (its department is then unavailable)."""

    orders: Sequence[SaleOrder]
    tiers: Mapping[int, Tier]
    partners: Mapping[int, Partner] = field(default_factory=dict)
    pickings: Sequence[Picking] = ()
    mos: Sequence[ManufacturingOrder] | None = ()
    workorders: Sequence[WorkOrder] | None = None
    #: MO id → the overtime the capacity planner asked for it (read back from its activities and chatter).
    overtime: Mapping[int, Sequence[OvertimeAsk]] = field(default_factory=dict)
    #: purchase line id → the plugin's (earliest) flag on it (read back from its expedite alerts).
    flags: Mapping[int, Flag] = field(default_factory=dict)
    purchase_orders: Mapping[int, PurchaseOrder] | None = None
    purchase_lines: Sequence[PurchaseLine] | None = None
    receipts: Sequence[Receipt] | None = None
    companies: Mapping[int, Company] = field(default_factory=dict)
    #: res.currency id → today's rate (per unit of the reading company's currency); the fallback of conversions.
    currency_rates: Mapping[int, float] = field(default_factory=dict)
    #: res.currency id → code ("EUR").
    currency_names: Mapping[int, str] = field(default_factory=dict)
    #: department → why it is unavailable, for departments whose records are ``None``.
    notes: Mapping[str, str] = field(default_factory=dict)


class TrendPoint(BaseModel):
    month: str
    items: int
    on_time_rate: float | None


class TrendSeries(BaseModel):
    department: str
    points: list[TrendPoint]


class CompanyAssessment(BaseModel):
    company_id: int
    company: str
    currency: str
    departments: list[Section]
    penalties: penalties.Penalties
    trend_months: list[str] = Field(default_factory=list)
    trend: list[TrendSeries] = Field(default_factory=list)
    #: How the amounts behind the penalties were converted: "same" / "order" / "today" / "none" → count.
    conversions: dict[str, int] = Field(default_factory=dict)

    def department(self, name: str) -> Section:
        return next(section for section in self.departments if section.department == name)


class Assessment(BaseModel):
    title: str = "Monthly assessment of order handling"
    subtitle: str = "订单处理每月考核"
    period_label: str
    period_start: datetime
    period_end: datetime
    timezone: str
    generated_at: datetime
    install_mode: bool
    tier_hours: dict[str, float]
    p90_definition: str = P90_DEFINITION
    companies: list[CompanyAssessment]


@dataclass
class _Judged:
    """Every item of one company judged once."""

    sales: list[sales.SalesOutcome]
    mos: list[production.MoOutcome]
    deliveries: list[logistics.DeliveryOutcome]
    lines: list[purchasing.LineOutcome]
    cases: list[penalties.CustomerCase]


T = TypeVar("T")


def _within(items: Sequence[T], moment: Callable[[T], datetime | None], start: datetime, end: datetime) -> list[T]:
    return [item for item in items if (m := moment(item)) is not None and start <= as_utc(m) < end]


class _Company:
    """One company's slice of the records, with its currency conversions."""

    def __init__(self, ident: int, records: Records, rules: Rules) -> None:
        self.id = ident
        self.records = records
        self.rules = rules
        company = records.companies.get(ident)
        self.name = company.name if company else NO_COMPANY
        self.currency = company.currency_id if company else None
        self.orders = [o for o in records.orders if (o.company_id.id if o.company_id else 0) == ident]
        self.conversions: dict[str, int] = {}

    def convert(self, amount: float, currency: Ref | None, rate: float | None) -> tuple[float, str]:
        converted = to_company(amount, currency, rate, self.currency, self.records.currency_rates)
        self.conversions[converted.source] = self.conversions.get(converted.source, 0) + 1
        return converted.amount, converted.source

    def order_amount(self, order: SaleOrder) -> tuple[float, str]:
        return self.convert(order.amount_total, order.currency_id, order.currency_rate)

    def line_amount(self, outcome: purchasing.LineOutcome) -> tuple[float, str]:
        line, po = outcome.line, outcome.po
        return self.convert(line.price_unit * line.product_qty, po.currency_id, po.currency_rate)

    def judge(self, now: datetime) -> _Judged:
        rec, rules, tiers = self.records, self.rules, self.records.tiers
        outcomes = [sales.judge_order(o, tiers[o.id], rules, now) for o in self.orders]
        mos = production.judge_mos(self.orders, rec.mos or (), tiers, rules, now)
        by_id = {o.id: o for o in self.orders}
        deliveries = logistics.judge_deliveries(by_id, rec.pickings, tiers, now)
        lines: list[purchasing.LineOutcome] = []
        if rec.purchase_lines is not None and rec.purchase_orders is not None:
            ours = {k: po for k, po in rec.purchase_orders.items() if (po.company_id.id if po.company_id else 0)
                    == self.id}
            lines = purchasing.judge_lines(rec.purchase_lines, ours, rec.flags, rec.receipts, now)
        cases = penalties.urgent_cases(self.orders, tiers, rec.pickings, rec.partners, self.order_amount, now)
        return _Judged(outcomes, mos, deliveries, lines, cases)


def _unavailable(name: str, note: str) -> Section:
    return Section(department=name, available=False, note=note, total=Figures(kind="total", id=None, name="—"))


def _sections(company: _Company, judged: _Judged, start: datetime, end: datetime,
              charged: penalties.Penalties) -> list[Section]:
    rec = company.records
    received = _within(judged.sales, lambda o: o.received, start, end)
    def to(department: str) -> dict[int, float]:
        return {row.document_id: row.penalty for row in charged.rows if row.department == department}

    to_sales = to("sales")
    by_order = {case.order.id: sales.Delivered(case.judgment.status == "late", to_sales.get(case.order.id, 0.0))
                for case in judged.cases}
    sections = [sales.sales_section(received, by_order)]
    if rec.mos is None:
        sections.append(_unavailable("production", rec.notes.get("production", "no manufacturing app")))
    else:
        mos = _within(judged.mos, lambda o: o.judgment.due, start, end)
        sections.append(production.production_section(mos, rec.workorders, to("production"), rec.overtime))
    deliveries = _within(judged.deliveries, lambda o: o.scheduled.due, start, end)
    sections.append(logistics.logistics_section(deliveries, to("logistics")))
    if rec.purchase_lines is None:
        sections.append(_unavailable("purchasing", rec.notes.get("purchasing", "no purchase app")))
    else:
        lines = _within(judged.lines, lambda o: o.judgment.due, start, end)
        sections.append(purchasing.purchasing_section(lines, to("purchasing")))
    for section in sections:
        if section.available:  # the department's whole charge, whichever month its MOs or deliveries fall in
            section.total.penalty = charged.by_department[section.department]
    return sections


def _penalties(company: _Company, judged: _Judged, start: datetime, end: datetime) -> penalties.Penalties:
    config = company.rules.penalty
    charged = [o.order for o in judged.sales if start <= o.received < end]
    rows = penalties.customer_penalties(judged.cases, charged, penalties.responsible(judged.mos, judged.deliveries),
                                        config)
    rows += penalties.vendor_penalties(judged.lines, lambda o: start <= o.judgment.due < end, company.line_amount,
                                       config)
    return penalties.summarise(rows)


def _trend(judged: _Judged, months: list[Month], available: set[str]) -> list[TrendSeries]:
    moments: dict[str, list[tuple[datetime | None, Judgment]]] = {
        "sales": [(o.received, o.judgment) for o in judged.sales],
        "production": [(o.judgment.due, o.judgment) for o in judged.mos],
        "logistics": [(o.scheduled.due, o.scheduled) for o in judged.deliveries],
        "purchasing": [(o.judgment.due, o.judgment) for o in judged.lines],
    }
    series = []
    for name in DEPARTMENTS:
        if name not in available:
            continue
        buckets: dict[str, list[Judgment]] = {label: [] for label, _, _ in months}
        for moment, judgment in moments[name]:
            label = month_of(moment, months)
            if label is not None:
                buckets[label].append(judgment)
        points = []
        for label, _, _ in months:
            figures = count(Figures(kind="total", id=None, name=name), buckets[label])
            points.append(TrendPoint(month=label, items=figures.items, on_time_rate=figures.on_time_rate))
        series.append(TrendSeries(department=name, points=points))
    return series


def assess_company(company: _Company, now: datetime, start: datetime, end: datetime,
                   trend_months: int) -> CompanyAssessment:
    judged = company.judge(now)
    charged = _penalties(company, judged, start, end)
    sections = _sections(company, judged, start, end, charged)
    months = months_ending(end, company.rules.calendar.tz, trend_months) if trend_months > 0 else []
    currency = company.currency
    code = company.records.currency_names.get(currency.id, currency.name) if currency else ""
    return CompanyAssessment(
        company_id=company.id, company=company.name, currency=code, departments=sections, penalties=charged,
        trend_months=[label for label, _, _ in months],
        trend=_trend(judged, months, {s.department for s in sections if s.available}),
        conversions=dict(sorted(company.conversions.items())),
    )


def assess(records: Records, rules: Rules, *, period_start: datetime, period_end: datetime, now: datetime,
           period_label: str | None = None, trend_months: int = 0, install_mode: bool = True) -> Assessment:
    """The assessment of ``[period_start, period_end)`` judged at ``now``. ``records.orders`` may reach back
    before the period (history, trend); cancelled orders, orders without a creation date and orders of companies
    outside ``rules.companies`` (when set) are left out."""
    now, start, end = as_utc(now), as_utc(period_start), as_utc(period_end)
    kept = [o for o in records.orders if o.state != "cancel" and o.create_date is not None and o.id in records.tiers
            and (not rules.companies or (o.company_id is not None and o.company_id.id in rules.companies))]
    scoped = Records(**{**records.__dict__, "orders": kept})
    idents = sorted({o.company_id.id if o.company_id else 0 for o in kept} | set(records.companies)
                    - ({i for i in records.companies if i not in rules.companies} if rules.companies else set()))
    tz = rules.calendar.tz
    return Assessment(
        period_label=period_label or f"{start.astimezone(tz):%Y-%m-%d} – {end.astimezone(tz):%Y-%m-%d}",
        period_start=start, period_end=end, timezone=rules.calendar.timezone, generated_at=now,
        install_mode=install_mode, tier_hours={t.value: rules.tiers.hours(t) for t in Tier},
        companies=[assess_company(_Company(i, scoped, rules), now, start, end, trend_months) for i in idents],
    )
