"""A user's request latency on a real Odoo while something polls every 5 s: nothing, a writer of
``ir.config_parameter`` (where the daemon kept its cursor and lease before, every write clearing the registry
caches of every worker), and the daemon itself (its state in ``x_urgency_state``, clearing nothing).

    python bench/bench_latency.py --odoo-url http://127.0.0.1:8069 --odoo-db PRIVATE_DB --seconds 60

The database must have the plugin installed (``odoo-urgency install``). The user (``--user``, default demo)
reads a page of 80 sale orders four times a second, as a list view does; each mode runs ``--seconds`` and prints
the median, 90th and 99th percentile and the worst latency. The ``param`` mode writes one parameter
(``odoo_urgency.bench_latency``, removed at the end) with ``set_param`` every ``--interval`` seconds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
KEY = "odoo_urgency.bench_latency"
FIELDS = ["name", "partner_id", "date_order", "amount_total", "state", "user_id"]


def poller(mode: str, admin: Any, interval: float, stop: threading.Event) -> None:
    sync = None
    if mode == "daemon":
        from odoo_urgency.connector import detect
        from odoo_urgency.jobs.daemon.synchronizer import Synchronizer
        from odoo_urgency.jobs.runtime.settings import DaemonSettings, Settings

        settings = Settings(odoo=admin.settings, daemon=DaemonSettings(initial_lookback_days=60))
        sync = Synchronizer(admin, detect(admin, with_rights=False), settings, holder="bench-latency")
    n = 0
    while not stop.is_set():
        if mode == "param":
            n += 1
            admin.call("ir.config_parameter", "set_param", KEY, str(n))
        elif sync is not None:
            sync.run_cycle()
        stop.wait(interval)
    if sync is not None:
        sync.release()


def measure(args: argparse.Namespace, mode: str) -> list[float]:
    import real_odoo

    from odoo_urgency.jobs.runtime import logs

    logs.configure("warning")
    user = real_odoo.logged_in(real_odoo.connection(args, login=args.user, password=args.user_password))
    admin = real_odoo.logged_in(real_odoo.connection(args))
    stop = threading.Event()
    thread = threading.Thread(target=poller, args=(mode, admin, args.interval, stop), daemon=True)
    if mode != "none":
        thread.start()
    latencies: list[float] = []
    end = time.monotonic() + args.seconds
    while time.monotonic() < end:
        started = time.perf_counter()
        user.search_read("sale.order", [], FIELDS, order="id desc", limit=80)
        latencies.append(time.perf_counter() - started)
        time.sleep(0.25)
    stop.set()
    if mode != "none":
        thread.join()
    if mode == "param":
        admin.unlink("ir.config_parameter", admin.search("ir.config_parameter", [("key", "=", KEY)]))
    return latencies


def main() -> None:
    import real_odoo

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    real_odoo.add_odoo_options(parser)
    parser.add_argument("--user", default="demo")
    parser.add_argument("--user-password", default="demo")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--interval", type=float, default=5.0)
    parser.add_argument("--modes", nargs="+", default=["none", "param", "daemon"], choices=["none", "param", "daemon"])
    args = parser.parse_args()
    for mode in args.modes:
        ms = sorted(x * 1000 for x in measure(args, mode))
        print(f"{mode:7} {len(ms):4} requests: median {statistics.median(ms):6.1f} ms, p90 {_pct(ms, 0.9):6.1f} ms, "
              f"p99 {_pct(ms, 0.99):6.1f} ms, max {ms[-1]:6.1f} ms", flush=True)


def _pct(ordered: list[float], share: float) -> float:
    return ordered[min(int(len(ordered) * share), len(ordered) - 1)]


if __name__ == "__main__":
    main()
