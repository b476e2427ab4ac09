"""The ``report`` sub-command: the monthly assessment."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from jobs.report.assessment import TREND_MONTHS, build_report, resolve_period
from jobs.runtime.errors import EXIT_OK, EXIT_USAGE, JobError
from policies.calendar import as_utc

FORMATS = ("table", "csv", "html", "json")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "report", help="the monthly assessment (每月考核): per salesperson and team, tiers, on-time rate, breaches",
        description="Order handling per salesperson and sales team for a month or a range of received orders.")
    parser.add_argument("--month", help="the month YYYY-MM (default: the last complete month)")
    parser.add_argument("--since", help="range start YYYY-MM-DD (received on or after; in rules.calendar.timezone)")
    parser.add_argument("--until", help="range end YYYY-MM-DD, exclusive (default: now)")
    parser.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table)")
    parser.add_argument("--output", "-o", help="write to this file instead of stdout")
    parser.add_argument("--trend-months", type=int, default=None,
                        help=f"months in the on-time trend chart (default: {TREND_MONTHS} for html, 0 otherwise)")
    parser.add_argument("--page-size", type=int, default=None, help="orders per page (default: [odoo] page_size)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, *, now: datetime | None = None,
        connect: Callable[..., tuple[object, object]] | None = None) -> int:
    from jobs.report import render as report_render
    from jobs.runtime.connect import connect_and_detect, settings_from

    settings = settings_from(args)
    rules = settings.rules
    moment = as_utc(now) if now is not None else datetime.now(UTC)
    period = resolve_period(args.month, args.since, args.until, rules.calendar.tz, moment)
    trend = args.trend_months if args.trend_months is not None else (TREND_MONTHS if args.format == "html" else 0)
    if trend < 0 or trend > 36:
        raise JobError("--trend-months: must be between 0 and 36", EXIT_USAGE)
    if args.page_size is not None and args.page_size < 1:
        raise JobError("--page-size: must be at least 1", EXIT_USAGE)
    client, schema = (connect or connect_and_detect)(settings)
    try:
        report = build_report(client, schema, rules, period, moment, trend_months=trend, page_size=args.page_size)
    finally:
        client.close()  # type: ignore[attr-defined]
    if args.format == "table" and not args.output:
        report_render.print_table(report)
        return EXIT_OK
    text = report_render.render(report, args.format)
    if args.output:
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise JobError(f"--output: cannot write {args.output}: {exc.strerror}", EXIT_USAGE) from None
    else:
        sys.stdout.write(text)
    return EXIT_OK
