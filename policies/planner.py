"""``plan_order``: everything the rules decide for one sale order, as data.

Order of work: leave alone what is out of scope (cancelled, other companies) → classify → apply a manual tier →
deadline, processed, breached, escalation → writes on the order (unless manual) → MOs and deliveries → alerts.
Only what differs from what the ERP holds is written, and only alerts not created before are planned, so planning
the state that a plan produced gives an empty plan: the daemon can run as often as it likes.
"""

from __future__ import annotations

from datetime import datetime

from policies import i18n
from policies.alerts import AlertBox, alert_key, make_alert
from policies.calendar import as_utc
from policies.classify import classify
from policies.config import Rules
from policies.context import OrderContext
from policies.deadlines import escalation_deadline, escalation_level, processing_deadline
from policies.manual import manual_tier, order_memo, plugin_tags
from policies.plan import Decision, OrderPlan, Reason, RecordWrite
from policies.production import plan_production, plan_shortages
from policies.tiers import Tier
from policies.wire import same, user_changed, wire_datetime

SALE_ORDER = "sale.order"
PROCESSED = ("sale", "done")
UNPROCESSED = ("draft", "sent")


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
            "x_urgency_reason": (i18n.joined([r.text for r in reasons]), order.x_urgency_reason or False),
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
    language = rules.language
    cal = rules.calendar
    computed, computed_reasons = classify(ctx, rules, now)
    manual, manual_value, manual_reason = manual_tier(ctx, rules)
    tier = manual_value or computed
    reasons = ([manual_reason] if manual_reason else []) + computed_reasons
    received = order.create_date
    deadline = processing_deadline(received, tier, rules) if received is not None else None
    processed = order.state in PROCESSED
    processed_at = order.date_order if processed else None
    skipped = _skip_reason(ctx, rules)
    if skipped is not None:
        decision = Decision(
            order_id=order.id, order_name=order.name, tier=tier, computed_tier=computed, manual=manual,
            reasons=reasons, received=received, processing_deadline=deadline, processed=processed,
            processed_at=processed_at, breached=False, escalation_level=0, feasible=None, skipped=skipped,
        )
        return OrderPlan(decision=decision)

    if deadline is None:
        breached = False
    elif processed:
        breached = processed_at is not None and processed_at > deadline
    else:
        breached = now > deadline
    level = escalation_level(received, tier, processed, order.state, rules, now)

    writes: list[RecordWrite] = []
    write = order_write(ctx, tier, computed_reasons, deadline, rules, manual=manual)
    if write is not None:
        writes.append(write)

    box = AlertBox(rules, ctx.known_alerts())
    why = i18n.text(language, "alert.why", reasons=i18n.joined([r.text for r in reasons]))
    tier_label = i18n.tier_name(language, tier)
    partner = order.partner_id.name if order.partner_id else i18n.text(language, "unknown")
    salesperson = order.user_id.name if order.user_id else i18n.text(language, "none")
    hours = i18n.hours(rules.tiers.hours(tier))
    unprocessed = order.state in UNPROCESSED

    # 销售人员是第一责任人: confirm quantity, items and delivery time within the deadline.
    if unprocessed and tier in rules.alerts.on_tiers and order.user_id and deadline is not None:
        key = alert_key("confirm", SALE_ORDER, order.id, tier.value)
        if box.wants(key):
            note = i18n.paragraphs(
                i18n.text(language, "alert.confirm.what", tier=tier_label, order=order.name, partner=partner,
                          due=i18n.when(deadline, cal, language), hours=hours),
                why,
                i18n.text(language, "alert.confirm.todo"),
            )
            summary = i18n.text(language, "alert.confirm.summary", tier=tier_label, order=order.name,
                                due=i18n.short_when(deadline, cal))
            box.add(make_alert(rules, key=key, kind="confirm", role="salesperson", model=SALE_ORDER,
                               res_id=order.id, user_id=order.user_id.id, summary=summary, note=note, due=deadline))

    # 如遇到特殊情况，应及时上报领导: past the deadline → manager; past the second level → director.
    if level >= 1 and deadline is not None and received is not None:
        second = escalation_deadline(received, tier, rules)
        manager = ctx.team.user_id.id if ctx.team and ctx.team.user_id else rules.escalation.manager_user_id
        if manager is None:
            reasons.append(Reason(code="no_manager", text=i18n.text(language, "reason.no_manager")))
        else:
            key = alert_key("breach1", SALE_ORDER, order.id)
            if box.wants(key):
                note = i18n.paragraphs(
                    i18n.text(language, "alert.breach1.what", tier=tier_label, order=order.name, partner=partner,
                              deadline=i18n.when(deadline, cal, language), hours=hours, salesperson=salesperson),
                    why,
                    i18n.text(language, "alert.breach1.todo", next=i18n.when(second, cal, language)),
                )
                summary = i18n.text(language, "alert.breach1.summary", order=order.name,
                                    deadline=i18n.short_when(deadline, cal))
                box.add(make_alert(rules, key=key, kind="breach", role="manager", model=SALE_ORDER,
                                   res_id=order.id, user_id=manager, summary=summary, note=note, due=second))
        if level >= 2:
            director = rules.escalation.director_user_id
            if director is None:
                reasons.append(Reason(code="no_director", text=i18n.text(language, "reason.no_director")))
            else:
                key = alert_key("breach2", SALE_ORDER, order.id)
                if box.wants(key):
                    note = i18n.paragraphs(
                        i18n.text(language, "alert.breach2.what", tier=tier_label, order=order.name,
                                  partner=partner, due=i18n.when(second, cal, language),
                                  deadline=i18n.when(deadline, cal, language), salesperson=salesperson),
                        why,
                        i18n.text(language, "alert.breach2.todo"),
                    )
                    summary = i18n.text(language, "alert.breach2.summary", order=order.name)
                    box.add(make_alert(rules, key=key, kind="breach", role="director", model=SALE_ORDER,
                                       res_id=order.id, user_id=director, summary=summary, note=note, due=second))

    plan_shortages(ctx, tier, reasons, rules, now, box, deadline)
    production = plan_production(ctx, tier, reasons, rules, now, box, deadline)
    writes.extend(production.writes)

    decision = Decision(
        order_id=order.id, order_name=order.name, tier=tier, computed_tier=computed, manual=manual, reasons=reasons,
        received=received, processing_deadline=deadline, processed=processed, processed_at=processed_at,
        breached=breached, escalation_level=level, feasible=production.feasible, skipped=None,
    )
    return OrderPlan(decision=decision, writes=writes, alerts=box.alerts)
