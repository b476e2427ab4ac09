"""Urgency classification: which tier the signals give an order, and why.

Each signal is a small function returning ``(tier, reason)`` pairs; every signal can be switched off in the
configuration. The most urgent tier of any signal wins, and the reasons kept are those of the winning tier (the
ones that explain it). No signal at all gives ``normal`` with the reason "no urgency signal".

Signals (from the source document):

* lead time (紧急发货: a demand raised before the agreed delivery date): requested delivery (``commitment_date``)
  minus received time (``create_date``) under a threshold;
* keywords and stated causes (客户生产线的紧急停机、原料的紧急缺货) in tag names, the customer reference and the note;
* important customers (重要客户订单): a VIP category on the partner or its parent company;
* big orders (大单): ``amount_total`` at or above a threshold.

The plugin's own tier tags are not read as keywords: otherwise an "Urgent" tag the plugin set would keep the order
urgent after the real reason went away. Manual tiers are decided in :mod:`policies.manual`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from datetime import datetime

from odoo_urgency.policies import i18n
from odoo_urgency.policies.config import Rules
from odoo_urgency.policies.context import OrderContext
from odoo_urgency.policies.plan import Reason
from odoo_urgency.policies.tiers import Tier, highest

Signal = tuple[Tier, Reason]

_TAG = re.compile(r"<[^>]*>")
_SEPARATORS = re.compile(r"[\s\-_]+")


def _normalise(value: str) -> str:
    """Case-folded, with runs of spaces, hyphens and underscores made one space ("Line-Stop" ≈ "line stop")."""
    return _SEPARATORS.sub(" ", value.casefold()).strip()


def html_to_text(value: str) -> str:
    """The note is HTML: drop tags, resolve entities."""
    return html.unescape(_TAG.sub(" ", value))


def find_word(words: Iterable[str], value: str) -> str | None:
    """The longest of ``words`` found in ``value`` (the most specific: "生产线紧急停机" before "停机").

    Latin words match whole words only ("rush" is not in "brush"); words in other scripts (Chinese has no spaces)
    match as substrings."""
    haystack = _normalise(value)
    for word in sorted(words, key=len, reverse=True):
        needle = _normalise(word)
        if not needle:
            continue
        if needle.isascii():
            if re.search(rf"(?<![a-z0-9]){re.escape(needle)}(?![a-z0-9])", haystack):
                return word
        elif needle in haystack:
            return word
    return None


def _texts(ctx: OrderContext, language: str) -> list[tuple[str, str]]:
    """(where, text) pairs the keyword signal reads, ``where`` already phrased for a reason."""
    plugin_tags = set(ctx.tier_tag_ids.values())
    found: list[tuple[str, str]] = []
    for tag_id in ctx.order.tag_ids:
        name = ctx.tag_names.get(tag_id)
        if name and tag_id not in plugin_tags:
            found.append((i18n.text(language, "where.tag", name=name), name))
    if ctx.order.client_order_ref:
        found.append((i18n.text(language, "where.reference"), ctx.order.client_order_ref))
    if ctx.order.note:
        found.append((i18n.text(language, "where.note"), html_to_text(ctx.order.note)))
    return found


def lead_time_signal(ctx: OrderContext, rules: Rules, now: datetime) -> list[Signal]:
    config = rules.lead_time
    requested = ctx.order.commitment_date
    if not config.enabled or requested is None:
        return []
    received = ctx.order.create_date or now
    lead = (requested - received).total_seconds() / 3600
    for tier, threshold in ((Tier.URGENT, config.urgent_below_hours), (Tier.SPECIAL, config.special_below_hours)):
        if lead < threshold:
            text = i18n.text(
                rules.language, f"reason.lead_time.{tier.value}",
                hours=i18n.hours(lead), threshold=i18n.hours(threshold),
            )
            return [(tier, Reason(code="lead_time", text=text))]
    return []


def keyword_signal(ctx: OrderContext, rules: Rules, now: datetime) -> list[Signal]:
    config = rules.keywords
    if not config.enabled:
        return []
    texts = _texts(ctx, rules.language)
    signals: list[Signal] = []
    # Causes first: they are the more specific explanation of an urgent order.
    for code, words in (("line_stop", config.line_stop_words), ("material_shortage", config.material_shortage_words)):
        for where, value in texts:
            word = find_word(words, value)
            if word:
                text = i18n.text(rules.language, f"reason.{code}", word=word, where=where)
                signals.append((Tier.URGENT, Reason(code=code, text=text)))
                break
    for tier, words in ((Tier.URGENT, config.urgent_words), (Tier.SPECIAL, config.special_words)):
        if signals and tier is Tier.URGENT:
            continue  # a cause already says "urgent", and its words usually contain the generic ones (紧急)
        for where, value in texts:
            word = find_word(words, value)
            if word:
                text = i18n.text(rules.language, "reason.keyword", word=word, where=where)
                signals.append((tier, Reason(code="keyword", text=text)))
                break
    return signals


def customer_signal(ctx: OrderContext, rules: Rules, now: datetime) -> list[Signal]:
    config = rules.customers
    if not config.enabled:
        return []
    wanted = {name.casefold().strip() for name in config.vip_categories}
    for partner, key in ((ctx.partner, "reason.vip"), (ctx.parent_partner, "reason.vip_parent")):
        if partner is None:
            continue
        for category_id in partner.category_id:
            name = ctx.category_names.get(category_id, "")
            if name.casefold().strip() in wanted:
                text = i18n.text(rules.language, key, partner=partner.name or f"#{partner.id}", category=name)
                return [(config.tier, Reason(code="vip", text=text))]
    return []


def big_order_signal(ctx: OrderContext, rules: Rules, now: datetime) -> list[Signal]:
    config = rules.big_order
    if not config.enabled or ctx.order.amount_total < config.amount:
        return []
    text = i18n.text(
        rules.language, "reason.big_order",
        amount=i18n.amount(ctx.order.amount_total), threshold=i18n.amount(config.amount),
    )
    return [(config.tier, Reason(code="big_order", text=text))]


SIGNALS = (lead_time_signal, keyword_signal, customer_signal, big_order_signal)


def classify(ctx: OrderContext, rules: Rules, now: datetime) -> tuple[Tier, list[Reason]]:
    """The computed tier of the order (the most urgent signal wins) and the reasons for it."""
    signals = [signal for function in SIGNALS for signal in function(ctx, rules, now)]
    if not signals:
        return Tier.NORMAL, [Reason(code="none", text=i18n.text(rules.language, "reason.none"))]
    tier = highest(tier for tier, _ in signals)
    return tier, [reason for signal_tier, reason in signals if signal_tier is tier]
