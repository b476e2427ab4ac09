"""The materials plan: verdicts, earliest finish, and the actions for purchasing, planning and sales."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from odoo_urgency.connector.records import ComponentMove, ManufacturingOrder, PurchaseOrder, Ref, VendorPrice
from odoo_urgency.policies import Rules
from odoo_urgency.policies.materials import (
    MaterialsConfig,
    MoSlot,
    Need,
    Purchasing,
    Status,
    Supply,
    component_needs,
    earliest_finish,
    peg,
    plan_materials,
)
from odoo_urgency.policies.tiers import Tier

NOW = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)
START = NOW + timedelta(days=1)
CHIP = Need(move_id=11, product_id=1, product="[MCU-32] Chip", quantity=16, reserved=0, needed_by=START,
            tier=Tier.URGENT, mo_id=5, mo_name="WH/MO/00001", order_id=1, order_name="S00001")  # fmt: skip
LATE_PO = Supply(key="po_line:1", kind="purchase", product_id=1, quantity=20, expected=NOW + timedelta(days=5),
                 po_id=7, po_name="P00001", po_line_id=1)  # fmt: skip
SLOT = MoSlot(mo_id=5, mo_name="WH/MO/00001", start=START, finish=START + timedelta(hours=8), responsible_id=8,
              order_id=1, order_name="S00001", salesperson_id=6, finish_by=NOW + timedelta(days=2))  # fmt: skip


def _purchasing(priority: str = "0", memo: dict[str, str] | None = None) -> Purchasing:
    po = PurchaseOrder(id=7, name="P00001", state="purchase", partner_id=Ref(id=30, name="Chip Supply"),
                       user_id=Ref(id=11, name="Buyer"), priority=priority)  # fmt: skip
    vendor = VendorPrice(id=1, partner_id=Ref(id=31, name="Cable Co."), min_qty=10, price=1.5, delay=2)
    return Purchasing(orders={7: po}, memos={7: memo or {}}, vendors={2: [vendor]})


def test_needs_from_moves_use_the_start_given() -> None:
    mo = ManufacturingOrder(id=5, name="WH/MO/00001", planned_start=START)
    moves = [ComponentMove(id=11, product_id=Ref(id=1, name="Chip"), product_uom_qty=16, reserved=20, state="confirmed",
                           raw_material_production_id=Ref(id=5)),
             ComponentMove(id=12, product_id=Ref(id=2), product_uom_qty=4, state="done",
                           raw_material_production_id=Ref(id=5))]  # fmt: skip
    [need] = component_needs(mo, moves, Tier.URGENT, NOW)
    assert (need.needed_by, need.reserved, need.quantity) == (START, 16, 16)
    planner_start = NOW + timedelta(hours=3)
    assert component_needs(mo, moves, Tier.URGENT, NOW, start=planner_start)[0].needed_by == planner_start


def test_late_po_raises_priority_and_asks_the_buyer_with_the_numbers() -> None:
    coverages = peg([CHIP], [LATE_PO])
    plan = plan_materials(coverages, {5: SLOT}, _purchasing(), Rules(), MaterialsConfig(), NOW, set())
    assert plan.mos[5].status is Status.LATE
    assert plan.mos[5].ready_at == NOW + timedelta(days=5)
    assert plan.mos[5].earliest_finish == NOW + timedelta(days=5, hours=8)
    [write] = plan.writes
    assert (write.model, write.res_id) == ("purchase.order", 7)
    assert (write.values, write.expected) == ({"priority": "1"}, {"priority": "0"})
    alerts = {a.kind: a for a in plan.alerts}
    expedite = alerts["expedite"]
    assert (expedite.model, expedite.res_id, expedite.user_id) == ("purchase.order", 7, 11)
    assert expedite.key == "expedite:purchase.order:7:11"
    for part in ("16", "[MCU-32] Chip", "P00001", "WH/MO/00001", "S00001", "2026-12-04 08:00", "2026-12-08 08:00", "96 h late"):
        assert part in expedite.note, part
    late = alerts["materials_late"]
    assert (late.model, late.res_id, late.user_id) == ("sale.order", 1, 6) and "2026-12-08 16:00" in late.note


def test_nothing_is_planned_twice_and_a_users_priority_is_theirs() -> None:
    coverages = peg([CHIP], [LATE_PO])
    first = plan_materials(coverages, {5: SLOT}, _purchasing(), Rules(), MaterialsConfig(), NOW, set())
    known = {a.key for a in first.alerts}
    again = plan_materials(coverages, {5: SLOT}, _purchasing("0", {"priority": "1"}), Rules(), MaterialsConfig(), NOW, known)
    assert again.alerts == [] and again.writes == []  # the plugin wrote "1", a user set "0": theirs
    off = plan_materials(coverages, {5: SLOT}, _purchasing(), Rules(), MaterialsConfig(raise_po_priority=False), NOW, set())
    assert off.writes == []


def test_a_buyer_moving_the_date_in_time_clears_the_verdict() -> None:
    in_time = Supply(**{**LATE_PO.__dict__, "expected": START - timedelta(hours=2)})
    plan = plan_materials(peg([CHIP], [in_time]), {5: SLOT}, _purchasing(), Rules(), MaterialsConfig(), NOW, set())
    assert plan.mos[5].status is Status.ON_TIME and plan.writes == [] and plan.alerts == []
    assert plan.mos[5].earliest_finish == SLOT.finish


def test_no_supply_tells_purchasing_and_drafts_an_rfq_only_when_enabled() -> None:
    cable = Need(**{**CHIP.__dict__, "move_id": 12, "product_id": 2, "product": "Cable", "quantity": 8, "reserved": 2})
    config = MaterialsConfig(purchasing_user_id=12)
    plan = plan_materials(peg([cable], []), {5: SLOT}, _purchasing(), Rules(), config, NOW, set())
    assert plan.rfqs == []
    kinds = {a.kind: a for a in plan.alerts}
    assert kinds["no_supply"].user_id == 12 and kinds["no_supply"].key == "no_supply:mrp.production:5:2"
    assert "6 have no supply" in kinds["no_supply"].note
    assert "materials_late" in kinds
    drafting = MaterialsConfig(purchasing_user_id=12, draft_rfq=True)
    [rfq] = plan_materials(peg([cable], []), {5: SLOT}, _purchasing(), Rules(), drafting, NOW, set()).rfqs
    assert (rfq.vendor_id, rfq.quantity, rfq.price, rfq.date_planned) == (31, 10.0, 1.5, START)
    assert plan_materials(peg([cable], []), {5: SLOT}, _purchasing(), Rules(), drafting, NOW, {rfq.key}).rfqs == []
    no_app = Purchasing(installed=False)
    assert plan_materials(peg([cable], []), {5: SLOT}, no_app, Rules(), drafting, NOW, set()).rfqs == []


def test_earliest_finish_is_the_later_of_materials_and_slot() -> None:
    slot_start, slot_finish = NOW + timedelta(hours=4), NOW + timedelta(hours=12)
    assert earliest_finish(NOW, slot_start, slot_finish, NOW) == slot_finish
    assert earliest_finish(NOW + timedelta(hours=10), slot_start, slot_finish, NOW) == NOW + timedelta(hours=18)
    assert earliest_finish(NOW - timedelta(days=1), NOW - timedelta(hours=4), NOW, NOW) == NOW + timedelta(hours=4)


def test_purchasing_alerts_walk_the_routing_chain() -> None:
    """The PO's buyer first; an archived buyer is skipped for the configured purchasing user, then the Purchase
    administrators, then the planner's chain (the MO's responsible): like every alert, never an archived user."""
    from odoo_urgency.connector.records import SaleOrder
    from odoo_urgency.policies.context import OrderContext
    from odoo_urgency.policies.routing import Directory, Person

    def routed(directory: Directory, rules: Rules) -> int:
        ctx = OrderContext(order=SaleOrder(id=1, name="S00001", user_id=Ref(id=6)), directory=directory,
                           mos=[ManufacturingOrder(id=5, name="WH/MO/00001", user_id=Ref(id=8))])  # fmt: skip
        plan = plan_materials(peg([CHIP], [LATE_PO]), {5: SLOT}, _purchasing(), rules, rules.materials, NOW, set(),
                              {1: ctx})  # fmt: skip
        [expedite] = [a for a in plan.alerts if a.kind == "expedite"]
        assert (expedite.memo_model, expedite.memo_res_id) == ("mrp.production", 5)
        return expedite.user_id

    people = {uid: Person(id=uid, active=uid != 11) for uid in (6, 8, 11, 12, 13)}
    assert routed(Directory(people={**people, 11: Person(id=11)}), Rules()) == 11       # the buyer
    configured = Rules.model_validate({"materials": {"purchasing_user_id": 12}})
    assert routed(Directory(people=people), configured) == 12                            # buyer archived
    admins = Directory(people=people, groups={"purchase.group_purchase_manager": [13]})
    assert routed(admins, Rules()) == 13                                                 # the Purchase administrators
    assert routed(Directory(people=people), Rules()) == 8                                # the planner's chain
