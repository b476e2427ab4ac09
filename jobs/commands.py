"""Sub-commands registered by the job modules (daemon, install, backfill, report).

Each entry is a function that adds its parser to the CLI's sub-parsers and sets ``handler``.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

REGISTRY: list[Callable[[argparse._SubParsersAction], None]] = []  # type: ignore[type-arg]
