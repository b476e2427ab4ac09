"""The ``odoo-urgency`` command line.

Each sub-command is a thin shell around a job package: parse arguments, load settings, configure logs, run,
and turn any failure into one line on stderr and an exit code (see ``jobs.runtime.errors``). No traceback ever
reaches a user; ``--debug`` shows one for developers.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence

from odoo_urgency.jobs.cli.registry import FOR_A_PERSON, register_all
from odoo_urgency.jobs.runtime.errors import EXIT_PROBLEMS, EXIT_USAGE, explain
from odoo_urgency.jobs.runtime.logs import scrub
from odoo_urgency.jobs.runtime.version import plugin_version


def _global_options(parser: argparse.ArgumentParser, default: object) -> None:
    """The options every command takes, before or after the command's name (``check --config X`` works)."""
    parser.add_argument("--config", default=default,
                        help="settings file (default: $ODOO_URGENCY_CONFIG or ./settings.toml)")
    parser.add_argument("--log-json", action="store_true", default=default, help="log JSON lines even on a terminal")
    parser.add_argument("--log-level", choices=["debug", "info", "warning", "error"], default=default,
                        help="override the log level")
    parser.add_argument("--debug", action="store_true", default=default, help=argparse.SUPPRESS)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="odoo-urgency", description=(
        "Urgent-order rules for Odoo: classify orders (normal 24 h / special 12 h / urgent 2 h), set deadlines "
        "and priorities, alert the right people, escalate breaches."))
    parser.add_argument("--version", action="version", version=f"odoo-urgency {plugin_version()}")
    _global_options(parser, None)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    register_all(sub)
    summaries = {action.dest: action.help for action in sub._choices_actions}
    for name, command in sub.choices.items():
        # ``odoo-urgency check --help`` says what ``check`` is, in the words of ``odoo-urgency --help``
        command.description = command.description or summaries.get(name)
        # SUPPRESS: given after the command it wins, not given it leaves what came before the command
        _global_options(command, argparse.SUPPRESS)
        command.set_defaults(for_a_person=name in FOR_A_PERSON)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
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
            # For developers: the whole traceback, scrubbed like every log line (a password in the URL, the key).
            print(scrub("".join(traceback.format_exception(exc))), file=sys.stderr, end="")
        code, message = explain(exc)
    print(f"odoo-urgency: {message}", file=sys.stderr)
    return code or EXIT_PROBLEMS
