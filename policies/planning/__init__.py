"""Finite-capacity planning of manufacturing for urgent demand (紧急订单处理规范 §3.2–3.3). Pure: no I/O.

找出剩余生产空间 — find the remaining production space: every open manufacturing order's work orders are placed
on their work centers (or an alternative) inside working hours and within capacity, urgent demand first, then
special, then normal, earliest due first; work already begun and MOs a user moved or locked stay where they are.
Minimal disruption: a plan that already meets its due is kept, an MO moves earlier only as far as needed, and a
lower-tier MO is pushed later only while its own due still holds. When no plan meets an urgent due, the plan
says what would: overtime per work center and day, and which lower-tier MOs would have to slip by how much.

Modules: :mod:`.calendar` (working time — also the deadlines' calendar), :mod:`.model` (inputs and outputs),
:mod:`.axis` (working minutes), :mod:`.problem` (the integer problem), :mod:`.dispatch` (list scheduling: hint,
fallback, and Odoo's own first-come-first-served "Plan"), :mod:`.solver` (OR-Tools CP-SAT), :mod:`.shortfall`
(what would make a late urgent order), :mod:`.planner` (the whole), :mod:`.quality` (how good a plan is).
"""

from odoo_urgency.policies.planning.calendar import Attendance, WorkingTime
from odoo_urgency.policies.planning.model import (
    Job,
    JobOutcome,
    Operation,
    Overtime,
    PlannedOperation,
    PlanningLimits,
    Schedule,
    Shortfall,
    Slip,
    WorkCenter,
)
from odoo_urgency.policies.planning.planner import plan_capacity

__all__ = [
    "Attendance", "Job", "JobOutcome", "Operation", "Overtime", "PlannedOperation", "PlanningLimits", "Schedule",
    "Shortfall", "Slip", "WorkCenter", "WorkingTime", "plan_capacity",
]
