"""When no plan meets an urgent due: what would (紧急订单处理规范 §3.3.4 加班, §3.3.2 调整其他订单).

* **Overtime** — the minutes of the late job's operations that fall after its due would have to be worked before
  it instead: per work center, spread over that work center's working days from now to the due, the latest day
  first, at most ``max_overtime_hours_per_day`` a day. If the days run out, overtime alone does not suffice
  (an estimate: it assumes the extra hours can be added at the end of those days).
* **Slips** — the plan with urgent work first and every lower-tier job free to move (tier-first dispatch, no job
  kept in place): the lower-tier jobs sharing a work center with the late job that would then finish later than
  in the chosen plan and beyond their own due, and by how much. If the late job is on time there, slipping them
  suffices.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from odoo_urgency.policies.planning.dispatch import Placement, dispatch, job_end
from odoo_urgency.policies.planning.model import Overtime, PlanningLimits, Schedule, Shortfall, Slip
from odoo_urgency.policies.planning.problem import JobTasks, Problem
from odoo_urgency.policies.tiers import Tier


def _minutes_after_due(problem: Problem, entry: JobTasks, placement: Placement) -> dict[int, int]:
    assert entry.due is not None
    need: dict[int, int] = defaultdict(int)
    for t in entry.tasks:
        wc_id, start, end = placement[t]
        if end > entry.due:
            need[wc_id] += end - max(start, entry.due)
    return need


def _working_days(problem: Problem, wc_id: int, until: datetime) -> list[date]:
    center = problem.centers[wc_id]
    spans = center.calendar.spans(problem.axis.origin, until)
    zone = center.calendar.zone
    return sorted({start.astimezone(zone).date() for start, _ in spans}, reverse=True)


def overtime_for(problem: Problem, entry: JobTasks, placement: Placement,
                 limits: PlanningLimits) -> tuple[tuple[Overtime, ...], bool]:
    if entry.job.due is None:
        return (), False
    out: list[Overtime] = []
    enough = True
    for wc_id, minutes in sorted(_minutes_after_due(problem, entry, placement).items()):
        left = minutes / 60
        for day in _working_days(problem, wc_id, entry.job.due):
            if left <= 0:
                break
            hours = min(left, limits.max_overtime_hours_per_day)
            out.append(Overtime(wc_id, problem.centers[wc_id].name, day, round(hours, 2)))
            left -= hours
        enough = enough and left <= 1e-9
    return tuple(sorted(out, key=lambda o: (o.day, o.workcenter_id))), enough and bool(out)


def slips_for(problem: Problem, entry: JobTasks, placement: Placement,
              relaxed: Placement) -> tuple[tuple[Slip, ...], bool]:
    axis = problem.axis
    mine = {placement[t][0] for t in entry.tasks} | {relaxed[t][0] for t in entry.tasks if t in relaxed}
    slips: list[Slip] = []
    for other in problem.jobs:
        if other.job.tier is Tier.URGENT or not any(problem.tasks[t].durations.keys() & mine for t in other.tasks):
            continue
        before, after = job_end(problem, other, placement), job_end(problem, other, relaxed)
        limit = other.keep_until if other.keep_until is not None else other.due
        if before is None or after is None or after <= before or (limit is not None and after <= limit):
            continue
        hours = (axis.real(after, end=True) - axis.real(before, end=True)).total_seconds() / 3600
        slips.append(Slip(other.job.id, other.job.name, other.job.tier, round(hours, 2)))
    end = job_end(problem, entry, relaxed)
    suffices = end is not None and entry.due is not None and end <= entry.due
    return tuple(sorted(slips, key=lambda s: (-s.hours, s.job_id))), suffices


def shortfalls(problem: Problem, placement: Placement, schedule: Schedule,
               limits: PlanningLimits) -> dict[int, Shortfall]:
    late = [e for e in problem.jobs if e.job.tier is Tier.URGENT and e.due is not None
            and not schedule.on_time(e.job.id) and all(t in placement for t in e.tasks)]
    if not late:
        return {}
    relaxed = dispatch(problem, keep=False)
    out: dict[int, Shortfall] = {}
    for entry in late:
        overtime, overtime_ok = overtime_for(problem, entry, placement, limits)
        slips, slips_ok = slips_for(problem, entry, placement, relaxed)
        hours = schedule.jobs[entry.job.id].late_hours
        out[entry.job.id] = Shortfall(entry.job.id, round(hours, 2), overtime, overtime_ok, slips, slips_ok)
    return out
