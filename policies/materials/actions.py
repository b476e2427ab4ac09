"""What to do about the materials of special and urgent demand: the plan for purchasing, planning and sales.

* Late supply on a purchase order → raise the PO's priority to Urgent (where the ERP has the field and the setting
  allows; a priority a user changed after the plugin wrote it is theirs) and ask purchasing to expedite, with what,
  how many, needed by when for which MO and order, expected when, late by how much. One alert per PO and need (key
  ``expedite:purchase.order:<po>:<move>``): a buyer moving the date re-evaluates the verdict, not the alert. Its
  note flags the late purchase lines in one machine-readable line (:mod:`policies.flagged`): the monthly report
  assesses exactly those.
* No supply → tell purchasing (``no_supply:mrp.production:<mo>:<product>``); optionally (``draft_rfq``) one draft
  RFQ from the first vendor of the product's pricelist (``rfq:mrp.production:<mo>:<product>``), never confirmed.
* Materials make the order late (earliest finish after the MO's finish-by), or nothing supplies it → tell the
  salesperson at once with the numbers (``materials_late:sale.order:<order>:<mo>``).

Every alert goes through its role's fallback chain (:mod:`policies.routing`) and the same box as the order's other
alerts (:class:`~policies.alerts.AlertBox`): purchasing is the PO's buyer (``purchase.buyer``), then the configured
purchasing user, then the Purchase administrators, then the planner's chain (the MO's responsible first); the
salesperson's chain ends with the team leader and the manager. Folded by person, filtered against known keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from odoo_urgency.connector.records import ManufacturingOrder, PurchaseOrder, Ref, SaleOrder, VendorPrice
from odoo_urgency.policies import i18n
from odoo_urgency.policies.alerts import AlertBox, Draft, alert_key
from odoo_urgency.policies.config import Rules
from odoo_urgency.policies.context import OrderContext
from odoo_urgency.policies.flagged import Flag, flagged_note
from odoo_urgency.policies.materials import texts
from odoo_urgency.policies.materials.config import MaterialsConfig
from odoo_urgency.policies.materials.pegging import Coverage
from odoo_urgency.policies.materials.verdicts import MoMaterials, Status, arrival, late_by, status, summarize_mo
from odoo_urgency.policies.plan import Alert, RecordWrite
from odoo_urgency.policies.tiers import Tier
from odoo_urgency.policies.wire import user_changed

PO = "purchase.order"
MO = "mrp.production"


@dataclass(frozen=True)
class MoSlot:
    """An MO's production slot and the people and dates around it (the capacity planner may supply the slot)."""

    mo_id: int
    mo_name: str
    start: datetime | None
    finish: datetime | None
    responsible_id: int | None = None
    order_id: int | None = None
    order_name: str | None = None
    salesperson_id: int | None = None
    #: The MO must finish by then for the requested delivery (None: no requested date).
    finish_by: datetime | None = None


@dataclass
class Purchasing:
    """What the ERP's purchase app says (empty without the app)."""

    orders: dict[int, PurchaseOrder] = field(default_factory=dict)
    #: purchase.order id → what the plugin wrote on it (its memo).
    memos: dict[int, dict[str, Any]] = field(default_factory=dict)
    #: product id → its vendor pricelist, first = preferred.
    vendors: dict[int, list[VendorPrice]] = field(default_factory=dict)
    #: The ERP's purchase.order has ``priority``.
    priority_field: bool = True
    installed: bool = True


@dataclass(frozen=True)
class RfqDraft:
    """A draft RFQ to create once (``key`` goes into the memo), never confirmed by the plugin."""

    key: str
    mo_id: int
    vendor_id: int
    product_id: int
    quantity: float
    price: float
    date_planned: datetime
    origin: str


class _Boxes:
    """The materials alerts of one plan, routed like every alert: one :class:`AlertBox` per sale order (its chains
    start from that order's people), all filtered against the same known keys."""

    def __init__(self, rules: Rules, known: set[str], now: datetime, contexts: dict[int, OrderContext]) -> None:
        self.rules, self.known, self.now, self.contexts = rules, known, now, dict(contexts)
        self._boxes: dict[int, AlertBox] = {}
        #: situation → the record that remembers its keys (an alert on a PO is remembered on its MO)
        self._memo: dict[str, tuple[str, int]] = {}

    def context(self, slot: MoSlot) -> OrderContext:
        found = self.contexts.get(slot.order_id or 0)
        if found is not None:
            return found
        salesperson = Ref(id=slot.salesperson_id) if slot.salesperson_id else None
        order = SaleOrder(id=slot.order_id or 0, name=slot.order_name or "", user_id=salesperson)
        made = self.contexts[slot.order_id or 0] = OrderContext(order=order)  # the slot's people, made once
        return made

    def route(self, slot: MoSlot, draft: Draft, roles: dict[str, str], *, purchase: PurchaseOrder | None = None,
              memo: tuple[str, int] | None = None) -> None:
        ctx = self.context(slot)
        box = self._boxes.get(slot.order_id or 0)
        if box is None:
            box = self._boxes[slot.order_id or 0] = AlertBox(self.rules, self.known, ctx=ctx, now=self.now)
        mo = next((m for m in ctx.mos if m.id == slot.mo_id), None) or _mo_of(slot)
        box.route(draft, roles, mo=mo, purchase=purchase)
        if memo is not None:
            self._memo[draft.situation] = memo

    @property
    def alerts(self) -> list[Alert]:
        out = []
        for box in self._boxes.values():
            for alert in box.alerts:
                where = self._memo.get(alert.situation)
                out.append(alert if where is None else
                           alert.model_copy(update={"memo_model": where[0], "memo_res_id": where[1]}))
        return out


def _mo_of(slot: MoSlot) -> ManufacturingOrder:
    return ManufacturingOrder(id=slot.mo_id, name=slot.mo_name,
                              user_id=Ref(id=slot.responsible_id) if slot.responsible_id else None)


def _why(rules: Rules, tier: Tier, order: str | None) -> str:
    return texts.text(rules.language, "why", tier=i18n.tier_name(rules.language, tier), order=order or "-")


@dataclass
class MaterialsPlan:
    mos: dict[int, MoMaterials] = field(default_factory=dict)
    writes: list[RecordWrite] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)
    rfqs: list[RfqDraft] = field(default_factory=list)
    #: Alert key or ``"purchase.order:<id>"`` of a write → the sale order whose need caused it (the daemon files
    #: them under that order's plan, so a conflict on the order holds them back too).
    order_of: dict[str, int | None] = field(default_factory=dict)


def plan_materials(
    coverages: list[Coverage], slots: dict[int, MoSlot], purchasing: Purchasing, rules: Rules,
    config: MaterialsConfig, now: datetime, known: set[str], contexts: dict[int, OrderContext] | None = None,
) -> MaterialsPlan:
    """The verdict per MO and the writes, alerts and RFQs that follow from it; only what is not known yet.
    ``contexts`` (sale order id → its context) give the routing its people; without one, the slot's people."""
    plan = MaterialsPlan()
    if rules.materials != config:
        rules = rules.model_copy(update={"materials": config})
    box = _Boxes(rules, known, now, contexts or {})
    by_mo: dict[int, list[Coverage]] = {}
    for coverage in coverages:
        by_mo.setdefault(coverage.need.mo_id, []).append(coverage)
    for slot in slots.values():
        mine = by_mo.get(slot.mo_id, [])
        plan.mos[slot.mo_id] = summarize_mo(slot.mo_id, slot.mo_name, mine, now, slot.start, slot.finish)
    raised: set[int] = set()
    for coverage in coverages:
        mo_slot = slots.get(coverage.need.mo_id)
        if mo_slot is None:
            continue
        verdict = status(coverage)
        if verdict is Status.LATE:
            _expedite(coverage, mo_slot, purchasing, rules, config, now, box, plan, raised)
        elif verdict is Status.SHORT:
            _no_supply(coverage, mo_slot, purchasing, rules, config, now, box, plan, known)
    for slot in slots.values():
        _tell_sales(plan.mos[slot.mo_id], slot, rules, now, box)
    plan.alerts = box.alerts
    return plan


def _expedite(
    coverage: Coverage, slot: MoSlot, purchasing: Purchasing, rules: Rules, config: MaterialsConfig,
    now: datetime, box: _Boxes, plan: MaterialsPlan, raised: set[int],
) -> None:
    need, language, cal = coverage.need, rules.language, rules.calendar
    late_lines: dict[int, list[Flag]] = {}  # PO id → its late lines for this need: what the report assesses
    for allocation in coverage.allocations:
        supply = allocation.supply
        if supply.po_id and supply.po_line_id and supply.expected is not None and supply.expected > need.needed_by:
            late_lines.setdefault(supply.po_id, []).append(Flag(supply.po_line_id, need.needed_by, need.mo_id))
    for allocation in coverage.allocations:
        supply = allocation.supply
        order = purchasing.orders.get(supply.po_id or 0)
        if order is None or supply.expected is None or supply.expected <= need.needed_by:
            continue
        if purchasing.priority_field and config.raise_po_priority and order.id not in raised:
            raised.add(order.id)
            current = order.priority or "0"
            if current != "1" and not user_changed(purchasing.memos.get(order.id, {}), "priority", current):
                plan.writes.append(RecordWrite(model=PO, res_id=order.id, values={"priority": "1"},
                                               expected={"priority": current}, reason="late supply for urgent demand"))
                plan.order_of[f"{PO}:{order.id}"] = need.order_id
        key = alert_key("expedite", PO, order.id, need.move_id)
        late = (supply.expected - need.needed_by).total_seconds() / 3600
        fields = dict(po=order.name, product=need.product, quantity=i18n.quantity(allocation.quantity),
                      vendor=order.partner_id.name if order.partner_id else supply.vendor or "?",
                      needed=i18n.when(need.needed_by, cal, language), mo=need.mo_name,
                      order=need.order_name or "-", expected=i18n.when(supply.expected, cal, language),
                      late=i18n.hours(late))  # fmt: skip
        summary = texts.text(language, "expedite.summary", **{**fields, "needed": i18n.short_when(need.needed_by, cal)})
        box.route(slot, Draft(
            kind="expedite", situation=key, model=PO, res_id=order.id, headline=summary, tier=need.tier,
            what=[texts.text(language, "expedite.what", **fields)], why=_why(rules, need.tier, need.order_name),
            todo={"purchasing": texts.text(language, "expedite.todo")}, due=max(now, need.needed_by - _DAY),
            data=flagged_note(late_lines.get(order.id, [])),
        ), {"purchasing": key}, purchase=order, memo=(MO, need.mo_id))
        plan.order_of[key] = need.order_id


_DAY = timedelta(days=1)


def _no_supply(
    coverage: Coverage, slot: MoSlot, purchasing: Purchasing, rules: Rules, config: MaterialsConfig,
    now: datetime, box: _Boxes, plan: MaterialsPlan, known: set[str],
) -> None:
    need, language, cal = coverage.need, rules.language, rules.calendar
    rfq = _rfq(coverage, purchasing, config, rules, known) if purchasing.installed and config.draft_rfq else None
    if rfq is not None:
        plan.rfqs.append(rfq)
    key = alert_key("no_supply", MO, need.mo_id, need.product_id)
    fields = dict(product=need.product, mo=need.mo_name, order=need.order_name or "-",
                  needed=i18n.when(need.needed_by, cal, language), needed_qty=i18n.quantity(need.quantity),
                  covered=i18n.quantity(coverage.covered), short=i18n.quantity(coverage.short))  # fmt: skip
    summary = texts.text(language, "no_supply.summary", **{**fields, "needed": i18n.short_when(need.needed_by, cal)})
    todo = [texts.text(language, "no_supply.todo")]
    if rfq is not None:
        vendor = next(v for v in purchasing.vendors[need.product_id] if v.partner_id and v.partner_id.id == rfq.vendor_id)
        todo.append(texts.text(language, "no_supply.rfq", vendor=vendor.partner_id.name if vendor.partner_id else "?"))
    box.route(slot, Draft(
        kind="no_supply", situation=key, model=MO, res_id=need.mo_id, headline=summary, tier=need.tier,
        what=[texts.text(language, "no_supply.what", **fields)], why=_why(rules, need.tier, need.order_name),
        todo={"purchasing": " ".join(todo)}, due=max(now, need.needed_by - _DAY),
    ), {"purchasing": key})


def _rfq(coverage: Coverage, purchasing: Purchasing, config: MaterialsConfig, rules: Rules, known: set[str]) -> RfqDraft | None:
    """One draft RFQ from the first vendor of the pricelist, for the short quantity (at least the vendor's minimum)."""
    need = coverage.need
    key = alert_key("rfq", MO, need.mo_id, need.product_id)
    vendors = [v for v in purchasing.vendors.get(need.product_id, []) if v.partner_id is not None]
    if key in known or not vendors:
        return None
    first = vendors[0]
    assert first.partner_id is not None
    return RfqDraft(key=key, mo_id=need.mo_id, vendor_id=first.partner_id.id, product_id=need.product_id,
                    quantity=max(coverage.short, first.min_qty), price=first.price, date_planned=need.needed_by,
                    origin=texts.text(rules.language, "rfq.origin", mo=need.mo_name))  # fmt: skip


def _tell_sales(mo: MoMaterials, slot: MoSlot, rules: Rules, now: datetime, box: _Boxes) -> None:
    """The salesperson hears at once when materials make the order late, with the numbers."""
    if slot.finish_by is None or slot.order_id is None:
        return
    language, cal = rules.language, rules.calendar
    short = [c for c in mo.coverages if c.short > 0]
    # Materials are the cause only when they arrive after the slot would start: a slot that is late by itself is
    # the production rules' verdict (infeasible), not a materials one.
    held_back = mo.ready_at is not None and slot.start is not None and mo.ready_at > max(slot.start, now)
    if not short and (not held_back or mo.earliest_finish is None or mo.earliest_finish <= slot.finish_by):
        return
    key = alert_key("materials_late", "sale.order", slot.order_id, slot.mo_id)
    finish_by = i18n.when(slot.finish_by, cal, language)
    if short:
        what = texts.text(language, "short.what", mo=slot.mo_name, finish_by=finish_by, product=short[0].need.product,
                          short=i18n.quantity(short[0].short))  # fmt: skip
    else:
        assert mo.earliest_finish is not None
        late = (mo.earliest_finish - slot.finish_by).total_seconds() / 3600
        what = texts.text(language, "late.what", mo=slot.mo_name, finish_by=finish_by,
                          ready=i18n.when(mo.ready_at, cal, language),
                          finish=i18n.when(mo.earliest_finish, cal, language), late=i18n.hours(late))  # fmt: skip
    summary = texts.text(language, "late.summary", order=slot.order_name or "-", mo=slot.mo_name)
    tier = next((c.need.tier for c in mo.coverages), None)
    box.route(slot, Draft(
        kind="materials_late", situation=key, model="sale.order", res_id=slot.order_id, headline=summary,
        tier=tier, what=[what], why=_why(rules, tier, slot.order_name) if tier else "",
        todo={"salesperson": texts.text(language, "late.todo")}, due=now,
    ), {"salesperson": key})


__all__ = ["MaterialsPlan", "MoSlot", "Purchasing", "RfqDraft", "arrival", "late_by", "plan_materials"]
