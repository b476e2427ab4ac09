"""The solver's window: a large factory is solved near term, the far term keeps the dispatch.

CP-SAT's time grows faster than the number of operations: at 2,000 MOs with 6,000 work orders it did not even
reach its first solution within its budget. Yet what the rules care about is near: urgent demand due in hours or
days, special demand in days. So when there are more operations than ``solver_operations``, the solver gets:

* every urgent job, then the jobs the start plan (the tier-first dispatch, or first come, first served) pushes
  beyond their slack, then the jobs it begins earliest, until ``solver_operations`` operations are free;
* every other job held where the start plan put it: fixed busy intervals of its work centers, like locked work.

The start plan is a complete solution of the whole problem, so the held part plus the start plan of the free part
is a solution of the window's problem: the solver can only improve on it, never lose a job. The far term is
planned again at every cycle, by then nearer. A job the start plan could not place is always free.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from odoo_urgency.policies.planning.dispatch import Placement
from odoo_urgency.policies.planning.problem import JobTasks, Problem, Task, fixed_load
from odoo_urgency.policies.tiers import Tier


@dataclass
class Window:
    """The sub-problem and how its task numbers map back to the whole problem's."""

    problem: Problem
    to_full: list[int] = field(default_factory=list)

    def down(self, placement: Placement) -> Placement:
        """A placement of the whole problem, restricted to the window's tasks (renumbered)."""
        return {i: placement[t] for i, t in enumerate(self.to_full) if t in placement}

    def up(self, solved: Placement, start: Placement) -> Placement:
        """The window's solution over the start plan of the held jobs."""
        out = dict(start)
        out.update({self.to_full[i]: where for i, where in solved.items()})
        return out


def _begins(entry: JobTasks, start: Placement) -> int | None:
    places = [start[t][1] for t in entry.tasks if t in start]
    return min(places) if len(places) == len(entry.tasks) else None


def _pushed(entry: JobTasks, start: Placement) -> bool:
    """The start plan ends a lower-tier job beyond its slack: only the solver can take that back."""
    return entry.keep_until is not None and max(start[t][2] for t in entry.tasks) > entry.keep_until


def free_jobs(problem: Problem, start: Placement, budget: int) -> set[int]:
    """Indexes of the jobs the solver may move: urgent and unplaced ones, then those the start plan pushes beyond
    their slack, then the earliest begun, while the budget lasts."""
    chosen: set[int] = set()
    count = 0
    by_start: list[tuple[int, int, int]] = []
    for index, entry in enumerate(problem.jobs):
        begins = _begins(entry, start)
        if entry.job.tier is Tier.URGENT or begins is None:
            chosen.add(index)
            count += len(entry.tasks)
        else:
            by_start.append((0 if _pushed(entry, start) else 1, begins, index))
    for _, _, index in sorted(by_start):
        if count >= budget:
            break
        chosen.add(index)
        count += len(problem.jobs[index].tasks)
    return chosen


def window(problem: Problem, start: Placement, budget: int) -> Window:
    """The problem the solver gets when it has more than ``budget`` operations (see the module's text)."""
    free = free_jobs(problem, start, budget)
    held = {wc: list(spans) for wc, spans in problem.held.items()}
    out = Window(Problem(problem.axis, problem.centers, problem.closed, held, fixed=list(problem.fixed),
                         unplaceable=list(problem.unplaceable)))
    for index, entry in enumerate(problem.jobs):
        if index not in free:
            for t in entry.tasks:
                wc_id, a, b = start[t]
                held[wc_id].append((a, b))
            continue
        renumber = {old: len(out.to_full) + i for i, old in enumerate(entry.tasks)}
        for old in entry.tasks:
            task = problem.tasks[old]
            out.problem.tasks.append(Task(task.op, len(out.problem.jobs), task.durations,
                                          [renumber[p] for p in task.after], task.current))
            out.to_full.append(old)
        out.problem.jobs.append(JobTasks(entry.job, list(renumber.values()), entry.release, entry.due,
                                         entry.current_start, entry.current_end, entry.keep_until))
    out.problem.load = {wc: fixed_load(center.parallel, problem.closed[wc], held[wc])
                        for wc, center in problem.centers.items()}
    return out
