"""Properties of pegging, on generated needs and supplies (hypothesis): supply is never allocated twice, urgent
needs are served before lower tiers, and quantities are conserved."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo_urgency.policies.materials import Coverage, Need, Supply, peg
from odoo_urgency.policies.materials.pegging import EPSILON
from odoo_urgency.policies.tiers import Tier

NOW = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
quantities = st.floats(min_value=0, max_value=100, allow_nan=False).map(lambda q: round(q, 3))
products = st.integers(min_value=1, max_value=3)
offsets = st.integers(min_value=-48, max_value=400).map(lambda h: NOW + timedelta(hours=h))


@st.composite
def needs(draw: st.DrawFn) -> list[Need]:
    out = []
    for move_id in range(1, draw(st.integers(min_value=0, max_value=12)) + 1):
        quantity = draw(quantities)
        out.append(Need(
            move_id=move_id, product_id=draw(products), product="P", quantity=quantity,
            reserved=draw(st.floats(min_value=0, max_value=quantity + 5, allow_nan=False)), needed_by=draw(offsets),
            tier=draw(st.sampled_from(list(Tier))), mo_id=draw(st.integers(min_value=1, max_value=4)), mo_name="MO",
        ))  # fmt: skip
    return out


@st.composite
def supplies(draw: st.DrawFn) -> list[Supply]:
    out = []
    for index in range(draw(st.integers(min_value=0, max_value=10))):
        kind = draw(st.sampled_from(["stock", "purchase", "receipt"]))
        out.append(Supply(
            key=f"{kind}:{index}", kind=kind, product_id=draw(products), quantity=draw(quantities),
            expected=None if kind == "stock" else draw(offsets), confirmed=draw(st.booleans()) or kind != "purchase",
            po_id=index if kind == "purchase" else None,
        ))  # fmt: skip
    return out


@SETTINGS
@given(needs(), supplies())
def test_supply_is_never_allocated_twice(all_needs: list[Need], all_supplies: list[Supply]) -> None:
    given_out: dict[str, float] = defaultdict(float)
    for coverage in peg(all_needs, all_supplies):
        for allocation in coverage.allocations:
            assert allocation.supply.product_id == coverage.need.product_id
            assert allocation.quantity > 0
            given_out[allocation.supply.key] += allocation.quantity
    for supply in all_supplies:
        assert given_out[supply.key] <= supply.quantity + EPSILON


@SETTINGS
@given(needs(), supplies())
def test_totals_are_conserved(all_needs: list[Need], all_supplies: list[Supply]) -> None:
    coverages = peg(all_needs, all_supplies)
    assert sorted(c.need.move_id for c in coverages) == sorted(n.move_id for n in all_needs)
    for coverage in coverages:
        assert abs(coverage.covered + coverage.short - coverage.need.quantity) < 1e-4
        assert 0 <= coverage.reserved <= coverage.need.quantity
    for product in {n.product_id for n in all_needs} | {s.product_id for s in all_supplies}:
        supplied = sum(s.quantity for s in all_supplies if s.product_id == product)
        pooled_demand = sum(c.need.quantity - c.reserved for c in coverages if c.need.product_id == product)
        allocated = sum(a.quantity for c in coverages if c.need.product_id == product for a in c.allocations)
        # Everything is handed out until either side runs dry.
        assert abs(allocated - min(supplied, pooled_demand)) < 1e-4


@SETTINGS
@given(needs(), supplies())
def test_urgent_needs_are_served_before_lower_tiers(all_needs: list[Need], all_supplies: list[Supply]) -> None:
    coverages = peg(all_needs, all_supplies)
    for short in (c for c in coverages if c.short > 0):
        for other in coverages:
            if other.need.product_id == short.need.product_id and other.need.tier.rank < short.need.tier.rank:
                assert other.allocations == [], "a lower tier got supply while a higher tier went short"
    # Among needs of one product, a higher tier never gets supply that comes after what a lower tier got.
    by_product: dict[int, list[Coverage]] = defaultdict(list)
    for coverage in coverages:
        by_product[coverage.need.product_id].append(coverage)
    for group in by_product.values():
        for high in group:
            for low in group:
                if high.need.tier.rank > low.need.tier.rank and high.allocations and low.allocations:
                    assert max(_arrivals(high)) <= min(_arrivals(low))


def _arrivals(coverage: Coverage) -> list[tuple[int, float, str]]:
    return [a.supply.sort_key() for a in coverage.allocations]


def test_reservation_counts_first_and_stock_before_incoming() -> None:
    need = Need(move_id=1, product_id=1, product="Chip", quantity=10, reserved=3, needed_by=NOW, tier=Tier.URGENT,
                mo_id=1, mo_name="WH/MO/00001")  # fmt: skip
    late = Supply(key="po:1", kind="purchase", product_id=1, quantity=20, expected=NOW + timedelta(days=2), po_id=1)
    stock = Supply(key="stock:1", kind="stock", product_id=1, quantity=4)
    [coverage] = peg([need], [late, stock])
    assert coverage.reserved == 3
    assert [(a.supply.key, a.quantity) for a in coverage.allocations] == [("stock:1", 4), ("po:1", 3)]
    assert coverage.short == 0


def test_confirmed_supply_before_rfq_lines() -> None:
    need = Need(move_id=1, product_id=1, product="Chip", quantity=5, reserved=0, needed_by=NOW, tier=Tier.SPECIAL,
                mo_id=1, mo_name="MO")  # fmt: skip
    rfq = Supply(key="po:2", kind="purchase", product_id=1, quantity=5, expected=NOW, confirmed=False, po_id=2)
    confirmed = Supply(key="po:1", kind="purchase", product_id=1, quantity=5, expected=NOW + timedelta(days=1), po_id=1)
    [coverage] = peg([need], [rfq, confirmed])
    assert [a.supply.key for a in coverage.allocations] == ["po:1"]
