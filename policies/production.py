"""生产计划的调整 and 物流安排: manufacturing orders and deliveries serving an order.

* Priority: MOs get ``production.priority_by_tier[tier]``; deliveries of urgent orders get "1". The plugin only
  *raises* a priority, except to undo its own raise when the order is no longer urgent and nobody touched the
  record since (its ``write_uid`` is still the daemon), and never touches a priority a user changed after the
  plugin set it (``policies.ownership``).
* Reschedule (special / urgent orders with a requested delivery): an MO must finish ``delivery_buffer_hours`` before
  the requested delivery; if its planned start is later than ``target finish − duration``, it moves earlier, to that
  time or to ``now`` (never into the past, never later than it was). The planned finish moves with it so the MO
  keeps its duration (Odoo 16 does not recompute it; without this, every cycle would see a longer MO and move it
  again). A start or finish a user moved after the plugin is left alone.
* Feasibility (生管: 对于无法完成的紧急订单，要立即向业务解释): one verdict, computed once, against the same finish
  target the reschedule aims at (requested delivery − delivery buffer): if even starting now an unstarted MO cannot
  finish by it, the order is infeasible and the salesperson and the planner are told with the numbers.
* An MO with work orders is planned by the capacity planner instead (``policies.planning``, when
  ``[rules.planning] enabled``): its dates and its verdict come from the factory's plan, not from the lead time.
* Deliveries of urgent orders: scheduled no later than ``requested − transit_buffer_hours`` (or now), an alert to
  logistics.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from odoo_urgency.connector.records import ManufacturingOrder, Picking
from odoo_urgency.policies import i18n
from odoo_urgency.policies.alerts import AlertBox, Draft, alert_key
from odoo_urgency.policies.config import Rules
from odoo_urgency.policies.context import OrderContext
from odoo_urgency.policies.deadlines import finish_target
from odoo_urgency.policies.ownership import touched_since
from odoo_urgency.policies.plan import Reason, RecordWrite
from odoo_urgency.policies.states import CLOSED
from odoo_urgency.policies.states import MO_UNSTARTED as UNSTARTED
from odoo_urgency.policies.tiers import Tier
from odoo_urgency.policies.wire import ceil_second, same, user_changed, wire_datetime

MO = "mrp.production"
PICKING = "stock.picking"


@dataclass
class ProductionOutcome:
    writes: list[RecordWrite] = field(default_factory=list)
    feasible: bool | None = None
    #: (model, id) → fields left to a person: a priority the plugin raised, not lowered because a person touched
    #: the record since (``policies.ownership``).
    refused: dict[tuple[str, int], set[str]] = field(default_factory=dict)


@dataclass
class _Write:
    """Values and expected values for one record, built field by field."""

    values: dict[str, Any] = field(default_factory=dict)
    expected: dict[str, Any] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)

    def set(self, name: str, value: Any, current: Any) -> None:
        self.values[name] = value
        self.expected[name] = current

    def record(self, model: str, res_id: int) -> RecordWrite | None:
        if not self.values:
            return None
        return RecordWrite(model=model, res_id=res_id, values=self.values, expected=self.expected,
                           reason="; ".join(self.reasons))


def target_priority(current: str, target: str, memo: dict[str, Any], *, touched: bool = False) -> str | None:
    """The priority to write, or None. Raise freely; lower only a priority the plugin itself raised, and only while
    nobody touched the record since (``touched``: its last writer is not the daemon); never touch a value a person
    changed after the plugin wrote it."""
    current = current or "0"
    if user_changed(memo, "priority", current) or target == current:
        return None
    if target > current:
        return target
    return target if "priority" in memo and same(memo["priority"], current) and not touched else None


def lowering_refused(current: str, target: str, memo: dict[str, Any], touched: bool) -> bool:
    """The plugin would lower a priority it raised, but a person touched the record since: it is theirs now."""
    current = current or "0"
    return (touched and target < current and "priority" in memo and same(memo["priority"], current)
            and not user_changed(memo, "priority", current))


def _duration(mo: ManufacturingOrder, rules: Rules) -> timedelta:
    if mo.planned_start is not None and mo.date_finished is not None and mo.date_finished > mo.planned_start:
        return mo.date_finished - mo.planned_start
    return timedelta(hours=rules.production.default_duration_hours)


def open_mos(ctx: OrderContext) -> list[ManufacturingOrder]:
    return [mo for mo in ctx.mos if mo.state not in CLOSED]


def open_deliveries(ctx: OrderContext) -> list[Picking]:
    return [p for p in ctx.pickings if p.picking_type_code == "outgoing" and p.state not in CLOSED]


def mo_for(ctx: OrderContext, product_id: int | None = None) -> ManufacturingOrder | None:
    """The MO whose responsible plans for ``product_id``: an open MO of that product with a responsible, else any
    open MO with one (the planner role's chain starts with ``mo.responsible``)."""
    mos = open_mos(ctx)
    preferred = [mo for mo in mos if product_id is not None and mo.product_id and mo.product_id.id == product_id]
    for mo in preferred + mos:
        if mo.user_id:
            return mo
    return None


@dataclass
class _Order:
    """What every MO and delivery of one order is judged against."""

    ctx: OrderContext
    tier: Tier
    rules: Rules
    now: datetime
    box: AlertBox
    deadline: datetime | None
    why: str

    @property
    def requested(self) -> datetime | None:
        return self.ctx.order.commitment_date

    @property
    def target(self) -> datetime | None:
        """When its MOs must be finished: the one date the reschedule aims at and the verdict judges by."""
        return finish_target(self.requested, self.rules) if self.requested is not None else None


def capacity_planned(mo: ManufacturingOrder, rules: Rules) -> bool:
    """An MO with work orders is planned by the capacity planner (``policies.planning``), not by the lead time."""
    return rules.planning.enabled and bool(mo.workorder_ids)


def _reschedule(o: _Order, mo: ManufacturingOrder, memo: dict[str, Any], write: _Write, duration: timedelta) -> None:
    """Special / urgent: start no later than ``target − duration`` (never in the past, never later than it was)."""
    target, cal, language = o.target, o.rules.calendar, o.rules.language
    moved = user_changed(memo, "planned_start", wire_datetime(mo.planned_start)) or user_changed(
        memo, "planned_finished", wire_datetime(mo.date_finished))
    if o.tier is Tier.NORMAL or moved or mo.x_urgency_locked or target is None:
        return
    required = target - duration
    if mo.planned_start is not None and mo.planned_start <= required:
        return
    new_start = ceil_second(max(required, o.now))
    if mo.planned_start is None or new_start < mo.planned_start:
        write.set("planned_start", wire_datetime(new_start), wire_datetime(mo.planned_start))
        write.set("planned_finished", wire_datetime(new_start + duration), wire_datetime(mo.date_finished))
        write.reasons.append(i18n.text(language, "write.mo_start", old=i18n.when(mo.planned_start, cal, language),
                                       new=i18n.when(new_start, cal, language),
                                       target=i18n.when(target, cal, language)))


def _infeasible(o: _Order, mo: ManufacturingOrder, duration: timedelta) -> None:
    """Tell the salesperson and the planner that even starting now the MO misses its finish target."""
    assert o.target is not None and o.requested is not None
    language, cal, order = o.rules.language, o.rules.calendar, o.ctx.order
    needed = i18n.hours(duration.total_seconds() / 3600)
    hours_left = (o.target - o.now).total_seconds() / 3600
    late = i18n.hours((o.now + duration - o.target).total_seconds() / 3600)
    if hours_left < 0:
        what = i18n.text(language, "alert.infeasible.what.passed", mo=mo.name, late=late, needed=needed,
                         requested=i18n.when(o.target, cal, language))
    else:
        what = i18n.text(language, "alert.infeasible.what", mo=mo.name, needed=needed, late=late,
                         left=i18n.hours(hours_left), requested=i18n.when(o.target, cal, language))
    situation = alert_key("infeasible", MO, mo.id)
    o.box.route(Draft(
        kind="infeasible", situation=situation, model=MO, res_id=mo.id, tier=o.tier, due=o.requested,
        action="deliver", what=[what], why=o.why,
        headline=i18n.text(language, "alert.infeasible.summary", order=order.name, mo=mo.name),
        todo={role: i18n.text(language, f"alert.infeasible.todo.{role}") for role in ("salesperson", "planner")},
    ), {role: f"{situation}:{role}" for role in ("salesperson", "planner")}, mo=mo)


def _priority(o: _Order, record: ManufacturingOrder | Picking, model: str, wanted: str, memo: dict[str, Any],
              out: ProductionOutcome) -> str | None:
    """The priority to write on an MO or delivery; a lowering a person's touch forbids is noted in ``out``."""
    touched = touched_since(record, o.ctx.daemon_uid)
    if lowering_refused(record.priority, wanted, memo, touched):
        out.refused[(model, record.id)] = {"priority"}
    return target_priority(record.priority, wanted, memo, touched=touched)


def _plan_mo(o: _Order, mo: ManufacturingOrder, out: ProductionOutcome, judged: list[bool]) -> None:
    rules, language, order = o.rules, o.rules.language, o.ctx.order
    memo = o.ctx.memo_for(MO, mo.id, mo.x_urgency_memo)
    write = _Write()
    priority = _priority(o, mo, MO, rules.production.priority_by_tier[o.tier], memo, out)
    if priority is not None:
        write.set("priority", priority, mo.priority or "0")
        key = "write.priority_up" if priority == "1" else "write.priority_down"
        write.reasons.append(i18n.text(language, key, tier=i18n.tier_name(language, o.tier), order=order.name))
    duration = _duration(mo, rules)
    if o.target is not None and mo.state in UNSTARTED and not capacity_planned(mo, rules):
        _reschedule(o, mo, memo, write, duration)
        # One verdict, computed once, against the same finish target the reschedule aims at.
        feasible = o.now + duration <= o.target
        judged.append(feasible)
        if not feasible and o.tier is not Tier.NORMAL:
            _infeasible(o, mo, duration)
    if o.tier is Tier.URGENT and (priority or mo.priority) == "1":
        key = alert_key("mo_priority", MO, mo.id)
        o.box.route(Draft(
            kind="mo_priority", situation=key, model=MO, res_id=mo.id, tier=o.tier, action="finish",
            due=o.target or o.deadline or o.now,
            headline=i18n.text(language, "alert.mo_priority.summary", mo=mo.name, order=order.name),
            what=[i18n.text(language, "alert.mo_priority.what", mo=mo.name, order=order.name,
                            requested=i18n.when(o.requested, rules.calendar, language)), *write.reasons],
            why=o.why, todo={"planner": i18n.text(language, "alert.mo_priority.todo")},
        ), {"planner": key}, mo=mo)
    record = write.record(MO, mo.id)
    if record is not None:
        out.writes.append(record)


def plan_production(
    ctx: OrderContext, tier: Tier, reasons: list[Reason], rules: Rules, now: datetime, box: AlertBox,
    deadline: datetime | None,
) -> ProductionOutcome:
    out = ProductionOutcome()
    why = i18n.text(rules.language, "alert.why", reasons=i18n.joined([r.text for r in reasons], rules.language))
    o = _Order(ctx, tier, rules, now, box, deadline, why)
    judged: list[bool] = []
    for mo in open_mos(ctx):
        _plan_mo(o, mo, out, judged)
    deliveries = open_deliveries(ctx)
    for picking in deliveries:
        _plan_picking(o, picking, out)
    requested = o.requested
    if requested is not None:
        if judged:
            out.feasible = all(judged)
        elif deliveries:
            # Nothing left to make: the goods can still arrive on time unless the requested date has passed.
            out.feasible = now <= requested
    return out


def _plan_picking(o: _Order, picking: Picking, out: ProductionOutcome) -> None:
    ctx, tier, rules, now, box, deadline, why = o.ctx, o.tier, o.rules, o.now, o.box, o.deadline, o.why
    order, language, cal, requested = ctx.order, rules.language, rules.calendar, o.requested
    tier_label = i18n.tier_name(language, tier)
    partner = order.partner_id.name if order.partner_id else i18n.text(language, "unknown")
    transit = timedelta(hours=rules.production.transit_buffer_hours)
    memo = ctx.memo_for(PICKING, picking.id, picking.x_urgency_memo)
    write = _Write()
    wanted = "1" if tier is Tier.URGENT else rules.production.priority_by_tier[tier]
    priority = _priority(o, picking, PICKING, wanted, memo, out)
    if priority is not None:
        write.set("priority", priority, picking.priority or "0")
        key = "write.priority_up" if priority == "1" else "write.priority_down"
        write.reasons.append(i18n.text(language, key, tier=tier_label, order=order.name))
    latest = requested - transit if requested is not None else None
    if tier is Tier.URGENT and latest is not None and requested is not None:
        moved = user_changed(memo, "scheduled_date", wire_datetime(picking.scheduled_date))
        if not moved and (picking.scheduled_date is None or picking.scheduled_date > latest):
            new_date = ceil_second(max(latest, now))
            if picking.scheduled_date is None or new_date < picking.scheduled_date:
                write.set("scheduled_date", wire_datetime(new_date), wire_datetime(picking.scheduled_date))
                write.reasons.append(i18n.text(
                    language, "write.picking_date", old=i18n.when(picking.scheduled_date, cal, language),
                    new=i18n.when(new_date, cal, language), requested=i18n.when(requested, cal, language),
                ))
    if tier is Tier.URGENT:
        key = alert_key("delivery", PICKING, picking.id)
        box.route(Draft(
            kind="delivery", situation=key, model=PICKING, res_id=picking.id, tier=tier, action="ship",
            due=latest or picking.scheduled_date or deadline or now,
            headline=i18n.text(language, "alert.delivery.summary", picking=picking.name, order=order.name),
            what=[i18n.text(language, "alert.delivery.what", picking=picking.name, order=order.name,
                            partner=partner, requested=i18n.when(requested, cal, language)), *write.reasons],
            why=why, todo={"logistics": i18n.text(language, "alert.delivery.todo")},
        ), {"logistics": key}, picking=picking)
    record = write.record(PICKING, picking.id)
    if record is not None:
        out.writes.append(record)


def plan_shortages(
    ctx: OrderContext, tier: Tier, reasons: list[Reason], rules: Rules, now: datetime, box: AlertBox,
    deadline: datetime | None,
) -> None:
    """确认是否有库存: a special or urgent order whose remaining quantity of a stored product exceeds the stock on hand
    raises one alert per product to the planner."""
    if not rules.shortage.enabled or tier is Tier.NORMAL:
        return
    order = ctx.order
    language = rules.language
    needed: dict[int, float] = {}
    for line in ctx.lines:
        if line.product_id is None:
            continue
        remaining = line.product_uom_qty - line.qty_delivered
        if remaining > 0:
            needed[line.product_id.id] = needed.get(line.product_id.id, 0.0) + remaining
    why = i18n.text(language, "alert.why", reasons=i18n.joined([r.text for r in reasons], language))
    due = deadline or now
    for product_id, quantity in needed.items():
        product = ctx.products.get(product_id)
        if product is None or product.type in ("service", "combo") or quantity <= product.qty_available:
            continue
        key = alert_key("shortage", "sale.order", order.id, product_id)
        label = product.name or f"#{product.id}"
        if product.default_code:
            label = f"[{product.default_code}] {label}"
        box.route(Draft(
            kind="shortage", situation=key, model="sale.order", res_id=order.id, tier=tier, due=due, action="act",
            headline=i18n.text(language, "alert.shortage.summary", order=order.name, product=label),
            what=[i18n.text(language, "alert.shortage.what", tier=i18n.tier_name(language, tier), order=order.name,
                            ordered=i18n.quantity(quantity), product=label,
                            available=i18n.quantity(product.qty_available))],
            why=why, todo={"planner": i18n.text(language, "alert.shortage.todo")},
        ), {"planner": key}, mo=mo_for(ctx, product_id))
