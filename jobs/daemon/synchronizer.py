"""One sync cycle (the synchronizer): read what changed, decide with the policies, write the difference.

A cycle in which nothing changed costs five round trips, however many open orders there are: read the daemon's
state (and, in tag mode, its memo) (1); the *stamps* — id, ``write_date``, ``write_uid`` — of sale orders changed
since the cursor or whose deadline fell since the last cycle (1), of changed manufacturing orders (1) and of
changed deliveries (1); renew the lease with the cursor (1). A row whose stamp is the one the daemon last saw is
not news (``jobs.daemon.stamps``); after its own writes the daemon reads the rows back and remembers their new stamps,
so its own changes do not come back as news — unless the row holds anything else than what it wrote.

Everything else happens in batches of ``daemon.batch_size`` orders: one read of the orders, one read per related
model, one planning pass, one apply (``jobs.daemon.writer``), one read-back — and the lease is renewed between batches
when half of it is gone. Every ``rescan_minutes`` a cycle decides every open order again.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

import structlog

from connector import OdooClient, Schema, UnknownNameError, detect
from connector.records import SaleOrder, format_datetime, parse_datetime
from jobs.admin.installed import resolve
from jobs.daemon.lease import STATE_KEY, DaemonState, StateStore, default_holder
from jobs.daemon.memo import MEMO_KEY, MemoStore
from jobs.daemon.reader import Reader
from jobs.daemon.stamps import FingerprintCache, apply_values, same_row, stamp
from jobs.daemon.writer import Applier, ApplyResult
from jobs.runtime.settings import Settings
from policies import Alert, OrderContext, OrderPlan, Tier, escalation_deadline, plan_order, processing_deadline

log = structlog.get_logger("daemon")
Clock = Callable[[], datetime]
AlertFilter = Callable[[OrderPlan, Alert], bool]


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class CycleSummary:
    orders_by_tier: dict[str, int] = field(default_factory=lambda: {t.value: 0 for t in Tier})
    writes: int = 0
    alerts: int = 0
    escalations: int = 0
    errors: int = 0
    conflicts: int = 0
    rpc_calls: int = 0
    duration_s: float = 0.0
    dry_run: bool = False
    plans: list[OrderPlan] = field(default_factory=list)
    error_messages: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"orders_by_tier": self.orders_by_tier, "writes": self.writes, "alerts": self.alerts,
                "escalations": self.escalations, "errors": self.errors, "conflicts": self.conflicts,
                "rpc_calls": self.rpc_calls, "duration_s": round(self.duration_s, 3), "dry_run": self.dry_run}


def _max_stamp(cursor: datetime | None, rows: Iterable[dict[str, Any]]) -> datetime | None:
    for row in rows:
        stamp = parse_datetime(row.get("write_date"))
        if stamp and (cursor is None or stamp > cursor):
            cursor = stamp
    return cursor


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
        self.state_store = StateStore(client, self.holder, settings.daemon.lease_seconds)
        self.cache = cache
        self.fingerprints: dict[tuple[str, int], Any] = cache.load() if cache else {}
        self._reader: Reader | None = None
        self._use_load = True
        #: Orders to decide again next cycle whatever their stamp: a write was refused or raced a user.
        self.retry: set[int] = set()
        self._applier_target: Any = None

    @property
    def mode(self) -> str:
        return "install" if self.install_mode else "tag"

    def prepare(self, *, dry_run: bool = False) -> Reader:
        """Find the activity type, the models and (tag mode) the tier tags: once per process, a few calls."""
        return self._setup(dry_run)

    def _setup(self, dry_run: bool) -> Reader:
        if self._reader is None:
            target, tags = resolve(self.client, install_mode=self.install_mode, create_missing=not dry_run)
            self._applier_target = target
            self._reader = Reader(self.client, self.schema, self.settings.rules, install_mode=self.install_mode,
                                  tier_tag_ids=tags)
        return self._reader

    # -- state -------------------------------------------------------------------------------------------

    def _read_params(self, memo: MemoStore) -> DaemonState:
        """State and (tag mode) memo in one call."""
        keys = [STATE_KEY] if self.install_mode else [STATE_KEY, MEMO_KEY]
        rows = self.client.search_read("ir.config_parameter", [("key", "in", keys)], ["key", "value"])
        state = DaemonState()
        for row in rows:
            if row["key"] == STATE_KEY:
                state = DaemonState.parse(int(row["id"]), row["value"])
            else:
                memo.load_row(int(row["id"]), row["value"])
        return state

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
            self.install_mode = self.schema.install_mode
            self._reader = None
            return self._cycle(dry_run=dry_run, stop=stop)

    def _cycle(self, *, dry_run: bool, stop: Callable[[], bool]) -> CycleSummary:
        started_calls = self.client.stats.calls
        t0 = time.monotonic()
        summary = CycleSummary(dry_run=dry_run)
        reader = self._setup(dry_run)
        now = self.clock()
        memo = MemoStore(self.client, install_mode=self.install_mode, dry_run=dry_run)
        state = self._read_params(memo)
        if not dry_run:
            state = self.state_store.hold(state, now)
        rescan = self._rescan_due(state, now)
        order_ids, cursor = self._what_to_decide(reader, state, now, rescan)
        if self.retry and not dry_run:
            order_ids = sorted(set(order_ids) | self.retry)
            self.retry.clear()
        batch = self.settings.daemon.batch_size
        finished = True
        for start in range(0, len(order_ids), batch):
            if stop():
                log.info("cycle_interrupted", done=start, total=len(order_ids))
                finished = False
                break
            if not dry_run:
                self.keep_lease(state)
            rows = reader.read_rows(SaleOrder, order_ids[start:start + batch])
            self._run_batch(reader, memo, rows, now, summary, dry_run)
        if not dry_run:
            if finished:
                # Only a cycle that saw everything moves the cursor and the due window on; an interrupted one
                # leaves them, so the next cycle covers what this one did not reach.
                state.cursor = cursor
                state.last_cycle = now
                if rescan:
                    state.extra["last_rescan"] = format_datetime(now)
            self.state_store.renew(state, self.clock())
            self._prune(state)
            if self.cache:
                self.cache.save(self.fingerprints)
        summary.rpc_calls = self.client.stats.calls - started_calls
        summary.duration_s = time.monotonic() - t0
        log.info("cycle", mode=self.mode, dry_run=dry_run, orders=sum(summary.orders_by_tier.values()),
                 **{k: v for k, v in summary.as_json().items() if k not in ("dry_run",)})
        return summary

    def keep_lease(self, state: DaemonState) -> None:
        """Renew before a batch when half the lease is gone, so a long cycle never outlives it unnoticed."""
        now = self.clock()
        if self.state_store.needs_renewal(state, now):
            self.state_store.renew(state, now)

    def hold_lease(self) -> DaemonState:
        """Take the lease outside a cycle (the backfill), keeping the daemon away meanwhile."""
        return self.state_store.hold(self.state_store.read(), self.clock())

    def _prune(self, state: DaemonState) -> None:
        """Forget fingerprints older than the window: those rows are never read again but on a rescan, which
        decides every open order anyway (bounded memory for a daemon that runs for months)."""
        if state.cursor is None:
            return
        horizon = format_datetime(state.cursor - timedelta(seconds=self.settings.daemon.overlap_seconds * 2))
        stale = [key for key, value in self.fingerprints.items() if not value or str(value).split("|")[0] < horizon]
        for key in stale:
            del self.fingerprints[key]

    def _what_to_decide(self, reader: Reader, state: DaemonState, now: datetime, rescan: bool
                        ) -> tuple[list[int], datetime | None]:
        """The ids of the orders to decide this cycle, and the new cursor.

        A first, cheap look at ids and ``write_date`` only (one call per model on a quiet database); an order is
        decided when its ``write_date`` differs from the one the daemon last saw (it, or a user, changed it),
        when one of its MOs or deliveries changed, when its deadline fell since the last cycle, or always on a
        rescan.
        """
        if rescan:
            stamps = reader.stamps("sale.order", reader.open_orders_domain(now, self.settings.daemon.initial_lookback_days),
                                   [])
            return [row["id"] for row in stamps], _max_stamp(state.cursor, stamps)
        assert state.cursor is not None
        # Odoo stamps write_date with the start of the writing transaction, so a row can commit up to the
        # longest transaction's duration "in the past": re-read that overlap (server clock only: the daemon's
        # own clock never moves this window, so a long outage or a skewed clock loses nothing).
        since = state.cursor - timedelta(seconds=self.settings.daemon.overlap_seconds)
        changed: list[Any] = [("write_date", ">=", format_datetime(since))]
        order_domain: list[Any] = changed
        if state.last_cycle is not None:
            order_domain = ["|", *changed, "&", *reader.due_window_domain(state.last_cycle, now)]
        orders = reader.stamps("sale.order", order_domain, ["create_date", "state"])
        mos = reader.stamps("mrp.production", [*changed, ("state", "not in", ["done", "cancel"])],
                            ["procurement_group_id", "origin"])
        pickings = reader.stamps("stock.picking", [*changed, ("picking_type_code", "=", "outgoing"),
                                                   ("state", "not in", ["done", "cancel"])], ["sale_id", "origin"])
        cursor = _max_stamp(state.cursor, [*orders, *mos, *pickings])
        since_text = format_datetime(since)
        # Rows that only the due window brought (not written since) are decided when a deadline really fell.
        ids = [row["id"] for row in orders
               if (str(row.get("write_date") or "") >= since_text and self._is_news("sale.order", row))
               or (state.last_cycle is not None and self._is_due(row, state.last_cycle, now))]
        news_mos = [row for row in mos if self._is_news("mrp.production", row)]
        news_pickings = [row for row in pickings if self._is_news("stock.picking", row)]
        if news_mos or news_pickings:
            ids = sorted(set(ids) | set(reader.order_ids_for(news_mos, news_pickings)))
            # An MO or delivery that serves no open order (a reordering rule's MO, a cancelled order's) is seen
            # now; its orders, if any, are decided below and stamp it again with what they read.
            for model, rows in (("mrp.production", news_mos), ("stock.picking", news_pickings)):
                for row in rows:
                    self.fingerprints[(model, int(row["id"]))] = stamp(row)
        return ids, cursor

    def release(self) -> None:
        """Give the lease back (end of ``once``, daemon shutdown); it would expire by itself otherwise."""
        state = self.state_store.read()
        self.state_store.release(state)

    def _rescan_due(self, state: DaemonState, now: datetime) -> bool:
        """A full look at every open order now and then: time alone can make a plan change (an MO that was
        feasible no longer is, stock ran out) without any record changing."""
        if state.cursor is None:
            return True
        last = parse_datetime(state.extra.get("last_rescan"))
        return last is None or now - last >= timedelta(minutes=self.settings.daemon.rescan_minutes)

    def _is_due(self, row: dict[str, Any], last_cycle: datetime, now: datetime) -> bool:
        """Did a deadline of this open order (any tier's, first or second level) fall in (last_cycle, now]?
        Exact, with the policies' own deadline functions, so working hours cost nothing extra."""
        received = parse_datetime(row.get("create_date"))
        if received is None or row.get("state") not in ("draft", "sent"):
            return False
        rules = self.settings.rules
        for tier in Tier:
            for deadline in (processing_deadline(received, tier, rules), escalation_deadline(received, tier, rules)):
                if last_cycle < deadline <= now:
                    return True
        return False

    def _is_news(self, model: str, row: dict[str, Any]) -> bool:
        return self.fingerprints.get((model, int(row["id"]))) != stamp(row)

    def process_rows(self, rows: list[dict[str, Any]], now: datetime, summary: CycleSummary, *, dry_run: bool,
                     keep_alert: AlertFilter | None = None) -> None:
        """Decide and write a list of sale order rows in batches, outside a cycle (the backfill)."""
        reader = self._setup(dry_run)
        memo = MemoStore(self.client, install_mode=self.install_mode, dry_run=dry_run)
        memo.load()
        batch = self.settings.daemon.batch_size
        for start in range(0, len(rows), batch):
            self._run_batch(reader, memo, rows[start:start + batch], now, summary, dry_run, keep_alert)

    def decide(self, reader: Reader, memo: MemoStore, rows: list[dict[str, Any]], now: datetime,
               summary: CycleSummary) -> tuple[list[OrderContext], list[OrderPlan], dict[tuple[str, int], dict[str, Any]]]:
        """Contexts and plans for a batch of order rows, and every raw row read for them (orders, MOs, deliveries):
        the memo is settled against those rows first, so the rules see what the plugin really wrote."""
        contexts = reader.contexts(rows, memo.snapshot())
        memo.register(contexts)
        seen = {("sale.order", int(row["id"])): row for row in rows}
        seen.update(reader.last_rows)
        memo.resolve(seen, lambda model, name: next(iter(self.schema.to_odoo_values(model, {name: 0}))))
        return contexts, self.plan(contexts, now, summary), seen

    def decide_one(self, domain: list[Any], now: datetime) -> tuple[OrderContext, OrderPlan] | None:
        """The decision for one order found by ``domain`` (``explain``), changing nothing; None if not found."""
        reader = self.prepare(dry_run=True)
        rows = reader.search_rows(SaleOrder, domain)[:1]
        if not rows:
            return None
        memo = MemoStore(self.client, install_mode=self.install_mode, dry_run=True)
        memo.load()
        summary = CycleSummary(dry_run=True)
        contexts, plans, _seen = self.decide(reader, memo, rows, now, summary)
        if not plans:
            raise ValueError("; ".join(summary.error_messages))
        return contexts[0], plans[0]

    def _run_batch(self, reader: Reader, memo: MemoStore, rows: list[dict[str, Any]], now: datetime,
                   summary: CycleSummary, dry_run: bool, keep_alert: AlertFilter | None = None) -> None:
        _contexts, plans, seen = self.decide(reader, memo, rows, now, summary)
        if keep_alert is not None:
            plans = [plan.model_copy(update={"alerts": [a for a in plan.alerts if keep_alert(plan, a)]})
                     for plan in plans]
        if dry_run:
            summary.plans.extend(plan for plan in plans if not plan.is_empty())
            summary.writes += sum(len(plan.writes) for plan in plans)
            summary.alerts += sum(len(plan.alerts) for plan in plans)
            summary.escalations += sum(1 for plan in plans for a in plan.alerts if a.kind == "breach")
            return
        applier = Applier(self.client, self.schema, memo, self._applier_target,
                          batch_size=self.settings.daemon.batch_size, use_load=self._use_load,
                          seen_stamps={key: stamp(row) for key, row in seen.items()})
        result = applier.apply([plan for plan in plans if not plan.is_empty()])
        self._use_load = applier.use_load
        self._account(result, plans, summary)
        self._remember(seen, result)

    def _remember(self, seen: dict[tuple[str, int], dict[str, Any]], result: ApplyResult) -> None:
        """What the daemon saw is not news until its write_date moves again.

        The rows it wrote itself are read back (one call per model): when a row holds exactly what was read
        plus what was written, its new stamp is remembered; when it holds anything else, somebody edited it in
        the meantime, and it is decided again next cycle.
        """
        for key, row in seen.items():
            if key not in result.written:
                self.fingerprints[key] = stamp(row)
        expected: dict[str, dict[int, dict[str, Any]]] = {}
        for (model, res_id), values in result.written.items():
            self.fingerprints.pop((model, res_id), None)
            if (model, res_id) in seen:
                row = apply_values(seen[(model, res_id)], self.schema.to_odoo_values(model, values))
                expected.setdefault(model, {})[res_id] = row
        for model, rows in expected.items():
            fields = sorted({name for row in rows.values() for name in row} - {"id"})
            ids = sorted(rows)
            for start in range(0, len(ids), 5000):
                for row in self.client.search_read(model, [("id", "in", ids[start:start + 5000])], fields):
                    if same_row(row, rows[int(row["id"])]):
                        self.fingerprints[(model, int(row["id"]))] = stamp(row)
        for order_id in (*result.conflicts, *result.failed_orders):
            self.fingerprints.pop(("sale.order", order_id), None)
            self.retry.add(order_id)

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
            if not plan.is_empty():
                log.info("decision", order=plan.decision.order_name, tier=plan.decision.tier.value,
                         manual=plan.decision.manual, reasons=[r.text for r in plan.decision.reasons],
                         writes=len(plan.writes), alerts=len(plan.alerts))
            plans.append(plan)
        return plans

    def _account(self, result: ApplyResult, plans: list[OrderPlan], summary: CycleSummary) -> None:
        summary.writes += result.records_written
        summary.alerts += len(result.alerts_created)
        summary.escalations += sum(1 for alert in result.alerts_created if alert.kind == "breach")
        summary.errors += len(result.errors)
        summary.error_messages.extend(result.errors)
        summary.conflicts += len(result.conflicts)
