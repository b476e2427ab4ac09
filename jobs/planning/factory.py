"""Reading the factory for the capacity planner: a fixed handful of batched calls, never one per record.

1. open work orders (``mrp.workorder``: work center, planned dates under this version's names, expected and real
   duration, state, ``blocked_by_workorder_ids``);
2. their manufacturing orders (state, planned dates, responsible, source, the plugin's memo and lock);
3. the sale orders they serve (requested delivery, salesperson, the tier the plugin gave them);
4. the work centers (calendar, efficiency, alternatives, resource);
5. the calendars, 6. their attendances, 7. the leaves that touch the horizon.

Rows become the planner's inputs (:mod:`policies.planning.model`): a work center's calendar gets the global
leaves of its calendar and its own resource's leaves (time off, maintenance); the work-order slots Odoo keeps as
``time_type = 'other'`` leaves are not time off — they are the work orders themselves. An MO whose planned dates
a user changed after the plugin wrote them (the memo), or that a user locked (a boolean custom field
``x_urgency_locked``, which ``install`` adds to ``mrp.production``; honoured when it exists), stays where it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import structlog

from odoo_urgency.connector import OdooClient, Schema
from odoo_urgency.connector.records import parse_datetime
from odoo_urgency.jobs.runtime.calendars import CalendarReader, OwnLeaves
from odoo_urgency.policies import Rules, Tier
from odoo_urgency.policies.planning import Job, Operation, WorkCenter, WorkingTime
from odoo_urgency.policies.states import CLOSED as MO_CLOSED
from odoo_urgency.policies.wire import user_changed, wire_datetime

log = structlog.get_logger("daemon")

WO_FIELDS = ["name", "production_id", "workcenter_id", "state", "duration_expected", "duration",
             "blocked_by_workorder_ids"]
MO_FIELDS = ["name", "state", "origin", "user_id", "company_id"]


@dataclass
class Factory:
    jobs: list[Job] = field(default_factory=list)
    centers: list[WorkCenter] = field(default_factory=list)
    #: raw rows as read (neutral names for planned dates), for the writer's conflict check
    workorders: dict[int, dict[str, Any]] = field(default_factory=dict)
    productions: dict[int, dict[str, Any]] = field(default_factory=dict)
    #: MO id → the sale order it serves (name, salesperson id, id)
    orders: dict[int, dict[str, Any]] = field(default_factory=dict)
    calls: int = 0


def _id(value: Any) -> int | None:
    return int(value[0]) if isinstance(value, list | tuple) and value else (int(value) if value else None)


def _memo(row: dict[str, Any], memo: dict[str, dict[str, Any]]) -> dict[str, Any]:
    from json import loads

    raw = row.get("x_urgency_memo")
    if isinstance(raw, str) and raw:
        try:
            value = loads(raw)
            return value if isinstance(value, dict) else {}
        except ValueError:
            return {}
    return memo.get(f"mrp.production:{row['id']}", {})


class FactoryReader:
    def __init__(self, client: OdooClient, schema: Schema, rules: Rules, *, tier_tag_ids: dict[Tier, int] | None = None
                 ) -> None:
        self.client = client
        self.schema = schema
        self.rules = rules
        self.tier_tags = {tag: tier for tier, tag in (tier_tag_ids or {}).items()}

    def read(self, now: datetime, memo: dict[str, dict[str, Any]] | None = None,
             tiers: dict[int, Tier] | None = None) -> Factory:
        """Everything the planner needs. ``tiers``: sale order id → tier decided in this cycle (wins over the
        stored one); ``memo``: the tag-mode memo (install mode keeps it on the MO)."""
        before = self.client.stats.calls
        factory = Factory()
        wo_rows = self._workorders()
        mo_rows = self._productions(sorted({_id(r["production_id"]) or 0 for r in wo_rows} - {0}))
        factory.productions = {int(r["id"]): r for r in mo_rows}
        factory.workorders = {int(r["id"]): r for r in wo_rows if _id(r["production_id"]) in factory.productions}
        factory.orders = self._orders(mo_rows)
        factory.centers = self._centers(now)
        factory.jobs = self._jobs(factory, memo or {}, tiers or {})
        factory.calls = self.client.stats.calls - before
        return factory

    # -- reads ------------------------------------------------------------------------------------------

    def _workorders(self) -> list[dict[str, Any]]:
        start, finish = self.schema.planned_fields("mrp.workorder")
        rows = self.client.search_read("mrp.workorder", [("state", "not in", ["done", "cancel"])],
                                       [*WO_FIELDS, start, finish], order="id")
        return [self.schema.to_record_row("mrp.workorder", row) for row in rows]

    def _productions(self, ids: list[int]) -> list[dict[str, Any]]:
        if not ids:
            return []
        start, finish = self.schema.planned_fields("mrp.production")
        custom = [f for f in ("x_urgency_memo", "x_urgency_locked")
                  if f in self.schema.custom_fields.get("mrp.production", set())]
        links = self.schema.link_fields_of("mrp.production")  # procurement group (16–18), stock references (19)
        rows = self.client.read("mrp.production", ids, [*MO_FIELDS, *links, start, finish, *custom])
        return [self.schema.to_record_row("mrp.production", row) for row in rows if row.get("state") not in MO_CLOSED]

    def _orders(self, mo_rows: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
        # The MO rows went through the schema: their link (group or references) is the neutral ``links``.
        links = sorted({link for r in mo_rows for link in r.get("links") or ()})
        origins = sorted({r["origin"] for r in mo_rows if r.get("origin")})
        leaves = [leaf for leaf in (self.schema.linked_domain("sale.order", links),
                                    [("name", "in", origins)] if origins else []) if leaf]
        if not leaves:
            return {}
        fields = ["name", "commitment_date", "user_id", "state", "tag_ids", *self.schema.link_fields_of("sale.order")]
        if "x_urgency" in self.schema.custom_fields.get("sale.order", set()):
            fields.append("x_urgency")
        domain = leaves[0] if len(leaves) == 1 else ["|", *leaves[0], *leaves[1]]
        rows = self.client.search_read("sale.order", domain, fields)
        by_link = {link: r for r in rows for link in self.schema.links_of("sale.order", r)}
        by_name = {r["name"]: r for r in rows}
        out: dict[int, dict[str, Any]] = {}
        for mo in mo_rows:
            order = next((by_link[link] for link in mo.get("links") or () if link in by_link), None)
            order = order or by_name.get(mo.get("origin") or "")
            if order is not None and order.get("state") != "cancel":
                out[int(mo["id"])] = order
        return out

    def _centers(self, now: datetime) -> list[WorkCenter]:
        rows = self.client.search_read("mrp.workcenter", [], ["name", "resource_calendar_id", "time_efficiency",
                                                               "alternative_workcenter_ids", "resource_id"])
        calendars = self._calendars(sorted({c for r in rows if (c := _id(r.get("resource_calendar_id")))}), now)
        centers = []
        for row in rows:
            base = calendars.get(_id(row.get("resource_calendar_id")) or -1)
            if base is None:
                continue  # a work center without working hours cannot be planned on
            calendar, leaves = base
            own = [span for resource, span in leaves if resource in (None, _id(row.get("resource_id")))]
            centers.append(WorkCenter(int(row["id"]), row.get("name") or f"#{row['id']}", calendar.with_leaves(own),
                                      efficiency=float(row.get("time_efficiency") or 100.0),
                                      alternatives=tuple(row.get("alternative_workcenter_ids") or ())))
        return centers

    def _calendars(self, ids: list[int], now: datetime) -> dict[int, tuple[WorkingTime, OwnLeaves]]:
        until = now + timedelta(days=2 * self.rules.planning.horizon_days + 7)
        return CalendarReader(self.client).read(ids, now, until)

    # -- rows → jobs --------------------------------------------------------------------------------------

    def _jobs(self, factory: Factory, memo: dict[str, dict[str, Any]], tiers: dict[int, Tier]) -> list[Job]:
        by_mo: dict[int, list[dict[str, Any]]] = {}
        for row in factory.workorders.values():
            by_mo.setdefault(_id(row["production_id"]) or 0, []).append(row)
        buffer = timedelta(hours=self.rules.production.delivery_buffer_hours)
        jobs = []
        for mo_id, mo in sorted(factory.productions.items()):
            order = factory.orders.get(mo_id)
            tier = self._tier(order, tiers)
            mine = _memo(mo, memo)
            try:  # a date the rules cannot read (year 1): that MO is left out of the plan, the others are planned
                requested = parse_datetime(order.get("commitment_date")) if order else None
                moved = user_changed(mine, "planned_start", wire_datetime(parse_datetime(mo.get("planned_start")))) \
                    or user_changed(mine, "planned_finished", wire_datetime(parse_datetime(mo.get("date_finished"))))
                ops = tuple(_operation(row) for row in sorted(by_mo.get(mo_id, []), key=lambda r: r["id"]))
            except ValueError as exc:
                log.warning("mo_not_planned", mo=mo.get("name"), order=order.get("name") if order else None,
                            error=str(exc))
                continue
            draft = mo.get("state") == "draft"
            jobs.append(Job(mo_id, mo.get("name") or f"#{mo_id}", tier, requested - buffer if requested else None,
                            ops, locked=bool(moved or mo.get("x_urgency_locked")), draft=draft,
                            order_name=order.get("name") if order else None,
                            draft_plan=_draft_plan(mo, mine) if draft and not moved else None))
        return jobs

    def _tier(self, order: dict[str, Any] | None, tiers: dict[int, Tier]) -> Tier:
        if order is None:
            return Tier.NORMAL
        if int(order["id"]) in tiers:
            return tiers[int(order["id"])]
        stored = order.get("x_urgency")
        if stored in {t.value for t in Tier}:
            return Tier(stored)
        tagged = [self.tier_tags[t] for t in order.get("tag_ids") or () if t in self.tier_tags]
        return max(tagged, key=lambda t: list(Tier).index(t)) if tagged else Tier.NORMAL


def _draft_plan(mo: dict[str, Any], memo: dict[str, Any]) -> tuple[datetime, datetime] | None:
    """A draft's dates when they are the plugin's own (in the memo, and nobody changed them since): its plan. A
    draft's other dates (Odoo's default start, a user's) are no plan: such a draft is placed like an unplanned MO."""
    start, finish = parse_datetime(mo.get("planned_start")), parse_datetime(mo.get("date_finished"))
    if start is None or finish is None or "planned_start" not in memo or "planned_finished" not in memo:
        return None
    return start, finish


def _operation(row: dict[str, Any]) -> Operation:
    blocked = [int(i) for i in row.get("blocked_by_workorder_ids") or ()]
    return Operation(int(row["id"]), row.get("name") or "", _id(row["workcenter_id"]) or 0,
                     float(row.get("duration_expected") or 0.0), parse_datetime(row.get("planned_start")),
                     parse_datetime(row.get("planned_finished")), row.get("state") or "ready",
                     float(row.get("duration") or 0.0), tuple(blocked) if blocked else None)


def day_label(day: date) -> str:
    return day.strftime("%a %m-%d")
