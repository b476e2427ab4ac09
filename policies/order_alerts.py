"""The sales side's alerts for one order: "confirm by the deadline" to the salesperson (销售人员是第一责任人), and
the escalations when the deadline passes unprocessed (如遇到特殊情况，应及时上报领导): the sales team leader first,
then the director at the second level — each through its role's fallback chain (``policies.routing``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from odoo_urgency.policies import i18n
from odoo_urgency.policies.alerts import AlertBox, Draft, alert_key
from odoo_urgency.policies.config import Rules
from odoo_urgency.policies.context import OrderContext
from odoo_urgency.policies.deadlines import escalation_deadline
from odoo_urgency.policies.plan import Reason
from odoo_urgency.policies.tiers import Tier

SALE_ORDER = "sale.order"


@dataclass(frozen=True)
class OrderFacts:
    """What every sales alert about one order says, in the rules' language."""

    ctx: OrderContext
    rules: Rules
    tier: Tier
    deadline: datetime | None
    why: str
    tier_label: str
    partner: str
    salesperson: str
    hours: str

    @classmethod
    def of(cls, ctx: OrderContext, rules: Rules, tier: Tier, reasons: list[Reason],
           deadline: datetime | None) -> OrderFacts:
        language, order = rules.language, ctx.order
        return cls(
            ctx=ctx, rules=rules, tier=tier, deadline=deadline,
            why=i18n.text(language, "alert.why", reasons=i18n.joined([r.text for r in reasons], language)),
            tier_label=i18n.tier_name(language, tier),
            partner=order.partner_id.name if order.partner_id else i18n.text(language, "unknown"),
            salesperson=order.user_id.name if order.user_id else i18n.text(language, "none"),
            hours=i18n.hours(rules.tiers.hours(tier)),
        )

    def when(self, moment: datetime) -> str:
        return i18n.when(moment, self.rules.calendar, self.rules.language)


def confirm_alert(facts: OrderFacts, box: AlertBox) -> None:
    """Confirm quantity, items and delivery time within the deadline: to the salesperson (routed, so an order
    without one still reaches somebody)."""
    order, rules, language = facts.ctx.order, facts.rules, facts.rules.language
    if facts.tier not in rules.alerts.on_tiers or facts.deadline is None:
        return
    key = alert_key("confirm", SALE_ORDER, order.id, facts.tier.value)
    box.route(Draft(
        kind="confirm", situation=key, model=SALE_ORDER, res_id=order.id, tier=facts.tier, due=facts.deadline,
        action="confirm", headline=i18n.text(language, "alert.confirm.summary", tier=facts.tier_label, order=order.name),
        what=[i18n.text(language, "alert.confirm.what", tier=facts.tier_label, order=order.name, partner=facts.partner,
                        hours=facts.hours)],
        why=facts.why, todo={"salesperson": i18n.text(language, "alert.confirm.todo")},
    ), {"salesperson": key})


def escalation_alerts(facts: OrderFacts, level: int, box: AlertBox, reasons: list[Reason]) -> None:
    """Past the deadline → the sales team leader's chain; past the second level → the director's. A chain that
    finds nobody is said in the reasons (``unrouted``) rather than silently dropped."""
    received = facts.ctx.order.create_date
    if level < 1 or facts.deadline is None or received is None:
        return
    second = escalation_deadline(received, facts.tier, facts.rules)
    _breach_alert(facts, box, "breach1", "team_leader", second)
    if level >= 2:
        _breach_alert(facts, box, "breach2", "director", second)


def _breach_alert(facts: OrderFacts, box: AlertBox, kind: str, role: str, second: datetime) -> None:
    order, language = facts.ctx.order, facts.rules.language
    assert facts.deadline is not None
    key = alert_key(kind, SALE_ORDER, order.id)
    first = kind == "breach1"
    what = i18n.text(language, f"alert.{kind}.what", tier=facts.tier_label, order=order.name, partner=facts.partner,
                     deadline=facts.when(facts.deadline), salesperson=facts.salesperson,
                     **({"hours": facts.hours} if first else {"due": facts.when(second)}))
    todo = (i18n.text(language, "alert.breach1.todo", next=facts.when(second)) if first
            else i18n.text(language, "alert.breach2.todo"))
    headline = (i18n.text(language, "alert.breach1.summary", order=order.name,
                          deadline=i18n.short_when(facts.deadline, facts.rules.calendar)) if first
                else i18n.text(language, "alert.breach2.summary", order=order.name))
    box.route(Draft(kind="breach", situation=key, model=SALE_ORDER, res_id=order.id, tier=facts.tier, due=second,
                    headline=headline, what=[what], why=facts.why, todo={role: todo}), {role: key})
