"""The one command registry: every sub-command of ``odoo-urgency`` and the module that defines it.

Each module listed here defines ``register(sub)``, which adds its parsers to the CLI's sub-parsers and sets
``handler`` (a function ``(args) -> exit code``) on each. Modules are imported when the parser is built, so a
job's dependencies load only for the command line, never for another job's import.
"""

from __future__ import annotations

import argparse
import importlib

#: module → the sub-commands it registers (the order of ``odoo-urgency --help``)
COMMAND_MODULES: dict[str, tuple[str, ...]] = {
    "odoo_urgency.jobs.admin.commands": ("check", "install", "uninstall"),
    "odoo_urgency.jobs.demo.commands": ("demo", "sandbox"),
    "odoo_urgency.jobs.daemon.commands": ("once", "run", "explain"),
    "odoo_urgency.jobs.backfill.commands": ("backfill",),
    "odoo_urgency.jobs.report.commands": ("report",),
    "odoo_urgency.jobs.planning.commands": ("plan",),
}


#: Commands whose output is for a person at a terminal: there they show their results, and logs only warnings
#: (``--log-level`` says otherwise). ``run`` and ``sandbox`` are services: they log as configured.
FOR_A_PERSON: frozenset[str] = frozenset({"check", "install", "uninstall", "demo", "once", "explain", "backfill",
                                          "report", "plan"})


def register_all(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
