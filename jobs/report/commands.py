"""The ``report`` sub-command: the monthly assessment of every department, printed, written, or posted in Odoo.

``report [--month YYYY-MM | --since D [--until D]] [--format table|csv|html|json] [--output F]`` computes and
renders; ``--send [--to #channel|login ...]`` posts the HTML page to Discuss (recipients from ``--to``, else
``[report] recipients``), once per month and recipient (:mod:`jobs.report.send`).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from odoo_urgency.jobs.report.period import resolve_period
from odoo_urgency.jobs.runtime.calendars import attach_company_calendar
from odoo_urgency.jobs.runtime.errors import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, JobError
from odoo_urgency.policies.calendar import as_utc

FORMATS = ("table", "csv", "html", "json")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "report", help="the monthly assessment (每月考核) of sales, production, logistics and purchasing",
        description="Every department's order handling for a month (or a range), per company, with penalty "
                    "estimates and a six-month trend; --send posts it to Odoo Discuss.")
    parser.add_argument("--month", help="the month YYYY-MM (default: the last complete month)")
    parser.add_argument("--since", help="range start YYYY-MM-DD (in rules.calendar.timezone)")
    parser.add_argument("--until", help="range end YYYY-MM-DD, exclusive (default: now)")
    parser.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table)")
    parser.add_argument("--output", "-o", help="write to this file instead of stdout")
    parser.add_argument("--trend-months", type=int, default=None,
                        help="months in the on-time trend (default: [report] trend_months for html and --send, "
                             "0 otherwise)")
    parser.add_argument("--page-size", type=int, default=None, help="orders per page (default: [odoo] page_size)")
    parser.add_argument("--send", action="store_true",
                        help="post the HTML report in Odoo Discuss (once per month and recipient)")
    parser.add_argument("--to", action="append", default=None, metavar="#CHANNEL|LOGIN",
                        help="a recipient of --send (repeatable; default: [report] recipients)")
    parser.set_defaults(handler=run)


def _write(text: str, output: str | None) -> None:
    if not output:
        sys.stdout.write(text)
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise JobError(f"--output: cannot write {output}: {exc.strerror}", EXIT_USAGE) from None


def _check(args: argparse.Namespace, trend: int, month: str | None, recipients: list[str],
           channels: list[str]) -> None:
    if trend < 0 or trend > 36:
        raise JobError("--trend-months: must be between 0 and 36", EXIT_USAGE)
    if args.page_size is not None and args.page_size < 1:
        raise JobError("--page-size: must be at least 1", EXIT_USAGE)
    if args.to and not args.send:
        raise JobError("--to needs --send", EXIT_USAGE)
    if args.send and month is None:
        raise JobError("--send reports a calendar month: use --month YYYY-MM (or no period)", EXIT_USAGE)
    if args.send and not recipients and not channels:
        raise JobError("--send: no recipient (give --to #channel or a login, or set [report] recipients or "
                       "[report] channels)", EXIT_USAGE)


def _sent(args: argparse.Namespace, assessment: Any, month: str, result: Any, pushed: Any) -> int:
    from odoo_urgency.jobs.report import render

    line = f"report {month}: posted to {', '.join(result.posted) or 'nobody'}"
    line += f"; already posted to {', '.join(result.already)}" if result.already else ""
    if pushed is not None:
        line += f"; pushed to {', '.join(pushed.recorded) or 'no channel'}"
        line += f"; already pushed to {', '.join(pushed.already)}" if pushed.already else ""
    print(line)
    if args.output:
        _write(render.render(assessment, args.format if args.format != "table" else "html"), args.output)
    if pushed is not None and pushed.failures:
        raise JobError(f"push failed: {'; '.join(pushed.failures)} (kept in the outbox: sent by the daemon or the "
                       "next --send)", EXIT_PROBLEMS)
    return EXIT_OK


def run(args: argparse.Namespace, *, now: datetime | None = None,
        connect: Callable[..., tuple[object, object]] | None = None) -> int:
    from odoo_urgency.jobs.report import push, render, send
    from odoo_urgency.jobs.report.compute import build_assessment
    from odoo_urgency.jobs.runtime.connect import connect_and_detect, settings_from

    settings = settings_from(args)
    rules = settings.rules
    moment = as_utc(now) if now is not None else datetime.now(UTC)
    period = resolve_period(args.month, args.since, args.until, rules.calendar.tz, moment)
    wants_trend = args.format == "html" or args.send
    trend = args.trend_months if args.trend_months is not None else (
        settings.report.trend_months if wants_trend else 0)
    labels = send.parse_recipients(args.to if args.to else settings.report.recipients) if args.send else []
    channels = list(settings.report.channels) if args.send else []
    _check(args, trend, period.month, labels, channels)
    client, schema = (connect or connect_and_detect)(settings)
    notifier = None
    try:
        notifier = push.notifier_of(settings) if args.send else None  # a bad channel: stopped before any send
        recipients = send.resolve(client, labels) if args.send else []  # type: ignore[arg-type]
        attach_company_calendar(client, rules, period.start - timedelta(days=31 * (trend + 1)),  # type: ignore[arg-type]
                                period.end + timedelta(days=31))
        assessment = build_assessment(client, schema, rules, period, moment, trend_months=trend,  # type: ignore[arg-type]
                                      page_size=args.page_size)
        if args.send:
            html = render.render_html(assessment)
            result = send.send(client, assessment, period.month or "", html, recipients)  # type: ignore[arg-type]
            link = push.page_link(client, recipients, period.month or "",  # type: ignore[arg-type]
                                  settings.notify.link_url or settings.odoo.url) if notifier else None
    except BaseException:
        if notifier is not None:
            notifier.stop()  # nothing recorded: the outbox is closed as it was
        raise
    finally:
        client.close()  # type: ignore[attr-defined]
    if args.send:
        pushed = push.push_now(notifier, channels, assessment, period.month or "", html, link) if notifier else None
        return _sent(args, assessment, period.month or "", result, pushed)
    if args.format == "table" and not args.output:
        render.print_table(assessment)
        _hint_if_empty(args, assessment, moment, rules.calendar.tz)
        return EXIT_OK
    _write(render.render(assessment, args.format), args.output)
    return EXIT_OK


def _hint_if_empty(args: argparse.Namespace, assessment: object, moment: datetime, tz: object) -> None:
    """A default month with nothing in it is all zeros; say why, and how to see the month so far."""
    if args.month or args.since:
        return
    items = sum(section.total.items for company in assessment.companies  # type: ignore[attr-defined]
                for section in company.departments if section.available)
    if items:
        return
    first = moment.astimezone(tz).date().replace(day=1)  # type: ignore[arg-type]
    print(f"nothing was received or due in {assessment.period_label} (the last complete month, the default); "  # type: ignore[attr-defined]
          f"the month so far: odoo-urgency report --since {first.isoformat()}", file=sys.stderr)
