"""The capacity pass of a cycle: read the factory, plan it, write what changed, tell who must know.

Runs after the cycle's order batches, and only when the cycle had something to decide (or rescanned): a cycle in
which nothing changed stays at five calls. It reads the factory in a fixed handful of calls
(:mod:`jobs.planning.factory`), plans with the tiers the cycle just decided (the stored tier for the others),
writes only what the plan changed (:mod:`jobs.planning.apply`), and creates one alert for the salesperson and one
for the planner of each urgent MO the plan leaves late, with the overtime and slips that would make it — the keys
deduplicate them against live activities and the memo like every other alert.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import structlog

from odoo_urgency.connector import OdooClient, OdooError, Schema
from odoo_urgency.jobs.admin.installed import AlertTarget
from odoo_urgency.jobs.daemon.guard import WriteGuard
from odoo_urgency.jobs.daemon.memo import MEMO_FIELD, MemoStore
from odoo_urgency.jobs.daemon.writer import Applier, ApplyResult
from odoo_urgency.jobs.planning.apply import MO, PlanResult, PlanWriter, changes, seed_memo
from odoo_urgency.jobs.planning.factory import Factory, FactoryReader, _id
from odoo_urgency.jobs.runtime.settings import Settings
from odoo_urgency.policies import Alert, Tier
from odoo_urgency.policies.planning import PlanningLimits, Schedule, plan_capacity
from odoo_urgency.policies.planning.alerts import People, capacity_alerts
from odoo_urgency.policies.routing.directory import Directory

log = structlog.get_logger("planning")


def limits_of(settings: Settings) -> PlanningLimits:
    p = settings.rules.planning
    return PlanningLimits(horizon_days=p.horizon_days, max_operations=p.max_operations,
                          solver_operations=p.solver_operations,
                          solver_seconds=p.solver_seconds, workers=p.workers,
                          max_overtime_hours_per_day=p.max_overtime_hours_per_day)


@dataclass
class CapacityOutcome:
    factory: Factory
    schedule: Schedule
    written: PlanResult = field(default_factory=PlanResult)
    alerts: list[Alert] = field(default_factory=list)


def people_of(factory: Factory) -> dict[int, People]:
    return {mo_id: People(order=(factory.orders.get(mo_id) or {}).get("name"),
                          salesperson_id=_id((factory.orders.get(mo_id) or {}).get("user_id")),
                          responsible_id=_id(row.get("user_id")))
            for mo_id, row in factory.productions.items()}


def known_keys(memo: MemoStore, factory: Factory, install_mode: bool) -> set[str]:
    keys: set[str] = set()
    for mo_id, row in factory.productions.items():
        entry: Any = memo.snapshot().get(f"{MO}:{mo_id}") or {}
        if install_mode and isinstance(row.get(MEMO_FIELD), str):
            try:
                entry = json.loads(row[MEMO_FIELD])
            except ValueError:
                entry = {}
        keys.update(entry.get("alerts") or [] if isinstance(entry, dict) else [])
    return keys


class CapacityPass:
    def __init__(self, client: OdooClient, schema: Schema, settings: Settings, *, install_mode: bool,
                 tier_tag_ids: dict[Tier, int] | None = None, target: AlertTarget | None = None) -> None:
        self.client = client
        self.schema = schema
        self.settings = settings
        self.install_mode = install_mode
        self.target = target
        #: The push channels' hook (``jobs.notify``): called with the alerts about to be created.
        self.before_create: Callable[[Sequence[Alert]], None] | None = None
        #: Who is who (active users, groups) for routing the alerts; None: every user id is taken as valid.
        self.directory: Directory | None = None
        #: The daemon's fence before each write batch and its creates in flight (None: no lease held here).
        self.guard: WriteGuard | None = None
        self.reader = FactoryReader(client, schema, settings.rules, tier_tag_ids=tier_tag_ids)

    def plan(self, now: datetime, memo: MemoStore, tiers: dict[int, Tier] | None = None) -> tuple[Factory, Schedule]:
        factory = self.reader.read(now, memo.snapshot(), tiers)
        schedule = plan_capacity(factory.jobs, factory.centers, now, limits_of(self.settings))
        log.info("capacity_plan", mos=len(factory.jobs), work_orders=len(factory.workorders),
                 work_centers=len(factory.centers), method=schedule.method, late_urgent=len(schedule.shortfalls),
                 calls=factory.calls)
        return factory, schedule

    def run(self, now: datetime, tiers: dict[int, Tier], *, dry_run: bool) -> CapacityOutcome:
        memo = MemoStore(self.client, install_mode=self.install_mode, dry_run=dry_run)
        memo.load()
        factory, schedule = self.plan(now, memo, tiers)
        outcome = CapacityOutcome(factory, schedule)
        alerts = capacity_alerts(factory.jobs, schedule, people_of(factory), self.settings.rules,
                                 known_keys(memo, factory, self.install_mode), now, directory=self.directory)
        if dry_run:
            outcome.alerts = alerts
            return outcome
        if self.install_mode:
            seed_memo(memo, factory)
        min_move = timedelta(minutes=self.settings.rules.planning.min_move_minutes)
        moves = changes(factory, schedule, min_move)
        if moves and self.guard is not None:
            self.guard.fence()
        outcome.written = PlanWriter(self.client, self.schema, memo).write(factory, moves)
        if alerts and self.target is not None:
            outcome.alerts = self._alert(memo, alerts, outcome.written)
        memo.flush()  # tag mode: the memo parameter, once; install mode: it went out with the values
        return outcome

    def _alert(self, memo: MemoStore, alerts: list[Alert], written: PlanResult) -> list[Alert]:
        applier = Applier(self.client, self.schema, memo, self.target,  # type: ignore[arg-type]
                          batch_size=self.settings.daemon.batch_size, before_create=self.before_create,
                          activity_email=self.settings.notify.odoo_activity_email, guard=self.guard)
        result = ApplyResult()
        created = applier.create_alerts(alerts, result)
        written.errors.extend(result.errors)
        # Install mode keeps the keys on the MO itself: save them now, or an activity marked done would return.
        for res_id in sorted({alert.res_id for alert in alerts}) if self.install_mode else []:
            try:
                self.client.write(MO, [res_id], memo.with_memo_field((MO, res_id), {}))
                written.touched.setdefault(res_id, {})
            except OdooError as exc:
                if exc.transient:
                    raise
                written.errors.append(f"{MO}:{res_id} memo: {exc}")
        return created
