"""What the planner takes and gives, as plain frozen data (thousands of operations: no validation cost).

Input, built by the daemon from one batched read of the ERP:

* :class:`WorkCenter` — its calendar (:class:`~policies.planning.calendar.WorkingTime`, the work center's own
  leaves included), how many work orders it runs at once (Odoo plans one at a time: 1), its time efficiency and
  its alternatives, and ``busy`` spans that hold it but are not open work orders (slots of other companies...).
* :class:`Job` — one manufacturing order: its tier and due (the target finish: requested delivery − the delivery
  buffer), whether it may move (``locked``: a user moved it after the plugin, or marked it), and its
  :class:`Operation` s (work orders) in order, with their current planned dates.

Output: a :class:`Schedule` — every operation's new dates and work center, per job its finish, lateness and
movement, and for urgent jobs that stay late a :class:`Shortfall` saying what would make them: overtime per work
center and day, and which lower-tier jobs would have to slip and by how much.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from odoo_urgency.policies.planning.calendar import Span, WorkingTime
from odoo_urgency.policies.tiers import Tier

#: Work that has begun: it stays where it is (``mrp.workorder.state``).
STARTED = ("progress",)
FINISHED = ("done", "cancel")


@dataclass(frozen=True)
class WorkCenter:
    id: int
    name: str
    calendar: WorkingTime
    parallel: int = 1
    efficiency: float = 100.0
    alternatives: tuple[int, ...] = ()
    busy: tuple[Span, ...] = ()


@dataclass(frozen=True)
class Operation:
    """One work order: ``minutes`` of work at 100 % efficiency on ``workcenter_id`` (Odoo's expected duration
    already counts the work center's efficiency; on an alternative it is rescaled by the two efficiencies)."""

    id: int
    name: str
    workcenter_id: int
    minutes: float
    start: datetime | None = None
    finish: datetime | None = None
    state: str = "ready"
    done_minutes: float = 0.0
    #: Operations of the same job that must finish first (``blocked_by_workorder_ids``); empty → the previous one.
    after: tuple[int, ...] | None = None


@dataclass(frozen=True)
class Job:
    id: int
    name: str
    tier: Tier
    due: datetime | None
    operations: tuple[Operation, ...]
    locked: bool = False
    draft: bool = False
    order_name: str | None = None
    #: A draft MO's start and finish as the plugin wrote them (Odoo plans no work order of a draft, so the plan
    #: lives on the MO alone): where the job stands today, as a planned job's work orders say for it.
    draft_plan: tuple[datetime, datetime] | None = None

    @property
    def planned(self) -> bool:
        return any(op.start is not None for op in self.operations)

    @property
    def start(self) -> datetime | None:
        starts = [op.start for op in self.operations if op.start is not None]
        return min(starts) if starts else None

    @property
    def finish(self) -> datetime | None:
        ends = [op.finish for op in self.operations if op.finish is not None]
        return max(ends) if ends else None


@dataclass(frozen=True)
class PlanningLimits:
    """``[planning]`` in settings: how far ahead, how big, how long the solver may think."""

    horizon_days: int = 28
    max_operations: int = 20000
    #: more operations than this: the solver gets the near-term window of this many (``policies.planning.window``)
    solver_operations: int = 1500
    solver_seconds: float = 10.0
    workers: int = 1
    max_overtime_hours_per_day: float = 4.0


@dataclass(frozen=True)
class PlannedOperation:
    id: int
    job_id: int
    workcenter_id: int
    start: datetime
    finish: datetime
    moved: bool


@dataclass(frozen=True)
class Overtime:
    workcenter_id: int
    workcenter: str
    day: date
    hours: float


@dataclass(frozen=True)
class Slip:
    job_id: int
    job: str
    tier: Tier
    hours: float


@dataclass(frozen=True)
class Shortfall:
    """What would make a late job on time: ``overtime`` (enough only if ``overtime_suffices``) or ``slips``."""

    job_id: int
    late_hours: float
    overtime: tuple[Overtime, ...] = ()
    overtime_suffices: bool = False
    slips: tuple[Slip, ...] = ()
    slips_suffice: bool = False


@dataclass(frozen=True)
class JobOutcome:
    job_id: int
    start: datetime | None
    finish: datetime | None
    late_hours: float
    moved: bool
    before_start: datetime | None = None
    before_finish: datetime | None = None
    placed: bool = True


@dataclass
class Schedule:
    operations: dict[int, PlannedOperation] = field(default_factory=dict)
    jobs: dict[int, JobOutcome] = field(default_factory=dict)
    shortfalls: dict[int, Shortfall] = field(default_factory=dict)
    #: "cp-sat optimal", "cp-sat feasible", "dispatch (…)" — how the plan was found.
    method: str = ""

    def on_time(self, job_id: int) -> bool:
        outcome = self.jobs.get(job_id)
        return outcome is not None and outcome.placed and outcome.late_hours <= 0
