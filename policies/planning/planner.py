"""``plan_capacity``: jobs and work centers in, a :class:`~policies.planning.model.Schedule` out. Pure.

Steps: build the integer problem on the working-minute axis → first-come-first-served (the bound urgent jobs must
not do worse than) and the tier-first dispatch (the hint) → CP-SAT → if the solver finds nothing within its
deterministic time limit, the dispatch is the plan (it is always complete) — unless it would leave an urgent job
later than first-come-first-served would, then first-come-first-served is. Finally: what each late urgent job
would need (overtime, slips of lower tiers).

More operations than ``solver_operations`` → the solver plans the near term, the rest keeps the start plan
(:mod:`.window`); more than ``max_operations`` → the dispatch alone. ``Schedule.method`` says which.
"""

from __future__ import annotations

from datetime import datetime

from odoo_urgency.policies.planning.dispatch import Placement, dispatch, first_come_first_served, job_end
from odoo_urgency.policies.planning.model import Job, JobOutcome, PlannedOperation, PlanningLimits, Schedule, WorkCenter
from odoo_urgency.policies.planning.problem import Problem, build_problem, without
from odoo_urgency.policies.planning.shortfall import shortfalls
from odoo_urgency.policies.planning.solver import solve
from odoo_urgency.policies.planning.window import window
from odoo_urgency.policies.tiers import Tier


def _urgent_no_worse(problem: Problem, placement: Placement, fcfs: Placement) -> bool:
    for entry in problem.jobs:
        if entry.job.tier is not Tier.URGENT or entry.due is None:
            continue
        bound, end = job_end(problem, entry, fcfs), job_end(problem, entry, placement)
        if bound is not None and (end is None or end > max(entry.due, bound)):
            return False
    return True


def choose(problem: Problem, limits: PlanningLimits) -> tuple[Problem, Placement, str]:
    """The problem actually planned (minus jobs that fit nowhere on the axis), its placement and how."""
    fcfs = first_come_first_served(problem)
    unfit = {e.job.id for e in problem.jobs if job_end(problem, e, fcfs) is None}
    if unfit:
        problem = without(problem, unfit)
        fcfs = first_come_first_served(problem)
    hint = dispatch(problem)
    # The first-come-first-served plan satisfies every hard constraint; the dispatch may not (urgent bound):
    # the solver starts from whichever is a solution already.
    start = hint if _urgent_no_worse(problem, hint, fcfs) else fcfs
    if len(problem.tasks) <= limits.max_operations:
        solved = _solve(problem, start, fcfs, limits)
        if solved is not None:
            placement, how = solved
            return problem, placement, f"cp-sat {how}"
        reason = "solver found no plan in time"
    else:
        reason = f"{len(problem.tasks)} operations > max_operations {limits.max_operations}"
    if _urgent_no_worse(problem, hint, fcfs):
        return problem, hint, f"dispatch ({reason})"
    return problem, fcfs, f"first come, first served ({reason})"


def _solve(problem: Problem, start: Placement, fcfs: Placement,
           limits: PlanningLimits) -> tuple[Placement, str] | None:
    """The solver on the whole problem, or on its near-term window when it is larger (:mod:`.window`)."""
    if len(problem.tasks) <= limits.solver_operations:
        return solve(problem, start, fcfs, limits)
    part = window(problem, start, limits.solver_operations)
    solved = solve(part.problem, part.down(start), part.down(fcfs), limits)
    if solved is None:
        return None
    placement, quality = solved
    return part.up(placement, start), (f"{quality} on the first {len(part.to_full)} of {len(problem.tasks)} "
                                       "operations, the rest as dispatched")


def plan_capacity(jobs: list[Job], centers: list[WorkCenter], now: datetime,
                  limits: PlanningLimits | None = None) -> Schedule:
    limits = limits or PlanningLimits()
    problem = build_problem(jobs, centers, now, limits)
    problem, placement, method = choose(problem, limits)
    schedule = to_schedule(problem, placement)
    schedule.method = method
    schedule.shortfalls = shortfalls(problem, placement, schedule, limits)
    return schedule


def to_schedule(problem: Problem, placement: Placement) -> Schedule:
    """Axis positions back to real instants; jobs that stay put (locked, started, not placed) as they are."""
    axis = problem.axis
    schedule = Schedule()
    for entry in problem.jobs:
        job = entry.job
        placed = all(t in placement for t in entry.tasks)
        for t in entry.tasks if placed else []:
            task = problem.tasks[t]
            wc_id, a, b = placement[t]
            moved = task.current != (a, b) or wc_id != task.op.workcenter_id
            schedule.operations[task.op.id] = PlannedOperation(task.op.id, job.id, wc_id, axis.real(a),
                                                               axis.real(b, end=True), moved)
        ops = [schedule.operations[problem.tasks[t].op.id] for t in entry.tasks] if placed else []
        start = min((op.start for op in ops), default=job.start)
        finish = max((op.finish for op in ops), default=job.finish)
        late = (finish - job.due).total_seconds() / 3600 if finish is not None and job.due is not None else 0.0
        moved = job.planned and any(op.moved for op in ops)
        schedule.jobs[job.id] = JobOutcome(job.id, start, finish, max(late, 0.0), moved, job.start, job.finish,
                                           placed)
    for job in problem.fixed + problem.unplaceable:
        late = (job.finish - job.due).total_seconds() / 3600 if job.finish and job.due else 0.0
        schedule.jobs[job.id] = JobOutcome(job.id, job.start, job.finish, max(late, 0.0), False, job.start,
                                           job.finish, job in problem.fixed)
    return schedule
