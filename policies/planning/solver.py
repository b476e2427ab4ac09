"""The finite-capacity plan with OR-Tools CP-SAT, in lexicographic phases.

Model: one interval per operation and work center it may run on (optional intervals with exactly one chosen when
there are alternatives); per work center a no-overlap (or a cumulative when it runs several work orders at once)
over those intervals and its fixed load (non-working minutes take every unit, started and locked work one each); precedences
inside each job; every job after its release.

Four phases, each keeping the best value of the one before: (1) push no lower-tier job beyond ``keep_until``
(its due, or today's finish if that is already later) — minimise the minutes of such pushes; (2) minimise lateness
weighted by tier (urgent ≫ special ≫ normal); (3) minimise movement from today's plan (|start − current start|);
(4) start the jobs nobody planned yet as early as possible. Last, because such a job is not written (pressing
"Plan" stays the planner's decision): on a real Odoo 17 an unplanned demo MO, placed "as early as possible" at
the same rank as movement, displaced three MOs Odoo had planned on time — for a plan nobody would ever see.
A phase with nothing to minimise is skipped. Urgent jobs are held, hard, to finish no later than
the later of their due and their finish under first-come-first-served planning (Odoo's "Plan"); that plan
satisfies every constraint, so the model is never made infeasible by it — but it can force a push in phase 1,
which the schedule then reports.

OR-Tools (with numpy and pandas behind it) loads on the first plan, not on import: ``import policies`` serves
the rules that never plan (classification, deadlines — the deadlines share :mod:`policies.planning.calendar`)
and stays light (``tests/policies/test_purity.py``).

Every variable is hinted with the start plan (the job terms too), so the solver holds a complete solution from its
first instant and only ever improves on it. Deterministic as far as the clock allows: a fixed seed, a fixed number
of workers (interleaved when more than one), a deterministic time limit — and a wall-clock limit of the same
size per phase, which is the one that binds on thousands of operations: there a plan found before it is the same
at every run, an improvement the machine was too busy to reach is not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from odoo_urgency.policies.planning.dispatch import Placement, job_end
from odoo_urgency.policies.planning.model import PlanningLimits
from odoo_urgency.policies.planning.problem import JobTasks, Problem
from odoo_urgency.policies.tiers import Tier

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

TARDINESS_WEIGHT = {Tier.URGENT: 10_000, Tier.SPECIAL: 100, Tier.NORMAL: 1}
#: Above this many operations the solver works without its LP relaxation: at 1,500 its thousands of LP solves
#: took most of the wall time and improved nothing (the hint search found the same plans twice as fast).
LP_TASKS = 500


@dataclass
class _Vars:
    starts: list[cp_model.IntVar] = field(default_factory=list)
    ends: list[cp_model.IntVar] = field(default_factory=list)
    choice: list[dict[int, cp_model.IntVar | None]] = field(default_factory=list)
    intervals: dict[int, list[cp_model.IntervalVar]] = field(default_factory=dict)
    late: list[tuple[int, cp_model.IntVar]] = field(default_factory=list)
    push: list[cp_model.IntVar] = field(default_factory=list)
    moves: list[cp_model.IntVar] = field(default_factory=list)
    eager: list[cp_model.IntVar] = field(default_factory=list)  # starts of the jobs nobody planned yet
    #: per job: (its entry, end, lateness or None, push or None, movement) — to hint every variable
    jobs: list[tuple[JobTasks, cp_model.IntVar, cp_model.IntVar | None, cp_model.IntVar | None, cp_model.IntVar]] = \
        field(default_factory=list)


def _task_vars(model: cp_model.CpModel, problem: Problem, v: _Vars) -> None:
    horizon = problem.axis.length
    for t, task in enumerate(problem.tasks):
        release = problem.jobs[task.job_index].release
        start = model.new_int_var(release, horizon, f"s{t}")
        end = model.new_int_var(release, horizon, f"e{t}")
        options: dict[int, cp_model.IntVar | None] = {}
        if len(task.durations) == 1:
            (wc_id, length), = task.durations.items()
            v.intervals.setdefault(wc_id, []).append(model.new_interval_var(start, length, end, f"i{t}"))
            options[wc_id] = None
        else:
            for wc_id, length in sorted(task.durations.items()):
                chosen = model.new_bool_var(f"c{t}_{wc_id}")
                v.intervals.setdefault(wc_id, []).append(
                    model.new_optional_interval_var(start, length, end, chosen, f"i{t}_{wc_id}"))
                options[wc_id] = chosen
            model.add_exactly_one(c for c in options.values() if c is not None)
        v.starts.append(start)
        v.ends.append(end)
        v.choice.append(options)
    for t, task in enumerate(problem.tasks):
        for p in task.after:
            model.add(v.starts[t] >= v.ends[p])


def _resources(model: cp_model.CpModel, problem: Problem, v: _Vars) -> None:
    for wc_id, center in problem.centers.items():
        mine = v.intervals.get(wc_id, [])
        if not mine:
            continue
        steps = problem.load.get(wc_id, [])
        fixed = [model.new_fixed_size_interval_var(a, b - a, f"b{wc_id}_{a}") for a, b, _ in steps]
        if center.parallel <= 1:
            model.add_no_overlap(mine + fixed)
        else:
            demands = [1] * len(mine) + [units for _, _, units in steps]
            model.add_cumulative(mine + fixed, demands, center.parallel)


def _job_terms(model: cp_model.CpModel, problem: Problem, v: _Vars, fcfs: Placement) -> None:
    horizon = problem.axis.length
    for entry in problem.jobs:
        last = [v.ends[t] for t in entry.tasks if not any(t in problem.tasks[o].after for o in entry.tasks)]
        end = model.new_int_var(0, horizon, f"end{entry.job.id}")
        model.add_max_equality(end, last)
        late = push = None
        if entry.due is not None:
            late = model.new_int_var(0, horizon, f"late{entry.job.id}")
            model.add(late >= end - entry.due)
            v.late.append((TARDINESS_WEIGHT[entry.job.tier], late))
            if entry.job.tier is Tier.URGENT:
                bound = job_end(problem, entry, fcfs)
                if bound is not None:
                    model.add(end <= max(entry.due, bound))
        if entry.job.tier is not Tier.URGENT and entry.keep_until is not None:
            push = model.new_int_var(0, horizon, f"push{entry.job.id}")
            model.add(push >= end - entry.keep_until)
            v.push.append(push)
        v.jobs.append((entry, end, late, push, _movement(model, entry, v, horizon)))


def _movement(model: cp_model.CpModel, entry: JobTasks, v: _Vars, horizon: int) -> cp_model.IntVar:
    first = v.starts[entry.tasks[0]]
    move = model.new_int_var(0, horizon, f"move{entry.job.id}")
    if entry.current_start is not None:
        model.add_abs_equality(move, first - entry.current_start)
        v.moves.append(move)
    else:
        model.add(move == first)
        v.eager.append(move)
    return move


def _hint(model: cp_model.CpModel, v: _Vars, hint: Placement) -> None:
    """Every variable, the job terms too: a complete hint is checked and taken as the first solution at once,
    where a partial one costs a search (seconds at thousands of operations)."""
    for t, (wc_id, start, end) in hint.items():
        model.add_hint(v.starts[t], start)
        model.add_hint(v.ends[t], end)
        for option, chosen in v.choice[t].items():
            if chosen is not None:
                model.add_hint(chosen, option == wc_id)
    for entry, end_var, late, push, move in v.jobs:
        if not all(t in hint for t in entry.tasks):
            continue
        end = max(hint[t][2] for t in entry.tasks)
        first = hint[entry.tasks[0]][1]
        model.add_hint(end_var, end)
        if late is not None and entry.due is not None:
            model.add_hint(late, max(0, end - entry.due))
        if push is not None and entry.keep_until is not None:
            model.add_hint(push, max(0, end - entry.keep_until))
        model.add_hint(move, abs(first - entry.current_start) if entry.current_start is not None else first)


def _solver(limits: PlanningLimits, seconds: float, size: int) -> cp_model.CpSolver:
    from ortools.sat.python import cp_model

    solver = cp_model.CpSolver()
    solver.parameters.max_deterministic_time = max(seconds, 0.1)
    # The wall clock bounds each phase to its share of the budget too: on thousands of operations CP-SAT's own
    # deterministic clock barely moves (0.05 "seconds" in 20 s of search), so without it a phase never ends.
    solver.parameters.max_time_in_seconds = max(seconds, 0.1)
    if size > LP_TASKS:
        solver.parameters.linearization_level = 0
    solver.parameters.num_workers = max(1, limits.workers)
    solver.parameters.interleave_search = limits.workers > 1
    solver.parameters.random_seed = 0
    # Presolve probing spent 18 s of wall time (and no deterministic time) on 6,000 operations, before any search.
    solver.parameters.cp_model_probing_level = 0
    # Ctrl-C belongs to the program (exit 130, finish the batch in flight), not to the solver's own handler.
    solver.parameters.catch_sigint_signal = False
    return solver


def _read(problem: Problem, v: _Vars, solver: cp_model.CpSolver) -> Placement:
    out: Placement = {}
    for t in range(len(problem.tasks)):
        options = v.choice[t]
        wc_id = next((w for w, c in options.items() if c is None or solver.value(c)), next(iter(options)))
        out[t] = (wc_id, solver.value(v.starts[t]), solver.value(v.ends[t]))
    return out


def solve(problem: Problem, hint: Placement, fcfs: Placement, limits: PlanningLimits) -> tuple[Placement, str] | None:
    """The plan and how it was found ("optimal" / "feasible"), or None when the solver found nothing in time."""
    if not problem.tasks:
        return {}, "optimal"
    from ortools.sat.python import cp_model

    model, v = cp_model.CpModel(), _Vars()
    _task_vars(model, problem, v)
    _resources(model, problem, v)
    _job_terms(model, problem, v, fcfs)
    _hint(model, v, hint)
    phases = [objective for terms, objective in (
        (v.push, cp_model.LinearExpr.sum(v.push)),
        (v.late, cp_model.LinearExpr.weighted_sum([late for _, late in v.late], [w for w, _ in v.late])),
        (v.moves, cp_model.LinearExpr.sum(v.moves)),
        (v.eager, cp_model.LinearExpr.sum(v.eager)),
    ) if terms]
    placement, exact = hint, True
    for number, objective in enumerate(phases):
        model.minimize(objective)
        solver = _solver(limits, limits.solver_seconds / len(phases), len(problem.tasks))
        status = solver.solve(model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return (placement, "feasible") if number else None
        placement, exact = _read(problem, v, solver), exact and status == cp_model.OPTIMAL
        model.add(objective <= round(solver.objective_value))
        model.clear_hints()
        _hint(model, v, placement)
    return placement, "optimal" if exact else "feasible"
