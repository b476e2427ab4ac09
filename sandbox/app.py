"""The :class:`Sandbox` object and the blocking :func:`serve` used by the CLI."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from types import FrameType, TracebackType

from . import base_data
from . import demo as demo_data
from .faults import Faults
from .orm import Env
from .server import Dispatcher, HTTPFront
from .store import Store

LOGINS = "admin/admin (uid 2), demo/demo (uid 6)"
#: Odoo 19 mode: API keys for JSON-2 (which takes no password), registered when the database is created.
API_KEYS = {2: "sandbox-admin-api-key", 6: "sandbox-demo-api-key"}
DEMO_LOGINS = LOGINS + ", manager/manager, planner/planner, logistics/logistics, director/director"


class Sandbox:
    """An embedded Odoo-17-compatible server with its own SQLite-backed database.

    ``data=None`` keeps everything in memory; a path keeps it in that SQLite file, so a new
    ``Sandbox(data=path)`` finds every record, custom field and sequence again. ``demo``
    loads :mod:`sandbox.demo` when the database is new. ``now`` replaces the server clock
    (stamps ``create_date``/``write_date``, ``action_confirm``'s ``date_order``, demo dates).
    ``purchase=False`` serves an ERP without the purchase app (no purchase orders, no vendor pricelists).
    ``odoo_version=19`` answers as Odoo 19: its fields (stock references instead of procurement groups), its
    version, and the JSON-2 API (``/json/2/<model>/<method>``, API keys in :data:`API_KEYS`) beside XML-RPC and
    JSON-RPC; 17 is the default.
    """

    def __init__(
        self,
        data: str | Path | None = None,
        database: str = "odoo",
        demo: bool = False,
        port: int = 0,
        now: Callable[[], datetime] | None = None,
        purchase: bool = True,
        odoo_version: int = 17,
    ) -> None:
        if odoo_version not in (17, 19):
            raise ValueError(f"the sandbox answers as Odoo 17 or 19, not {odoo_version}")
        self.database = database
        self.odoo_version = odoo_version
        self.store = Store(data)
        fresh = self.store.is_empty
        self.env = Env(self.store, now, database, purchase, odoo_version)
        if fresh:
            base_data.load(self.env)
            if odoo_version >= 19:
                for uid, key in API_KEYS.items():
                    self.env.add_api_key(uid, key)
            if demo:
                demo_data.load(self.env, self.env.now())
        self.faults = Faults()
        self._front = HTTPFront(Dispatcher(self.env, self.faults), self.faults, port)

    @property
    def port(self) -> int:
        return self._front.port

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def running(self) -> bool:
        return self._front.running

    def start(self) -> Sandbox:
        """Serve (again) — on the same port as before once a port was chosen."""
        self._front.start()
        return self

    def stop(self) -> None:
        """Stop serving and cut open connections; the state is kept for :meth:`start`."""
        self._front.stop()

    def close(self) -> None:
        self.stop()
        self.store.close()

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def serve(
    port: int = 8069, data: str | Path | None = None, database: str = "odoo", demo: bool = False, purchase: bool = True,
    odoo_version: int = 17,
) -> int:
    """Run a sandbox until SIGINT/SIGTERM (the ``odoo-urgency sandbox`` command); returns the signal's number."""
    sandbox = Sandbox(data=data, database=database, demo=demo, port=port, purchase=purchase,
                      odoo_version=odoo_version).start()
    done = threading.Event()
    stopped_by = [int(signal.SIGTERM)]

    def stop(signum: int, frame: FrameType | None) -> None:
        stopped_by[0] = signum
        done.set()

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    keys = f"; API key of admin for JSON-2: {API_KEYS[2]}" if odoo_version >= 19 else ""
    print(
        f"Odoo {odoo_version} sandbox on {sandbox.url} database={database!r} logins: {DEMO_LOGINS if demo else LOGINS}"
        f"{keys}", flush=True
    )
    try:
        while not done.wait(0.5):
            pass
    finally:
        sandbox.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return stopped_by[0]
