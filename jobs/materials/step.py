"""The materials step of a cycle: read in batches, plan with the pure rules, file the actions under the plans.

The need date of a component is the MO's start *as it will be*: the capacity planner's start where its last plan
placed the MO (work orders on work centers), else the earlier start the rules just planned for it, else the planned
start read. The capacity pass runs after the cycle's batches, so in the daemon's cycle (``defer``) the materials of an order whose
MO the planner will place and has not placed yet are held back and decided after the pass, on its slot (``only``:
the rules' part of the order went out with its batch); an order whose materials were judged against a start the new
plan moved is looked at again then (:meth:`MaterialsStep.replanned`). The MO's
finish-by is the requested delivery minus the delivery buffer (the same rule as production feasibility). Writes and
alerts join the plan of the order whose need caused them, so the writer's conflict check, alert dedupe and memo
handle them like every other; a draft RFQ is created just before the batch is applied and its key is remembered on
the MO's memo.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import structlog

from odoo_urgency.connector import OdooClient, Schema
from odoo_urgency.connector.records import ComponentMove, ComponentProduct, ManufacturingOrder, format_datetime, parse_datetime
from odoo_urgency.jobs.materials.reader import MaterialsData, MaterialsReader
from odoo_urgency.policies import OrderContext, OrderPlan, Rules
from odoo_urgency.policies.materials import (
    Coverage,
    MaterialsPlan,
    MoSlot,
    Need,
    Purchasing,
    RfqDraft,
    Supply,
    component_needs,
    peg,
    plan_materials,
)
from odoo_urgency.policies.production import capacity_planned

if TYPE_CHECKING:  # the daemon imports this step: at run time the step needs nothing of it
    from odoo_urgency.jobs.daemon.memo import MemoStore
    from odoo_urgency.jobs.daemon.reader import Reader

log = structlog.get_logger("daemon")
MO = "mrp.production"
CLOSED = ("done", "cancel")


@dataclass
class OrderMaterials:
    """What ``explain`` shows for one order: the slots of its MOs and the materials verdict of each."""

    slots: list[MoSlot] = field(default_factory=list)
    plan: MaterialsPlan | None = None


@dataclass
class MaterialsStep:
    client: OdooClient
    schema: Schema
    rules: Rules
    #: Draft RFQs planned by the last :meth:`decide`, created by :meth:`create_rfqs`.
    pending_rfqs: list[RfqDraft] = field(default_factory=list)
    #: order id → its materials, as decided this cycle (``explain``; the synchronizer clears it per cycle).
    last: dict[int, OrderMaterials] = field(default_factory=dict)
    #: MO id → (start, finish) of the capacity planner's last plan (set by the synchronizer after each pass).
    planned: dict[int, tuple[datetime, datetime]] = field(default_factory=dict)
    #: MO id → (sale order id, the start its materials were judged against), over the current cycle.
    judged: dict[int, tuple[int, datetime | None]] = field(default_factory=dict)
    #: Hold back the orders whose MOs the capacity pass will place and has not placed yet (the daemon's batches,
    #: which the capacity pass follows); they are decided after it, on its slots.
    defer: bool = False
    #: Sale order ids whose materials were held back this cycle (see ``defer``).
    waiting: set[int] = field(default_factory=set)
    #: The plans :meth:`decide` returns carry the materials actions only (the second look after the capacity pass).
    only: bool = False

    def decide(self, reader: Reader, contexts: list[OrderContext], plans: list[OrderPlan], now: datetime,
               memo: dict[str, dict[str, Any]]) -> list[OrderPlan]:
        """The plans with the materials actions filed in (unchanged when no order of the batch qualifies)."""
        self.pending_rfqs = []
        config = self.rules.materials
        by_order = {plan.decision.order_id: plan for plan in plans}
        chosen = [ctx for ctx in contexts if ctx.order.id in by_order and config.enabled
                  and by_order[ctx.order.id].decision.skipped is None
                  and by_order[ctx.order.id].decision.tier in config.on_tiers
                  and any(mo.state not in CLOSED for mo in ctx.mos)]  # fmt: skip
        awaiting = {ctx.order.id for ctx in chosen if any(self._awaits_plan(mo) for mo in ctx.mos)}
        self.waiting |= awaiting
        chosen = [ctx for ctx in chosen if ctx.order.id not in awaiting]
        if self.only:
            plans = [plan.model_copy(update={"writes": [], "alerts": []}) for plan in plans]
        if not chosen:
            return plans
        materials = MaterialsReader(reader, self.schema)
        mos = {mo.id: (ctx, mo) for ctx in chosen for mo in ctx.mos if mo.state not in CLOSED}
        data = materials.read(sorted(mos))
        slots = {mo_id: self._slot(ctx, mo, by_order[ctx.order.id]) for mo_id, (ctx, mo) in mos.items()}
        needs = self._needs(data, mos, slots, by_order, now)
        coverages = peg(needs, _supplies(data, needs, now))
        purchasing = self._purchasing(data, memo, materials, coverages)
        known = set().union(*(ctx.known_alerts() for ctx in chosen))
        by_id = {ctx.order.id: ctx for ctx in chosen}
        plan = plan_materials(coverages, slots, purchasing, self.rules, config, now, known, by_id)
        self.judged.update({mo_id: (ctx.order.id, slots[mo_id].start) for mo_id, (ctx, _mo) in mos.items()})
        self.pending_rfqs = plan.rfqs
        for ctx in chosen:
            mine = [slots[mo.id] for mo in ctx.mos if mo.id in slots]
            self.last[ctx.order.id] = OrderMaterials(slots=mine, plan=plan)
        return _file(plans, plan, {mo_id: ctx.order.id for mo_id, (ctx, _mo) in mos.items()})

    def _awaits_plan(self, mo: ManufacturingOrder) -> bool:
        return self.defer and mo.state not in CLOSED and capacity_planned(mo, self.rules) and mo.id not in self.planned

    def _slot(self, ctx: OrderContext, mo: ManufacturingOrder, plan: OrderPlan) -> MoSlot:
        start, finish = mo.planned_start, mo.date_finished
        for write in plan.writes:
            if write.model == MO and write.res_id == mo.id:
                start = parse_datetime(write.values.get("planned_start")) or start
                finish = parse_datetime(write.values.get("planned_finished")) or finish
        if mo.id in self.planned:  # the capacity planner's slot: on its work centers' real capacity
            start, finish = self.planned[mo.id]
        requested = ctx.order.commitment_date
        buffer = timedelta(hours=self.rules.production.delivery_buffer_hours)
        responsible = mo.user_id.id if mo.user_id else self.rules.production.planner_user_id
        return MoSlot(mo_id=mo.id, mo_name=mo.name, start=start, finish=finish, responsible_id=responsible,
                      order_id=ctx.order.id, order_name=ctx.order.name,
                      salesperson_id=ctx.order.user_id.id if ctx.order.user_id else None,
                      finish_by=requested - buffer if requested else None)  # fmt: skip

    def _needs(self, data: MaterialsData, mos: dict[int, tuple[OrderContext, ManufacturingOrder]],
               slots: dict[int, MoSlot], plans: dict[int, OrderPlan], now: datetime) -> list[Need]:
        moves: dict[int, list[ComponentMove]] = defaultdict(list)
        for move in data.moves:
            if move.raw_material_production_id:
                moves[move.raw_material_production_id.id].append(move)
        needs: list[Need] = []
        for mo_id, (ctx, mo) in mos.items():
            tier = plans[ctx.order.id].decision.tier
            found = component_needs(mo, moves.get(mo_id, []), tier, now, order_id=ctx.order.id,
                                    order_name=ctx.order.name, start=slots[mo_id].start)  # fmt: skip
            needs.extend(_named(n, data.products) for n in found)
        return needs

    def _purchasing(self, data: MaterialsData, memo: dict[str, dict[str, Any]], materials: MaterialsReader,
                    coverages: list[Coverage]) -> Purchasing:
        installed = materials.purchase
        memos = {po.id: {**po.x_urgency_memo, **memo.get(f"purchase.order:{po.id}", {})} for po in data.orders.values()}
        short = sorted({c.need.product_id for c in coverages if c.short > 0})
        vendors = materials.vendors(data.products, short) if installed and short and self.rules.materials.draft_rfq \
            else {}
        return Purchasing(orders=data.orders, memos=memos, vendors=vendors,
                          priority_field=self.schema.can_raise_po_priority(), installed=installed)

    def replanned(self, planned: dict[int, tuple[datetime, datetime]], min_move: timedelta) -> set[int]:
        """Take the capacity planner's slots; the sale orders whose MOs' materials were judged this cycle against a
        start the plan moved (by ``min_move`` or more), to decide again next cycle."""
        self.planned = dict(planned)
        again = {order_id for mo_id, (order_id, start) in self.judged.items() if mo_id in planned
                 and (start is None or abs(planned[mo_id][0] - start) >= min_move)}  # fmt: skip
        self.judged = {}
        return again

    def create_rfqs(self, memo: MemoStore) -> int:
        """Create the planned draft RFQs (never confirmed), each once: its key goes into the MO's memo."""
        created = 0
        for rfq in self.pending_rfqs:
            line = {"product_id": rfq.product_id, "product_qty": rfq.quantity, "price_unit": rfq.price,
                    "date_planned": format_datetime(rfq.date_planned)}
            values: dict[str, Any] = {"partner_id": rfq.vendor_id, "origin": rfq.origin, "order_line": [(0, 0, line)]}
            if self.rules.materials.purchasing_user_id:
                values["user_id"] = self.rules.materials.purchasing_user_id
            po_id = self.client.create_one("purchase.order", values)
            memo.add_alert(MO, rfq.mo_id, rfq.key)
            log.info("rfq_drafted", key=rfq.key, purchase_order=po_id, vendor=rfq.vendor_id, quantity=rfq.quantity)
            created += 1
        self.pending_rfqs = []
        return created


def _named(need: Need, products: dict[int, ComponentProduct]) -> Need:
    product = products.get(need.product_id)
    if product is None or not product.display_name:
        return need
    return Need(**{**need.__dict__, "product": product.display_name})


def _supplies(data: MaterialsData, needs: list[Need], now: datetime) -> list[Supply]:
    """Free stock (on hand minus every reservation), open purchase lines, and receipts not from a purchase."""
    reserved: dict[int, float] = defaultdict(float)
    for move in data.moves:
        if move.product_id:
            reserved[move.product_id.id] += move.reserved
    out: list[Supply] = []
    for product in data.products.values():
        free = product.free_qty if product.free_qty is not None else product.qty_available - reserved[product.id]
        out.append(Supply(key=f"stock:{product.id}", kind="stock", product_id=product.id, quantity=max(free, 0.0)))
    for line in data.lines:
        assert line.product_id is not None and line.order_id is not None
        order = data.orders.get(line.order_id.id)
        out.append(Supply(key=f"po_line:{line.id}", kind="purchase", product_id=line.product_id.id,
                          quantity=line.open_quantity, expected=line.date_planned or now,
                          confirmed=line.state in ("purchase", "done"), po_id=line.order_id.id,
                          po_name=order.name if order else line.order_id.name, po_line_id=line.id,
                          vendor=line.partner_id.name if line.partner_id else None))  # fmt: skip
    for receipt in data.receipts:
        if receipt.product_id:
            out.append(Supply(key=f"receipt:{receipt.id}", kind="receipt", product_id=receipt.product_id.id,
                              quantity=receipt.product_uom_qty, expected=receipt.date or now))  # fmt: skip
    return out


def _file(plans: list[OrderPlan], plan: MaterialsPlan, order_of_mo: dict[int, int]) -> list[OrderPlan]:
    """Each write and alert under the plan of the order whose need caused it."""
    writes: dict[int, list[Any]] = defaultdict(list)
    alerts: dict[int, list[Any]] = defaultdict(list)
    for write in plan.writes:
        owner = plan.order_of.get(f"{write.model}:{write.res_id}")
        if owner is not None:
            writes[owner].append(write)
    for alert in plan.alerts:
        order_id: int | None
        if alert.model == "sale.order":
            order_id = alert.res_id
        elif alert.model == MO:
            order_id = order_of_mo.get(alert.res_id)
        else:
            order_id = plan.order_of.get(alert.situation or alert.key)
        if order_id is not None:
            alerts[order_id].append(alert)
    return [p.model_copy(update={"writes": [*p.writes, *writes[p.decision.order_id]],
                                 "alerts": [*p.alerts, *alerts[p.decision.order_id]]})
            if p.decision.order_id in writes or p.decision.order_id in alerts else p for p in plans]  # fmt: skip
