"""``plan_order``: everything the rules decide for one sale order, as data.

Order of work: leave alone what is out of scope (cancelled, other companies) → classify → apply a manual tier →
deadline, processed, breached, escalation → writes on the order (unless manual) → MOs and deliveries → alerts.
Only what differs from what the ERP holds is written, and only alerts not created before are planned, so planning
the state that a plan produced gives an empty plan: the daemon can run as often as it likes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from odoo_urgency.policies import i18n
from odoo_urgency.policies.alerts import AlertBox
from odoo_urgency.policies.calendar import as_utc
from odoo_urgency.policies.classify import classify
from odoo_urgency.policies.config import Rules
from odoo_urgency.policies.context import OrderContext
from odoo_urgency.policies.deadlines import escalation_level, processing_deadline
from odoo_urgency.policies.manual import manual_tier, order_memo, plugin_tags
from odoo_urgency.policies.order_alerts import OrderFacts, confirm_alert, escalation_alerts
from odoo_urgency.policies.ownership import with_ownership
from odoo_urgency.policies.plan import Decision, OrderPlan, Reason, RecordWrite
from odoo_urgency.policies.production import plan_production, plan_shortages
from odoo_urgency.policies.states import ORDER_PROCESSED, ORDER_UNPROCESSED
from odoo_urgency.policies.tiers import Tier
from odoo_urgency.policies.wire import same, user_changed, wire_datetime

SALE_ORDER = "sale.order"
PROCESSED = ORDER_PROCESSED
UNPROCESSED = ORDER_UNPROCESSED


def _skip_reason(ctx: OrderContext, rules: Rules) -> str | None:
    order = ctx.order
    if order.state == "cancel":
        return "cancelled"
    if rules.companies and (order.company_id is None or order.company_id.id not in rules.companies):
        return "company not configured"
    return None


def order_write(ctx: OrderContext, tier: Tier, reasons: list[Reason], deadline: datetime | None,
                rules: Rules, *, manual: bool = False) -> RecordWrite | None:
    """The tier fields of the order (install mode) or its tier tag (tag mode), where they differ.

    For a tier a user set by hand, the tier itself and its tag are theirs; only the deadline shown beside it
    follows their tier (received + that tier's hours), so the list never shows a deadline of a tier nobody
    holds any more — unless the user changed the deadline too, which then stays theirs as well.
    """
    order = ctx.order
    memo = order_memo(ctx)
    values: dict[str, object] = {}
    expected: dict[str, object] = {}
    if manual and not ctx.install_mode:
        return None
    if ctx.install_mode:
        targets = {
            "x_urgency": (tier.value, order.x_urgency or False),
            "x_urgency_deadline": (wire_datetime(deadline), wire_datetime(order.x_urgency_deadline)),
            "x_urgency_reason": (i18n.joined([r.text for r in reasons], rules.language),
                                 order.x_urgency_reason or False),
        }
        if manual:
            targets = {"x_urgency_deadline": targets["x_urgency_deadline"]}
        for name, (target, current) in targets.items():
            if not same(target, current) and not user_changed(memo, name, current):
                values[name] = target
                expected[name] = current
    else:
        wanted = ctx.tier_tag_ids.get(tier)
        ours = plugin_tags(memo)
        stale = [tag for tag_tier, tag in ctx.tier_tag_ids.items()
                 if tag_tier is not tier and tag in ours and tag in order.tag_ids]
        missing = wanted is not None and wanted not in order.tag_ids
        if missing or stale:
            # Always name the wanted tag in the write so the memo records it as the plugin's.
            commands = ([(4, wanted)] if wanted is not None else []) + [(3, tag) for tag in stale]
            values["tag_ids"] = commands
            expected["tag_ids"] = list(order.tag_ids)
    if not values:
        return None
    text = i18n.text(rules.language, "write.order", tier=i18n.tier_name(rules.language, tier),
                     deadline=i18n.when(deadline, rules.calendar, rules.language))
    return RecordWrite(model=SALE_ORDER, res_id=order.id, values=values, expected=expected, reason=text)


def plan_order(ctx: OrderContext, rules: Rules, now: datetime) -> OrderPlan:
    """Decision, writes (order, MOs, deliveries) and alerts for one sale order at ``now``."""
    now = as_utc(now)
    order = ctx.order
    computed, computed_reasons = classify(ctx, rules, now)
    manual, manual_value, manual_reason = manual_tier(ctx, rules)
    tier = manual_value or computed
    reasons = ([manual_reason] if manual_reason else []) + computed_reasons
    received = order.create_date
    deadline = processing_deadline(received, tier, rules) if received is not None else None
    processed = order.state in PROCESSED
    processed_at = order.date_order if processed else None
    decided: dict[str, Any] = {"order_id": order.id, "order_name": order.name, "tier": tier, "computed_tier": computed,
               "manual": manual, "reasons": reasons, "received": received, "processing_deadline": deadline,
               "processed": processed, "processed_at": processed_at}
    skipped = _skip_reason(ctx, rules)
    if skipped is not None:
        return OrderPlan(decision=Decision(**decided, breached=False, escalation_level=0, feasible=None,
                                           skipped=skipped))
    level = escalation_level(received, tier, processed, order.state, rules, now)
    writes: list[RecordWrite] = []
    write = order_write(ctx, tier, computed_reasons, deadline, rules, manual=manual)
    if write is not None:
        writes.append(write)
    box = AlertBox(rules, ctx.known_alerts(), ctx=ctx, now=now)
    facts = OrderFacts.of(ctx, rules, tier, reasons, deadline)
    if order.state in UNPROCESSED:
        confirm_alert(facts, box)
    escalation_alerts(facts, level, box, reasons)
    plan_shortages(ctx, tier, reasons, rules, now, box, deadline)
    production = plan_production(ctx, tier, reasons, rules, now, box, deadline)
    writes.extend(production.writes)
    for role in box.unrouted:
        reasons.append(Reason(code="unrouted", text=i18n.text(rules.language, "reason.unrouted",
                                                              role=i18n.role_name(rules.language, role))))
    writes = with_ownership(ctx, writes, production.refused)  # fields seen to be a person's stay theirs
    decision = Decision(**decided, breached=_breached(deadline, processed, processed_at, now),
                        escalation_level=level, feasible=production.feasible, skipped=None)
    return OrderPlan(decision=decision, writes=writes, alerts=box.alerts)


def _breached(deadline: datetime | None, processed: bool, processed_at: datetime | None, now: datetime) -> bool:
    """Processed after the deadline, or not processed and the deadline has passed."""
    if deadline is None:
        return False
    if processed:
        return processed_at is not None and processed_at > deadline
    return now > deadline
