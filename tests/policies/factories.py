"""Small builders for the records the policies read, with sensible defaults and keyword overrides.

Values are given as Python values (aware datetimes, ``Ref``) or as Odoo wire values: the records validate both.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from odoo_urgency.connector.records import (
    ManufacturingOrder,
    Partner,
    Picking,
    Product,
    Ref,
    SaleOrder,
    SaleOrderLine,
    Team,
    parse_datetime,
)
from odoo_urgency.policies import OrderContext, OrderPlan, Rules, Tier
from odoo_urgency.policies.memo import with_alert, with_write
from odoo_urgency.policies.wire import apply_commands

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)  # a Thursday
SALESPERSON = 6
LEADER = 2
PLANNER = 20
LOGISTICS = 30
DIRECTOR = 40


def at(hours: float = 0.0, base: datetime = NOW) -> datetime:
    return base + timedelta(hours=hours)


def order(**over: Any) -> SaleOrder:
    data: dict[str, Any] = {
        "id": 12, "name": "S00012", "state": "draft", "create_date": NOW, "date_order": NOW,
        "commitment_date": None, "partner_id": Ref(id=10, name="Deco Addict"),
        "user_id": Ref(id=SALESPERSON, name="Marc Demo"), "team_id": Ref(id=1, name="Sales"),
        "company_id": Ref(id=1, name="My Company"), "amount_total": 1000.0, "client_order_ref": None, "note": None,
        "tag_ids": [],
    }
    data.update(over)
    return SaleOrder.model_validate(data)


def line(product_id: int = 7, qty: float = 5.0, **over: Any) -> SaleOrderLine:
    data: dict[str, Any] = {"id": 100 + product_id, "order_id": [12, "S00012"], "product_id": [product_id, "Desk"],
                            "product_uom_qty": qty, "qty_delivered": 0.0, "price_subtotal": 100.0}
    data.update(over)
    return SaleOrderLine.model_validate(data)


def product(product_id: int = 7, on_hand: float = 0.0, type_: str = "product", **over: Any) -> Product:
    data: dict[str, Any] = {"id": product_id, "name": "Desk", "default_code": "DESK", "qty_available": on_hand,
                            "type": type_}
    data.update(over)
    return Product.model_validate(data)


def partner(partner_id: int = 10, categories: list[int] | None = None, parent: int | None = None) -> Partner:
    return Partner.model_validate({"id": partner_id, "name": f"Partner {partner_id}", "category_id": categories or [],
                                   "parent_id": [parent, f"Partner {parent}"] if parent else False})


def team(leader: int | None = LEADER) -> Team:
    return Team.model_validate({"id": 1, "name": "Sales", "user_id": [leader, "Leader"] if leader else False})


def mo(
    mo_id: int = 5, start: datetime | None = None, finish: datetime | None = None, **over: Any,
) -> ManufacturingOrder:
    start = start if start is not None else at(72)
    data: dict[str, Any] = {"id": mo_id, "name": f"WH/MO/{mo_id:05d}", "state": "confirmed", "priority": "0",
                            "origin": "S00012", "product_id": [7, "Desk"], "product_qty": 5.0,
                            "user_id": [PLANNER, "Planner"], "planned_start": start,
                            "date_finished": finish if finish is not None else start + timedelta(hours=8)}
    data.update(over)
    return ManufacturingOrder.model_validate(data)


def picking(picking_id: int = 9, scheduled: datetime | None = None, **over: Any) -> Picking:
    data: dict[str, Any] = {"id": picking_id, "name": f"WH/OUT/{picking_id:05d}", "state": "confirmed",
                            "priority": "0", "origin": "S00012", "sale_id": [12, "S00012"],
                            "scheduled_date": scheduled if scheduled is not None else at(120),
                            "picking_type_code": "outgoing", "user_id": False}
    data.update(over)
    return Picking.model_validate(data)


def context(**over: Any) -> OrderContext:
    data: dict[str, Any] = {"order": order(), "partner": partner(), "team": team()}
    data.update(over)
    return OrderContext(**data)


def rules(**over: Any) -> Rules:
    """Default rules with people configured, so that every alert has a recipient."""
    data: dict[str, Any] = {
        "escalation": {"director_user_id": DIRECTOR},
        "production": {"planner_user_id": PLANNER, "logistics_user_id": LOGISTICS},
    }
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    return Rules.model_validate(data)


TIER_TAGS = {Tier.NORMAL: 901, Tier.SPECIAL: 902, Tier.URGENT: 903}


def apply(ctx: OrderContext, plan: OrderPlan) -> OrderContext:
    """What the daemon does after a plan: write the values on the records (as Odoo would store them), store the
    values in the memo, remember the alert keys — through the same functions the daemon's writer and memo use."""
    memo = {key: dict(value) for key, value in ctx.memo.items()}
    records: dict[tuple[str, int], Any] = {("sale.order", ctx.order.id): ctx.order}
    records.update({("mrp.production", m.id): m for m in ctx.mos})
    records.update({("stock.picking", p.id): p for p in ctx.pickings})
    updated: dict[tuple[str, int], Any] = {}
    for write in plan.writes:
        key = (write.model, write.res_id)
        record = updated.get(key, records[key])
        changes: dict[str, Any] = {}
        for name, value in write.values.items():
            if name == "tag_ids":
                changes["tag_ids"] = apply_commands(record.tag_ids, value)
            elif name == "planned_finished":
                changes["date_finished"] = parse_datetime(value)
            elif name in ("planned_start", "scheduled_date", "x_urgency_deadline"):
                changes[name] = parse_datetime(value)
            else:
                changes[name] = value
        updated[key] = record.model_copy(update=changes)
        key_text = f"{write.model}:{write.res_id}"
        memo[key_text] = with_write(memo.get(key_text, {}), write.remembered)
    for alert in plan.alerts:
        key_text = f"{alert.model}:{alert.res_id}"
        for alert_key in alert.all_keys():
            memo[key_text] = with_alert(memo.get(key_text, {}), alert_key)
    return ctx.model_copy(update={
        "order": updated.get(("sale.order", ctx.order.id), ctx.order),
        "mos": [updated.get(("mrp.production", m.id), m) for m in ctx.mos],
        "pickings": [updated.get(("stock.picking", p.id), p) for p in ctx.pickings],
        "memo": memo,
        "sent_alerts": ctx.sent_alerts | {key for alert in plan.alerts for key in alert.all_keys()},
    })

