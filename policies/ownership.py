"""Whose is a field: the plugin's while the record holds what the plugin wrote and no person has taken it; a
person's for good from the moment a person's value is seen there.

The plugin writes only values its memo records, in the same call (install mode) or as a settled intent (tag
mode), so a field that holds anything else was last written by someone else: a person (or the ERP on a person's
behalf). From then on the memo lists the field as *yielded*, and the field stays the person's even when they
later set the plugin's own value back (A→B→A): ownership follows who wrote last, not whether two values happen to
be equal.

Priorities (生产计划的调整): the plugin raises them for urgent demand, and lowers one only when it raised it itself
and nobody touched the record since — its last writer (``write_uid``, read with every row) is still the daemon.
A record a person worked on keeps its priority, which is the person's from then on.

Limit: a person who changes a value and changes it back between two cycles leaves no trace in the values; only
Odoo's chatter tracking (``mail.tracking.value``) of tracked fields would show it. The daemon reads it only to see
what its own write replaced (``jobs.daemon.overwrites``).
"""

from __future__ import annotations

from typing import Any

from odoo_urgency.connector.records import ManufacturingOrder, Picking, SaleOrder
from odoo_urgency.policies.context import OrderContext
from odoo_urgency.policies.memo import YIELDED, yielded
from odoo_urgency.policies.plan import RecordWrite
from odoo_urgency.policies.wire import holds, wire_datetime

Key = tuple[str, int]


def touched_since(record: ManufacturingOrder | Picking, daemon_uid: int | None) -> bool:
    """Did someone else than the daemon write the record last (after the plugin's own last write)?"""
    return daemon_uid is not None and record.write_uid is not None and record.write_uid.id != daemon_uid


def current_values(ctx: OrderContext) -> dict[Key, tuple[dict[str, Any], dict[str, Any]]]:
    """(model, id) → (the wire values now of the fields the plugin writes there, the record's memo)."""
    order: SaleOrder = ctx.order
    found: dict[Key, tuple[dict[str, Any], dict[str, Any]]] = {}
    order_now: dict[str, Any] = {"tag_ids": list(order.tag_ids)}
    if ctx.install_mode:
        order_now = {"x_urgency": order.x_urgency or False, "x_urgency_reason": order.x_urgency_reason or False,
                     "x_urgency_deadline": wire_datetime(order.x_urgency_deadline)}
    found[("sale.order", order.id)] = (order_now, ctx.memo_for("sale.order", order.id, order.x_urgency_memo))
    for mo in ctx.mos:
        found[("mrp.production", mo.id)] = (
            {"priority": mo.priority or "0", "planned_start": wire_datetime(mo.planned_start),
             "planned_finished": wire_datetime(mo.date_finished)},
            ctx.memo_for("mrp.production", mo.id, mo.x_urgency_memo))
    for picking in ctx.pickings:
        found[("stock.picking", picking.id)] = (
            {"priority": picking.priority or "0", "scheduled_date": wire_datetime(picking.scheduled_date)},
            ctx.memo_for("stock.picking", picking.id, picking.x_urgency_memo))
    return found


def newly_yielded(memo: dict[str, Any], now: dict[str, Any]) -> set[str]:
    """Fields the plugin wrote that hold someone else's value now and are not yet recorded as theirs."""
    mine = yielded(memo)
    return {name for name, value in now.items() if name in memo and name not in mine and not holds(value, memo[name])}


def with_ownership(ctx: OrderContext, writes: list[RecordWrite], refused: dict[Key, set[str]]) -> list[RecordWrite]:
    """``writes`` with memo notes for the fields that became a person's (seen changed, or a priority the plugin
    would have lowered on a record a person touched): merged into the record's write, or a memo-only write."""
    by_key = {(write.model, write.res_id): write for write in writes}
    out = list(writes)
    for key, (now, memo) in current_values(ctx).items():
        fields = newly_yielded(memo, now) | refused.get(key, set())
        if not fields:
            continue
        notes = {YIELDED: sorted(yielded(memo) | fields)}
        if key in by_key:
            write = by_key[key]
            out[out.index(write)] = write.model_copy(update={"memo": {**write.memo, **notes}})
        else:
            out.append(RecordWrite(model=key[0], res_id=key[1], values={}, expected={}, memo=notes,
                                   reason="a person changed " + ", ".join(sorted(fields))))
    return out
