"""Component needs: what an MO serving special or urgent demand still has to consume, and by when.

A need is one open raw-material move (``stock.move`` with ``raw_material_production_id``): its product, the
quantity still to consume, what is already reserved for it, and the date it is needed — the MO's start. The start
is the MO's planned start as read, unless the caller passes one (the capacity planner's start, once it exists):
the policies never decide which start is right, they use the one they are given.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from odoo_urgency.connector.records import ComponentMove, ManufacturingOrder
from odoo_urgency.policies.tiers import Tier

#: moves that no longer need anything
CLOSED_MOVES = ("done", "cancel")


@dataclass(frozen=True)
class Need:
    move_id: int
    product_id: int
    product: str
    #: Quantity still to consume (the move's demand).
    quantity: float
    #: Already reserved for this move (``quantity`` in Odoo 17+, ``reserved_availability`` in 16).
    reserved: float
    needed_by: datetime
    tier: Tier
    mo_id: int
    mo_name: str
    order_id: int | None = None
    order_name: str | None = None

    def rank(self) -> tuple[int, datetime, int]:
        """Who is served first: the higher tier, then the earlier need, then the older move."""
        return (-self.tier.rank, self.needed_by, self.move_id)


def component_needs(
    mo: ManufacturingOrder, moves: list[ComponentMove], tier: Tier, now: datetime, *,
    order_id: int | None = None, order_name: str | None = None, start: datetime | None = None,
) -> list[Need]:
    """The open component needs of one MO; ``start`` overrides the MO's planned start (the planner's slot)."""
    needed_by = start or mo.planned_start or now
    needs: list[Need] = []
    for move in moves:
        if move.state in CLOSED_MOVES or move.product_id is None or move.product_uom_qty <= 0:
            continue
        if move.raw_material_production_id is None or move.raw_material_production_id.id != mo.id:
            continue
        needs.append(Need(
            move_id=move.id, product_id=move.product_id.id, product=move.product_id.name or str(move.product_id.id),
            quantity=move.product_uom_qty, reserved=min(max(move.reserved, 0.0), move.product_uom_qty),
            needed_by=needed_by, tier=tier, mo_id=mo.id, mo_name=mo.name, order_id=order_id, order_name=order_name,
        ))  # fmt: skip
    return needs
