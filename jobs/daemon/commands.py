"""Sub-commands of the sync daemon: ``once``, ``run``, ``explain``."""

from __future__ import annotations

import argparse
import json
import signal
import sys
from typing import Any

from odoo_urgency.jobs.daemon.summary import value_text
from odoo_urgency.jobs.runtime.errors import EXIT_INTERRUPTED, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, JobError
from odoo_urgency.jobs.runtime.phrases import say
from odoo_urgency.policies import i18n
from odoo_urgency.policies.wire import iso8601, iso_times


def _sync(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from odoo_urgency.jobs.daemon.stamps import FingerprintCache
    from odoo_urgency.jobs.daemon.synchronizer import Synchronizer
    from odoo_urgency.jobs.runtime.connect import connect_and_detect, settings_from

    settings = settings_from(args)
    client, schema = connect_and_detect(settings)
    if schema.missing_apps:
        client.close()
        raise JobError(f"the {', '.join(schema.missing_apps)} app(s) are not installed in database "
                       f"{settings.odoo.database!r}", EXIT_PROBLEMS)
    return settings, client, Synchronizer(client, schema, settings, cache=FingerprintCache.for_settings(settings))


def print_summary(summary: Any, as_json: bool, language: str = "en") -> None:
    push = getattr(summary, "push", None)
    if as_json:
        print(json.dumps({**summary.as_json(), **({"push": push} if push else {})}, ensure_ascii=False))
        return
    tiers = ", ".join(f"{count} {tier}" for tier, count in summary.orders_by_tier.items())
    print(say(language, "summary", label=say(language, "dry_run" if summary.dry_run else "cycle"), tiers=tiers,
              writes=summary.writes, alerts=summary.alerts, escalations=summary.escalations, errors=summary.errors,
              calls=summary.rpc_calls, seconds=f"{summary.duration_s:.2f}"))
    if push:
        print(f"push: {push['sent']} sent ({push['digests']} digests), {push['failed']} failed, "
              f"{push['waiting']} waiting for a retry or the next digest")
    for message in summary.error_messages:
        print("  " + say(language, "error", message=message), file=sys.stderr)


def print_plans(plans: list[Any], calendar: Any, tag_names: dict[int, str], language: str = "en") -> None:
    """A dry run's plan for people: times in the configured zone (named), tier tags by name, in their language."""
    show = value_text
    for plan in plans:
        decision = plan.decision
        deadline = i18n.when(decision.processing_deadline, calendar, language) if decision.processing_deadline else "-"
        print(say(language, "deadline_of", order=decision.order_name, tier=i18n.tier_name(language, decision.tier),
                  deadline=deadline))
        for reason in decision.reasons:
            print("    " + say(language, "because", reason=reason.text))
        for write in plan.writes:
            changes = ", ".join(f"{name}: {show(name, write.expected.get(name), tag_names)} -> "
                                f"{show(name, value, tag_names)}" for name, value in write.values.items())
            print("    " + say(language, "write", record=f"{write.model}:{write.res_id}", changes=changes))
        for alert in plan.alerts:
            print("    " + say(language, "alert", role=i18n.role_name(language, alert.role), user=alert.user_id,
                              record=f"{alert.model}:{alert.res_id}", summary=alert.summary))


def _notifier(settings: Any, sync: Any, on_result: Any = None) -> Any:
    """The push channels' notifier, hooked before the to-dos are created; None without channels."""
    from odoo_urgency.jobs.notify import ChannelError
    from odoo_urgency.jobs.notify.notifier import notifier_for

    try:
        notifier = notifier_for(settings, sync.people.current, on_result)
    except ChannelError as exc:
        raise JobError(str(exc), EXIT_USAGE) from None
    if notifier is not None:
        sync.before_create = notifier.intend
    return notifier


def cmd_once(args: argparse.Namespace) -> int:
    settings, client, sync = _sync(args)
    notifier = None if args.dry_run else _notifier(settings, sync)
    try:
        with client:
            try:
                summary = sync.run_cycle(dry_run=args.dry_run)
            finally:
                if not args.dry_run:
                    _release_quietly(sync)
        push = notifier.drain(timeout=60.0) if notifier is not None else None
        waiting = notifier.pending() if notifier is not None else 0
    finally:
        if notifier is not None:
            notifier.stop()
    if args.dry_run and not args.json:
        print_plans(summary.plans, settings.rules.calendar, sync.tag_names(), settings.rules.language)
    if push is not None:
        summary.push = {"sent": push.sent, "digests": push.digests, "failed": push.failed, "waiting": waiting}
    print_summary(summary, args.json, settings.rules.language)
    if getattr(args, "profile", False) and not args.json:
        print_costs(summary)
    return EXIT_OK if not summary.errors else EXIT_PROBLEMS


def print_costs(summary: Any) -> None:
    """``once --profile``: where the cycle's time went, the most expensive ``model.method`` first."""
    from odoo_urgency.connector.costs import top_costs

    print(f"{'call':42} {'calls':>6} {'records':>8} {'seconds':>8}")
    for row in top_costs(summary.costs, n=12):
        print(f"{row['call']:42} {row['calls']:>6} {row['records']:>8} {row['seconds']:>8.3f}")


def _release_quietly(sync: Any) -> None:
    from odoo_urgency.connector import OdooError

    try:
        sync.release()
    except OdooError:
        pass  # the lease expires by itself


def cmd_run(args: argparse.Namespace) -> int:
    from odoo_urgency.jobs.daemon.metrics import Metrics, MetricsServer
    from odoo_urgency.jobs.daemon.service import Daemon
    from odoo_urgency.jobs.daemon.stopping import Abandoned, Stopper
    from odoo_urgency.jobs.report.schedule import MonthlySender

    stopper = Stopper().install()  # before connecting: a slow login must not outlast a SIGTERM either
    try:
        settings, client, sync = _sync(args)
    except Abandoned:
        import structlog

        structlog.get_logger("daemon").warning("call_abandoned", note="stopped while connecting to the ERP")
        return EXIT_INTERRUPTED if stopper.stopped_by == signal.SIGINT else EXIT_OK
    metrics = Metrics()
    server = None
    port = args.metrics_port if args.metrics_port is not None else settings.daemon.metrics_port
    if port:
        server = MetricsServer(metrics, settings.daemon.metrics_host, port, settings.daemon.poll_interval).start()
        print(f"metrics on http://{settings.daemon.metrics_host}:{server.port}/metrics", file=sys.stderr)
    notifier = _notifier(settings, sync, metrics.record_push)
    daemon = Daemon(sync, poll_interval=settings.daemon.poll_interval,
                    max_backoff=settings.daemon.max_backoff_seconds, metrics=metrics, stopper=stopper)
    reporter = MonthlySender(client, sync.schema, settings, notifier=notifier) if settings.report.send_day else None
    try:
        if notifier is not None:
            notifier.start()
            metrics.push_waiting = notifier.pending
        with client:
            code = daemon.run(max_cycles=args.cycles, on_cycle=reporter.after_cycle if reporter else None)
        return EXIT_INTERRUPTED if daemon.interrupted else code
    finally:
        if notifier is not None:
            notifier.stop()
        if server:
            server.close()


def cmd_explain(args: argparse.Namespace) -> int:
    from odoo_urgency.jobs.daemon.synchronizer import utc_now
    from odoo_urgency.jobs.materials import explain as materials_explain  # components, supply, combined verdict

    _settings, client, sync = _sync(args)
    with client:
        key = args.order
        domain = [("id", "=", int(key))] if key.isdigit() else [("name", "=ilike", key)]  # s00008 finds S00008
        try:
            found = sync.decide_one(domain, utc_now())
        except ValueError as exc:
            raise JobError(f"cannot decide {key!r}: {exc}", EXIT_PROBLEMS) from None
        if found is None:
            raise JobError(f"no sale order {key!r} in this database", EXIT_USAGE)
        ctx, plan = found
        capacity = capacity_part(sync, ctx, plan, utc_now())
        if capacity and sync.settings.rules.materials.enabled:
            # Materials judged again on the MOs' slots of the capacity plan (as the daemon does after its pass).
            ctx, plan = sync.decide_one(domain, utc_now()) or found
    decision = plan.decision
    written = ctx.memo_for("sale.order", ctx.order.id, ctx.order.x_urgency_memo)
    written_on_work = _written_on_work(ctx)
    data = {
        "order": decision.order_name, "id": decision.order_id, "tier": decision.tier.value,
        "computed_tier": decision.computed_tier.value, "manual": decision.manual,
        "reasons": [r.text for r in decision.reasons],
        "received": _iso(decision.received), "processing_deadline": _iso(decision.processing_deadline),
        "processed": decision.processed, "processed_at": _iso(decision.processed_at), "breached": decision.breached,
        "escalation_level": decision.escalation_level, "feasible": decision.feasible, "skipped": decision.skipped,
        "plugin_wrote": written, "plugin_wrote_on_work": written_on_work,
        "would_write": [{"model": w.model, "id": w.res_id, "values": w.values, "now": w.expected, "why": w.reason}
                        for w in plan.writes],
        "would_alert": [{"key": a.key, "keys": a.all_keys(), "role": a.role, "roles": a.roles or [a.role],
                         "user_id": a.user_id, "summary": a.summary, "due": a.due, "via": a.via}
                        for a in plan.alerts],
        "capacity": capacity,
        **materials_explain.section(sync.materials.last.get(ctx.order.id), decision.feasible, capacity),
    }
    if args.json:
        print(json.dumps(iso_times(data), ensure_ascii=False, default=str))
        return EXIT_OK
    _print_explanation(data, decision, written, written_on_work, plan, _settings.rules)
    print_capacity(capacity)
    return EXIT_OK


def _print_explanation(data: dict[str, Any], decision: Any, written: dict[str, Any],
                       written_on_work: dict[str, Any], plan: Any, rules: Any) -> None:
    """``explain`` for a person: in the rules' language, times in the configured zone (named)."""
    language, calendar = rules.language, rules.calendar
    tier = i18n.tier_name(language, decision.tier)
    print(f"{data['order']} (id {data['id']}): {tier}" + (say(language, "set_by_hand") if decision.manual else ""))
    if decision.skipped:
        print("  " + say(language, "left_alone", why=decision.skipped))
    for reason in data["reasons"]:
        print("  " + say(language, "because", reason=reason))
    print("  " + say(language, "received", received=i18n.when(decision.received, calendar, language),
                     deadline=i18n.when(decision.processing_deadline, calendar, language)))
    state = (say(language, "processed_at", when=i18n.when(decision.processed_at, calendar, language))
             if decision.processed else say(language, "not_processed"))
    print("  " + say(language, "breached", state=state, breached=say(language, "yes" if decision.breached else "no"),
                     level=decision.escalation_level))
    if decision.feasible is not None:
        print("  " + say(language, "feasible", answer=say(language, "yes" if decision.feasible else "NO")))
    from odoo_urgency.jobs.materials import explain as materials_explain  # components, supply, combined verdict

    print("".join(materials_explain.lines(data["materials"], data["combined_feasible"], calendar)), end="")
    values = json.dumps(written, ensure_ascii=False) if written else say(language, "nothing_yet")
    print("  " + say(language, "wrote", values=values))
    for key, memo in written_on_work.items():
        shown = json.dumps({k: v for k, v in memo.items() if k != "name"}, ensure_ascii=False)
        print("  " + say(language, "wrote_on", name=memo["name"], record=key, values=shown))
    if plan.is_empty():
        print("  " + say(language, "no_change"))
    for item in data["would_write"]:
        print("  " + say(language, "would_write", record=f"{item['model']}:{item['id']}", values=item["values"],
                         now=item["now"]))
    for item in data["would_alert"]:
        print("  " + say(language, "would_alert", role=i18n.role_name(language, item["role"]), user=item["user_id"],
                         summary=item["summary"]))


def _written_on_work(ctx: Any) -> dict[str, Any]:
    """What the plugin wrote on the order's MOs and deliveries, by ``"model:id"`` (with the record's name)."""
    records = [*(("mrp.production", mo) for mo in ctx.mos), *(("stock.picking", picking) for picking in ctx.pickings)]
    written = {}
    for model, record in records:
        memo = ctx.memo_for(model, record.id, record.x_urgency_memo)
        if memo:
            written[f"{model}:{record.id}"] = {"name": record.name, **memo}
    return written


def capacity_part(sync: Any, ctx: Any, plan: Any, now: Any) -> list[dict[str, Any]]:
    """The order's part of the factory's capacity plan: its MOs with work orders, before → after, late or not,
    and what would make a late one (nothing is written)."""
    if not sync.settings.rules.planning.enabled or not any(mo.workorder_ids for mo in ctx.mos):
        return []
    from odoo_urgency.jobs.daemon.memo import MemoStore
    from odoo_urgency.policies.planning.alerts import shortfall_lines

    memo = MemoStore(sync.client, install_mode=sync.install_mode, dry_run=True)
    memo.load()
    factory, schedule = sync.capacity_pass().plan(now, memo, {ctx.order.id: plan.decision.tier})
    sync.materials.planned = {job_id: (job.start, job.finish) for job_id, job in schedule.jobs.items()
                              if job.placed and job.start is not None and job.finish is not None}
    out = []
    for job in factory.jobs:
        if job.id not in {mo.id for mo in ctx.mos} or job.id not in schedule.jobs:
            continue
        outcome = schedule.jobs[job.id]
        shortfall = schedule.shortfalls.get(job.id)
        out.append({"mo": job.name, "tier": job.tier.value, "method": schedule.method, "locked": job.locked,
                    "before": [_iso(job.start), _iso(job.finish)], "after": [_iso(outcome.start), _iso(outcome.finish)],
                    "finish_by": _iso(job.due), "late_hours": round(outcome.late_hours, 2),
                    "what_would_make_it": shortfall_lines(shortfall, sync.settings.rules) if shortfall else []})
    return out


def print_capacity(capacity: list[dict[str, Any]]) -> None:
    for item in capacity:
        verdict = f"late by {item['late_hours']} h" if item["late_hours"] > 0 else "on time"
        print(f"  capacity plan for {item['mo']} ({item['method']}): {item['before'][0]} → {item['after'][0]}, "
              f"finishes {item['after'][1]} (must finish by {item['finish_by']}): {verdict}"
              + (" — locked by a user, left where it is" if item["locked"] else ""))
        for line in item["what_would_make_it"]:
            print(f"    {line}")


def _iso(value: Any) -> str | None:
    return iso8601(value) if value else None


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    once = sub.add_parser("once", help="run one sync cycle and print a summary")
    once.add_argument("--dry-run", action="store_true", help="change nothing in the ERP; print the plan")
    once.add_argument("--json", action="store_true", help="the summary as one JSON object (with top_costs)")
    once.add_argument("--profile", action="store_true",
                      help="also print what the cycle's calls cost per model.method (calls, records, seconds)")
    once.set_defaults(handler=cmd_once)

    run = sub.add_parser("run", help="run the sync daemon (a cycle every poll_interval seconds)")
    run.add_argument("--metrics-port", type=int, help="serve /healthz and /metrics on this loopback port")
    run.add_argument("--cycles", type=int, help=argparse.SUPPRESS)
    run.set_defaults(handler=cmd_run)

    explain = sub.add_parser("explain", help="why an order has its tier, its deadlines, what the plugin did")
    explain.add_argument("order", help="sale order name (S00012) or id")
    explain.add_argument("--json", action="store_true",
                         help="the explanation as one JSON object (times in ISO 8601 with their offset)")
    explain.set_defaults(handler=cmd_explain)
