"""Writing a capacity plan the way Odoo's own planning does, and only what it changed.

Odoo keeps a planned MO consistent through its work orders: each planned work order holds a slot, a
``resource.calendar.leaves`` row (``time_type = 'other'``) on its work center's calendar, and writing a work
order's planned start and finish *together* moves that slot (``mrp.workorder._set_dates`` in 17+,
``_set_dates_planned`` in 16). The MO's own dates are then written with the context ``force_date`` — exactly as
``_plan_workorders`` does — because writing an MO's start without it *unplans* the MO (``mrp.production.write``
calls ``button_unplan``). So "Unplan" and the Gantt keep working on what the plugin planned. A draft MO (which
Odoo cannot plan) gets only its start and finish. A confirmed MO whose work orders nobody planned yet is planned
in the model — it needs capacity, and its verdict and alerts count — but not written: pressing "Plan" (or not)
stays the planner's decision, and the dates a user typed on it stay theirs.

Before writing, the work orders and MOs about to change are read again (two calls); an MO any of whose dates moved
since the plan was made is left for the next cycle (a user is at work on it). The MO's memo records the dates the
plugin wrote, so a later move by a user marks the MO as theirs (it is then never moved again).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import structlog

from odoo_urgency.connector import OdooClient, OdooError, Schema
from odoo_urgency.connector.records import parse_datetime
from odoo_urgency.jobs.daemon.memo import MemoStore
from odoo_urgency.jobs.planning.factory import Factory
from odoo_urgency.policies.planning import Schedule
from odoo_urgency.policies.wire import wire_datetime

log = structlog.get_logger("planning")
WO, MO = "mrp.workorder", "mrp.production"


@dataclass
class MoChange:
    mo_id: int
    draft: bool
    workorders: dict[int, dict[str, Any]] = field(default_factory=dict)  # neutral names
    production: dict[str, Any] = field(default_factory=dict)


@dataclass
class PlanResult:
    mos_written: int = 0
    workorders_written: int = 0
    skipped: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    #: MO id → the planned dates now on it (neutral names; empty when only its memo was written)
    touched: dict[int, dict[str, Any]] = field(default_factory=dict)


def _same(a: Any, b: Any) -> bool:
    return wire_datetime(parse_datetime(a)) == wire_datetime(parse_datetime(b))


def _near(a: Any, b: Any, tolerance: timedelta) -> bool:
    """Both empty, or both set and less than ``tolerance`` apart: not worth a write (nor a churn every cycle)."""
    first, second = parse_datetime(a), parse_datetime(b)
    if first is None or second is None:
        return first is None and second is None
    return abs(first - second) < tolerance or first == second


def changes(factory: Factory, schedule: Schedule, min_move: timedelta = timedelta(0)) -> list[MoChange]:
    """Per MO the values the plan changed by at least ``min_move``: moved work orders' dates (not for drafts) and
    the MO's dates."""
    out = []
    for job in factory.jobs:
        outcome = schedule.jobs.get(job.id)
        if outcome is None or job.locked or not outcome.placed or outcome.start is None or outcome.finish is None:
            continue
        if not job.draft and not job.planned:
            continue  # unplanned: planning it is the planner's "Plan"; it is in the plan (and its verdict) only
        change = MoChange(job.id, job.draft)
        for op in job.operations:
            placed = schedule.operations.get(op.id)
            if placed is None or job.draft:
                continue
            values: dict[str, Any] = {"planned_start": wire_datetime(placed.start),
                                      "planned_finished": wire_datetime(placed.finish)}
            if placed.workcenter_id != op.workcenter_id:
                values["workcenter_id"] = placed.workcenter_id
            row = factory.workorders[op.id]
            if values.get("workcenter_id") or not (
                    _near(row.get("planned_start"), values["planned_start"], min_move)
                    and _near(row.get("planned_finished"), values["planned_finished"], min_move)):
                change.workorders[op.id] = values
        mo = factory.productions[job.id]
        wanted = {"planned_start": wire_datetime(outcome.start), "planned_finished": wire_datetime(outcome.finish)}
        if change.workorders or not (_near(mo.get("planned_start"), wanted["planned_start"], min_move)
                                     and _near(mo.get("date_finished"), wanted["planned_finished"], min_move)):
            change.production = wanted
        if change.production or change.workorders:
            out.append(change)
    return out


class PlanWriter:
    def __init__(self, client: OdooClient, schema: Schema, memo: MemoStore) -> None:
        self.client = client
        self.schema = schema
        self.memo = memo

    def fresh(self, factory: Factory, todo: list[MoChange]) -> list[MoChange]:
        """Drop the MOs whose dates (or whose work orders' dates) moved since they were read."""
        wo_ids = sorted({w for c in todo for w in c.workorders})
        mo_ids = sorted(c.mo_id for c in todo)
        fields = list(self.schema.planned_fields(WO))
        now_wo = {r["id"]: self.schema.to_record_row(WO, r) for r in self.client.read(WO, wo_ids, fields)} \
            if wo_ids else {}
        now_mo = {r["id"]: self.schema.to_record_row(MO, r)
                  for r in self.client.read(MO, mo_ids, list(self.schema.planned_fields(MO)))}
        keep = []
        for change in todo:
            rows = [(factory.workorders[w], now_wo.get(w), "planned_finished") for w in change.workorders]
            rows.append((factory.productions[change.mo_id], now_mo.get(change.mo_id), "date_finished"))
            if all(new is not None and _same(old.get("planned_start"), new.get("planned_start"))
                   and _same(old.get(end), new.get(end)) for old, new, end in rows):
                keep.append(change)
            else:
                log.info("plan_conflict", mo=change.mo_id, note="dates moved since read; planned again next cycle")
        return keep

    def write(self, factory: Factory, todo: list[MoChange]) -> PlanResult:
        result = PlanResult()
        for change in self.fresh(factory, todo):
            try:
                self._write_one(factory, change)
            except OdooError as exc:
                if exc.transient:
                    raise
                result.errors.append(f"{factory.productions[change.mo_id].get('name')}: {exc}")
                self.memo.forget_pending(MO, change.mo_id)
                continue
            result.mos_written += 1
            result.workorders_written += len(change.workorders)
            result.touched[change.mo_id] = dict(change.production)
        result.skipped = sorted({c.mo_id for c in todo} - {c.mo_id for c in todo if c.production})
        return result

    def _write_one(self, factory: Factory, change: MoChange) -> None:
        for wo_id, values in sorted(change.workorders.items()):
            self.client.call(WO, "write", [wo_id], self.schema.to_odoo_values(WO, values), idempotent=True)
        if not change.production:
            return
        key = (MO, change.mo_id)
        self.memo.record_write(MO, change.mo_id, change.production)
        values = self.memo.with_memo_field(key, self.schema.to_odoo_values(MO, change.production))
        context = {} if change.draft else {"force_date": True}
        self.client.call(MO, "write", [change.mo_id], values, context=context, idempotent=True)


def seed_memo(memo: MemoStore, factory: Factory) -> None:
    """Install mode: the memo each MO came with is the base new entries merge into."""
    import json

    for mo_id, row in factory.productions.items():
        raw = row.get("x_urgency_memo")
        try:
            value = json.loads(raw) if isinstance(raw, str) and raw else {}
        except ValueError:
            value = {}
        memo.seed((MO, mo_id), value if isinstance(value, dict) else {})
