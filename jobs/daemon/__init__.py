"""The sync daemon, as components after OCA/connector (see ``docs/DESIGN.md``): change detection
(``changes``), the reader (``reader``), the memo (``memo``), the writer (``writer``), the lease (``lease``),
fingerprints (``stamps``), and the synchronizer that only composes them; the service loop (``service``),
its metrics, and the ``once`` / ``run`` / ``explain`` commands.

The names below load on first use (PEP 562): the capacity planner's shell (``jobs.planning``) uses the memo and
the writer, and the synchronizer uses the planner, so an eager package ``__init__`` made ``import jobs.planning``
a circular import.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from odoo_urgency.jobs.daemon.service import Daemon
    from odoo_urgency.jobs.daemon.stamps import FingerprintCache
    from odoo_urgency.jobs.daemon.summary import CycleSummary
    from odoo_urgency.jobs.daemon.synchronizer import Synchronizer

_EXPORTS = {"Daemon": "odoo_urgency.jobs.daemon.service", "FingerprintCache": "odoo_urgency.jobs.daemon.stamps",
            "CycleSummary": "odoo_urgency.jobs.daemon.summary", "Synchronizer": "odoo_urgency.jobs.daemon.synchronizer"}
__all__ = ["CycleSummary", "Daemon", "FingerprintCache", "Synchronizer"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'odoo_urgency.jobs.daemon' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
