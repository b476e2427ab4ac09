"""How good a plan is, and the plans it is compared with (the benchmark and the tests use these).

* :func:`capacity_blind` — the plugin's rule before this planner: an urgent or special MO's start moves to
  ``max(now, due − its span)`` if that is earlier, whatever else the work center holds; nothing else moves.
* :func:`first_come_first_served_schedule` — Odoo's own "Plan" over the same data: every movable MO replanned
  from now in due order at the first free slot.
* :func:`measure` — urgent MOs on time, lateness per tier (hours), MOs moved, and the capacity the plan
  overbooks (minutes in which a work center holds more work orders than it can run) or places out of hours.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from odoo_urgency.policies.planning.dispatch import first_come_first_served
from odoo_urgency.policies.planning.model import Job, JobOutcome, PlannedOperation, PlanningLimits, Schedule, WorkCenter
from odoo_urgency.policies.planning.planner import to_schedule
from odoo_urgency.policies.planning.problem import build_problem
from odoo_urgency.policies.tiers import Tier


def capacity_blind(jobs: list[Job], now: datetime) -> Schedule:
    schedule = Schedule(method="capacity-blind rule")
    for job in jobs:
        start, finish = job.start, job.finish
        new_start = start
        if (job.tier is not Tier.NORMAL and not job.locked and job.due is not None and start is not None
                and finish is not None):
            required = max(now, job.due - (finish - start))
            new_start = min(start, required)
        shift = (new_start - start) if new_start is not None and start is not None else timedelta(0)
        for op in job.operations:
            if op.start is not None and op.finish is not None:
                schedule.operations[op.id] = PlannedOperation(op.id, job.id, op.workcenter_id, op.start + shift,
                                                              op.finish + shift, bool(shift))
        end = finish + shift if finish is not None else None
        late = (end - job.due).total_seconds() / 3600 if end is not None and job.due is not None else 0.0
        schedule.jobs[job.id] = JobOutcome(job.id, new_start, end, max(late, 0.0), bool(shift), start, finish,
                                           start is not None)
    return schedule


def first_come_first_served_schedule(jobs: list[Job], centers: list[WorkCenter], now: datetime,
                                     limits: PlanningLimits | None = None) -> Schedule:
    problem = build_problem(jobs, centers, now, limits or PlanningLimits())
    schedule = to_schedule(problem, first_come_first_served(problem))
    schedule.method = "first come, first served (Odoo's Plan)"
    return schedule


@dataclass
class Quality:
    urgent_total: int = 0
    urgent_on_time: int = 0
    late_hours: dict[Tier, float] = field(default_factory=lambda: {tier: 0.0 for tier in Tier})
    moved: int = 0
    overbooked_hours: float = 0.0
    off_hours: float = 0.0


def _overbooked_minutes(ops: list[PlannedOperation], parallel: int) -> float:
    events = sorted([(op.start, 1) for op in ops] + [(op.finish, -1) for op in ops], key=lambda e: (e[0], e[1]))
    level, last, total = 0, None, 0.0
    for moment, step in events:
        if last is not None and level > parallel:
            total += (moment - last).total_seconds() / 60
        level, last = level + step, moment
    return total


def measure(jobs: list[Job], centers: list[WorkCenter], schedule: Schedule) -> Quality:
    quality = Quality()
    for job in jobs:
        outcome = schedule.jobs.get(job.id)
        if outcome is None:
            continue
        quality.late_hours[job.tier] += outcome.late_hours
        quality.moved += int(outcome.moved)
        if job.tier is Tier.URGENT and job.due is not None:
            quality.urgent_total += 1
            quality.urgent_on_time += int(outcome.placed and outcome.late_hours <= 0)
    minutes = {op.id: op.minutes - op.done_minutes for job in jobs for op in job.operations}
    by_center: dict[int, list[PlannedOperation]] = {}
    for op in schedule.operations.values():
        by_center.setdefault(op.workcenter_id, []).append(op)
    for center in centers:
        ops = by_center.get(center.id, [])
        quality.overbooked_hours += _overbooked_minutes(ops, center.parallel) / 60
        for op in ops:
            # Work that does not fit in the working hours of its own span was planned for when nobody works.
            worked = center.calendar.working_hours(op.start, op.finish) * 60
            quality.off_hours += max(0.0, minutes.get(op.id, 0.0) - worked - 1) / 60
    return quality
