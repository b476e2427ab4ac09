"""The no-change cycle at size, on a real Odoo: calls and seconds of a quiet cycle with N open orders.

    python bench/bench_quiet.py --odoo-url http://127.0.0.1:8069 --odoo-db PRIVATE_DB --orders 10000

Creates N open BENCH- orders (``bench/real_odoo.py``, confirmed by writing ``state``, no MOs) in a database of
your own — it installs the plugin there and leaves everything in place (use a throw-away copy) — runs the first
full cycle, then ``--cycles`` cycles with no change, and prints each quiet cycle's calls and wall time with the
costs of its calls (``connector.costs``). A quiet cycle reads only ids and stamps: the state, the orders written
since the cursor (or whose deadline fell), the MOs and deliveries written since; and renews the lease.

Rows written within ``daemon.overlap_seconds`` (300 s) before the last look are read again, because Odoo stamps a row
with the start of its transaction (``jobs.daemon.changes``): right after the first cycle wrote 10,000 orders, a quiet
cycle reads their 10,000 stamps. ``--settle`` waits that long after the first cycle, so the cycles printed are the
steady state; without it the first ones show the overlap's cost.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def main() -> None:
    import real_odoo

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    real_odoo.add_odoo_options(parser)
    parser.add_argument("--orders", type=int, default=1000, help="open BENCH- orders wanted (created if fewer)")
    parser.add_argument("--cycles", type=int, default=5)
    parser.add_argument("--settle", action="store_true",
                        help="wait daemon.overlap_seconds after the first cycle (see above)")
    args = parser.parse_args()


    from odoo_urgency.connector import detect
    from odoo_urgency.jobs.admin.install import run_install
    from odoo_urgency.jobs.daemon.synchronizer import Synchronizer
    from odoo_urgency.jobs.runtime import logs
    from odoo_urgency.jobs.runtime.settings import DaemonSettings, Settings

    logs.configure("warning")
    settings = Settings(odoo=real_odoo.connection(args, read_timeout=900), daemon=DaemonSettings(initial_lookback_days=60))
    client = real_odoo.logged_in(settings.odoo)
    real_odoo.ensure_open_orders(client, args.orders, out=lambda line: print(line, flush=True))
    run_install(client, out=lambda *_: None)
    client.forget_fields()
    sync = Synchronizer(client, detect(client, with_rights=False), settings, holder="bench-quiet")
    open_orders = client.search_count("sale.order", [("state", "in", ["draft", "sent", "sale"])])
    first = sync.run_cycle()
    print(f"{open_orders} open orders; first full cycle: {first.duration_s:.1f} s, {first.rpc_calls} calls, "
          f"{first.writes} writes, {first.alerts} alerts", flush=True)
    if args.settle:
        wait = settings.daemon.overlap_seconds + 5
        print(f"waiting {wait:.0f} s: the first cycle's writes leave the overlap", flush=True)
        time.sleep(wait)
    walls: list[float] = []
    for number in range(1, args.cycles + 1):
        summary = sync.run_cycle()
        walls.append(summary.duration_s)
        print(f"quiet cycle {number}: {summary.rpc_calls} calls, {summary.duration_s:.3f} s, "
              f"{summary.writes} writes; {json.dumps(summary.as_json()['top_costs'])}", flush=True)
    sync.release()
    print(f"quiet cycles at {open_orders} open orders: median {statistics.median(walls):.3f} s, "
          f"max {max(walls):.3f} s")


if __name__ == "__main__":
    main()
