"""The capacity planner's alerts are routed like every alert (#20): through the role chains of ``[rules.routing]``
— an archived salesperson's alert goes on down the chain instead of reaching nobody who reads it — and one
activity, naming both roles, when the salesperson and the planner are the same person."""

from __future__ import annotations

from odoo_urgency.policies import Rules
from odoo_urgency.policies.planning.alerts import People, capacity_alerts
from odoo_urgency.policies.routing.directory import Directory, Person
from tests.report.test_overtime import _schedule

ADMIN, DEMO, MANAGER, ARCHIVED = 2, 6, 7, 9


def directory(*archived: int) -> Directory:
    people = {uid: Person(id=uid, login=f"u{uid}", active=uid not in archived) for uid in (ADMIN, DEMO, MANAGER,
                                                                                          ARCHIVED)}
    return Directory(people=people, groups={"sales_team.group_sale_manager": [MANAGER],
                                            "mrp.group_mrp_manager": [ADMIN]})


def test_one_person_in_both_roles_gets_one_alert_naming_both() -> None:
    jobs, schedule = _schedule()
    alerts = capacity_alerts(jobs, schedule, {1: People("S00001", ADMIN, ADMIN)}, Rules(), set(), jobs[0].due,
                             directory=directory())
    assert [(a.user_id, a.roles) for a in alerts] == [(ADMIN, ["salesperson", "planner"])]
    assert alerts[0].keys == ["capacity:mrp.production:1:salesperson", "capacity:mrp.production:1:planner"]


def test_an_archived_salesperson_is_passed_over_for_the_next_in_the_chain() -> None:
    jobs, schedule = _schedule()
    alerts = capacity_alerts(jobs, schedule, {1: People("S00001", ARCHIVED, DEMO)}, Rules(), set(), jobs[0].due,
                             directory=directory(ARCHIVED))
    got = {a.user_id: (a.roles, a.via) for a in alerts}
    assert ARCHIVED not in got and got[DEMO][0] == ["planner"]
    fallback = [uid for uid, (roles, _) in got.items() if roles == ["salesperson"]]
    assert fallback and fallback[0] != ARCHIVED
    assert any("←" in step for step in got[fallback[0]][1])  # the note says it came down the chain


def test_known_keys_are_not_alerted_again() -> None:
    jobs, schedule = _schedule()
    known = {"capacity:mrp.production:1:salesperson", "capacity:mrp.production:1:planner"}
    alerts = capacity_alerts(jobs, schedule, {1: People("S00001", ADMIN, DEMO)}, Rules(), known, jobs[0].due,
                             directory=directory())
    assert [a for a in alerts if a.res_id == 1] == []
