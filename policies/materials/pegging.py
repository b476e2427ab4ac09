"""Supply pegged to needs (纠正 "stock shortfall" into "which supply covers which MO, and when").

Per product, needs are served in order of :meth:`Need.rank` — urgent before special before normal, then the earlier
need date, then the older move — and each takes, in this order: its own reservation (Odoo reserved that stock
for this very move), free stock (on hand minus every reservation), confirmed incoming supply by expected date
(open purchase lines, ordered minus received; receipts not from a purchase), and last unconfirmed RFQ lines.
Greedy in that order is what "urgent first" means: a higher-tier need takes the earliest supply, and a lower-tier
need gets supply only when every higher-tier need of the product is covered.

Invariants (property-tested): a unit of supply goes to at most one need; per need, reserved + allocated + short
= demand; per supply, allocated + left over = its quantity.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from odoo_urgency.policies.materials.needs import Need

#: Quantities are floats in Odoo; below this, nothing is left.
EPSILON = 1e-6
SupplyKind = Literal["stock", "purchase", "receipt"]


@dataclass(frozen=True)
class Supply:
    """One source of a product: free stock (``expected`` None: here now), a purchase line, or a receipt."""

    key: str
    kind: SupplyKind
    product_id: int
    quantity: float
    expected: datetime | None = None
    #: False for an RFQ not yet confirmed: pegged after every confirmed supply.
    confirmed: bool = True
    po_id: int | None = None
    po_name: str | None = None
    po_line_id: int | None = None
    vendor: str | None = None

    def sort_key(self) -> tuple[int, float, str]:
        """Stock first, then confirmed supply by expected date, then RFQ lines by expected date."""
        group = 0 if self.expected is None else 1 if self.confirmed else 2
        return (group, self.expected.timestamp() if self.expected is not None else 0.0, self.key)


@dataclass(frozen=True)
class Allocation:
    supply: Supply
    quantity: float


@dataclass
class Coverage:
    """How one need is met: from its reservation, from supplies, and what is short."""

    need: Need
    reserved: float
    allocations: list[Allocation] = field(default_factory=list)
    short: float = 0.0

    @property
    def covered(self) -> float:
        return self.reserved + sum(a.quantity for a in self.allocations)


@dataclass
class _Slot:
    """A supply and what of it is still unallocated."""

    supply: Supply
    left: float


def peg(needs: list[Need], supplies: list[Supply]) -> list[Coverage]:
    """Allocate ``supplies`` to ``needs``; the coverages come back in the order needs were served."""
    pools: dict[int, list[_Slot]] = defaultdict(list)
    for supply in sorted(supplies, key=Supply.sort_key):
        if supply.quantity > EPSILON:
            pools[supply.product_id].append(_Slot(supply, supply.quantity))
    # Supplies are used up in order, so each product's first slot with something left only moves forward.
    first: dict[int, int] = defaultdict(int)
    coverages: list[Coverage] = []
    for need in sorted(needs, key=Need.rank):
        coverage = Coverage(need=need, reserved=min(max(need.reserved, 0.0), need.quantity))
        missing = need.quantity - coverage.reserved
        pool = pools.get(need.product_id, [])
        index = first[need.product_id]
        while missing > EPSILON and index < len(pool):
            slot = pool[index]
            take = min(slot.left, missing)
            slot.left -= take
            missing -= take
            if take > EPSILON:
                coverage.allocations.append(Allocation(supply=slot.supply, quantity=take))
            if slot.left <= EPSILON:
                index += 1
        first[need.product_id] = index
        coverage.short = missing if missing > EPSILON else 0.0
        coverages.append(coverage)
    return coverages
