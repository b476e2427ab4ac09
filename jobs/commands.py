"""Sub-commands contributed by the job modules.

Each module named here defines ``register(sub)``, which adds its parser to the CLI's sub-parsers and sets
``handler`` (a function ``(args) -> exit code``). Keeps ``cli.py`` small and each job self-contained.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable

MODULES: tuple[str, ...] = ("jobs.daemon_cli", "jobs.demo", "jobs.report", "jobs.backfill", "jobs.install")


def registry() -> list[Callable[[argparse._SubParsersAction], None]]:  # type: ignore[type-arg]
    return [importlib.import_module(name).register for name in MODULES]
