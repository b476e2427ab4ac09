"""Sales (订单管理制度 第十条): was each order received in the month processed within its tier's limit?

* **tier** (:func:`report_tier`): the tier people saw — in install mode the order's ``x_urgency`` when set, in tag
  mode the plugin's tier tag on the order — else the tier :func:`policies.classify` gives the order as it is now;
* **processed** = confirmed (``sale`` / ``done``); processing time = ``date_order`` (Odoo overwrites it on
  confirmation) − ``create_date`` (received), never negative; due = :func:`policies.processing_deadline`;
* **escalation** reached, judged at the processing time (or ``now`` when unprocessed): level 2 past
  :func:`policies.escalation_deadline`, else level 1 past the deadline; 0 when escalation is off.

``breaches`` is the sales name of ``late`` and ``orders`` of ``items``; both are kept so existing readers of the
report keep working. ``urgent_deliveries`` / ``late_urgent_deliveries`` and ``penalty`` count the customer-facing
deliveries of the group's urgent orders (:mod:`policies.assessment.penalties`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from odoo_urgency.connector.records import Partner, SaleOrder
from odoo_urgency.policies.assessment.figures import Figures, Section, count, group_by
from odoo_urgency.policies.assessment.judgment import Judgment, Status, judge
from odoo_urgency.policies.assessment.stats import median, nearest_rank
from odoo_urgency.policies.calendar import as_utc
from odoo_urgency.policies.classify import classify
from odoo_urgency.policies.config import Rules
from odoo_urgency.policies.context import OrderContext
from odoo_urgency.policies.deadlines import escalation_deadline, processing_deadline
from odoo_urgency.policies.states import ORDER_PROCESSED
from odoo_urgency.policies.tiers import Tier, highest

NO_SALESPERSON = "(no salesperson)"
NO_TEAM = "(no team)"


@dataclass(frozen=True)
class Classifying:
    """What :func:`policies.classify` reads besides the order, for orders that carry no tier."""

    partners: Mapping[int, Partner]
    category_names: Mapping[int, str]
    tag_names: Mapping[int, str]
    install_mode: bool
    tier_tag_ids: Mapping[Tier, int]


def report_tier(order: SaleOrder, rules: Rules, now: datetime, known: Classifying) -> Tier:
    shown = Tier.parse(order.x_urgency) if known.install_mode else None
    if shown is None and not known.install_mode and known.tier_tag_ids:
        on_order = [tier for tier, tag in known.tier_tag_ids.items() if tag in order.tag_ids]
        shown = highest(on_order) if on_order else None
    if shown is not None:
        return shown
    partner = known.partners.get(order.partner_id.id) if order.partner_id else None
    parent = known.partners.get(partner.parent_id.id) if partner and partner.parent_id else None
    ctx = OrderContext(
        order=order, partner=partner, parent_partner=parent,
        category_names={c: known.category_names[c] for p in (partner, parent) if p is not None
                        for c in p.category_id if c in known.category_names},
        tag_names={t: known.tag_names[t] for t in order.tag_ids if t in known.tag_names},
        install_mode=known.install_mode, tier_tag_ids=dict(known.tier_tag_ids),
    )
    return classify(ctx, rules, now)[0]


@dataclass(frozen=True)
class SalesOutcome:
    order: SaleOrder
    tier: Tier
    received: datetime
    judgment: Judgment
    #: Processing hours of a processed order.
    hours: float | None
    #: Escalation level reached (0, 1, 2).
    level: int


def judge_order(order: SaleOrder, tier: Tier, rules: Rules, now: datetime) -> SalesOutcome:
    received = as_utc(order.create_date) if order.create_date else as_utc(now)
    processed = order.state in ORDER_PROCESSED
    done_at = (as_utc(order.date_order) if order.date_order else received) if processed else None
    judgment = judge(processing_deadline(received, tier, rules), done_at, now)
    hours = max((done_at - received).total_seconds() / 3600, 0.0) if done_at is not None else None
    level = 0
    if rules.escalation.enabled and judgment.status is Status.LATE:
        moment = done_at if done_at is not None else as_utc(now)
        level = 2 if moment > escalation_deadline(received, tier, rules) else 1
    return SalesOutcome(order, tier, received, judgment, hours, level)


class SalesFigures(Figures):
    orders: int = 0
    orders_normal: int = 0
    orders_special: int = 0
    orders_urgent: int = 0
    processed: int = 0
    median_hours: float | None = None
    p90_hours: float | None = None
    breaches: int = 0
    escalated_level1: int = 0
    escalated_level2: int = 0
    urgent_deliveries: int = 0
    late_urgent_deliveries: int = 0


@dataclass(frozen=True)
class Delivered:
    """An urgent order's customer-facing delivery: late or not, and the penalty charged to sales for it (a late
    delivery whose MO or shipment was late is charged to production or logistics instead)."""

    late: bool
    penalty: float


def sales_figures(kind: str, ident: int | None, name: str, outcomes: Sequence[SalesOutcome],
                  deliveries: Mapping[int, Delivered]) -> SalesFigures:
    figures = count(SalesFigures(kind=kind, id=ident, name=name), (o.judgment for o in outcomes))
    figures.orders, figures.breaches = figures.items, figures.late
    hours = [o.hours for o in outcomes if o.hours is not None]
    figures.processed = len(hours)
    figures.median_hours, figures.p90_hours = median(hours), nearest_rank(hours, 90)
    for outcome in outcomes:
        setattr(figures, f"orders_{outcome.tier.value}", getattr(figures, f"orders_{outcome.tier.value}") + 1)
        figures.escalated_level1 += outcome.level == 1
        figures.escalated_level2 += outcome.level == 2
        delivered = deliveries.get(outcome.order.id)
        if delivered is not None:
            figures.urgent_deliveries += 1
            figures.late_urgent_deliveries += delivered.late
            figures.penalty = round(figures.penalty + delivered.penalty, 2)
    return figures


def sales_section(outcomes: Sequence[SalesOutcome], deliveries: Mapping[int, Delivered]) -> Section:
    def make(kind: str, ident: int | None, name: str, members: Sequence[SalesOutcome]) -> SalesFigures:
        return sales_figures(kind, ident, name, members, deliveries)

    def salesperson(o: SalesOutcome) -> list[tuple[int, str]]:
        return [(o.order.user_id.id, o.order.user_id.name)] if o.order.user_id else []

    def team(o: SalesOutcome) -> list[tuple[int, str]]:
        return [(o.order.team_id.id, o.order.team_id.name)] if o.order.team_id else []

    return Section(
        department="sales", total=make("total", None, "Company total", outcomes),
        groups={"salesperson": group_by("salesperson", outcomes, salesperson, NO_SALESPERSON, make),
                "team": group_by("team", outcomes, team, NO_TEAM, make)},
    )


def report_tiers(orders: Sequence[SaleOrder], rules: Rules, now: datetime, known: Classifying) -> dict[int, Tier]:
    """order id → :func:`report_tier`."""
    return {order.id: report_tier(order, rules, now, known) for order in orders}
