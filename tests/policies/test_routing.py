"""Routing alerts (issue 14): every role's chain ends in someone who exists, one alert per person per situation,
deadlines never shown in the past as if ahead."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from odoo_urgency.policies import plan_order
from odoo_urgency.policies.routing import Directory, Person, RoutingConfig, chain_problems
from odoo_urgency.policies.routing.table import routing_table
from tests.policies.factories import (
    LEADER,
    PLANNER,
    SALESPERSON,
    apply,
    at,
    context,
    mo,
    order,
    picking,
    rules,
    team,
)

ADMIN = 2
SALES_ADMINS = "sales_team.group_sale_manager"


def directory(*, archived: tuple[int, ...] = (), groups: dict[str, list[int]] | None = None) -> Directory:
    people = {uid: Person(id=uid, login=f"user{uid}", name=f"User {uid}", active=uid not in archived)
              for uid in (ADMIN, SALESPERSON, PLANNER, 30, 40, 50, 51)}
    return Directory(people=people, groups=groups if groups is not None else {SALES_ADMINS: [ADMIN]})


def test_defect_1_breach_without_leader_or_manager_goes_to_the_sales_administrators() -> None:
    ctx = context(order=order(commitment_date=at(20)), team=team(leader=None), directory=directory())
    plan = plan_order(ctx, rules(), at(3))
    breach = next(a for a in plan.alerts if a.kind == "breach")
    assert breach.user_id == ADMIN
    assert breach.via == ["team_leader ← group:sales_team.group_sale_manager"]
    assert "reached through" in breach.note


def test_archived_users_are_skipped() -> None:
    ctx = context(order=order(commitment_date=at(20)), directory=directory(archived=(LEADER,)),
                  team=team(leader=LEADER))
    # LEADER (2) is archived: the team leader's chain goes on to the manager's, the Sales Administrators — whose
    # only member here is that same archived user — then to the salesperson.
    plan = plan_order(ctx, rules(), at(3))
    assert next(a for a in plan.alerts if a.kind == "breach").user_id == SALESPERSON


def test_a_user_missing_from_the_directory_is_not_a_recipient() -> None:
    ctx = context(order=order(commitment_date=at(20), user_id=[999, "Gone"]), directory=directory())
    confirm = next(a for a in plan_order(ctx, rules(), at(1)).alerts if a.kind == "confirm")
    assert confirm.user_id == LEADER and confirm.via == ["salesperson ← order.team_leader"]


def _infeasible_ctx(**over: object) -> object:
    late = mo(start=at(1), finish=at(41), user_id=[SALESPERSON, "Marc Demo"])  # 40 h of work, requested in 20 h
    return context(order=order(commitment_date=at(20)), mos=[late], **over)


def test_defect_2_salesperson_and_planner_as_one_user_get_one_alert_naming_both_roles() -> None:
    plan = plan_order(_infeasible_ctx(), rules(), at(0.5))
    infeasible = [a for a in plan.alerts if a.kind == "infeasible"]
    assert len(infeasible) == 1
    alert = infeasible[0]
    assert alert.user_id == SALESPERSON and alert.roles == ["salesperson", "planner"]
    assert alert.keys == ["infeasible:mrp.production:5:salesperson", "infeasible:mrp.production:5:planner"]
    assert "salesperson and production planner" in alert.note
    assert "As salesperson:" in alert.note and "As production planner:" in alert.note


def test_one_person_already_told_under_one_role_is_not_told_again_under_another() -> None:
    ctx = _infeasible_ctx(sent_alerts={"infeasible:mrp.production:5:salesperson"})
    assert not [a for a in plan_order(ctx, rules(), at(0.5)).alerts if a.kind == "infeasible"]


def test_merged_alert_is_planned_once_over_many_cycles() -> None:
    ctx = _infeasible_ctx()
    first = plan_order(ctx, rules(), at(0.5))
    again = plan_order(apply(ctx, first), rules(), at(0.6))
    assert [a for a in first.alerts if a.kind == "infeasible"] and not again.alerts


def test_a_group_reaches_each_active_member_with_a_key_of_their_own() -> None:
    ctx = context(order=order(commitment_date=at(20)), team=None,
                  directory=directory(archived=(51,), groups={SALES_ADMINS: [50, 51, ADMIN]}))
    plan = plan_order(ctx, rules(routing={"team_leader": ["order.team_leader", "role:manager"]}), at(3))
    breaches = sorted((a.user_id, a.key) for a in plan.alerts if a.kind == "breach")
    assert breaches == [(ADMIN, "breach1:sale.order:12@2"), (50, "breach1:sale.order:12@50")]


def test_defect_3_a_deadline_in_the_past_is_never_shown_as_ahead() -> None:
    requested = at(14)  # urgent delivery: ship by requested − 12 h transit = at(2)
    ctx = context(order=order(commitment_date=requested), pickings=[picking(scheduled=at(1))])
    late = plan_order(ctx, rules(), at(4))
    delivery = next(a for a in late.alerts if a.kind == "delivery")
    assert delivery.summary == "Urgent delivery WH/OUT/00009 for S00012: overdue since 11-26 12:00 — ship now"
    assert "ship by" not in delivery.summary and "overdue since" in delivery.note
    confirm = next(a for a in late.alerts if a.kind == "confirm")
    assert "overdue since 11-26 12:00 — confirm now" in confirm.summary
    early = plan_order(ctx, rules(), at(0.5))
    assert next(a for a in early.alerts if a.kind == "delivery").summary.endswith("ship by 11-26 12:00")


def test_no_alert_text_states_a_past_time_as_a_deadline_ahead() -> None:
    ctx = _infeasible_ctx(pickings=[picking(scheduled=at(1))])
    for hours in (0.5, 3, 10, 30, 60):
        now = at(hours)
        for alert in plan_order(ctx, rules(), now).alerts:
            if alert.due < now and alert.action is not None:
                assert " by " not in alert.summary, alert.summary
                assert "By when: " in alert.note
                assert "overdue since" in alert.note or "has passed" in alert.note, alert.note


def test_chinese_overdue_text() -> None:
    ctx = context(order=order(commitment_date=at(14)), pickings=[picking(scheduled=at(1))])
    delivery = next(a for a in plan_order(ctx, rules(language="zh"), at(4)).alerts if a.kind == "delivery")
    assert "已于 11-26 12:00 逾期——请立即发运" in delivery.summary


def test_chains_are_checked_at_start() -> None:
    with pytest.raises(ValidationError, match="circle"):
        RoutingConfig(manager=["role:director"], director=["role:manager"])
    with pytest.raises(ValidationError, match="unknown source"):
        RoutingConfig(planner=["mo.owner"])
    with pytest.raises(ValidationError, match="unknown role"):
        RoutingConfig(planner=["role:boss"])
    assert chain_problems(RoutingConfig()) == []
    assert chain_problems(RoutingConfig(logistics=["picking.responsible"])) == [
        "rules.routing.logistics: every source depends on the record; add a group or a user"]


def test_routing_table_names_who_and_from_where() -> None:
    table = {row.role: row for row in routing_table(rules(), directory())}
    assert table["team_leader"].floor == [ADMIN]
    assert table["team_leader"].floor_source == "role:manager → group:sales_team.group_sale_manager"
    assert table["director"].floor == [40] and table["director"].floor_source == "config.director"
    assert table["purchasing"].floor == [PLANNER]  # config.planner, through role:planner
    assert ("order.team_leader", "per order") in table["team_leader"].steps
    assert all(row.routable for row in table.values())


def test_routing_table_fails_where_nobody_can_be_reached() -> None:
    bare = rules(escalation={"director_user_id": 0}, production={"planner_user_id": 0, "logistics_user_id": 0})
    table = {row.role: row for row in routing_table(bare, directory(groups={}))}
    assert not table["manager"].routable and not table["director"].routable
    assert ("group:sales_team.group_sale_manager", "group not found in this database") in table["manager"].steps


def test_an_archived_configured_user_is_reported() -> None:
    table = {row.role: row for row in routing_table(rules(), directory(archived=(40,)))}
    assert table["director"].warnings and table["director"].floor == [ADMIN]


def test_defect_4_times_for_json_are_iso_8601_with_offset() -> None:
    from datetime import datetime, timezone

    from odoo_urgency.policies.wire import iso8601

    assert iso8601(datetime(2026, 12, 3, 5, 32, 11, 500, tzinfo=timezone.utc)) == "2026-12-03T05:32:11+00:00"
    assert iso8601(datetime(2026, 12, 3, 5, 32, 11)) == "2026-12-03T05:32:11+00:00"
    assert datetime.fromisoformat(iso8601(at(0)) or "").utcoffset() is not None
    assert iso8601(None) is None
