"""The ``backfill`` sub-command."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from odoo_urgency.jobs.backfill.run import CHECKPOINT_KEY, run_backfill, selection_domain
from odoo_urgency.jobs.daemon.home import BACKFILL
from odoo_urgency.jobs.daemon.synchronizer import Synchronizer
from odoo_urgency.jobs.runtime.errors import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, JobError


def cmd_backfill(args: argparse.Namespace) -> int:
    from odoo_urgency.jobs.daemon.commands import print_summary
    from odoo_urgency.jobs.runtime.connect import connect_and_detect, settings_from

    settings = settings_from(args)
    selection_domain(args, settings.rules.calendar.tz)  # refuse bad arguments before connecting
    if args.batch_size:
        settings.daemon.batch_size = args.batch_size
    client, schema = connect_and_detect(settings, max_calls_per_second=args.max_calls_per_second)
    sync = Synchronizer(client, schema, settings, holder="odoo-urgency-backfill")
    with client:
        if args.output:
            path = Path(args.output)
            try:
                # utf-8 with a BOM: Excel (on Chinese Windows too) then reads it as UTF-8
                with path.open("w", newline="", encoding="utf-8-sig") as stream:
                    summary = run_backfill(sync, args, out=stream, interactive=sys.stderr.isatty())
            except OSError as exc:
                raise JobError(f"cannot write {path}: {exc.strerror}", EXIT_USAGE) from None
            print(f"{'plan' if args.dry_run else 'what was done'} written to {path}", file=sys.stderr)
        else:
            summary = run_backfill(sync, args, interactive=sys.stderr.isatty())
    print_summary(summary, args.json, settings.rules.language)
    if not args.dry_run:
        where = (f"{sync.home.where} record {BACKFILL!r}" if sync.home.where != "ir.config_parameter"
                 else f"ir.config_parameter {CHECKPOINT_KEY}")
        print(f"checkpoint: {where} (run the same command again to resume)", file=sys.stderr)
    return EXIT_OK if not summary.errors else EXIT_PROBLEMS


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    backfill = sub.add_parser("backfill", help="classify and write back historic orders, resumably")
    backfill.add_argument("--since", help="orders created on or after this day (YYYY-MM-DD, in rules.calendar.timezone)")
    backfill.add_argument("--until", help="orders created before this day (YYYY-MM-DD, in rules.calendar.timezone)")
    backfill.add_argument("--all-open", action="store_true", help="every open order (quotation or sale order)")
    backfill.add_argument("--dry-run", action="store_true", help="change nothing in the ERP")
    backfill.add_argument("--output", help="write the plan (with --dry-run) or what was done to this CSV file; "
                          "a dry run and the real run on the same data write the same file")
    backfill.add_argument("--max-calls-per-second", type=float, help="pace the RPC calls (protects production)")
    backfill.add_argument("--batch-size", type=int, help="orders per batch (default: daemon.batch_size)")
    backfill.add_argument("--alert-days", type=float, default=7.0,
                          help="create alerts only for orders received in the last N days (-1: all; 0: none)")
    backfill.add_argument("--restart", action="store_true", help="ignore a saved checkpoint and start over")
    backfill.add_argument("--json", action="store_true", help="the summary as one JSON object")
    backfill.set_defaults(handler=cmd_backfill)
