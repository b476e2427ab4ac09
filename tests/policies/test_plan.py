"""plan_order: writes and alerts for one order, scenario by scenario, quoting the rules they implement."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from odoo_urgency.connector.records import Ref, format_datetime
from odoo_urgency.policies import Tier, plan_order, processing_deadline
from odoo_urgency.policies.plan import OrderPlan
from tests.policies.factories import (
    DIRECTOR,
    LEADER,
    LOGISTICS,
    NOW,
    PLANNER,
    SALESPERSON,
    TIER_TAGS,
    apply,
    at,
    context,
    line,
    mo,
    order,
    picking,
    product,
    rules,
    team,
)


def keys(plan: OrderPlan) -> set[str]:
    return {alert.key for alert in plan.alerts}


def order_values(plan: OrderPlan) -> dict[str, object]:
    return next((w.values for w in plan.writes if w.model == "sale.order"), {})


# --- the order's own tier fields -------------------------------------------------------------------------------


def test_install_mode_writes_tier_deadline_and_reason() -> None:
    """第十条(三) 紧急订单应在2小时内完成处理: an urgent order gets x_urgency, a 2 h deadline and the reason."""
    plan = plan_order(context(order=order(commitment_date=at(20))), rules(), NOW)
    assert plan.decision.tier is Tier.URGENT
    assert plan.decision.processing_deadline == at(2)
    assert order_values(plan) == {
        "x_urgency": "urgent",
        "x_urgency_deadline": "2026-11-26 12:00:00",
        "x_urgency_reason": "requested delivery in 20 h, under the 48 h urgent threshold",
    }
    write = plan.writes[0]
    assert write.expected == {"x_urgency": False, "x_urgency_deadline": False, "x_urgency_reason": False}


def test_deadline_counts_from_create_date_never_date_order() -> None:
    """Odoo overwrites date_order on confirmation: the clock starts at create_date."""
    ctx = context(order=order(create_date=at(-5), date_order=at(3), state="sale"))
    plan = plan_order(ctx, rules(), NOW)
    assert plan.decision.received == at(-5)
    assert plan.decision.processing_deadline == at(19)
    assert plan.decision.processed and plan.decision.processed_at == at(3)
    assert not plan.decision.breached


def test_only_changed_fields_are_written() -> None:
    ctx = context(order=order(x_urgency="normal", x_urgency_deadline=at(24), x_urgency_reason="no urgency signal"),
                  memo={"sale.order:12": {"x_urgency": "normal", "x_urgency_deadline": "2026-11-27 10:00:00",
                                          "x_urgency_reason": "no urgency signal"}})
    assert plan_order(ctx, rules(), NOW).is_empty()


def test_manual_flag_wins_and_is_never_written() -> None:
    ctx = context(order=order(x_urgency="normal", x_urgency_manual=True, commitment_date=at(5), note="停线"))
    plan = plan_order(ctx, rules(), NOW)
    assert plan.decision.manual and plan.decision.tier is Tier.NORMAL
    assert plan.decision.computed_tier is Tier.URGENT
    assert plan.decision.reasons[0].code == "manual"
    # The tier is the user's; only the deadline beside it follows their tier (24 h for normal, not 2 h).
    order_writes = [w for w in plan.writes if w.model == "sale.order"]
    assert [w.values for w in order_writes] == [
        {"x_urgency_deadline": format_datetime(processing_deadline(ctx.order.create_date, Tier.NORMAL, rules()))}]


def test_user_changed_tier_counts_as_manual() -> None:
    """The memo says the plugin wrote "special"; the record says "urgent": a user changed it, never fight."""
    ctx = context(order=order(x_urgency="urgent", commitment_date=at(100)),
                  memo={"sale.order:12": {"x_urgency": "special"}})
    plan = plan_order(ctx, rules(), NOW)
    assert plan.decision.manual and plan.decision.tier is Tier.URGENT
    touched = {name for w in plan.writes if w.model == "sale.order" for name in w.values}
    assert touched <= {"x_urgency_deadline"}


def test_user_edited_deadline_field_is_left_alone() -> None:
    ctx = context(order=order(x_urgency="normal", x_urgency_deadline=at(48), x_urgency_reason="no urgency signal"),
                  memo={"sale.order:12": {"x_urgency": "normal", "x_urgency_deadline": "2026-11-27 10:00:00",
                                          "x_urgency_reason": "no urgency signal"}})
    plan = plan_order(ctx, rules(), NOW)
    assert [w for w in plan.writes if w.values] == []
    assert [w.memo for w in plan.writes] == [{"yielded": ["x_urgency_deadline"]}]   # the person's for good


def test_tag_mode_adds_the_tier_tag() -> None:
    ctx = context(order=order(commitment_date=at(20), tag_ids=[5]), install_mode=False, tier_tag_ids=TIER_TAGS)
    plan = plan_order(ctx, rules(), NOW)
    assert order_values(plan) == {"tag_ids": [(4, TIER_TAGS[Tier.URGENT])]}
    assert plan.writes[0].expected == {"tag_ids": [5]}


def test_tag_mode_swaps_only_its_own_tags() -> None:
    ctx = context(order=order(commitment_date=at(20), tag_ids=[5, TIER_TAGS[Tier.SPECIAL]]), install_mode=False,
                  tier_tag_ids=TIER_TAGS, memo={"sale.order:12": {"tag_ids": [[4, TIER_TAGS[Tier.SPECIAL]]]}})
    plan = plan_order(ctx, rules(), NOW)
    assert order_values(plan) == {"tag_ids": [(4, TIER_TAGS[Tier.URGENT]), (3, TIER_TAGS[Tier.SPECIAL])]}


def test_tag_mode_user_tag_is_manual() -> None:
    ctx = context(order=order(commitment_date=at(20), tag_ids=[TIER_TAGS[Tier.NORMAL]]), install_mode=False,
                  tier_tag_ids=TIER_TAGS)
    plan = plan_order(ctx, rules(), NOW)
    assert plan.decision.manual and plan.decision.tier is Tier.NORMAL
    assert not any(w.model == "sale.order" and w.values for w in plan.writes)


def test_tag_mode_removed_plugin_tag_is_not_added_back() -> None:
    ctx = context(order=order(commitment_date=at(20), tag_ids=[]), install_mode=False, tier_tag_ids=TIER_TAGS,
                  memo={"sale.order:12": {"tag_ids": [[4, TIER_TAGS[Tier.URGENT]]]}})
    plan = plan_order(ctx, rules(), NOW)
    assert plan.decision.manual
    assert not any(w.model == "sale.order" and w.values for w in plan.writes)


# --- out of scope -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "config", "why"),
    [({"state": "cancel"}, {}, "cancelled"),
     ({"company_id": Ref(id=2, name="Other")}, {"companies": [1]}, "company not configured")],
    ids=["cancelled orders are left alone", "companies not configured are left alone"],
)
def test_skipped(fields: dict[str, object], config: dict[str, object], why: str) -> None:
    ctx = context(order=order(commitment_date=at(5), **fields), mos=[mo()], pickings=[picking()])
    plan = plan_order(ctx, rules(**config), at(30))
    assert plan.decision.skipped == why and plan.is_empty()


# --- sales: confirm alert, breach, escalation -------------------------------------------------------------------


def test_salesperson_confirm_alert() -> None:
    """销售人员是紧急发货管理的第一责任人: confirm quantity, items and delivery time within the deadline."""
    plan = plan_order(context(order=order(commitment_date=at(20))), rules(), NOW)
    alert = next(a for a in plan.alerts if a.kind == "confirm")
    assert alert.key == "confirm:sale.order:12:urgent"
    assert (alert.role, alert.user_id, alert.model, alert.res_id) == ("salesperson", SALESPERSON, "sale.order", 12)
    assert alert.due == at(2) and alert.date_deadline == date(2026, 11, 26)
    assert alert.summary == "Urgent order S00012: confirm by 11-26 12:00"
    assert "48 h urgent threshold" in alert.note and alert.note.startswith("<p>")


def test_confirm_alert_date_in_the_configured_time_zone() -> None:
    ctx = context(order=order(commitment_date=at(20), create_date=datetime(2026, 11, 26, 15, 0, tzinfo=UTC)))
    plan = plan_order(ctx, rules(calendar={"timezone": "Asia/Shanghai"}), NOW)
    alert = next(a for a in plan.alerts if a.kind == "confirm")
    assert alert.due == datetime(2026, 11, 26, 17, 0, tzinfo=UTC)
    assert alert.date_deadline == date(2026, 11, 27)  # 01:00 next day in Shanghai


def test_no_confirm_alert_for_normal_or_processed_orders() -> None:
    assert not plan_order(context(), rules(), NOW).alerts
    confirmed = context(order=order(commitment_date=at(20), state="sale"))
    assert not [a for a in plan_order(confirmed, rules(), NOW).alerts if a.kind in ("confirm", "breach")]


def test_raised_tier_alerts_again() -> None:
    ctx = context(order=order(commitment_date=at(100)))
    first = plan_order(ctx, rules(), NOW)
    assert "confirm:sale.order:12:special" in keys(first)
    raised = apply(ctx, first).model_copy(update={"order": apply(ctx, first).order.model_copy(
        update={"note": "line stop"})})
    assert "confirm:sale.order:12:urgent" in keys(plan_order(raised, rules(), NOW))


def test_breach_escalates_to_the_team_leader_then_the_director() -> None:
    """第九条 如遇到特殊情况，应及时上报领导: deadline passed → manager; twice the time → one level higher."""
    ctx = context(order=order(commitment_date=at(20)))
    level1 = plan_order(ctx, rules(), at(2.5))
    assert level1.decision.breached and level1.decision.escalation_level == 1
    breach = next(a for a in level1.alerts if a.kind == "breach")
    assert (breach.key, breach.role, breach.user_id) == ("breach1:sale.order:12", "team_leader", LEADER)
    level2 = plan_order(apply(ctx, level1), rules(), at(4.5))
    assert level2.decision.escalation_level == 2
    assert [(a.key, a.user_id) for a in level2.alerts] == [("breach2:sale.order:12", DIRECTOR)]


def test_breach_without_team_leader_uses_the_configured_manager() -> None:
    ctx = context(order=order(commitment_date=at(20)), team=team(leader=None))
    plan = plan_order(ctx, rules(escalation={"manager_user_id": 77}), at(3))
    assert next(a for a in plan.alerts if a.kind == "breach").user_id == 77


def test_breach_of_a_team_without_leader_still_reaches_someone() -> None:
    """Defect 1 (issue 14): no team leader, no manager configured → the escalation used to go silent."""
    ctx = context(order=order(commitment_date=at(20)), team=None)
    plan = plan_order(ctx, rules(), at(3))
    breach = next(a for a in plan.alerts if a.kind == "breach")
    assert breach.user_id == SALESPERSON and breach.via == ["team_leader ← order.salesperson"]
    assert "unrouted" not in [r.code for r in plan.decision.reasons]


def test_breach_with_a_chain_that_runs_dry_says_so() -> None:
    ctx = context(order=order(commitment_date=at(20), user_id=None), team=None)
    plan = plan_order(ctx, rules(), at(3))
    assert not [a for a in plan.alerts if a.kind == "breach"]
    assert "nobody to send the sales team leader alert to" in " ".join(r.text for r in plan.decision.reasons)


def test_processed_late_is_breached_but_not_escalated() -> None:
    ctx = context(order=order(commitment_date=at(20), state="sale", date_order=at(3)))
    plan = plan_order(ctx, rules(), at(10))
    assert plan.decision.breached and plan.decision.escalation_level == 0


def test_locked_order_of_odoo_16_counts_as_processed() -> None:
    plan = plan_order(context(order=order(state="done", date_order=at(1))), rules(), at(30))
    assert plan.decision.processed and not plan.decision.breached


# --- production: priority, reschedule, feasibility, shortage ----------------------------------------------------


def test_urgent_mo_gets_priority_and_an_earlier_start() -> None:
    """生产部门需要根据紧急需求的情况，做出生产计划的调整."""
    ctx = context(order=order(commitment_date=at(40), state="sale"), mos=[mo(start=at(72))])
    plan = plan_order(ctx, rules(), NOW)
    write = next(w for w in plan.writes if w.model == "mrp.production")
    # must finish 24 h before the requested delivery: at(16); 8 h of work → start at(8)
    assert write.values == {"priority": "1", "planned_start": "2026-11-26 18:00:00",
                            "planned_finished": "2026-11-27 02:00:00"}
    assert write.expected == {"priority": "0", "planned_start": "2026-11-29 10:00:00",
                              "planned_finished": "2026-11-29 18:00:00"}
    alert = next(a for a in plan.alerts if a.kind == "mo_priority")
    assert (alert.key, alert.user_id, alert.model) == ("mo_priority:mrp.production:5", PLANNER, "mrp.production")
    assert plan.decision.feasible is True


def test_mo_start_never_moves_into_the_past() -> None:
    ctx = context(order=order(commitment_date=at(30), state="sale"), mos=[mo(start=at(40))])
    write = next(w for w in plan_order(ctx, rules(), NOW).writes if w.model == "mrp.production")
    assert write.values["planned_start"] == "2026-11-26 10:00:00"  # now, not at(-2)


def test_mo_already_early_enough_is_not_moved() -> None:
    ctx = context(order=order(commitment_date=at(40), state="sale"), mos=[mo(start=at(1), priority="1")])
    assert not [w for w in plan_order(ctx, rules(), NOW).writes if w.model == "mrp.production" and w.values]


def test_mo_moved_by_a_user_is_left_alone() -> None:
    ctx = context(order=order(commitment_date=at(40), state="sale"), mos=[mo(start=at(72), priority="1")],
                  memo={"mrp.production:5": {"planned_start": "2026-11-26 18:00:00", "priority": "1"}})
    assert [w for w in plan_order(ctx, rules(), NOW).writes if w.model == "mrp.production" and w.values] == []


def test_mo_a_planner_locked_keeps_its_dates() -> None:
    """``x_urgency_locked`` (the field install adds): the lead-time rule moves no such MO either."""
    ctx = context(order=order(commitment_date=at(40), state="sale"), mos=[mo(start=at(72), x_urgency_locked=True)])
    writes = [w for w in plan_order(ctx, rules(), NOW).writes if w.model == "mrp.production"]
    assert all("planned_start" not in w.values and "planned_finished" not in w.values for w in writes)
    assert any(w.values.get("priority") == "1" for w in writes)  # it is still urgent work


def test_priority_lowered_by_a_user_stays_lowered() -> None:
    ctx = context(order=order(commitment_date=at(300), note="urgent", state="sale"), mos=[mo(start=at(1))],
                  memo={"mrp.production:5": {"priority": "1"}})
    assert [w for w in plan_order(ctx, rules(), NOW).writes if w.model == "mrp.production" and w.values] == []


def test_priority_the_plugin_set_goes_back_when_no_longer_urgent() -> None:
    ctx = context(order=order(state="sale"), mos=[mo(priority="1")], memo={"mrp.production:5": {"priority": "1"}})
    write = next(w for w in plan_order(ctx, rules(), NOW).writes if w.model == "mrp.production")
    assert write.values == {"priority": "0"}


def test_priority_set_by_someone_else_is_never_lowered() -> None:
    ctx = context(order=order(state="sale"), mos=[mo(priority="1")])
    assert not [w for w in plan_order(ctx, rules(), NOW).writes if w.model == "mrp.production" and w.values]


def test_infeasible_order_tells_sales_and_planner_at_once() -> None:
    """生管: 对于无法完成的紧急订单，要立即向业务解释和通报生产状况."""
    ctx = context(order=order(commitment_date=at(6), state="sale"), mos=[mo(start=at(10), finish=at(20))])
    plan = plan_order(ctx, rules(), NOW)
    assert plan.decision.feasible is False
    infeasible = {a.key: a for a in plan.alerts if a.kind == "infeasible"}
    assert set(infeasible) == {"infeasible:mrp.production:5:salesperson", "infeasible:mrp.production:5:planner"}
    assert infeasible["infeasible:mrp.production:5:salesperson"].user_id == SALESPERSON
    note = infeasible["infeasible:mrp.production:5:planner"].note
    # The verdict counts the delivery buffer (24 h) like the reschedule does: it had to be finished 18 h ago.
    assert "needs 10 h" in note and "has already passed" in note and "28 h late" in note


def test_one_verdict_with_the_delivery_buffer() -> None:
    """The reschedule's finish target and the verdict agree: an MO that can finish before the requested delivery
    but not before the delivery buffer is infeasible (it used to be called feasible)."""
    ctx = context(order=order(commitment_date=at(30), state="sale"), mos=[mo(start=at(10), finish=at(20))])
    plan = plan_order(ctx, rules(), NOW)
    assert plan.decision.feasible is False
    note = next(a for a in plan.alerts if a.kind == "infeasible").note
    assert "only 6 h remain" in note and "4 h late" in note
    assert plan_order(ctx, rules(production={"delivery_buffer_hours": 4}), NOW).decision.feasible is True


def test_infeasible_in_chinese() -> None:
    ctx = context(order=order(commitment_date=at(6), state="sale"), mos=[mo(start=at(10), finish=at(20))])
    plan = plan_order(ctx, rules(language="zh"), NOW)
    alert = next(a for a in plan.alerts if a.kind == "infeasible")
    assert "无法按时完成" in alert.summary and "延误 28 小时" in alert.note


def test_stock_shortfall_alerts_the_planner() -> None:
    """生产部门确认是否有库存可供紧急发货: ordered above stock on hand → planner alert, per order and product."""
    ctx = context(order=order(commitment_date=at(20)), lines=[line(7, qty=5), line(8, qty=1)],
                  products={7: product(7, on_hand=2), 8: product(8, on_hand=0, type_="service")})
    plan = plan_order(ctx, rules(), NOW)
    shortages = [a for a in plan.alerts if a.kind == "shortage"]
    assert [(a.key, a.user_id) for a in shortages] == [("shortage:sale.order:12:7", PLANNER)]
    assert "needs 5 of [DESK] Desk; only 2 on hand" in shortages[0].note


def test_no_shortage_alert_for_normal_orders() -> None:
    ctx = context(lines=[line(7, qty=5)], products={7: product(7, on_hand=0)})
    assert not plan_order(ctx, rules(), NOW).alerts


# --- logistics -----------------------------------------------------------------------------------------------------


def test_urgent_delivery_priority_date_and_logistics_alert() -> None:
    """物流部门需要…安排合适的运输方式和路线，确保货物能够及时送达客户手中."""
    ctx = context(order=order(commitment_date=at(40), state="sale"),
                  pickings=[picking(scheduled=at(60)), picking(10, picking_type_code="incoming")])
    plan = plan_order(ctx, rules(), NOW)
    write = next(w for w in plan.writes if w.model == "stock.picking")
    assert write.res_id == 9
    assert write.values == {"priority": "1", "scheduled_date": "2026-11-27 14:00:00"}  # 40 h - 12 h transit
    alert = next(a for a in plan.alerts if a.kind == "delivery")
    assert (alert.key, alert.user_id, alert.role) == ("delivery:stock.picking:9", LOGISTICS, "logistics")


def test_special_delivery_keeps_its_date() -> None:
    ctx = context(order=order(commitment_date=at(100), state="sale"), pickings=[picking(scheduled=at(200))])
    assert not [w for w in plan_order(ctx, rules(), NOW).writes if w.model == "stock.picking"]


def test_alerts_switch_turns_every_alert_off() -> None:
    ctx = context(order=order(commitment_date=at(6)), mos=[mo(start=at(10), finish=at(20))],
                  pickings=[picking()])
    plan = plan_order(ctx, rules(alerts={"enabled": False}), at(5))
    assert plan.alerts == [] and plan.writes


def test_replanning_after_applying_is_empty() -> None:
    ctx = context(order=order(commitment_date=at(40), note="停线"), mos=[mo(start=at(40))],
                  pickings=[picking(scheduled=at(60))], lines=[line(7)], products={7: product(7)})
    plan = plan_order(ctx, rules(), NOW)
    assert {a.kind for a in plan.alerts} == {"confirm", "mo_priority", "shortage", "delivery"}
    again = apply(ctx, plan)
    assert plan_order(again, rules(), NOW).is_empty()
    assert plan_order(again, rules(), NOW + timedelta(minutes=30)).is_empty()
