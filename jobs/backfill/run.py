"""``odoo-urgency backfill``: classify and write back history, exactly as the daemon would have.

For the day the plugin is installed on a database with years of orders. It selects orders by creation date
(``--since`` / ``--until``) or every open order (``--all-open``), and runs them through the daemon's own batch
machinery (``Synchronizer.process_rows``): the same policies, the same reads, the same idempotent writes.

* Resumable: after each batch the id of the last order done is saved in the ERP (``ir.config_parameter``
  ``odoo_urgency.backfill``, with the selection it belongs to). Interrupted by Ctrl-C or killed, the same
  command continues after that id; a batch done twice writes nothing twice (planning is idempotent).
* Gentle: ``--max-calls-per-second`` paces every round trip.
* Quiet for users: alerts are only created for orders received in the last ``--alert-days`` days (default 7);
  older situations are over, and a backfill must not flood to-do lists with them.
* ``--dry-run --output plan.csv`` writes what it would do and changes nothing.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from datetime import timedelta
from typing import Any, TextIO
from zoneinfo import ZoneInfo

import structlog
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from odoo_urgency.connector import OdooClient
from odoo_urgency.connector.records import SaleOrder, format_datetime
from odoo_urgency.jobs.daemon.home import BACKFILL, Home, ParamHome
from odoo_urgency.jobs.daemon.summary import CycleSummary, value_text
from odoo_urgency.jobs.daemon.synchronizer import Synchronizer, utc_now
from odoo_urgency.jobs.runtime.days import parse_day
from odoo_urgency.jobs.runtime.errors import EXIT_USAGE, JobError
from odoo_urgency.policies import Alert, OrderPlan
from odoo_urgency.policies.states import ORDER_OPEN

#: the checkpoint's parameter where no state model was installed (``ParamHome``: ``odoo_urgency.`` + ``BACKFILL``)
CHECKPOINT_KEY = "odoo_urgency.backfill"
log = structlog.get_logger("backfill")


def selection_domain(args: argparse.Namespace, tz: ZoneInfo) -> tuple[list[Any], str]:
    """The orders to backfill, and a label that names this selection (its checkpoint belongs to it).

    ``--since``/``--until`` are days in ``tz`` (the calendar's zone), read as ``report --since`` reads them."""
    if args.all_open:
        if args.since or args.until:
            raise JobError("--all-open cannot be combined with --since/--until", EXIT_USAGE)
        return [("state", "in", list(ORDER_OPEN))], "all-open"
    if not args.since:
        raise JobError("say which orders: --since DATE [--until DATE], or --all-open", EXIT_USAGE)
    since = parse_day(args.since, "--since", tz)
    until = parse_day(args.until, "--until", tz) if args.until else None
    if until is not None and until <= since:
        raise JobError("--until must be after --since", EXIT_USAGE)
    domain: list[Any] = [("create_date", ">=", format_datetime(since)), ("state", "!=", "cancel")]
    if until is not None:
        domain.append(("create_date", "<", format_datetime(until)))
    return domain, f"since={args.since} until={args.until or ''}"


class Checkpoint:
    """The last order id done for one selection, in the daemon's home (survives a lost host): the record
    ``backfill`` of ``x_urgency_state``, or ``ir.config_parameter`` ``odoo_urgency.backfill`` before install."""

    def __init__(self, client: OdooClient, selection: str, *, dry_run: bool, home: Home | None = None) -> None:
        self.client = client
        self.home = home or ParamHome(client)
        self.selection = selection
        self.digest = hashlib.blake2b(selection.encode(), digest_size=6).hexdigest()
        self.dry_run = dry_run
        self.param_id: int | None = None
        self.last_id = 0
        self.finished = False

    def load(self) -> None:
        entry = self.home.read([BACKFILL]).get(BACKFILL)
        if entry is None:
            return
        self.param_id = entry.id
        try:
            data = json.loads(entry.value or "{}")
        except ValueError:
            data = {}
        if isinstance(data, dict) and data.get("selection") == self.selection:
            self.last_id = int(data.get("last_id") or 0)
            self.finished = bool(data.get("finished"))

    def save(self, last_id: int, *, finished: bool = False) -> None:
        self.last_id, self.finished = last_id, finished
        if self.dry_run:
            return
        value = json.dumps({"selection": self.selection, "last_id": last_id, "finished": finished,
                            "saved": format_datetime(utc_now())})
        if self.param_id is None:
            self.param_id = self.home.create(BACKFILL, value)
        else:
            self.home.write(self.param_id, value)


class PlanWriter:
    """``--output plan.csv``: one row per order that changes. A dry run and the real run on the same data write
    the same file, byte for byte: tier tags are named, not numbered (a dry run has not created them yet)."""

    HEADER = ["order", "id", "tier", "manual", "reasons", "processing_deadline", "changes", "alerts"]

    def __init__(self, stream: TextIO, tag_names: dict[int, str] | None = None) -> None:
        self.writer = csv.writer(stream)
        self.writer.writerow(self.HEADER)
        self.tag_names = tag_names or {}

    def _value(self, name: str, value: Any) -> str:
        return value_text(name, value, self.tag_names)

    def add(self, plans: list[OrderPlan]) -> None:
        for plan in plans:
            decision = plan.decision
            changes = "; ".join(f"{w.model}:{w.res_id} {name}: {self._value(name, w.expected.get(name))} -> "
                                f"{self._value(name, value)}" for w in plan.writes for name, value in w.values.items())
            alerts = "; ".join(f"{a.role} (user {a.user_id}): {a.summary}" for a in plan.alerts)
            deadline = format_datetime(decision.processing_deadline) if decision.processing_deadline else ""
            self.writer.writerow([decision.order_name, decision.order_id, decision.tier.value, decision.manual,
                                  " | ".join(r.text for r in decision.reasons), deadline, changes, alerts])


@contextmanager
def progress_reporter(total: int, interactive: bool) -> Iterator[Any]:
    """A rich progress bar (count, rate, time left) on a terminal; log lines every 10 % otherwise."""
    if interactive:
        with Progress(TextColumn("backfill"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[rate]}"),
                      TimeRemainingColumn(), transient=False) as progress:
            task = progress.add_task("orders", total=total, rate="")
            started = utc_now()

            def advance(done: int) -> None:
                elapsed = max((utc_now() - started).total_seconds(), 1e-6)
                progress.update(task, completed=done, rate=f"{done / elapsed:.0f} orders/s")

            yield advance
        return
    step = max(total // 10, 1)
    last = [0]

    def log_advance(done: int) -> None:
        if done - last[0] >= step or done == total:
            last[0] = done
            log.info("backfill_progress", done=done, total=total)

    yield log_advance


def run_backfill(sync: Synchronizer, args: argparse.Namespace, *, out: TextIO | None = None,
                 interactive: bool = False) -> CycleSummary:
    client = sync.client
    started_calls, started = client.stats.calls, utc_now()
    domain, selection = selection_domain(args, sync.settings.rules.calendar.tz)
    if interactive:
        # The lease, the reads that prepare the batches and the count come before the progress bar: paced at one
        # call a second they take many seconds, which a person must not mistake for a hang.
        pace = client.max_calls_per_second
        paced = f", paced at {pace:g} call{'s' if pace != 1 else ''}/s" if pace else ""
        print(f"backfill: preparing {selection}{paced}…", file=sys.stderr, flush=True)
    checkpoint = Checkpoint(client, selection, dry_run=args.dry_run, home=sync.home)
    if not args.restart:
        checkpoint.load()
    if checkpoint.finished:
        log.info("backfill_already_done", selection=selection, note="use --restart to run it again")
        return CycleSummary(dry_run=args.dry_run, rpc_calls=client.stats.calls - started_calls)
    if checkpoint.last_id:
        log.info("backfill_resuming", selection=selection, after_id=checkpoint.last_id)
    # The backfill writes as the daemon does, so it holds the same lease: the two never act at once.
    with nullcontext(lambda: None) if args.dry_run else sync.lease_held() as keep_lease:
        summary = _run(sync, args, checkpoint, domain, keep_lease, out, interactive)
    checkpoint.save(checkpoint.last_id, finished=True)
    summary.rpc_calls = client.stats.calls - started_calls
    summary.duration_s = (utc_now() - started).total_seconds()
    return summary


def _run(sync: Synchronizer, args: argparse.Namespace, checkpoint: Checkpoint, domain: list[Any],
         keep_lease: Callable[[], None], out: TextIO | None, interactive: bool) -> CycleSummary:
    """The batches after the checkpoint, each decided and written like a daemon batch, then checkpointed."""
    client = sync.client
    reader = sync.prepare(dry_run=args.dry_run)
    resume = [("id", ">", checkpoint.last_id)] if checkpoint.last_id else []
    total = client.search_count("sale.order", [*resume, *domain])
    summary = CycleSummary(dry_run=args.dry_run)
    now = sync.clock()
    alert_since = now - timedelta(days=args.alert_days) if args.alert_days >= 0 else None
    plan_writer = PlanWriter(out, sync.tag_names()) if out is not None else None
    done = 0

    def keep_alert(plan: OrderPlan, _alert: Alert) -> bool:
        received = plan.decision.received
        return alert_since is None or (received is not None and received >= alert_since)

    batch_size = sync.settings.daemon.batch_size
    with progress_reporter(total, interactive) as advance:
        for page in client.search_read_all("sale.order", [*resume, *domain], reader.fields(SaleOrder),
                                           page_size=batch_size):
            keep_lease()
            plans = sync.process_rows(page, now, summary, dry_run=args.dry_run, keep_alert=keep_alert)
            if plan_writer is not None:
                plan_writer.add(plans)
            summary.plans.clear()  # a long backfill must not keep every plan in memory
            done += len(page)
            checkpoint.save(int(page[-1]["id"]))
            advance(done)
    return summary
