"""Manual tiers: a user's decision always wins, and the plugin never writes over it.

Install mode: ``x_urgency_manual`` with a tier in ``x_urgency`` fixes the tier. Without the flag, an ``x_urgency``
that differs from what the memo says the plugin wrote was set by a user: that is manual too.
Tag mode: a tier tag on the order that the memo does not say the plugin added is a user's; a tag the plugin added
that a user removed means the user disagrees, and the plugin stops tagging that order.

When a user cleared the tier (no tier left to read), the effective tier stays the computed one, but the order is
still manual: the plugin writes nothing on its tier fields.
"""

from __future__ import annotations

from typing import Any

from odoo_urgency.policies import i18n
from odoo_urgency.policies.config import Rules
from odoo_urgency.policies.context import OrderContext
from odoo_urgency.policies.memo import yielded
from odoo_urgency.policies.plan import Reason
from odoo_urgency.policies.tiers import Tier, highest
from odoo_urgency.policies.wire import user_changed


def plugin_tags(memo: dict[str, Any]) -> set[int]:
    """Tag ids the plugin's last ``tag_ids`` write added (commands ``(4, id)``)."""
    added: set[int] = set()
    for command in memo.get("tag_ids") or []:
        if isinstance(command, (list, tuple)) and len(command) >= 2 and command[0] == 4:
            added.add(int(command[1]))
        elif isinstance(command, int):
            added.add(command)
    return added


def order_memo(ctx: OrderContext) -> dict[str, Any]:
    return ctx.memo_for("sale.order", ctx.order.id, ctx.order.x_urgency_memo)


def manual_tier(ctx: OrderContext, rules: Rules) -> tuple[bool, Tier | None, Reason | None]:
    """(manual?, the user's tier or None when they cleared it, the reason)."""
    order = ctx.order
    memo = order_memo(ctx)
    language = rules.language
    if ctx.install_mode:
        current = Tier.parse(order.x_urgency)
        changed = user_changed(memo, "x_urgency", order.x_urgency or False)
        unexplained = current is not None and "x_urgency" not in memo  # set, but never by the plugin
        if order.x_urgency_manual or changed or unexplained:
            if current is None:
                return True, None, Reason(code="manual", text=i18n.text(language, "reason.manual_cleared"))
            text = i18n.text(language, "reason.manual", tier=i18n.tier_name(language, current))
            return True, current, Reason(code="manual", text=text)
        return False, None, None
    by_tag = {tag_id: tier for tier, tag_id in ctx.tier_tag_ids.items()}
    on_order = {tag_id for tag_id in order.tag_ids if tag_id in by_tag}
    ours = plugin_tags(memo)
    users = on_order if "tag_ids" in yielded(memo) else on_order - ours  # the tier tags are a person's for good
    if users:
        tier = highest(by_tag[tag_id] for tag_id in users)
        text = i18n.text(language, "reason.manual", tier=i18n.tier_name(language, tier))
        return True, tier, Reason(code="manual", text=text)
    if ours - set(order.tag_ids) or "tag_ids" in yielded(memo):
        return True, None, Reason(code="manual", text=i18n.text(language, "reason.manual_cleared"))
    return False, None, None
