"""The ``plan`` sub-command: the capacity plan per work center, before → after, as a table or an HTML Gantt.

It reads and plans exactly as the daemon's capacity pass does, and writes nothing: the daemon writes the plan.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

from odoo_urgency.jobs.runtime.errors import EXIT_OK, EXIT_USAGE, JobError

__all__ = ["register", "run"]


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "plan", help="the capacity plan (找出剩余生产空间): work orders per work center, before → after",
        description="Plans every open MO with work orders on its work centers' working hours and capacity, "
                    "urgent first, and shows the result; nothing is written (the daemon writes the plan).")
    parser.add_argument("--workcenter", help="only this work center (its name)")
    parser.add_argument("--days", type=int, default=7, help="days shown from now (default: 7)")
    parser.add_argument("--html", help="also write a self-contained HTML Gantt chart to this file")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, *, now: datetime | None = None) -> int:
    from rich.console import Console

    from odoo_urgency.jobs.admin.installed import resolve
    from odoo_urgency.jobs.daemon.memo import MemoStore
    from odoo_urgency.jobs.planning import render
    from odoo_urgency.jobs.planning.run import CapacityPass
    from odoo_urgency.jobs.runtime.connect import connect_and_detect, settings_from

    if args.days < 1 or args.days > 366:
        raise JobError("--days: must be between 1 and 366", EXIT_USAGE)
    settings = settings_from(args)
    moment = now or datetime.now(UTC)
    client, schema = connect_and_detect(settings)
    with client:
        _target, tags = resolve(client, install_mode=schema.install_mode, create_missing=False)
        memo = MemoStore(client, install_mode=schema.install_mode, dry_run=True)
        memo.load()
        capacity = CapacityPass(client, schema, settings, install_mode=schema.install_mode, tier_tag_ids=tags)
        factory, schedule = capacity.plan(moment, memo)
    names = sorted(c.name for c in factory.centers)
    if args.workcenter and args.workcenter not in names:
        raise JobError(f"--workcenter: no work center named {args.workcenter!r} (there are: {', '.join(names)})",
                       EXIT_USAGE)
    found = render.rows(factory, schedule, moment, args.days, args.workcenter)
    render.print_table(found, schedule, factory, settings.rules, Console())
    if args.html:
        page = render.html(found, schedule, factory, settings.rules, moment, args.days)
        try:
            Path(args.html).write_text(page, encoding="utf-8")
        except OSError as exc:
            raise JobError(f"--html: cannot write {args.html}: {exc.strerror}", EXIT_USAGE) from None
    return EXIT_OK
