"""Sub-commands of administration: ``check``, ``install``, ``uninstall``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from odoo_urgency.jobs.admin.install import run_install, run_uninstall
from odoo_urgency.jobs.runtime.errors import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, JobError


def cmd_check(args: argparse.Namespace) -> int:
    from odoo_urgency.jobs.admin.check import run_check
    from odoo_urgency.jobs.runtime.connect import client_for, settings_from

    settings = settings_from(args)
    with client_for(settings) as client:
        report = run_check(settings, client)
    width = max(len(label) for label, _ in report.facts) if report.facts else 0
    for label, value in report.facts:
        print(f"{label.ljust(width)}  {value}")
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for problem in report.problems:
        print(f"problem: {problem}", file=sys.stderr)
    print("ok: the plugin can work with this ERP" if report.ok else f"{len(report.problems)} problem(s) found")
    return EXIT_OK if report.ok else EXIT_PROBLEMS



def _confirm_on_terminal(database: str) -> Callable[[], bool]:
    def ask() -> bool:
        if not sys.stdin.isatty():
            raise JobError(f"refusing to uninstall from database {database!r} without confirmation: no terminal "
                           "to ask on; pass --yes to confirm", EXIT_USAGE)
        try:
            answer = input(f"Remove the odoo-urgency fields (and their values), views, activity type and tags from "
                           f"database {database!r}? [y/N] ")
        except EOFError:
            answer = ""
        return answer.strip().lower() in ("y", "yes")
    return ask


def cmd_install(args: argparse.Namespace) -> int:
    from odoo_urgency.jobs.runtime.connect import connect, settings_from

    if args.email and not args.daemon_user:
        raise JobError("--email is the daemon user's address: give it with --daemon-user LOGIN", EXIT_USAGE)
    settings = settings_from(args)
    client = connect(settings)
    try:
        from odoo_urgency.jobs.daemon.people import group_xmlids

        run_install(client, language=settings.rules.language, dry_run=args.dry_run,
                    routing_groups=group_xmlids(settings.rules))
        if args.daemon_user:
            from odoo_urgency.jobs.admin.daemon_user import ensure_daemon_user

            ensure_daemon_user(client, args.daemon_user, dry_run=args.dry_run, email=args.email)
    finally:
        client.close()
    return EXIT_OK


def cmd_uninstall(args: argparse.Namespace) -> int:
    from odoo_urgency.jobs.runtime.connect import connect, settings_from

    settings = settings_from(args)
    client = connect(settings)
    try:
        confirm = None if args.yes or args.dry_run else _confirm_on_terminal(settings.odoo.database)
        run_uninstall(client, dry_run=args.dry_run, confirm=confirm)
    finally:
        client.close()
    return EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    check = sub.add_parser("check", help="connect, log in, and report version, schema and rights")
    check.set_defaults(handler=cmd_check)

    install = sub.add_parser("install", help="add the urgency fields, views, activity type and tags to the ERP",
                             description="Create or upgrade the custom x_urgency fields, the sale view extensions, "
                                         "the 'Urgent order' activity type, the tier tags, the daemon's state model "
                                         "and its group 'Urgency daemon' (needs an administrator). "
                                         "Running it again changes nothing.")
    install.add_argument("--dry-run", action="store_true", help="list what would be created or changed, change nothing")
    install.add_argument("--daemon-user", metavar="LOGIN",
                         help="create (or check) the daemon's user LOGIN with exactly the groups it needs, and print "
                              "how to make its API key")
    install.add_argument("--email", metavar="ADDRESS",
                         help="the daemon user's e-mail address (Odoo refuses the alerts a user without one creates "
                              "for others); set when the user has none")
    install.set_defaults(handler=cmd_install)

    uninstall = sub.add_parser("uninstall", help="remove everything install added (fields and their values too)",
                               description="Remove the records install created (found by their xml ids in module "
                                           "odoo_urgency), the plugin's activities and its odoo_urgency.* parameters.")
    uninstall.add_argument("--dry-run", action="store_true", help="list what would be removed, remove nothing")
    uninstall.add_argument("--yes", "-y", action="store_true", help="do not ask for confirmation")
    uninstall.set_defaults(handler=cmd_uninstall)
