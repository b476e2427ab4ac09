"""List scheduling on the axis: the solver's hint and fallback, and Odoo's own "Plan" for comparison.

Each work center is a set of lanes (as many as it runs work orders at once) holding sorted busy intervals; an
operation goes into the earliest gap long enough, at or after its job's release and its predecessors' ends,
on whichever of its work centers finishes it first — what Odoo's ``_get_first_available_slot`` does.

* :func:`dispatch` — tier first, then due (urgent before special before normal, earliest due first): a job whose
  current plan is free and on time keeps it; any other goes to the earliest gaps.
* :func:`first_come_first_served` — every movable job replanned from now in due order, blind to tiers: Odoo's
  "Plan" run over the same data.

Both are deterministic: ties break on ids.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from odoo_urgency.policies.planning.axis import Interval, merge_intervals
from odoo_urgency.policies.planning.problem import TIER_RANK, JobTasks, Problem

_FAR = 1 << 62
#: task index → (work center, start, end)
Placement = dict[int, tuple[int, int, int]]


@dataclass
class Lanes:
    """The busy intervals of every lane of every work center."""

    lanes: dict[int, list[list[Interval]]] = field(default_factory=dict)

    @classmethod
    def of(cls, problem: Problem) -> Lanes:
        out = cls()
        for wc_id, center in problem.centers.items():
            steps = problem.load.get(wc_id, [])
            # A step holding k units fills the first k lanes: lane i is busy wherever more than i units are held.
            out.lanes[wc_id] = [merge_intervals((a, b) for a, b, units in steps if units > lane)
                                for lane in range(max(1, center.parallel))]
        return out

    def free(self, wc_id: int, start: int, end: int) -> int | None:
        """A lane in which [start, end) is free, else None."""
        for number, busy in enumerate(self.lanes[wc_id]):
            i = bisect_right(busy, (start, end))
            if (i == 0 or busy[i - 1][1] <= start) and (i == len(busy) or busy[i][0] >= end):
                return number
        return None

    def earliest(self, wc_id: int, ready: int, length: int) -> tuple[int, int]:
        """(start, lane) of the earliest gap of ``length`` at or after ``ready``."""
        best: tuple[int, int] | None = None
        for number, busy in enumerate(self.lanes[wc_id]):
            cursor = ready
            i = bisect_right(busy, (cursor, _FAR)) - 1
            if i >= 0 and busy[i][1] > cursor:
                cursor = busy[i][1]
            i += 1
            while i < len(busy) and busy[i][0] < cursor + length:
                cursor = max(cursor, busy[i][1])
                i += 1
            if best is None or cursor < best[0]:
                best = (cursor, number)
        assert best is not None
        return best

    def take(self, wc_id: int, lane: int, start: int, end: int) -> None:
        busy = self.lanes[wc_id][lane]
        busy.insert(bisect_right(busy, (start, end)), (start, end))

    def release(self, wc_id: int, lane: int, start: int, end: int) -> None:
        self.lanes[wc_id][lane].remove((start, end))


def _place_earliest(problem: Problem, lanes: Lanes, entry: JobTasks, placement: Placement) -> bool:
    taken: list[tuple[int, int, int, int]] = []
    for t in entry.tasks:
        task = problem.tasks[t]
        ready = max([entry.release] + [placement[p][2] for p in task.after if p in placement])
        options = []
        for wc_id, length in sorted(task.durations.items()):
            start, lane = lanes.earliest(wc_id, ready, length)
            options.append((start + length, wc_id != task.op.workcenter_id, wc_id, start, lane))
        end, _, wc_id, start, lane = min(options)
        if end > problem.axis.length:  # beyond the horizon: the job is not placed at all
            for taken_wc, taken_lane, a, b in taken:
                lanes.release(taken_wc, taken_lane, a, b)
            for p in entry.tasks:
                placement.pop(p, None)
            return False
        lanes.take(wc_id, lane, start, end)
        taken.append((wc_id, lane, start, end))
        placement[t] = (wc_id, start, end)
    return True


def _keep(problem: Problem, lanes: Lanes, entry: JobTasks, placement: Placement) -> bool:
    """Leave a job where it is if that is free, after its release and on time (or as late as it already was)."""
    if entry.current_end is None or entry.current_start is None or entry.current_start < entry.release:
        return False
    if entry.due is not None and entry.current_end > entry.due:
        return False
    chosen: list[tuple[int, int, int, int]] = []
    for t in entry.tasks:
        task = problem.tasks[t]
        assert task.current is not None
        lane = lanes.free(task.op.workcenter_id, *task.current)
        if lane is None or task.current[1] > problem.axis.length:
            return False
        chosen.append((t, task.op.workcenter_id, lane, task.current[0]))
    for t, wc_id, lane, start in chosen:
        end = problem.tasks[t].current[1]  # type: ignore[index]
        lanes.take(wc_id, lane, start, end)
        placement[t] = (wc_id, start, end)
    return True


def _due(entry: JobTasks) -> float:
    # The real due, not its axis position: two dues already past both sit at 0 on the axis, yet the earlier
    # one is still the more pressing.
    return entry.job.due.timestamp() if entry.job.due is not None else float("inf")


def tier_order(entry: JobTasks) -> tuple[int, float, int, int]:
    current = entry.current_start if entry.current_start is not None else 1 << 40
    return (-TIER_RANK[entry.job.tier], _due(entry), current, entry.job.id)


def due_order(entry: JobTasks) -> tuple[float, int]:
    return (_due(entry), entry.job.id)


def dispatch(problem: Problem, *, keep: bool = True) -> Placement:
    lanes, placement = Lanes.of(problem), Placement()
    for entry in sorted(problem.jobs, key=tier_order):
        if not (keep and _keep(problem, lanes, entry, placement)):
            _place_earliest(problem, lanes, entry, placement)
    return placement


def first_come_first_served(problem: Problem) -> Placement:
    lanes, placement = Lanes.of(problem), Placement()
    for entry in sorted(problem.jobs, key=due_order):
        _place_earliest(problem, lanes, entry, placement)
    return placement


def job_end(problem: Problem, entry: JobTasks, placement: Placement) -> int | None:
    ends = [placement[t][2] for t in entry.tasks if t in placement]
    return max(ends) if len(ends) == len(entry.tasks) else None
