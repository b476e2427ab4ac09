"""The capacity planner's promises, checked on generated factories (hypothesis).

No overlap beyond capacity on any work center; nothing planned in non-working time; started work untouched; an
urgent order never later than under first-come-first-served planning; a lower-tier MO pushed only within its
slack; a user's move (a locked MO) never undone; the same input gives the same plan.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from odoo_urgency.policies.planning import Attendance, Job, Operation, PlanningLimits, Schedule, WorkCenter, WorkingTime
from odoo_urgency.policies.planning.planner import plan_capacity
from odoo_urgency.policies.planning.quality import first_come_first_served_schedule
from odoo_urgency.policies.tiers import Tier

NOW = datetime(2026, 12, 3, 9, 17, tzinfo=UTC)  # a Thursday, mid-morning in Brussels
LIMITS = PlanningLimits(horizon_days=21, solver_seconds=2.0)
#: The same, with the solver given only a near-term window of four operations (the rest as dispatched).
WINDOWED = replace(LIMITS, solver_operations=4)
BOTH = pytest.mark.parametrize("limits", [LIMITS, WINDOWED], ids=["whole", "windowed"])
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

STANDARD = WorkingTime("Europe/Brussels", tuple(
    Attendance(day, a, b) for day in range(5) for a, b in ((8.0, 12.0), (13.0, 17.0))), name="Standard 40 h")
TWO_SHIFTS = WorkingTime("Asia/Shanghai", tuple(
    Attendance(day, a, b) for day in range(6) for a, b in ((6.0, 14.0), (14.5, 22.5))), name="Two shifts")
MAINTAINED = STANDARD.with_leaves([(NOW + timedelta(hours=20), NOW + timedelta(hours=44))])


@st.composite
def factories(draw: st.DrawFn) -> tuple[list[Job], list[WorkCenter]]:
    calendars = [STANDARD, TWO_SHIFTS, MAINTAINED]
    count = draw(st.integers(1, 3))
    centers = [WorkCenter(i + 1, f"WC{i + 1}", draw(st.sampled_from(calendars)), parallel=draw(st.sampled_from([1, 1, 2])))
               for i in range(count)]
    if count > 1 and draw(st.booleans()):
        centers[0] = replace(centers[0], alternatives=(2,), efficiency=100.0)
    jobs: list[Job] = []
    op_id = 100
    for number in range(draw(st.integers(1, 7))):
        ops = []
        for _ in range(draw(st.integers(1, 3))):
            op_id += 1
            ops.append(Operation(op_id, f"op{op_id}", draw(st.integers(1, count)),
                                 float(draw(st.integers(20, 600)))))
        due = NOW + timedelta(hours=draw(st.integers(2, 300)))
        jobs.append(Job(number + 1, f"MO{number + 1}", draw(st.sampled_from(list(Tier))), due, tuple(ops)))
    return _with_current_plan(draw, jobs, centers), centers


def _with_current_plan(draw: st.DrawFn, jobs: list[Job], centers: list[WorkCenter]) -> list[Job]:
    """Today's plan: a valid one (Odoo's own Plan of some of the jobs); some work begun, some MOs locked."""
    planned_ids = {job.id for job in jobs if draw(st.booleans())}
    today = first_come_first_served_schedule([j for j in jobs if j.id in planned_ids], centers, NOW, LIMITS)
    out = []
    for job in jobs:
        ops = []
        for op in job.operations:
            placed = today.operations.get(op.id)
            if placed is not None:
                op = replace(op, start=placed.start, finish=placed.finish, workcenter_id=placed.workcenter_id)
            ops.append(op)
        locked = job.id in planned_ids and draw(st.integers(0, 5)) == 0
        out.append(replace(job, operations=tuple(ops), locked=locked))
    return out


def _occupancy(jobs: list[Job], schedule: Schedule) -> dict[int, list[tuple[datetime, datetime]]]:
    spans: dict[int, list[tuple[datetime, datetime]]] = {}
    for job in jobs:
        for op in job.operations:
            placed = schedule.operations.get(op.id)
            if placed is not None:
                spans.setdefault(placed.workcenter_id, []).append((placed.start, placed.finish))
            elif op.start is not None and op.finish is not None:
                spans.setdefault(op.workcenter_id, []).append((op.start, op.finish))
    return spans


@BOTH
@SETTINGS
@given(case=factories())
def test_no_overlap_beyond_capacity_and_nothing_out_of_hours(case: tuple[list[Job], list[WorkCenter]],
                                                             limits: PlanningLimits) -> None:
    jobs, centers = case
    schedule = plan_capacity(jobs, centers, NOW, limits)
    by_id = {c.id: c for c in centers}
    minutes = {op.id: op.minutes for job in jobs for op in job.operations}
    for placed in schedule.operations.values():
        center = by_id[placed.workcenter_id]
        assert placed.start >= NOW
        work = center.calendar.working_hours(placed.start, placed.finish) * 60
        assert work >= minutes[placed.id] - 1, (placed, work)
        spans = center.calendar.spans(placed.start, placed.finish)
        assert spans and spans[0][0] == placed.start and spans[-1][1] == placed.finish, "starts or ends off hours"
    for wc_id, spans in _occupancy(jobs, schedule).items():
        events = sorted([(a, 1) for a, _ in spans] + [(b, -1) for _, b in spans], key=lambda e: (e[0], e[1]))
        level = 0
        for _, step in events:
            level += step
            assert level <= by_id[wc_id].parallel


@BOTH
@SETTINGS
@given(case=factories())
def test_urgent_orders_are_never_later_than_first_come_first_served(case: tuple[list[Job], list[WorkCenter]],
                                                                    limits: PlanningLimits) -> None:
    jobs, centers = case
    ours = plan_capacity(jobs, centers, NOW, limits)
    theirs = first_come_first_served_schedule(jobs, centers, NOW, LIMITS)
    for job in jobs:
        if job.tier is Tier.URGENT and not job.locked and theirs.jobs[job.id].placed:
            assert ours.jobs[job.id].late_hours <= theirs.jobs[job.id].late_hours + 1 / 60, job.name


def _at(hour: int, minute: int) -> datetime:
    return NOW.replace(hour=hour, minute=minute)


def _normal(number: int, wc_id: int, minutes: float, planned: tuple[datetime, datetime] | None = None,
            locked: bool = False, due: datetime = _at(11, 17)) -> Job:
    start, finish = planned or (None, None)
    op = Operation(100 + number, f"op{100 + number}", wc_id, minutes, start, finish)
    return Job(number, f"MO{number}", Tier.NORMAL, due, (op,), locked=locked)


#: Found by a random run: on a work center running two work orders at once, a locked MO was taken to hold both
#: units, so MO5 — on time beside it in today's plan — was pushed past its due (12:01 for 11:17).
LOCKED_BESIDE_ON_A_TWO_UNIT_CENTER = (
    [_normal(1, 2, 84, (_at(9, 17), _at(10, 41)), locked=True),
     _normal(2, 1, 20, (_at(9, 17), _at(9, 37)), locked=True),
     _normal(3, 1, 20),
     _normal(4, 1, 20, (_at(9, 37), _at(9, 57)), locked=True),
     _normal(5, 2, 20, (_at(9, 17), _at(9, 37))),
     _normal(6, 1, 20)],
    [WorkCenter(1, "WC1", STANDARD), WorkCenter(2, "WC2", STANDARD, parallel=2)],
)


@SETTINGS
@given(case=factories())
@example(case=LOCKED_BESIDE_ON_A_TWO_UNIT_CENTER)
def test_locked_and_on_time_plans_stay_lower_tiers_only_within_slack(case: tuple[list[Job], list[WorkCenter]]) -> None:
    jobs, centers = case
    # Whole problems only: past ``solver_operations`` the far term keeps the dispatch, which may push (README).
    schedule = plan_capacity(jobs, centers, NOW, LIMITS)
    theirs = first_come_first_served_schedule(jobs, centers, NOW, LIMITS)
    urgent_bound_kept_in_place = all(
        job.finish is not None and job.due is not None
        and job.finish <= max(job.due, theirs.jobs[job.id].finish or job.due)
        for job in jobs if job.tier is Tier.URGENT and not job.locked)
    for job in jobs:
        outcome = schedule.jobs[job.id]
        if job.locked:
            assert not outcome.moved and all(op.id not in schedule.operations for op in job.operations)
            continue
        if job.tier is not Tier.URGENT and job.finish is not None and urgent_bound_kept_in_place:
            limit = max(job.due, job.finish) if job.due is not None else job.finish
            assert outcome.finish is not None and outcome.finish <= limit + timedelta(minutes=1), job.name


def test_started_work_stays_where_it_is() -> None:
    begun = Operation(1, "cutting", 1, 240, NOW - timedelta(hours=1), NOW + timedelta(hours=3), state="progress",
                      done_minutes=60)
    rest = Operation(2, "assembly", 1, 60)
    urgent = Job(1, "MO1", Tier.URGENT, NOW + timedelta(hours=30), (begun, rest))
    rival = Job(2, "MO2", Tier.URGENT, NOW + timedelta(hours=4), (Operation(3, "rush", 1, 120),))
    schedule = plan_capacity([urgent, rival], [WorkCenter(1, "Line", STANDARD)], NOW, LIMITS)
    assert begun.id not in schedule.operations
    assert schedule.operations[rest.id].start >= begun.finish
    assert schedule.operations[3].start >= begun.finish  # the line is busy with the begun work until then


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(factories())
def test_the_same_input_gives_the_same_plan(case: tuple[list[Job], list[WorkCenter]]) -> None:
    jobs, centers = case
    first, second = plan_capacity(jobs, centers, NOW, LIMITS), plan_capacity(jobs, centers, NOW, LIMITS)
    assert first.operations == second.operations and first.jobs == second.jobs
