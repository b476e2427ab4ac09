"""The sync daemon, as components after OCA/connector (see ``docs/DESIGN.md``): change detection
(``changes``), the reader (``reader``), the memo (``memo``), the writer (``writer``), the lease (``lease``),
fingerprints (``stamps``), and the synchronizer that only composes them; the service loop (``service``),
its metrics, and the ``once`` / ``run`` / ``explain`` commands."""

from jobs.daemon.service import Daemon
from jobs.daemon.stamps import FingerprintCache
from jobs.daemon.summary import CycleSummary
from jobs.daemon.synchronizer import Synchronizer

__all__ = ["CycleSummary", "Daemon", "FingerprintCache", "Synchronizer"]
