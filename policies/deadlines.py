"""Processing deadlines (订单管理制度 第十条) and the escalation ladder (第九条: 及时上报领导).

The clock starts when the order was *received*: ``sale.order.create_date``. Never ``date_order``: Odoo overwrites
it with the confirmation time, which is when processing *ended*.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from odoo_urgency.policies.calendar import add_working_hours, as_utc
from odoo_urgency.policies.config import Rules
from odoo_urgency.policies.states import ORDER_UNPROCESSED
from odoo_urgency.policies.tiers import Tier


def processing_deadline(received: datetime, tier: Tier, rules: Rules) -> datetime:
    """``received`` + the tier's hours, in calendar or working hours per ``rules.calendar``."""
    return add_working_hours(as_utc(received), rules.tiers.hours(tier), rules.calendar)


def escalation_deadline(received: datetime, tier: Tier, rules: Rules) -> datetime:
    """When an unprocessed order goes one level higher: received + tier hours × ``second_level_multiple``."""
    hours = rules.tiers.hours(tier) * rules.escalation.second_level_multiple
    return add_working_hours(as_utc(received), hours, rules.calendar)


def escalation_level(
    received: datetime | None, tier: Tier, processed: bool, state: str, rules: Rules, now: datetime,
) -> int:
    """0 none, 1 past the deadline (manager), 2 past the second-level deadline (director). Only unprocessed
    quotations (draft / sent) escalate; escalation switched off → always 0."""
    if not rules.escalation.enabled or received is None or processed or state not in ORDER_UNPROCESSED:
        return 0
    now = as_utc(now)
    if now > escalation_deadline(received, tier, rules):
        return 2
    if now > processing_deadline(received, tier, rules):
        return 1
    return 0


def finish_target(requested: datetime, rules: Rules) -> datetime:
    """When an MO serving an order must be finished: ``delivery_buffer_hours`` before the requested delivery
    (生产计划的调整): the date the planner reschedules against and the assessment judges production by."""
    return as_utc(requested) - timedelta(hours=rules.production.delivery_buffer_hours)
