"""A history backfill at scale on a real Odoo: throughput, and whether the pace limit holds.

    python bench/bench_backfill.py --odoo-url http://127.0.0.1:8069 --odoo-db PRIVATE_DB --orders 10000 \\
        --paces 0 5 --odoo-master-password MASTER

Creates N open BENCH- orders (``bench/real_odoo.py``: 40 % confirmed by writing ``state``, no MOs) in a database of
your own and installs the plugin there, without running a cycle: the orders are history nobody has classified. Then,
for each pace (calls per second; 0 = unpaced), it copies that database with Odoo's own ``db.duplicate_database`` (so
every run starts from the same data), runs the real command on the copy in this process —
``odoo-urgency backfill --all-open --max-calls-per-second P --json`` through the CLI's own entry point — and drops the
copy. Every call's start is recorded by wrapping the connector's transport, so the printed numbers are measured,
not inferred: orders per second, calls, writes, alerts, and the most calls started in any one-second window (the
pace limit holds when it is at most the limit, plus the one call that may start on the window's edge).
With one pace and no master password it runs on the database itself.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
import time
import xmlrpc.client
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


class RecordingTransport:
    """The connector's transport, with the monotonic start of every call kept."""

    def __init__(self, inner: Any, starts: list[float]) -> None:
        self._inner, self.starts = inner, starts

    def call(self, *args: Any, **kwargs: Any) -> Any:
        self.starts.append(time.monotonic())
        return self._inner.call(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def busiest_second(starts: list[float]) -> int:
    """The most call starts inside any window of one second."""
    best, first = 0, 0
    for last, moment in enumerate(starts):
        while moment - starts[first] >= 1.0:
            first += 1
        best = max(best, last - first + 1)
    return best


def run_backfill(url: str, db: str, login: str, password: str, pace: float) -> dict[str, Any]:
    from odoo_urgency.connector import client as client_module
    from odoo_urgency.jobs.cli.app import main as cli

    starts: list[float] = []
    original = client_module.make_transport
    client_module.make_transport = lambda settings: RecordingTransport(original(settings), starts)  # type: ignore
    env = {"ODOO_URGENCY_URL": url, "ODOO_URGENCY_DATABASE": db, "ODOO_URGENCY_LOGIN": login,
           "ODOO_URGENCY_PASSWORD": password, "ODOO_URGENCY_CONFIG": os.devnull}
    saved = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    argv = ["--log-level", "warning", "backfill", "--all-open", "--restart", "--json",
            *(["--max-calls-per-second", f"{pace:g}"] if pace else [])]
    out = io.StringIO()
    try:
        started = time.perf_counter()
        with contextlib.redirect_stdout(out):
            code = cli(argv)
        wall = time.perf_counter() - started
    finally:
        client_module.make_transport = original
        for key, value in saved.items():
            os.environ.pop(key) if value is None else os.environ.__setitem__(key, value)
    if code != 0:
        raise SystemExit(f"backfill exited {code}: {out.getvalue()[-500:]}")
    summary = json.loads(out.getvalue().strip().splitlines()[-1])
    orders = sum(summary.get("orders_by_tier", {}).values())
    return {"pace": pace, "wall_s": round(wall, 1), "orders": orders, "calls": len(starts),
            "writes": summary.get("writes"), "alerts": summary.get("alerts"), "errors": summary.get("errors"),
            "orders_per_s": round(orders / wall, 1), "busiest_second": busiest_second(starts)}


def main() -> None:
    import real_odoo

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    real_odoo.add_odoo_options(parser, "a throw-away database of your own")
    parser.add_argument("--orders", type=int, default=10000, help="open BENCH- orders wanted (created if fewer)")
    parser.add_argument("--paces", type=float, nargs="+", default=[0.0], help="calls per second; 0 = unpaced")
    parser.add_argument("--odoo-master-password", help="to copy the database once per pace")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()
    if len(args.paces) > 1 and not args.odoo_master_password:
        parser.error("several paces need --odoo-master-password (each runs on its own copy)")


    from odoo_urgency.jobs.admin.install import run_install
    from odoo_urgency.jobs.runtime import logs

    logs.configure("warning")
    client = real_odoo.logged_in(real_odoo.connection(args, read_timeout=900))
    real_odoo.ensure_open_orders(client, args.orders, out=lambda line: print(line, flush=True))
    run_install(client, out=lambda *_: None)
    open_orders = client.search_count("sale.order", [("state", "in", ["draft", "sent", "sale"])])
    client.close()
    print(f"{open_orders} open orders, plugin installed, no cycle run", flush=True)

    results = []
    dbs = xmlrpc.client.ServerProxy(f"{args.odoo_url}/xmlrpc/2/db", allow_none=True)
    for pace in args.paces:
        target = args.odoo_db
        if args.odoo_master_password:
            target = f"{args.odoo_db}_bf{int(pace * 10)}"
            dbs.duplicate_database(args.odoo_master_password, args.odoo_db, target)
        try:
            result = run_backfill(args.odoo_url, target, args.odoo_login, args.odoo_password, pace)
        finally:
            if args.odoo_master_password:
                dbs.drop(args.odoo_master_password, target)
        results.append({"open_orders": open_orders, **result})
        limit = f"limit {pace:g}/s" if pace else "unpaced"
        print(f"backfill {open_orders} open orders, {limit}: {result['wall_s']} s, {result['orders']} orders "
              f"({result['orders_per_s']}/s), {result['calls']} calls, {result['writes']} writes, "
              f"{result['alerts']} alerts, {result['errors']} errors; busiest second {result['busiest_second']} "
              f"calls", flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
