"""The planner on small factories whose right answer a planner can check by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from odoo_urgency.policies.planning import (
    Attendance,
    Job,
    Operation,
    PlanningLimits,
    Schedule,
    WorkCenter,
    WorkingTime,
)
from odoo_urgency.policies.planning.planner import plan_capacity
from odoo_urgency.policies.planning.quality import capacity_blind, first_come_first_served_schedule, measure
from odoo_urgency.policies.tiers import Tier

NOW = datetime(2026, 12, 3, 9, 17, tzinfo=UTC)  # Thursday 10:17 in Brussels
STANDARD = WorkingTime("Europe/Brussels", tuple(
    Attendance(day, a, b) for day in range(5) for a, b in ((8.0, 12.0), (13.0, 17.0))), name="Standard 40 h")
LINE = WorkCenter(1, "Assembly Line 1", STANDARD)
LIMITS = PlanningLimits(horizon_days=21, solver_seconds=2.0)
TODAY_CLOSE = datetime(2026, 12, 3, 16, 0, tzinfo=UTC)  # 17:00 Brussels


def op(op_id: int, minutes: float, start: datetime | None = None, finish: datetime | None = None) -> Operation:
    return Operation(op_id, f"op{op_id}", LINE.id, minutes, start, finish)


def test_one_line_two_urgent_one_normal() -> None:
    """The demo's story: urgent first, earliest due first within the tier (so the hopeless MO, due first, runs
    first, as first-come-first-served would run it), the normal MO waits within its slack, and the late urgent
    MOs are told what overtime would take."""
    later = Job(1, "WH/MO/00001", Tier.URGENT, NOW + timedelta(hours=30),
                (op(11, 480, NOW + timedelta(days=3), NOW + timedelta(days=3, hours=9)),))
    hopeless = Job(2, "WH/MO/00002", Tier.URGENT, NOW + timedelta(hours=6),
                   (op(21, 960, NOW + timedelta(hours=1), NOW + timedelta(hours=17)),))
    normal = Job(3, "WH/MO/00003", Tier.NORMAL, NOW + timedelta(days=14),
                 (op(31, 480, NOW + timedelta(hours=22), NOW + timedelta(hours=31)),))
    schedule = plan_capacity([later, hopeless, normal], [LINE], NOW, LIMITS)
    assert schedule.method == "cp-sat optimal"
    assert schedule.jobs[2].start == NOW and schedule.jobs[2].finish <= schedule.jobs[1].start
    assert schedule.jobs[1].start - schedule.jobs[2].finish <= timedelta(hours=1)  # right after, no gap
    assert schedule.jobs[3].late_hours == 0 and schedule.jobs[3].start >= schedule.jobs[1].finish
    hopeless_short = schedule.shortfalls[2]
    assert hopeless_short.late_hours > 0 and not hopeless_short.overtime_suffices
    assert [(o.day, o.hours) for o in hopeless_short.overtime] == [(date(2026, 12, 3), 4.0)]
    assert [o.day for o in schedule.shortfalls[1].overtime] == [date(2026, 12, 3), date(2026, 12, 4)]


def test_an_order_already_on_time_is_kept_exactly() -> None:
    friday = datetime(2026, 12, 4, 7, 0, tzinfo=UTC)  # 08:00 in Brussels
    calm = Job(1, "MO1", Tier.NORMAL, NOW + timedelta(days=5), (op(11, 120, friday, friday + timedelta(hours=2)),))
    schedule = plan_capacity([calm], [LINE], NOW, LIMITS)
    assert not schedule.jobs[1].moved and schedule.jobs[1].start == calm.start


def test_when_slack_forbids_it_the_plan_says_what_would_make_it() -> None:
    """A normal MO due before the urgent one holds the rest of today: first-come-first-served would also run it
    first, so it keeps its slot; the urgent one is late and the plan names overtime and the slip."""
    normal = Job(1, "MO-normal", Tier.NORMAL, TODAY_CLOSE, (op(11, 300, NOW, NOW + timedelta(hours=6)),))
    urgent = Job(2, "MO-urgent", Tier.URGENT, TODAY_CLOSE + timedelta(minutes=1), (op(21, 120),))
    schedule = plan_capacity([normal, urgent], [LINE], NOW, LIMITS)
    assert not schedule.jobs[1].moved
    shortfall = schedule.shortfalls[2]
    assert shortfall.overtime_suffices and [o.day for o in shortfall.overtime] == [date(2026, 12, 3)]
    assert 1.0 < sum(o.hours for o in shortfall.overtime) < 2.0
    assert shortfall.slips_suffice and [s.job for s in shortfall.slips] == ["MO-normal"]


def test_an_alternative_work_center_takes_the_overflow() -> None:
    spare = WorkCenter(2, "Assembly Line 2", STANDARD, efficiency=50.0)
    line = WorkCenter(1, "Assembly Line 1", STANDARD, alternatives=(2,))
    jobs = [Job(i, f"MO{i}", Tier.URGENT, NOW + timedelta(hours=5), (op(10 + i, 120),)) for i in (1, 2)]
    schedule = plan_capacity(jobs, [line, spare], NOW, LIMITS)
    used = sorted(o.workcenter_id for o in schedule.operations.values())
    assert used == [1, 2]
    on_spare = next(o for o in schedule.operations.values() if o.workcenter_id == 2)
    assert STANDARD.working_hours(on_spare.start, on_spare.finish) == 4.0  # half the efficiency, twice the time


def test_the_capacity_blind_rule_overbooks_where_the_planner_does_not() -> None:
    jobs = [Job(i, f"MO{i}", Tier.URGENT, NOW + timedelta(hours=8),
                (op(10 + i, 240, NOW + timedelta(days=2), NOW + timedelta(days=2, hours=5)),)) for i in (1, 2, 3)]
    blind = measure(jobs, [LINE], capacity_blind(jobs, NOW))
    planned = measure(jobs, [LINE], plan_capacity(jobs, [LINE], NOW, LIMITS))
    fcfs = measure(jobs, [LINE], first_come_first_served_schedule(jobs, [LINE], NOW, LIMITS))
    assert blind.overbooked_hours > 0 and blind.urgent_on_time == 3  # "on time" on paper only
    assert planned.overbooked_hours == 0 and planned.off_hours == 0 and fcfs.overbooked_hours == 0
    assert planned.urgent_on_time >= fcfs.urgent_on_time


def test_a_large_factory_is_solved_near_term_and_the_rest_keeps_the_dispatch() -> None:
    """More operations than ``solver_operations``: urgent jobs and the earliest-starting others go to the solver,
    the rest is held where the dispatch put it — and the schedule says so."""
    from odoo_urgency.policies.planning.dispatch import dispatch
    from odoo_urgency.policies.planning.problem import build_problem
    from odoo_urgency.policies.planning.window import free_jobs, window

    normals = [Job(n, f"MO{n}", Tier.NORMAL, NOW + timedelta(days=20), (op(10 * n, 240),)) for n in range(1, 9)]
    urgent = Job(9, "MO9", Tier.URGENT, NOW + timedelta(hours=5), (op(90, 120),))
    limits = PlanningLimits(horizon_days=21, solver_seconds=2.0, solver_operations=3)
    problem = build_problem([*normals, urgent], [LINE], NOW, limits)
    start = dispatch(problem)
    chosen = {problem.jobs[i].job.name for i in free_jobs(problem, start, 3)}
    assert chosen == {"MO9", "MO1", "MO2"}  # the urgent one, then what the dispatch starts first
    part = window(problem, start, 3)
    assert len(part.problem.tasks) == 3 and part.up(part.down(start), start) == start
    schedule = plan_capacity([*normals, urgent], [LINE], NOW, limits)
    assert schedule.method.startswith("cp-sat ") and "on the first 3 of 9 operations" in schedule.method
    assert schedule.on_time(9) and schedule.jobs[9].start == NOW
    held = first_come_first_served_schedule(normals, [LINE], NOW, limits)
    for n in range(3, 9):  # held at the dispatch's place: after the urgent job and MO1, MO2
        assert schedule.jobs[n].start > held.jobs[n].start


def test_an_mo_nobody_planned_does_not_displace_planned_ones() -> None:
    """Found on a real Odoo 17: an unplanned demo MO (never written: "Plan" is the planner's decision) took the line
    from now, and three MOs Odoo had planned on time moved for it. Unplanned MOs start early only last."""
    first = Job(1, "MO1", Tier.NORMAL, NOW + timedelta(days=20), (op(11, 120, NOW, NOW + timedelta(hours=3)),))
    second = Job(2, "MO2", Tier.NORMAL, NOW + timedelta(days=20),
                 (op(21, 120, NOW + timedelta(hours=3), NOW + timedelta(hours=5)),))
    unplanned = Job(3, "MO3", Tier.NORMAL, None, (op(31, 60),))
    schedule = plan_capacity([first, second, unplanned], [LINE], NOW, LIMITS)
    assert not schedule.jobs[1].moved and not schedule.jobs[2].moved
    assert schedule.jobs[3].start == schedule.jobs[2].finish  # as early as the planned work leaves room


def _written_draft(job: Job, schedule: Schedule) -> Job:
    """The draft as the daemon reads it after writing the plan: Odoo keeps only the MO's dates on a draft."""
    outcome = schedule.jobs[job.id]
    assert outcome.start is not None and outcome.finish is not None
    return replace(job, draft_plan=(outcome.start, outcome.finish))


def test_a_draft_written_then_planned_again_minutes_later_stays() -> None:
    """The fixed point: a two-step draft planned behind a locked MO that holds the line for the rest of today,
    written (its MO dates only), planned again five minutes later with nothing else changed, keeps its start and
    finish to the minute. Before, it counted as never planned and was placed from scratch every cycle."""
    drill = WorkCenter(2, "Drill", STANDARD)
    held = Job(1, "MO1", Tier.URGENT, None, (op(11, 343, NOW, TODAY_CLOSE),), locked=True)
    draft = Job(2, "MO2", Tier.NORMAL, NOW + timedelta(days=10),
                (op(21, 60), Operation(22, "drill", drill.id, 90)), draft=True)
    first = plan_capacity([held, draft], [LINE, drill], NOW, LIMITS)
    assert first.jobs[2].start == datetime(2026, 12, 4, 7, 0, tzinfo=UTC)  # 08:00 tomorrow in Brussels
    again = plan_capacity([held, _written_draft(draft, first)], [LINE, drill], NOW + timedelta(minutes=5), LIMITS)
    assert (again.jobs[2].start, again.jobs[2].finish) == (first.jobs[2].start, first.jobs[2].finish)


def test_a_late_urgent_draft_is_still_pulled_earlier() -> None:
    """Keeping its written plan does not freeze a draft: late, it moves to the earliest room like any MO."""
    draft = Job(1, "MO1", Tier.URGENT, NOW + timedelta(hours=4), (op(11, 120),), draft=True,
                draft_plan=(NOW + timedelta(days=2), NOW + timedelta(days=2, hours=2)))
    schedule = plan_capacity([draft], [LINE], NOW, LIMITS)
    assert schedule.on_time(1) and schedule.jobs[1].finish == draft.due  # earlier, as far as needed
