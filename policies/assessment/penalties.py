"""Penalty estimates (紧急备货单的罚款标准), per department and per customer or vendor, with the history factor.

**Customers.** An urgent order with a requested date (``commitment_date``) that has something to deliver is
delivered when all its outgoing transfers are done (at the last ``date_done``); it is late when delivered after
the requested date, or not delivered while ``now`` is past it. A confirmed order without any delivery has nothing
to ship and is not counted. Its penalty is :func:`policies.penalty.penalty_for` on the order's amount in the
company's currency, the history being the number of *earlier* late urgent deliveries to the same customer
(commercial partner) whose requested date lies within ``penalty.history_window_days`` before this one. The penalty
is charged to the department that was late first along the chain: **production** when an MO serving the order
was late, else **logistics** when one of its deliveries shipped after its scheduled date, else **sales**.

**Vendors.** A flagged purchase line received late (:mod:`policies.assessment.purchasing`) is priced the same way
on the line's amount (price × quantity, in the company's currency at the PO's rate), the history being the
vendor's earlier late lines within the window: what the company may claim from the vendor, charged to
**purchasing**.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from pydantic import BaseModel, Field

from odoo_urgency.connector.records import Partner, Picking, SaleOrder
from odoo_urgency.policies.assessment.judgment import Judgment, Status, judge
from odoo_urgency.policies.assessment.logistics import DeliveryOutcome, is_delivery
from odoo_urgency.policies.assessment.production import MoOutcome
from odoo_urgency.policies.assessment.purchasing import LineOutcome
from odoo_urgency.policies.calendar import as_utc
from odoo_urgency.policies.config import PenaltyConfig
from odoo_urgency.policies.penalty import penalty_for
from odoo_urgency.policies.states import ORDER_PROCESSED
from odoo_urgency.policies.tiers import Tier


class PenaltyRow(BaseModel):
    department: str
    party_kind: str  # "customer" / "vendor"
    party_id: int
    party: str
    document_id: int
    document: str
    salesperson: str = ""
    team: str = ""
    due: datetime
    done_at: datetime | None
    delay_hours: float
    late_history: int
    rate: float
    history_factor: float
    #: The order's (line's) amount in the company's currency, and how it was converted.
    base_amount: float
    conversion: str
    penalty: float


class PartyTotal(BaseModel):
    party_kind: str
    party_id: int
    party: str
    late: int
    penalty: float


class Penalties(BaseModel):
    rows: list[PenaltyRow] = Field(default_factory=list)
    #: department → total penalty (every department present, 0.0 when none).
    by_department: dict[str, float] = Field(default_factory=dict)
    by_party: list[PartyTotal] = Field(default_factory=list)
    total: float = 0.0


def delivery_of(order: SaleOrder, pickings: Sequence[Picking], now: datetime) -> Judgment | None:
    """The customer-facing delivery of an order against its requested date; None when nothing is to deliver or
    no date was requested."""
    if order.commitment_date is None:
        return None
    outgoing = [p for p in pickings if is_delivery(p)]
    if not outgoing:
        # A confirmed order without any delivery has nothing to ship (services); a quotation has not shipped yet.
        return judge(order.commitment_date, None, now) if order.state not in ORDER_PROCESSED else None
    done = [as_utc(stamp) for p in outgoing if p.state == "done" for stamp in [p.date_done or p.write_date] if stamp]
    finished = max(done) if len(done) == len(outgoing) and done else None
    return judge(order.commitment_date, finished, now)


def commercial_id(order: SaleOrder, partners: Mapping[int, Partner]) -> int:
    if order.partner_id is None:
        return 0
    partner = partners.get(order.partner_id.id)
    return partner.parent_id.id if partner is not None and partner.parent_id is not None else order.partner_id.id


def history(moments: Sequence[datetime], due: datetime, config: PenaltyConfig) -> int:
    """Earlier late moments within the window before ``due``; ``moments`` sorted ascending (two bisections, so a
    customer with thousands of late deliveries costs no more than one with a few)."""
    window = timedelta(days=config.history_window_days)
    return bisect_left(moments, due) - bisect_left(moments, due - window)


def responsible(mos: Sequence[MoOutcome], deliveries: Sequence[DeliveryOutcome]) -> Callable[[int], str]:
    """order id → the department a late delivery of that order is charged to (indexed once: no scan per order)."""
    late_made = {o.order.id for o in mos if o.judgment.status is Status.LATE}
    late_shipped = {o.order.id for o in deliveries if o.scheduled.status is Status.LATE}

    def department(order_id: int) -> str:
        if order_id in late_made:
            return "production"
        return "logistics" if order_id in late_shipped else "sales"

    return department


@dataclass(frozen=True)
class CustomerCase:
    """An urgent order's delivery against the requested date, with its amount in the company's currency."""

    order: SaleOrder
    judgment: Judgment
    customer: int
    customer_name: str
    amount: float
    conversion: str


def customer_penalties(cases: Sequence[CustomerCase], charged: Sequence[SaleOrder],
                       department: Callable[[int], str], config: PenaltyConfig) -> list[PenaltyRow]:
    """Rows for the late cases of the ``charged`` orders; every case (earlier ones too) counts as history."""
    late_by_customer: dict[int, list[datetime]] = defaultdict(list)
    for case in cases:
        if case.judgment.status is Status.LATE:
            late_by_customer[case.customer].append(case.judgment.due)
    for moments in late_by_customer.values():
        moments.sort()
    wanted = {o.id for o in charged}
    rows = []
    for case in cases:
        if case.order.id not in wanted or case.judgment.status is not Status.LATE:
            continue
        earlier = history(late_by_customer[case.customer], case.judgment.due, config)
        estimate = penalty_for(case.amount, case.judgment.lateness_hours, earlier, config)
        if estimate is None:
            continue
        order = case.order
        rows.append(PenaltyRow(
            department=department(order.id), party_kind="customer", party_id=case.customer,
            party=case.customer_name, document_id=order.id, document=order.name,
            salesperson=order.user_id.name if order.user_id else "", team=order.team_id.name if order.team_id else "",
            due=case.judgment.due, done_at=case.judgment.done_at, delay_hours=estimate.delay_hours,
            late_history=earlier, rate=estimate.rate, history_factor=estimate.history_factor,
            base_amount=case.amount, conversion=case.conversion, penalty=estimate.amount))
    return rows


def vendor_penalties(lines: Sequence[LineOutcome], charged: Callable[[LineOutcome], bool],
                     amount: Callable[[LineOutcome], tuple[float, str]], config: PenaltyConfig) -> list[PenaltyRow]:
    late_by_vendor: dict[int, list[datetime]] = defaultdict(list)
    for line in lines:
        if line.judgment.status is Status.LATE and line.po.partner_id:
            late_by_vendor[line.po.partner_id.id].append(line.judgment.due)
    for moments in late_by_vendor.values():
        moments.sort()
    rows = []
    for line in lines:
        if line.judgment.status is not Status.LATE or not charged(line):
            continue
        vendor = line.po.partner_id
        earlier = history(late_by_vendor[vendor.id], line.judgment.due, config) if vendor else 0
        base, conversion = amount(line)
        estimate = penalty_for(base, line.judgment.lateness_hours, earlier, config)
        if estimate is None:
            continue
        product = line.line.product_id.name if line.line.product_id else ""
        rows.append(PenaltyRow(
            department="purchasing", party_kind="vendor", party_id=vendor.id if vendor else 0,
            party=vendor.name if vendor else "", document_id=line.line.id,
            document=f"{line.po.name} {product}".strip(), due=line.judgment.due, done_at=line.judgment.done_at,
            delay_hours=estimate.delay_hours, late_history=earlier, rate=estimate.rate,
            history_factor=estimate.history_factor, base_amount=base, conversion=conversion, penalty=estimate.amount))
    return rows


def summarise(rows: Sequence[PenaltyRow]) -> Penalties:
    ordered = sorted(rows, key=lambda r: (r.due, r.party_kind, r.document_id))
    by_department = {name: 0.0 for name in ("sales", "production", "logistics", "purchasing")}
    parties: dict[tuple[str, int], PartyTotal] = {}
    for row in ordered:
        by_department[row.department] = round(by_department[row.department] + row.penalty, 2)
        total = parties.setdefault((row.party_kind, row.party_id),
                                   PartyTotal(party_kind=row.party_kind, party_id=row.party_id, party=row.party,
                                              late=0, penalty=0.0))
        total.late += 1
        total.penalty = round(total.penalty + row.penalty, 2)
    return Penalties(rows=ordered, by_department=by_department,
                     by_party=sorted(parties.values(), key=lambda p: (-p.penalty, p.party.casefold())),
                     total=round(sum(r.penalty for r in ordered), 2))


def urgent_cases(orders: Sequence[SaleOrder], tiers: Mapping[int, Tier], pickings: Sequence[Picking],
                 partners: Mapping[int, Partner], amount: Callable[[SaleOrder], tuple[float, str]],
                 now: datetime) -> list[CustomerCase]:
    by_order: dict[int, list[Picking]] = defaultdict(list)
    for picking in pickings:
        if picking.sale_id is not None:
            by_order[picking.sale_id.id].append(picking)
    cases = []
    for order in orders:
        if tiers.get(order.id) is not Tier.URGENT:
            continue
        judgment = delivery_of(order, by_order.get(order.id, []), now)
        if judgment is not None:
            base, conversion = amount(order)
            customer = commercial_id(order, partners)
            known = partners.get(customer)
            name = known.name if known is not None and known.name else (order.partner_id.name if order.partner_id
                                                                         else "")
            cases.append(CustomerCase(order, judgment, customer, name or "", base, conversion))
    return cases
