"""Properties of the rules, checked on generated orders (hypothesis)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo_urgency.connector.records import Ref, format_datetime
from odoo_urgency.policies import OrderContext, Tier, classify, plan_order, processing_deadline
from tests.policies.factories import (
    NOW,
    TIER_TAGS,
    apply,
    at,
    context,
    line,
    mo,
    order,
    partner,
    picking,
    product,
    rules,
    team,
)

hours = st.floats(min_value=-48, max_value=400, allow_nan=False).map(lambda h: round(h, 2))
tiers = st.sampled_from(list(Tier))
words = st.sampled_from([None, "urgent", "停线", "原料紧急缺货", "please expedite", "nothing special here", "加急"])
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def contexts(draw: st.DrawFn) -> OrderContext:
    """An order with optional signals, MOs, deliveries and lines, in install or tag mode."""
    install = draw(st.booleans())
    created = NOW - timedelta(hours=draw(st.floats(min_value=0, max_value=30)))
    state = draw(st.sampled_from(["draft", "sent", "sale", "done"]))
    requested = draw(st.none() | hours.map(lambda h: at(h)))
    the_order = order(
        create_date=created.replace(microsecond=0), state=state, commitment_date=requested,
        note=draw(words), client_order_ref=draw(words),
        amount_total=draw(st.sampled_from([100.0, 50000.0, 120000.0])),
        user_id=draw(st.sampled_from([Ref(id=6, name="Marc"), None])),
    )
    mos = [
        mo(index + 5, start=at(draw(hours)), finish=None if draw(st.booleans()) else at(draw(hours)),
           priority=draw(st.sampled_from(["0", "1"])), state=draw(st.sampled_from(["draft", "confirmed", "progress"])),
           user_id=draw(st.sampled_from([False, [20, "Planner"]])))
        for index in range(draw(st.integers(0, 2)))
    ]
    pickings = [
        picking(index + 9, scheduled=at(draw(hours)), priority=draw(st.sampled_from(["0", "1"])),
                picking_type_code=draw(st.sampled_from(["outgoing", "outgoing", "incoming"])))
        for index in range(draw(st.integers(0, 2)))
    ]
    extra: dict[str, Any] = {}
    if not install:
        extra = {"install_mode": False, "tier_tag_ids": TIER_TAGS}
    return context(
        order=the_order, mos=mos, pickings=pickings,
        lines=[line(7, qty=draw(st.sampled_from([1.0, 10.0])))], products={7: product(7, on_hand=5)},
        partner=partner(categories=draw(st.sampled_from([[], [4]]))), category_names={4: "VIP"},
        team=draw(st.sampled_from([team(), team(leader=None)])), **extra,
    )


@SETTINGS
@given(contexts(), st.floats(min_value=0, max_value=80))
def test_planning_the_state_a_plan_produced_is_empty(ctx: OrderContext, later: float) -> None:
    """Idempotence: apply the writes, store them in the memo and the alert keys in sent_alerts → nothing to do."""
    now = NOW + timedelta(hours=later, microseconds=123456)
    config = rules(calendar={"mode": "working"}) if later > 40 else rules()
    first = plan_order(ctx, config, now)
    state = apply(ctx, first)
    second = plan_order(state, config, now)
    assert second.is_empty(), (second.writes, [a.key for a in second.alerts])
    # a little later, with no new situation: no writes; only alerts a crossed deadline explains
    third = plan_order(state, config, now + timedelta(seconds=5))
    assert third.writes == []
    assert {a.kind for a in third.alerts} <= {"breach", "infeasible"}


@SETTINGS
@given(contexts(), hours, hours)
def test_shorter_lead_time_never_lowers_the_tier(ctx: OrderContext, a: float, b: float) -> None:
    short, long = sorted((a, b))
    received = ctx.order.create_date
    assert received is not None
    tier_short, _ = classify(ctx.model_copy(update={"order": ctx.order.model_copy(
        update={"commitment_date": received + timedelta(hours=short)})}), rules(), NOW)
    tier_long, _ = classify(ctx.model_copy(update={"order": ctx.order.model_copy(
        update={"commitment_date": received + timedelta(hours=long)})}), rules(), NOW)
    assert tier_short.rank >= tier_long.rank


@SETTINGS
@given(st.datetimes(timezones=st.just(NOW.tzinfo)), tiers,  # type: ignore[arg-type]
       st.floats(min_value=0.1, max_value=200, allow_nan=False))
def test_calendar_deadline_is_received_plus_hours(received: Any, tier: Tier, normal: float) -> None:
    config = rules(tiers={"normal": normal, "special": normal / 2, "urgent": normal / 4})
    assert processing_deadline(received, tier, config) == received + timedelta(hours=config.tiers.hours(tier))


@SETTINGS
@given(contexts(), tiers, st.booleans())
def test_manual_tier_is_never_overwritten(ctx: OrderContext, manual: Tier, flag: bool) -> None:
    """Whatever the signals say, no write touches the tier fields or tags of an order a user fixed."""
    if ctx.install_mode:
        memo = {} if flag else {"sale.order:12": {"x_urgency": "normal" if manual is not Tier.NORMAL else "urgent"}}
        ctx = ctx.model_copy(update={"memo": memo, "order": ctx.order.model_copy(
            update={"x_urgency": manual.value, "x_urgency_manual": flag})})
    else:
        ctx = ctx.model_copy(update={"order": ctx.order.model_copy(
            update={"tag_ids": [*ctx.order.tag_ids, TIER_TAGS[manual]]})})
    plan = plan_order(ctx, rules(), NOW)
    assert plan.decision.manual and plan.decision.tier is manual
    order_writes = [write for write in plan.writes if write.model == "sale.order"]
    touched = {key for write in order_writes for key in write.values}
    assert not touched & {"x_urgency", "x_urgency_reason", "tag_ids"}
    # The deadline shown beside a hand-set tier follows that tier, never another one.
    for write in order_writes:
        if "x_urgency_deadline" in write.values:
            assert ctx.order.create_date is not None
            expected = processing_deadline(ctx.order.create_date, manual, rules())
            assert write.values["x_urgency_deadline"] == format_datetime(expected)


@SETTINGS
@given(contexts(), st.floats(min_value=0, max_value=100, allow_nan=False))
def test_mo_start_never_in_the_past_nor_later(ctx: OrderContext, later: float) -> None:
    now = NOW + timedelta(hours=later, microseconds=500)
    plan = plan_order(ctx, rules(), now)
    before = {m.id: m.planned_start for m in ctx.mos}
    for write in plan.writes:
        if write.model == "mrp.production" and "planned_start" in write.values:
            new = datetime.fromisoformat(write.values["planned_start"] + "+00:00")
            assert new >= now
            old = before[write.res_id]
            assert old is None or new < old
