"""Logistics (物流安排): were the deliveries of urgent orders shipped by their scheduled date, and by the date the
customer requested?

* **deliveries**: outgoing, non-cancelled transfers (``stock.picking``) of sale orders whose report tier is urgent;
* **shipped**: a done transfer's ``date_done`` (``write_date`` where a server has no ``date_done``);
* judged twice with :func:`policies.assessment.judgment.judge`: against the transfer's ``scheduled_date`` (the
  department's own commitment: the shared keys ``on_time`` / ``late`` / ``on_time_rate`` …) and against the
  order's requested date ``commitment_date`` (the ``*_requested`` keys; transfers of orders without one are not
  counted there);
* **pulled earlier**: the plugin moved the scheduled date earlier (its memo holds ``scheduled_date``);
* **per warehouse and operation type**: from the operation type (``picking_type_id``, which Odoo names
  "Warehouse: Operation"), else the type code (``outgoing``) where a server does not send it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from odoo_urgency.connector.records import Picking, SaleOrder
from odoo_urgency.policies.assessment.figures import Figures, Section, charged, count, group_by
from odoo_urgency.policies.assessment.judgment import Judgment, judge
from odoo_urgency.policies.tiers import Tier

NO_WAREHOUSE = "(no warehouse)"


@dataclass(frozen=True)
class DeliveryOutcome:
    picking: Picking
    order: SaleOrder
    scheduled: Judgment
    requested: Judgment | None
    pulled_earlier: bool


def shipped_at(picking: Picking) -> datetime | None:
    if picking.state != "done":
        return None
    return picking.date_done or picking.write_date


def is_delivery(picking: Picking) -> bool:
    return picking.picking_type_code in (None, "outgoing") and picking.state != "cancel"


def judge_deliveries(orders: Mapping[int, SaleOrder], pickings: Sequence[Picking], tiers: Mapping[int, Tier],
                     now: datetime) -> list[DeliveryOutcome]:
    outcomes = []
    for picking in pickings:
        order = orders.get(picking.sale_id.id) if picking.sale_id else None
        if order is None or tiers.get(order.id) is not Tier.URGENT or not is_delivery(picking):
            continue
        if picking.scheduled_date is None:
            continue
        done = shipped_at(picking)
        requested = judge(order.commitment_date, done, now) if order.commitment_date is not None else None
        outcomes.append(DeliveryOutcome(picking, order, judge(picking.scheduled_date, done, now), requested,
                                        "scheduled_date" in picking.x_urgency_memo))
    return outcomes


class LogisticsFigures(Figures):
    pulled_earlier: int = 0
    items_requested: int = 0
    on_time_requested: int = 0
    late_requested: int = 0
    pending_requested: int = 0
    on_time_rate_requested: float | None = None
    lateness_requested_p50_hours: float | None = None
    lateness_requested_p90_hours: float | None = None


def _figures(kind: str, ident: int | None, name: str, outcomes: Sequence[DeliveryOutcome],
             penalties: Mapping[int, float]) -> LogisticsFigures:
    figures = count(LogisticsFigures(kind=kind, id=ident, name=name), (o.scheduled for o in outcomes))
    figures.pulled_earlier = sum(o.pulled_earlier for o in outcomes)
    against = count(Figures(kind=kind, id=ident, name=name), (o.requested for o in outcomes if o.requested))
    figures.items_requested, figures.on_time_requested = against.items, against.on_time
    figures.late_requested, figures.pending_requested = against.late, against.pending
    figures.on_time_rate_requested = against.on_time_rate
    figures.lateness_requested_p50_hours = against.lateness_p50_hours
    figures.lateness_requested_p90_hours = against.lateness_p90_hours
    figures.penalty = charged((o.order.id for o in outcomes), penalties)
    return figures


def _operation(outcome: DeliveryOutcome) -> list[tuple[int, str]]:
    kind = outcome.picking.picking_type_id
    if kind is not None:
        return [(kind.id, kind.name)]
    return [(-1, outcome.picking.picking_type_code or "outgoing")]


def _warehouse(outcome: DeliveryOutcome, names: dict[str, int]) -> list[tuple[int, str]]:
    kind = outcome.picking.picking_type_id
    if kind is None or ": " not in kind.name:
        return []
    name = kind.name.split(": ", 1)[0]
    return [(names.setdefault(name, len(names) + 1), name)]


def logistics_section(outcomes: Sequence[DeliveryOutcome], penalties: Mapping[int, float]) -> Section:
    """``penalties``: order id → the penalty charged to logistics for it."""
    warehouses: dict[str, int] = {}

    def make(kind: str, ident: int | None, name: str, members: Sequence[DeliveryOutcome]) -> LogisticsFigures:
        return _figures(kind, ident, name, members, penalties)

    return Section(
        department="logistics", total=make("total", None, "Company total", outcomes),
        groups={"warehouse": group_by("warehouse", outcomes, lambda o: _warehouse(o, warehouses), NO_WAREHOUSE, make),
                "operation_type": group_by("operation_type", outcomes, _operation, "(none)", make)},
    )
