"""Benchmark: the capacity planner against today's capacity-blind rule and Odoo's own first-come-first-served
"Plan", on the same factory.

    python bench/bench_planning.py                       # 2,000 MOs, 6,000 work orders, 10 work centers, 4 weeks
    python bench/bench_planning.py --mos 500 --seconds 5

The factory (deterministic from ``--seed``): ten work centers on Odoo's "Standard 40 hours/week" calendar
(Europe/Brussels, lunch break), one of them down for maintenance for a day, two with an alternative. Open MOs
with three work orders each, planned as they came in (first come, first served in creation order) over four
weeks at about 85 % load; then urgent demand arrives: 10 % of the MOs become urgent (due in 1–4 days), 15 %
special (due in 3–10 days), the rest keep normal dues spread over the four weeks. 5 % of the MOs are locked (a
user moved them) and 2 % have their first work order in progress.

Each method runs in its own process (so peak memory is its own) on the same data and reports: planning time,
peak memory (ru_maxrss), urgent MOs on time, lateness per tier (hours), MOs moved, and the hours it overbooks
a work center or puts work where nobody works.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from odoo_urgency.policies.planning import Attendance, Job, Operation, PlanningLimits, WorkCenter, WorkingTime  # noqa: E402
from odoo_urgency.policies.planning.planner import plan_capacity  # noqa: E402
from odoo_urgency.policies.planning.quality import capacity_blind, first_come_first_served_schedule, measure  # noqa: E402
from odoo_urgency.policies.tiers import Tier  # noqa: E402

NOW = datetime(2026, 12, 7, 7, 30, tzinfo=UTC)  # a Monday, 08:30 in Brussels
STANDARD = WorkingTime("Europe/Brussels", tuple(
    Attendance(day, a, b) for day in range(5) for a, b in ((8.0, 12.0), (13.0, 17.0))), name="Standard 40 hours/week")
METHODS = ("capacity-blind rule", "first come, first served (Odoo's Plan)", "capacity planner (CP-SAT)")


def factory(mos: int, seed: int) -> tuple[list[Job], list[WorkCenter]]:
    rng = random.Random(seed)
    maintenance = STANDARD.with_leaves([(NOW + timedelta(days=2), NOW + timedelta(days=3))])
    centers = [WorkCenter(i, f"WC{i:02d}", maintenance if i == 3 else STANDARD,
                          alternatives=(i + 1,) if i in (1, 5) else ()) for i in range(1, 11)]
    load_minutes = 0.85 * 10 * 20 * 8 * 60  # 85 % of ten work centers over twenty working days
    mean = load_minutes / (mos * 3)
    jobs: list[Job] = []
    for number in range(1, mos + 1):
        line = rng.sample(range(1, 11), 3)
        ops = tuple(Operation(number * 10 + k, f"op{k}", line[k], float(max(5, round(rng.uniform(0.4, 1.6) * mean))))
                    for k in range(3))
        jobs.append(Job(number, f"MO{number:05d}", Tier.NORMAL, None, ops))
    today = first_come_first_served_schedule(jobs, centers, NOW, PlanningLimits(horizon_days=42))
    return [_demand(rng, job, today) for job in jobs], centers


def _demand(rng: random.Random, job: Job, today) -> Job:  # type: ignore[no-untyped-def]
    ops = []
    for k, op in enumerate(job.operations):
        placed = today.operations.get(op.id)
        if placed is not None:
            started = k == 0 and rng.random() < 0.02
            op = Operation(op.id, op.name, placed.workcenter_id, op.minutes, placed.start, placed.finish,
                           "progress" if started else "ready", op.minutes / 2 if started else 0.0)
        ops.append(op)
    roll = rng.random()
    if roll < 0.10:
        tier, due = Tier.URGENT, NOW + timedelta(days=rng.uniform(1, 4))
    elif roll < 0.25:
        tier, due = Tier.SPECIAL, NOW + timedelta(days=rng.uniform(3, 10))
    else:
        finish = today.jobs[job.id].finish or NOW + timedelta(days=28)
        tier, due = Tier.NORMAL, finish + timedelta(days=rng.uniform(-2, 6))
    return Job(job.id, job.name, tier, due, tuple(ops), locked=rng.random() < 0.05)


def run(method: str, mos: int, seed: int, seconds: float) -> dict[str, object]:
    jobs, centers = factory(mos, seed)
    limits = PlanningLimits(horizon_days=42, solver_seconds=seconds, max_operations=50_000)
    began = time.perf_counter()
    if method == METHODS[0]:
        schedule = capacity_blind(jobs, NOW)
    elif method == METHODS[1]:
        schedule = first_come_first_served_schedule(jobs, centers, NOW, limits)
    else:
        schedule = plan_capacity(jobs, centers, NOW, limits)
    elapsed = time.perf_counter() - began
    quality = measure(jobs, centers, schedule)
    return {
        "method": method, "how": schedule.method, "seconds": round(elapsed, 2),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "mos": len(jobs), "work_orders": sum(len(j.operations) for j in jobs),
        "urgent_on_time": f"{quality.urgent_on_time}/{quality.urgent_total}",
        "late_h": {tier.value: round(hours, 1) for tier, hours in quality.late_hours.items()},
        "moved": quality.moved, "overbooked_h": round(quality.overbooked_hours, 1),
        "off_hours_h": round(quality.off_hours, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mos", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--seconds", type=float, default=20.0, help="the solver's (deterministic) time limit")
    parser.add_argument("--child", choices=METHODS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run(args.child, args.mos, args.seed, args.seconds)))
        return
    print(f"{'method':42} {'time':>8} {'peak':>7} {'urgent on time':>15} {'late h urgent/special/normal':>30} "
          f"{'moved':>6} {'overbooked h':>13} {'off-hours h':>12}")
    for method in METHODS:
        out = subprocess.run([sys.executable, __file__, "--child", method, "--mos", str(args.mos), "--seed",
                              str(args.seed), "--seconds", str(args.seconds)], capture_output=True, text=True,
                             check=True)
        row = json.loads(out.stdout)
        late = row["late_h"]
        print(f"{method:42} {row['seconds']:>7}s {row['peak_mb']:>5}MB {row['urgent_on_time']:>15} "
              f"{late['urgent']:>10}/{late['special']}/{late['normal']:<12} {row['moved']:>6} "
              f"{row['overbooked_h']:>13} {row['off_hours_h']:>12}   [{row['how']}]")
    print(f"({row['mos']} MOs, {row['work_orders']} work orders, 10 work centers, seed {args.seed})")


if __name__ == "__main__":
    main()
