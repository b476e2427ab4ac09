"""From jobs and work centers to integers on the axis: the one problem the dispatcher and the solver share.

* Work that has begun (a work order in progress), jobs that may not move (``locked``) and ``busy`` spans hold
  one unit of their work center each; its non-working minutes hold every unit. Together they are the work
  center's fixed ``load``: steps of (start, end, units), never more units than it has (an ERP that already
  overbooks a work center is taken as full there, not as an impossible plan). On a work center running two
  work orders at once, a locked one leaves the other unit free.
* Every other operation is a :class:`Task`: its duration on each work center it may run on (its own and the
  alternatives), the tasks of its job that must finish first, and where it sits today (if planned).
* A draft MO keeps no work-order dates in Odoo: when the plugin planned it (``Job.draft_plan``), its operations
  stand back to back from the MO's start — its plan today, kept like any other (not re-placed every cycle).
* A job's ``due`` and today's finish become axis positions; ``keep_until`` is the latest finish a lower-tier job
  may be pushed to — its due, or today's finish if that is already later (it is then not pushed further).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from odoo_urgency.policies.planning.axis import Axis, Interval, merge_intervals
from odoo_urgency.policies.planning.model import FINISHED, STARTED, Job, Operation, PlanningLimits, WorkCenter
from odoo_urgency.policies.tiers import Tier

TIER_RANK = {Tier.URGENT: 2, Tier.SPECIAL: 1, Tier.NORMAL: 0}
#: (start, end, units held) on the axis
Step = tuple[int, int, int]


@dataclass
class Task:
    op: Operation
    job_index: int
    durations: dict[int, int]
    after: list[int] = field(default_factory=list)  # indexes into Problem.tasks
    current: Interval | None = None


@dataclass
class JobTasks:
    job: Job
    tasks: list[int]
    release: int = 0
    due: int | None = None
    current_start: int | None = None
    current_end: int | None = None
    keep_until: int | None = None


@dataclass
class Problem:
    axis: Axis
    centers: dict[int, WorkCenter]
    closed: dict[int, list[Interval]]  # not working: every unit
    held: dict[int, list[Interval]] = field(default_factory=dict)  # begun, locked, busy: one unit each
    load: dict[int, list[Step]] = field(default_factory=dict)  # the two together, as steps
    tasks: list[Task] = field(default_factory=list)
    jobs: list[JobTasks] = field(default_factory=list)
    fixed: list[Job] = field(default_factory=list)
    unplaceable: list[Job] = field(default_factory=list)


def build_problem(jobs: list[Job], centers: list[WorkCenter], now: datetime, limits: PlanningLimits) -> Problem:
    """The axis covers twice the horizon: work that does not fit in the horizon is still placed (and late)."""
    origin = (now + timedelta(seconds=59)).replace(second=0, microsecond=0)
    until = origin + timedelta(days=2 * limits.horizon_days)
    working = {wc.id: wc.calendar.spans(origin, until) for wc in centers}
    axis = Axis.build(origin, [span for spans in working.values() for span in spans])
    closed = {wc.id: axis.gaps(working[wc.id], until) for wc in centers}
    held = {wc.id: axis.segments(wc.busy) for wc in centers}
    problem = Problem(axis, {wc.id: wc for wc in centers}, closed, held)
    for job in sorted(jobs, key=lambda j: j.id):
        _add_job(problem, job)
    problem.load = {wc.id: fixed_load(wc.parallel, closed[wc.id], problem.held[wc.id]) for wc in centers}
    return problem


def fixed_load(units: int, closed: list[Interval], held: list[Interval]) -> list[Step]:
    """Closed minutes take every unit, each held interval one; at most ``units`` at any minute."""
    units = max(1, units)
    change: dict[int, int] = defaultdict(int)
    for intervals, weight in ((merge_intervals(closed), units), (held, 1)):
        for a, b in intervals:
            if b > a:
                change[a] += weight
                change[b] -= weight
    steps: list[Step] = []
    level, last = 0, 0
    for moment in sorted(change):
        held_units = min(level, units)
        if held_units and moment > last:
            if steps and steps[-1][1] == last and steps[-1][2] == held_units:
                steps[-1] = (steps[-1][0], moment, held_units)
            else:
                steps.append((last, moment, held_units))
        level, last = level + change[moment], moment
    return steps


def _occupied(problem: Problem, op: Operation) -> Interval | None:
    if op.start is None or op.finish is None or op.workcenter_id not in problem.centers:
        return None
    if op.state in STARTED:  # begun: it holds its work center from now for the work that remains
        return 0, max(1, math.ceil(op.minutes - op.done_minutes))
    a, b = problem.axis.at(op.start), problem.axis.at(op.finish)
    return (a, b) if b > a else None


def _durations(problem: Problem, op: Operation) -> dict[int, int]:
    home = problem.centers.get(op.workcenter_id)
    if home is None:
        return {}
    options = {home.id: max(1, math.ceil(op.minutes))}
    for alt in home.alternatives:
        other = problem.centers.get(alt)
        if other is not None and other.efficiency > 0:
            options[alt] = max(1, math.ceil(op.minutes * home.efficiency / other.efficiency))
    return options


def _add_job(problem: Problem, job: Job) -> None:
    live = [op for op in job.operations if op.state not in FINISHED]
    if not live:
        return
    if job.locked:
        for op in live:
            span = _occupied(problem, op)
            if span is not None:
                problem.held[op.workcenter_id].append(span)
        problem.fixed.append(job)
        return
    release = 0
    movable: list[Operation] = []
    for op in live:
        span = _occupied(problem, op) if op.state in STARTED else None
        if span is not None:
            problem.held[op.workcenter_id].append(span)
            release = max(release, span[1])
        elif op.state not in STARTED:
            movable.append(op)
    if not movable or any(not _durations(problem, op) for op in movable):
        (problem.fixed if not movable else problem.unplaceable).append(job)
        return
    _add_tasks(problem, job, movable, release)


def _add_tasks(problem: Problem, job: Job, movable: list[Operation], release: int) -> None:
    axis = problem.axis
    first = len(problem.tasks)
    ids = {op.id: first + i for i, op in enumerate(movable)}
    index = len(problem.jobs)
    for i, op in enumerate(movable):
        after = [ids[p] for p in op.after or () if p in ids] if op.after is not None else ([first + i - 1] if i else [])
        current = _occupied(problem, op)
        problem.tasks.append(Task(op, index, _durations(problem, op), after, current))
    entry = JobTasks(job, list(range(first, first + len(movable))), release)
    _draft_currents(problem, entry)
    entry.due = axis.at(job.due) if job.due is not None else None
    currents = [problem.tasks[t].current for t in entry.tasks]
    if all(c is not None for c in currents):
        entry.current_start = min(c[0] for c in currents if c is not None)
        entry.current_end = max(c[1] for c in currents if c is not None)
    if entry.current_end is not None:
        entry.keep_until = max(entry.due, entry.current_end) if entry.due is not None else entry.current_end
    problem.jobs.append(entry)


def _draft_currents(problem: Problem, entry: JobTasks) -> None:
    """A draft the plugin planned stands where it was written: its work orders back to back from the MO's start
    (each after the ones it waits for), on their own work centers. Without this it counted as never planned and
    was placed from scratch every cycle, so a few minutes of time moved it by hours or days (churn)."""
    plan = entry.job.draft_plan
    tasks = [problem.tasks[t] for t in entry.tasks]
    if plan is None or any(task.current is not None for task in tasks):
        return
    start = problem.axis.at(plan[0])
    for task in tasks:
        ready = max([start, *(c[1] for p in task.after if (c := problem.tasks[p].current) is not None)])
        task.current = (ready, ready + task.durations[task.op.workcenter_id])


def without(problem: Problem, dropped: set[int]) -> Problem:
    """The same problem minus some jobs (by job id), tasks renumbered; the dropped ones become unplaceable."""
    out = Problem(problem.axis, problem.centers, problem.closed, problem.held, problem.load,
                  fixed=list(problem.fixed), unplaceable=list(problem.unplaceable))
    for entry in problem.jobs:
        if entry.job.id in dropped:
            out.unplaceable.append(entry.job)
            continue
        renumber = {old: len(out.tasks) + i for i, old in enumerate(entry.tasks)}
        for old in entry.tasks:
            task = problem.tasks[old]
            out.tasks.append(Task(task.op, len(out.jobs), task.durations, [renumber[p] for p in task.after],
                                  task.current))
        out.jobs.append(JobTasks(entry.job, list(renumber.values()), entry.release, entry.due, entry.current_start,
                                 entry.current_end, entry.keep_until))
    return out
