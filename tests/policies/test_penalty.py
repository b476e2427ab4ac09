"""紧急备货单的罚款标准: 备货延迟时间越长、影响程度越大，罚款越多; 频繁延迟的供应商罚得更严."""

from __future__ import annotations

import pytest

from odoo_urgency.policies import Tier, estimate_penalty
from tests.policies.factories import NOW, at, order, rules

BIG = order(amount_total=10000.0)


@pytest.mark.parametrize(
    ("delay", "history", "rate", "factor", "amount"),
    [
        (1, 0, 0.02, 1.0, 200.0),
        (24, 0, 0.02, 1.0, 200.0),
        (25, 0, 0.05, 1.0, 500.0),
        (72, 0, 0.05, 1.0, 500.0),
        (200, 0, 0.10, 1.0, 1000.0),
        (25, 2, 0.05, 1.5, 750.0),
        (200, 3, 0.10, 1.75, 1750.0),
        (200, 10, 0.10, 2.0, 2000.0),  # factor at its max: 0.10 × 2.0 = the 20 % cap
    ],
    ids=["1 h late: first band", "24 h late: still first band", "25 h: second band", "72 h: second band",
         "200 h: open band", "history of 2 late deliveries: ×1.5", "history of 3: ×1.75", "long history: capped"],
)
def test_penalty_bands(delay: float, history: int, rate: float, factor: float, amount: float) -> None:
    estimate = estimate_penalty(BIG, NOW, at(delay), at(500), Tier.URGENT, history, rules())
    assert estimate is not None
    assert (estimate.rate, estimate.history_factor, estimate.amount) == (rate, factor, amount)
    assert estimate.delay_hours == delay


def test_cap_bounds_the_total() -> None:
    config = rules(penalty={"cap_rate": 0.12})
    estimate = estimate_penalty(BIG, NOW, at(200), at(500), Tier.URGENT, 4, config)
    assert estimate is not None and estimate.effective_rate == 0.12 and estimate.amount == 1200.0


def test_undelivered_past_the_requested_date_counts_until_now() -> None:
    estimate = estimate_penalty(BIG, NOW, None, at(30), Tier.URGENT, 0, rules())
    assert estimate is not None and estimate.delay_hours == 30 and estimate.rate == 0.05


@pytest.mark.parametrize(
    ("requested", "delivered", "now", "tier"),
    [(NOW, at(-1), at(5), Tier.URGENT), (NOW, None, at(-1), Tier.URGENT), (NOW, at(50), at(50), Tier.SPECIAL),
     (None, at(50), at(50), Tier.URGENT)],
    ids=["delivered on time", "not yet due", "not an urgent order", "no requested date"],
)
def test_no_penalty(requested, delivered, now, tier) -> None:  # type: ignore[no-untyped-def]
    assert estimate_penalty(BIG, requested, delivered, now, tier, 5, rules()) is None
