"""紧急备货单的罚款标准: the penalty estimate for a late urgent order.

The source says the penalty grows with the length of the delay and its impact, and with the supplier's history of
delays. Here: the delay picks a band rate (the first band whose ``up_to_hours`` covers it), the history of late
urgent deliveries to the same customer multiplies it (``1 + history_step × late deliveries``, at most
``history_max_factor``), and the product is capped at ``cap_rate`` of the order amount: the cap bounds the whole
penalty, which is how contractual penalty caps work (with the defaults, 10 % × 2.0 reaches exactly the 20 % cap).
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from odoo_urgency.connector.records import SaleOrder
from odoo_urgency.policies.calendar import as_utc
from odoo_urgency.policies.config import PenaltyConfig, Rules
from odoo_urgency.policies.tiers import Tier


class PenaltyEstimate(BaseModel):
    #: Hours between the requested delivery and the delivery (or now, when still undelivered).
    delay_hours: float
    #: The band's rate, before the history factor and the cap.
    rate: float
    history_factor: float
    #: What is charged: order amount × ``effective_rate``.
    amount: float
    #: min(rate × history_factor, cap_rate).
    effective_rate: float = 0.0


def band_rate(delay_hours: float, config: PenaltyConfig) -> float:
    for band in config.rates:
        if band.up_to_hours is None or delay_hours <= band.up_to_hours:
            return band.rate
    return config.rates[-1].rate  # delays beyond a closed last band keep its rate


def history_factor(late_history: int, config: PenaltyConfig) -> float:
    return min(1.0 + config.history_step * max(late_history, 0), config.history_max_factor)


def penalty_for(amount: float, delay_hours: float, late_history: int, config: PenaltyConfig) -> PenaltyEstimate | None:
    """The penalty on ``amount`` for ``delay_hours`` of delay with ``late_history`` earlier late deliveries (of the
    same customer, or the same vendor); None when not late. Every penalty of the plugin is priced here."""
    if delay_hours <= 0:
        return None
    rate = band_rate(delay_hours, config)
    factor = history_factor(late_history, config)
    effective = min(rate * factor, config.cap_rate)
    return PenaltyEstimate(
        delay_hours=round(delay_hours, 2),
        rate=rate,
        history_factor=factor,
        amount=round(amount * effective, 2),
        effective_rate=effective,
    )


def estimate_penalty(
    order: SaleOrder,
    requested: datetime | None,
    delivered_at: datetime | None,
    now: datetime,
    tier: Tier,
    late_history: int,
    rules: Rules,
) -> PenaltyEstimate | None:
    """The penalty of an urgent order delivered after ``requested`` (or still undelivered past it); None when the
    order is not urgent, has no requested date, or is not late."""
    if tier is not Tier.URGENT or requested is None:
        return None
    end = as_utc(delivered_at) if delivered_at is not None else as_utc(now)
    delay = (end - as_utc(requested)).total_seconds() / 3600
    return penalty_for(order.amount_total, delay, late_history, rules.penalty)
