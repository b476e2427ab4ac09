"""The ``odoo-urgency`` command line.

Each sub-command is a thin shell around a job module: parse arguments, load settings, configure logs, run,
and turn any failure into one line on stderr and an exit code (see ``jobs.errors``). No traceback ever
reaches a user; ``--debug`` shows one for developers.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from jobs.errors import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, explain

Handler = Callable[[argparse.Namespace], int]


def cmd_check(args: argparse.Namespace) -> int:
    from connector import OdooClient
    from jobs.check import run_check
    from jobs.runtime import settings_from

    settings = settings_from(args)
    with OdooClient(settings.odoo) as client:
        report = run_check(settings, client)
    width = max(len(label) for label, _ in report.facts) if report.facts else 0
    for label, value in report.facts:
        print(f"{label.ljust(width)}  {value}")
    for problem in report.problems:
        print(f"problem: {problem}", file=sys.stderr)
    print("ok: the plugin can work with this ERP" if report.ok else f"{len(report.problems)} problem(s) found")
    return EXIT_OK if report.ok else EXIT_PROBLEMS


def cmd_sandbox(args: argparse.Namespace) -> int:
    import sandbox

    sandbox.serve(port=args.port, data=args.data, database=args.database, demo=args.demo)
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="odoo-urgency", description=(
        "Urgent-order rules for Odoo: classify orders (normal 24 h / special 12 h / urgent 2 h), set deadlines "
        "and priorities, alert the right people, escalate breaches."))
    parser.add_argument("--config", help="settings file (default: $ODOO_URGENCY_CONFIG or ./settings.toml)")
    parser.add_argument("--log-json", action="store_true", help="log JSON lines even on a terminal")
    parser.add_argument("--log-level", choices=["debug", "info", "warning", "error"], help="override the log level")
    parser.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = sub.add_parser("check", help="connect, log in, and report version, schema and rights")
    check.set_defaults(handler=cmd_check)

    sandbox_cmd = sub.add_parser("sandbox", help="serve the embedded Odoo-compatible sandbox ERP")
    sandbox_cmd.add_argument("--port", type=int, default=8069)
    sandbox_cmd.add_argument("--data", help="SQLite file that keeps the state (default: in memory)")
    sandbox_cmd.add_argument("--database", default="odoo")
    sandbox_cmd.add_argument("--demo", action="store_true", help="load the demo stories")
    sandbox_cmd.set_defaults(handler=cmd_sandbox)

    for register in _EXTRA_COMMANDS:
        register(sub)
    return parser


#: Other modules add their sub-commands here (keeps this file small).
_EXTRA_COMMANDS: list[Callable[[argparse._SubParsersAction], None]] = []  # type: ignore[type-arg]


def _load_extra_commands() -> None:
    from jobs import commands

    _EXTRA_COMMANDS[:] = commands.registry()


def main(argv: Sequence[str] | None = None) -> int:
    _load_extra_commands()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return int(args.handler(args))
    except KeyboardInterrupt as exc:
        code, message = explain(exc)
    except Exception as exc:  # noqa: BLE001 - the one place every failure becomes one line
        if args.debug or os.environ.get("ODOO_URGENCY_DEBUG"):
            raise
        code, message = explain(exc)
    print(f"odoo-urgency: {message}", file=sys.stderr)
    return code or EXIT_PROBLEMS


if __name__ == "__main__":
    sys.exit(main())
