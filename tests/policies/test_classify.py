"""Urgency signals, quoting the source document (紧急订单处理规范 / 紧急发货管理制度)."""

from __future__ import annotations

from typing import Any

import pytest

from odoo_urgency.policies import Tier, classify
from tests.policies.factories import NOW, TIER_TAGS, at, context, order, partner, rules

CASES: list[tuple[str, dict[str, Any], dict[str, Any], Tier, str]] = [
    # (id quoting the rule, order fields, context fields, expected tier, expected reason code)
    ("no signal -> 普通订单", {}, {}, Tier.NORMAL, "none"),
    ("紧急发货: requested 20 h after receipt (< 48 h) -> urgent", {"commitment_date": at(20)}, {}, Tier.URGENT,
     "lead_time"),
    ("requested 100 h after receipt (< 120 h) -> special", {"commitment_date": at(100)}, {}, Tier.SPECIAL,
     "lead_time"),
    ("requested 200 h after receipt -> normal", {"commitment_date": at(200)}, {}, Tier.NORMAL, "none"),
    ("客户生产线的紧急停机 in the note -> urgent (line_stop)",
     {"note": "<p>客户<b>生产线紧急停机</b>，请尽快</p>"}, {}, Tier.URGENT, "line_stop"),
    ("line stop in the customer reference (English) -> urgent", {"client_order_ref": "PO-7 LINE-STOP"}, {},
     Tier.URGENT, "line_stop"),
    ("原料的紧急缺货 in the note -> urgent (material_shortage)", {"note": "原料紧急缺货"}, {}, Tier.URGENT,
     "material_shortage"),
    ("out of stock at the customer -> urgent (material_shortage)", {"note": "<p>We are OUT OF STOCK</p>"}, {},
     Tier.URGENT, "material_shortage"),
    ("加急 in the customer reference -> urgent keyword", {"client_order_ref": "加急 PO-8"}, {}, Tier.URGENT, "keyword"),
    ("tag 'Rush' -> urgent keyword", {"tag_ids": [3]}, {"tag_names": {3: "Rush"}}, Tier.URGENT, "keyword"),
    ("'brush' is not 'rush' (whole words only)", {"client_order_ref": "toothbrush"}, {}, Tier.NORMAL, "none"),
    ("special keyword -> special", {"note": "please expedite"}, {}, Tier.SPECIAL, "keyword"),
    ("重要客户订单: VIP customer -> special", {},
     {"partner": partner(categories=[4]), "category_names": {4: "vip"}}, Tier.SPECIAL, "vip"),
    ("重要客户订单: VIP parent company -> special", {},
     {"partner": partner(parent=11), "parent_partner": partner(11, categories=[4]), "category_names": {4: "VIP"}},
     Tier.SPECIAL, "vip"),
    ("大单: amount 50000 -> special", {"amount_total": 50000.0}, {}, Tier.SPECIAL, "big_order"),
    ("amount just under the threshold -> normal", {"amount_total": 49999.99}, {}, Tier.NORMAL, "none"),
    ("highest signal wins: big order + line stop -> urgent", {"amount_total": 90000.0, "note": "停线"}, {},
     Tier.URGENT, "line_stop"),
    ("the plugin's own tier tag is not a keyword", {"tag_ids": [TIER_TAGS[Tier.URGENT]]},
     {"tag_names": {TIER_TAGS[Tier.URGENT]: "Urgent"}, "tier_tag_ids": TIER_TAGS, "install_mode": False},
     Tier.NORMAL, "none"),
]


@pytest.mark.parametrize(("fields", "extra", "tier", "code"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_signals(fields: dict[str, Any], extra: dict[str, Any], tier: Tier, code: str) -> None:
    ctx = context(order=order(**fields), **extra)
    got, reasons = classify(ctx, rules(), NOW)
    assert got is tier
    assert code in [reason.code for reason in reasons]


def test_reason_text_in_english_and_chinese() -> None:
    ctx = context(order=order(commitment_date=at(20)))
    _, en = classify(ctx, rules(), NOW)
    _, zh = classify(ctx, rules(language="zh"), NOW)
    assert en[0].text == "requested delivery in 20 h, under the 48 h urgent threshold"
    assert zh[0].text == "要求交货时间 20 小时，低于紧急阈值 48 小时"
    _, none = classify(context(), rules(language="zh"), NOW)
    assert none[0].text == "无紧急信号"


@pytest.mark.parametrize("signal", ["lead_time", "keywords", "customers", "big_order"])
def test_each_signal_can_be_switched_off(signal: str) -> None:
    ctx = context(
        order=order(commitment_date=at(10), note="urgent", amount_total=1e6),
        partner=partner(categories=[4]), category_names={4: "VIP"},
    )
    _, reasons = classify(ctx, rules(**{signal: {"enabled": False}}), NOW)
    codes = {reason.code for reason in reasons}
    off = {"lead_time": {"lead_time"}, "keywords": {"keyword", "line_stop", "material_shortage"},
           "customers": {"vip"}, "big_order": {"big_order"}}[signal]
    assert not codes & off


def test_configurable_tier_for_vip() -> None:
    ctx = context(partner=partner(categories=[4]), category_names={4: "Key Account"})
    tier, _ = classify(ctx, rules(customers={"vip_categories": ["key account"], "tier": "urgent"}), NOW)
    assert tier is Tier.URGENT


def test_only_reasons_of_the_winning_tier_are_kept() -> None:
    ctx = context(order=order(commitment_date=at(20), amount_total=90000.0))
    tier, reasons = classify(ctx, rules(), NOW)
    assert tier is Tier.URGENT and [r.code for r in reasons] == ["lead_time"]


def test_the_most_specific_cause_word_is_quoted() -> None:
    """紧急发货的范围包括…客户生产线的紧急停机: the reason quotes "生产线紧急停机", not just "停机"."""
    _, reasons = classify(context(order=order(note="<p>客户生产线紧急停机</p>")), rules(language="zh"), NOW)
    assert reasons[0].text == "客户生产线紧急停机（订单备注中含“生产线紧急停机”）"


def test_tiers_are_ordered() -> None:
    assert Tier.NORMAL.rank < Tier.SPECIAL.rank < Tier.URGENT.rank
    assert Tier("urgent") is Tier.URGENT and Tier.URGENT == "urgent"
    assert Tier.parse("Urgent") is Tier.URGENT and Tier.parse(False) is None and Tier.parse("hot") is None
