"""The synchronizer: composes the daemon's components into one cycle (after OCA/connector's synchronizer).

A cycle in which nothing changed costs five round trips, however many open orders there are: read the daemon's
state (and, in tag mode, its memo) (1); the *stamps* of sale orders, manufacturing orders and deliveries changed
since the cursor (3, :mod:`jobs.daemon.changes`); renew the lease with the cursor (1, :mod:`jobs.daemon.lease`).

Everything else happens in batches of ``daemon.batch_size`` orders, each in this order:

1. read the batch's rows and everything the rules need (:class:`~jobs.daemon.reader.Reader`, one call per model);
2. settle the memo against those rows (:class:`~jobs.daemon.memo.MemoStore`) — *before* any context is built, so
   the rules see what the plugin really wrote even after a crash between a write and its confirmation;
3. build the contexts and plan each order (``policies.plan_order``);
4. write the difference (:class:`~jobs.daemon.writer.Applier`), then read back what was written and remember its
   stamps (:class:`~jobs.daemon.stamps.Fingerprints`), so the daemon's own writes are not news next cycle.

The lease is renewed between batches when half of it is gone. Every ``rescan_minutes`` a cycle decides every
open order again.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from typing import Any

import structlog

from odoo_urgency.connector import AccessError, OdooClient, OdooError, Schema, UnknownNameError, detect
from odoo_urgency.connector.costs import since
from odoo_urgency.connector.records import SaleOrder, format_datetime
from odoo_urgency.connector.schema import has_state_home
from odoo_urgency.jobs.admin.installed import AlertTarget, from_config, read_config, resolve
from odoo_urgency.jobs.daemon.changes import WINDOW_FROM, ChangeDetector
from odoo_urgency.jobs.daemon.duplicates import sweep
from odoo_urgency.jobs.daemon.guard import WriteGuard
from odoo_urgency.jobs.daemon.home import MEMO, STATE, home_for
from odoo_urgency.jobs.daemon.lease import DaemonState, StateStore, default_holder
from odoo_urgency.jobs.daemon.memo import MemoStore
from odoo_urgency.jobs.daemon.overwrites import Overwrites, tracked_fields
from odoo_urgency.jobs.daemon.people import People
from odoo_urgency.jobs.daemon.reader import Reader
from odoo_urgency.jobs.daemon.stamps import FingerprintCache, Fingerprints, stamp
from odoo_urgency.jobs.daemon.summary import CycleSummary
from odoo_urgency.jobs.daemon.writer import Applier, ApplyResult
from odoo_urgency.jobs.materials.step import MaterialsStep
from odoo_urgency.jobs.planning.run import CapacityOutcome, CapacityPass
from odoo_urgency.jobs.runtime.calendars import attach_company_calendar
from odoo_urgency.jobs.runtime.settings import Settings, lease_floor
from odoo_urgency.policies import Alert, OrderContext, OrderPlan, Tier, plan_order
from odoo_urgency.policies.tiers import TIER_TAGS
from odoo_urgency.policies.wire import apply_values, same, same_row

log = structlog.get_logger("daemon")
Clock = Callable[[], datetime]
AlertFilter = Callable[[OrderPlan, Alert], bool]
Rows = dict[tuple[str, int], dict[str, Any]]

__all__ = ["AlertFilter", "Clock", "CycleSummary", "Synchronizer", "utc_now"]


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class Synchronizer:
    """Runs cycles against one database. Keeps the change fingerprints between cycles."""

    def __init__(self, client: OdooClient, schema: Schema, settings: Settings, *, holder: str | None = None,
                 clock: Clock = utc_now, cache: FingerprintCache | None = None) -> None:
        self.client = client
        self.schema = schema
        self.settings = settings
        self.clock = clock
        self.install_mode = schema.install_mode
        self.holder = holder or settings.daemon.holder or default_holder()
        #: where the state, the lease and the tag-mode memo live (the daemon's own model once installed)
        if schema.state_home is None:
            schema.state_home = has_state_home(client)
        self.home = home_for(client, schema.state_home)
        self.lease = StateStore(client, self.holder, settings.daemon.lease_seconds, self.home)
        self.fingerprints = Fingerprints(cache)
        self.changes = ChangeDetector(settings.daemon, settings.rules, self.fingerprints)
        self._reader: Reader | None = None
        self._target: AlertTarget | None = None
        self._use_load = True
        #: Orders to decide again next cycle whatever their stamp: a write was refused or raced a user.
        self.retry: set[int] = set()
        #: Sale order id → the tier this cycle decided (the capacity pass plans with it).
        self.tiers: dict[int, Tier] = {}
        self._tier_tags: dict[Tier, int] = {}
        #: Who is who in the ERP, for routing alerts (read when there is something to decide).
        self.people = People(client, settings.rules)
        #: Called with the alerts about to be created (the push channels' outbox records them first).
        self.before_create: Callable[[Sequence[Alert]], None] | None = None
        #: Components, pegged supply and purchasing follow-up of the special and urgent orders of each batch.
        self.materials = MaterialsStep(client, schema, settings.rules)
        #: This cycle's fence and creates in flight (None outside a cycle and in a dry run).
        self.guard: WriteGuard | None = None
        #: model → field → ``ir.model.fields`` id of the plugin's fields Odoo tracks (from the config record)
        self.tracked: dict[str, dict[str, int]] = {}

    @property
    def mode(self) -> str:
        return "install" if self.install_mode else "tag"

    def prepare(self, *, dry_run: bool = False) -> Reader:
        """Find the activity type, the models and (tag mode) the tier tags: once per process, a few calls."""
        if self._reader is None:
            if self.schema.state_home:
                config = read_config(self.client)
                self._target, tags = from_config(config)
                self.people.known_groups = {str(k): int(v) for k, v in (config.get("group_ids") or {}).items()}
                self.tracked = tracked_fields(config)
            else:
                self._target, tags = resolve(self.client, install_mode=self.install_mode, create_missing=not dry_run)
            self._tier_tags = dict(tags)
            now = self.clock()  # deadlines of a backfill's history too: the holidays of years back
            attach_company_calendar(self.client, self.settings.rules, now - timedelta(days=3 * 366),
                                    now + timedelta(days=366))
            self._reader = Reader(self.client, self.schema, self.settings.rules, install_mode=self.install_mode,
                                  tier_tag_ids=tags)
        return self._reader

    def new_memo(self, *, dry_run: bool) -> MemoStore:
        return MemoStore(self.client, install_mode=self.install_mode, dry_run=dry_run, home=self.home)

    # -- the cycle ---------------------------------------------------------------------------------------

    def run_cycle(self, *, dry_run: bool = False, stop: Callable[[], bool] = lambda: False) -> CycleSummary:
        """One cycle. If the ERP's schema changed under the daemon (its fields were uninstalled, a module was
        upgraded), it detects the schema again and runs the cycle once more in the mode that now applies."""
        try:
            return self._cycle(dry_run=dry_run, stop=stop)
        except UnknownNameError as exc:
            log.warning("schema_changed", error=str(exc), note="detecting the ERP's schema again")
            self.client.forget_fields()
            self.schema = detect(self.client, with_rights=False)
            self.schema.state_home = has_state_home(self.client)
            self.materials.schema = self.schema
            self.install_mode = self.schema.install_mode
            self.home = self.lease.home = home_for(self.client, self.schema.state_home)
            self._reader = None
            return self._cycle(dry_run=dry_run, stop=stop)

    def _cycle(self, *, dry_run: bool, stop: Callable[[], bool]) -> CycleSummary:
        started_calls, t0, costs_before = self.client.stats.calls, time.monotonic(), self.client.stats.snapshot()
        summary = CycleSummary(dry_run=dry_run)
        reader = self.prepare(dry_run=dry_run)
        now = self.clock()
        memo = self.new_memo(dry_run=dry_run)
        state = self._read_params(memo)
        if not dry_run:
            state = self.lease.hold(state, now)
        self.guard = None if dry_run else self.new_guard(state)
        rescan = self.changes.rescan_due(state, now)
        order_ids, cursor = self.changes.what_to_decide(reader, state, now, rescan)
        if self.retry and not dry_run:
            order_ids = sorted(set(order_ids) | self.retry)
            self.retry.clear()
        self.tiers.clear()
        self.materials.judged.clear()
        self.materials.waiting.clear()
        self.materials.last.clear()
        self.materials.defer = self.settings.rules.planning.enabled
        finished = self._batches(reader, memo, state, order_ids, now, summary, dry_run, stop)
        self.materials.defer = False
        held = set() if dry_run else self.materials.waiting - self.retry
        self.retry |= held  # their materials come after the capacity pass: next cycle if it never comes
        if finished and (order_ids or rescan) and self.settings.rules.planning.enabled:
            outcome = self.capacity(now, summary, dry_run=dry_run)
            self._materials_on_the_plan(reader, outcome, now, summary, dry_run, held)
        if self.guard is not None and (rescan or self.guard.recovered):
            sweep(self.client)  # the plugin's own duplicates, if any ever slipped through
        if not dry_run:
            self._close(state, cursor, now, rescan, finished)
        summary.rpc_calls = self.client.stats.calls - started_calls
        summary.duration_s = time.monotonic() - t0
        summary.costs = since(self.client.stats.snapshot(), costs_before)
        log.info("cycle", mode=self.mode, dry_run=dry_run, orders=sum(summary.orders_by_tier.values()),
                 **{k: v for k, v in summary.as_json().items() if k not in ("dry_run",)})
        return summary

    def new_guard(self, state: DaemonState) -> WriteGuard:
        """The fence before each write batch and the creates in flight, for a cycle on ``state``."""
        margin = min(lease_floor(self.settings) / 2, self.settings.daemon.lease_seconds / 4)
        return WriteGuard(self.lease, state, self.clock,
                          settle=timedelta(seconds=self.settings.daemon.erp_request_limit_seconds),
                          margin=timedelta(seconds=margin))

    def _read_params(self, memo: MemoStore) -> DaemonState:
        """State and (tag mode) memo in one call."""
        found = self.home.read([STATE] if self.install_mode else [STATE, MEMO])
        state = DaemonState.parse(found[STATE].id, found[STATE].value) if STATE in found else DaemonState()
        if STATE in found:
            # The server's time when the last cycle ended (its lease renewal): components moved later are news.
            self.changes.last_renewal = found[STATE].written
        if MEMO in found:
            memo.load_row(found[MEMO].id, found[MEMO].value)
        return state

    def _batches(self, reader: Reader, memo: MemoStore, state: DaemonState, order_ids: list[int], now: datetime,
                 summary: CycleSummary, dry_run: bool, stop: Callable[[], bool]) -> bool:
        """Decide and write ``order_ids`` batch by batch; False when asked to stop before the end."""
        batch = self.settings.daemon.batch_size
        for start in range(0, len(order_ids), batch):
            if stop():
                log.info("cycle_interrupted", done=start, total=len(order_ids))
                return False
            if not dry_run:
                self.lease.keep(state, self.clock())
            rows = reader.read_rows(SaleOrder, order_ids[start:start + batch])
            self._run_batch(reader, memo, rows, now, summary, dry_run)
        return True

    def _close(self, state: DaemonState, cursor: datetime | None, now: datetime, rescan: bool,
               finished: bool) -> None:
        # Only a cycle that saw everything moves the cursor and the due window on; an interrupted one leaves
        # them, so the next cycle covers what this one did not reach.
        if finished:
            state.cursor = cursor
            state.last_cycle = now
            if self.changes.last_renewal:
                # the server's time of the state this cycle read before it looked: the next window starts there
                state.extra[WINDOW_FROM] = self.changes.last_renewal
            if rescan:
                state.extra["last_rescan"] = format_datetime(now)
        self.lease.renew(state, self.clock())
        if state.cursor is not None:
            horizon = state.cursor - timedelta(seconds=self.settings.daemon.overlap_seconds * 2)
            self.fingerprints.prune(format_datetime(horizon))
        self.fingerprints.save()

    # -- the lease outside a cycle -----------------------------------------------------------------------

    def release(self) -> None:
        """Give the lease back (end of ``once``, daemon shutdown); it would expire by itself otherwise."""
        self.lease.give_back(self.clock())

    @contextmanager
    def lease_held(self) -> Iterator[Callable[[], None]]:
        """Hold the lease for a job outside the cycle (the backfill); yields "keep it" to call between batches.
        The lease is given back however the job ends."""
        state = self.lease.take(self.clock())
        try:
            yield lambda: self.lease.keep(state, self.clock())
        finally:
            try:
                self.lease.release(state, self.clock())
            except OdooError as exc:
                log.warning("lease_not_released", error=str(exc), note="it expires by itself")

    # -- deciding ----------------------------------------------------------------------------------------

    def decide(self, reader: Reader, memo: MemoStore, rows: list[dict[str, Any]], now: datetime,
               summary: CycleSummary) -> tuple[list[OrderContext], list[OrderPlan], Rows]:
        """Contexts and plans for a batch of order rows, and every raw row read for them (orders, MOs, deliveries).

        The memo is settled against those rows *before* the contexts are built: a context holds a copy of the
        memo, and the rules must see what the plugin really wrote."""
        batch = reader.read_batch(rows)
        memo.resolve(batch.rows, lambda model, name: next(iter(self.schema.to_odoo_values(model, {name: 0}))))
        contexts = reader.contexts(batch, memo.snapshot())
        directory = self.people.get() if contexts else None
        for ctx in contexts:
            ctx.directory = directory
        for line in batch.skipped:  # one line each; the rest of the batch goes on
            summary.unreadable += 1
            summary.errors += 1
            summary.error_messages.append(line)
            log.error("order_unreadable", detail=line)
        memo.register(contexts)
        plans = self._with_materials(reader, contexts, self.plan(contexts, now, summary), now, memo, summary)
        return contexts, plans, batch.rows

    def _with_materials(self, reader: Reader, contexts: list[OrderContext], plans: list[OrderPlan], now: datetime,
                        memo: MemoStore, summary: CycleSummary) -> list[OrderPlan]:
        """The plans with the materials actions filed in; broken materials data never stops the orders' plans."""
        try:
            return self.materials.decide(reader, contexts, plans, now, memo.snapshot())
        except (ValueError, TypeError, KeyError, AssertionError) as exc:
            summary.errors += 1
            summary.error_messages.append(f"materials: cannot decide: {exc}")
            log.error("materials_undecidable", error=str(exc))
            return plans

    def decide_one(self, domain: list[Any], now: datetime) -> tuple[OrderContext, OrderPlan] | None:
        """The decision for one order found by ``domain`` (``explain``), changing nothing; None if not found."""
        reader = self.prepare(dry_run=True)
        rows = reader.search_rows(SaleOrder, domain)[:1]
        if not rows:
            return None
        memo = self.new_memo(dry_run=True)
        memo.load()
        summary = CycleSummary(dry_run=True)
        contexts, plans, _seen = self.decide(reader, memo, rows, now, summary)
        if not plans:
            raise ValueError("; ".join(summary.error_messages))
        return contexts[0], plans[0]

    def plan(self, contexts: Iterable[OrderContext], now: datetime, summary: CycleSummary) -> list[OrderPlan]:
        plans = []
        for ctx in contexts:
            try:
                plan = plan_order(ctx, self.settings.rules, now)
            except Exception as exc:  # noqa: BLE001 - one order with broken data must not stop the cycle
                summary.errors += 1
                summary.error_messages.append(f"{ctx.order.name}: cannot decide: {exc}")
                log.error("order_undecidable", order=ctx.order.name, error=str(exc))
                continue
            if plan.decision.skipped is None:
                summary.orders_by_tier[plan.decision.tier.value] += 1
                self.tiers[plan.decision.order_id] = plan.decision.tier
            if not plan.is_empty():
                log.info("decision", order=plan.decision.order_name, tier=plan.decision.tier.value,
                         manual=plan.decision.manual, reasons=[r.text for r in plan.decision.reasons],
                         writes=len(plan.writes), alerts=len(plan.alerts))
            plans.append(plan)
        return plans

    # -- the factory's capacity ---------------------------------------------------------------------------

    def capacity_pass(self) -> CapacityPass:
        self.prepare()
        capacity = CapacityPass(self.client, self.schema, self.settings, install_mode=self.install_mode,
                                tier_tag_ids=self._tier_tags, target=self._target)
        capacity.before_create = self.before_create
        capacity.directory = self.people.current()  # read by this cycle's decisions (routing like every alert)
        capacity.guard = self.guard
        return capacity

    def capacity(self, now: datetime, summary: CycleSummary, *, dry_run: bool) -> CapacityOutcome | None:
        """Plan every open MO with work orders on its work centers' capacity; write and alert (not in a dry run)."""
        try:
            outcome = self.capacity_pass().run(now, dict(self.tiers), dry_run=dry_run)
        except (AccessError, UnknownNameError) as exc:
            log.warning("capacity_skipped", error=str(exc), note="work orders or calendars cannot be read")
            return None
        self._remember_planned(outcome)
        summary.writes += outcome.written.mos_written + outcome.written.workorders_written
        summary.alerts += len(outcome.alerts)
        summary.errors += len(outcome.written.errors)
        summary.error_messages.extend(outcome.written.errors)
        return outcome

    def _materials_on_the_plan(self, reader: Reader, outcome: CapacityOutcome | None, now: datetime,
                               summary: CycleSummary, dry_run: bool, held: set[int]) -> None:
        """The materials of the orders that waited for the capacity plan, decided now on its slots; and (not in a
        dry run) those this cycle judged against a start the plan moved, decided again. Only their materials actions
        are applied: the rules' part went out with the batches, before the capacity pass (which plans with the
        priorities they wrote). An order whose batch failed or met a user's edit is decided whole next cycle instead.
        A fresh memo: the capacity pass saved its own."""
        slots = {job_id: (job.start, job.finish) for job_id, job in outcome.schedule.jobs.items()
                 if job.placed and job.start is not None and job.finish is not None} if outcome else {}  # fmt: skip
        min_move = timedelta(minutes=self.settings.rules.planning.min_move_minutes)
        moved = self.materials.replanned(slots, min_move) if outcome else set()
        waiting, self.materials.waiting = self.materials.waiting, set()
        self.retry -= held
        todo = sorted((waiting | (set() if dry_run else moved)) - self.retry)
        if not todo:
            return
        log.info("materials_on_capacity_plan", orders=len(todo), waiting=len(waiting))
        memo = self.new_memo(dry_run=dry_run)
        memo.load()
        second = CycleSummary(dry_run=dry_run)
        batch = self.settings.daemon.batch_size
        self.materials.only = True  # the rules' part of these orders was applied (or counted) in the batches
        try:
            for start in range(0, len(todo), batch):
                rows = reader.read_rows(SaleOrder, todo[start:start + batch])
                self._run_batch(reader, memo, rows, now, second, dry_run)
        finally:
            self.materials.only = False
        summary.absorb(second)

    def _remember_planned(self, outcome: CapacityOutcome) -> None:
        """The MOs the capacity pass wrote are not news next cycle: read back (one call) and remember their stamps
        when they hold what was written, or when the daemon is still their last author (a user's edit in between
        stays news). The author matters on a real Odoo 17: a draft MO's ``date_finished`` is recomputed from its
        start (``_compute_date_finished``), so it may not hold the finish that was written."""
        touched = outcome.written.touched
        if not touched:
            return
        start, finish = self.schema.planned_fields("mrp.production")
        for row in self.client.read("mrp.production", sorted(touched), ["write_date", "write_uid", start, finish]):
            wanted = touched[int(row["id"])]
            author = row.get("write_uid")
            ours = isinstance(author, list) and bool(author) and author[0] == self.client.uid
            if ours or all(same(row.get(self.schema.to_odoo_values("mrp.production", {name: 0}).popitem()[0]),
                                value) for name, value in wanted.items()):
                self.fingerprints.remember(("mrp.production", int(row["id"])), row)

    # -- writing -----------------------------------------------------------------------------------------

    def process_rows(self, rows: list[dict[str, Any]], now: datetime, summary: CycleSummary, *, dry_run: bool,
                     keep_alert: AlertFilter | None = None) -> list[OrderPlan]:
        """Decide and write a list of sale order rows in batches, outside a cycle (the backfill); the plans
        that change something, the same whether ``dry_run`` or not."""
        reader = self.prepare(dry_run=dry_run)
        memo = self.new_memo(dry_run=dry_run)
        memo.load()
        batch = self.settings.daemon.batch_size
        plans: list[OrderPlan] = []
        for start in range(0, len(rows), batch):
            plans += self._run_batch(reader, memo, rows[start:start + batch], now, summary, dry_run, keep_alert)
        return plans

    def tag_names(self) -> dict[int, str]:
        """Tier tag id → its name (placeholders of a dry run included), to show plans to people."""
        reader = self.prepare(dry_run=True)
        return {tag_id: TIER_TAGS[tier].name for tier, tag_id in reader.tier_tag_ids.items()}

    def _run_batch(self, reader: Reader, memo: MemoStore, rows: list[dict[str, Any]], now: datetime,
                   summary: CycleSummary, dry_run: bool, keep_alert: AlertFilter | None = None) -> list[OrderPlan]:
        _contexts, plans, seen = self.decide(reader, memo, rows, now, summary)
        if keep_alert is not None:
            plans = [plan.model_copy(update={"alerts": [a for a in plan.alerts if keep_alert(plan, a)]})
                     for plan in plans]
        changing = [plan for plan in plans if not plan.is_empty()]
        if dry_run:
            summary.count_planned(plans)
            return changing
        assert self._target is not None
        applier = Applier(self.client, self.schema, memo, self._target,
                          batch_size=self.settings.daemon.batch_size, use_load=self._use_load,
                          seen_stamps=_stamps(seen), before_create=self.before_create,
                          activity_email=self.settings.notify.odoo_activity_email, guard=self.guard,
                          overwrites=Overwrites(self.client, self.tracked, self._tracking_unreadable)
                          if self.tracked else None)
        summary.rfqs += self.materials.create_rfqs(memo)
        result = applier.apply(changing)
        self._use_load = applier.use_load
        _account(result, summary)
        self._remember(reader, seen, result)
        return changing

    def _tracking_unreadable(self, error: str) -> None:
        """The daemon's user may not read Odoo's chatter tracking: the overwrite check is off from now on."""
        self.tracked = {}
        log.warning("overwrite_check_off", error=error,
                    note="this user cannot read mail.tracking.value (administrators only); a person's edit made "
                         "between the daemon's last look and its write is not put back — the look before each "
                         "write remains the protection")

    def _remember(self, reader: Reader, seen: Rows, result: ApplyResult) -> None:
        """What the daemon saw is not news until its stamp moves again.

        The rows it wrote itself are read back (one call per model): when a row holds exactly what was read
        plus what was written, its new stamp is remembered; when it holds anything else, somebody edited it in
        the meantime, and it is decided again next cycle.
        """
        for key, row in seen.items():
            if key not in result.written:
                self.fingerprints.remember(key, row)
        self.changes.remember_supply(seen)
        expected: dict[str, dict[int, dict[str, Any]]] = {}
        for (model, res_id), values in result.written.items():
            self.fingerprints.forget((model, res_id))
            if (model, res_id) in seen:
                row = apply_values(seen[(model, res_id)], self.schema.to_odoo_values(model, values))
                expected.setdefault(model, {})[res_id] = row
        for model, rows in expected.items():
            fields = sorted({name for row in rows.values() for name in row} - {"id"})
            for row in reader.read_back(model, list(rows), fields):
                if same_row(row, rows[int(row["id"])]):
                    self.fingerprints.remember((model, int(row["id"])), row)
        for order_id in (*result.conflicts, *result.failed_orders, *result.waiting_orders):
            self.fingerprints.forget(("sale.order", order_id))
            self.retry.add(order_id)


def _stamps(rows: Rows) -> dict[tuple[str, int], str]:
    return {key: stamp(row) for key, row in rows.items()}


def _account(result: ApplyResult, summary: CycleSummary) -> None:
    summary.writes += result.records_written
    summary.alerts += len(result.alerts_created)
    summary.escalations += sum(1 for alert in result.alerts_created if alert.kind == "breach")
    summary.errors += len(result.errors)
    summary.error_messages.extend(result.errors)
    summary.conflicts += len(result.conflicts)
