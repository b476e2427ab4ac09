"""Benchmark: the monthly assessment over N generated orders — wall time, RPC calls, peak memory.

    python bench/bench_report.py --orders 1000 10000

For each N it generates N orders received over the last 20 days (``sandbox.generate``: urgent and special
ones, their MOs and deliveries) into a sandbox file, serves it from its own process on loopback, and — in a
fresh process, so memory is measured alone — reads and judges the assessment of the last 21 days (every order)
with the six-month trend, then renders the HTML page. It prints the wall time of reading + judging, of
rendering, the RPC calls, the orders, MOs and deliveries judged, and the worker's peak memory (ru_maxrss).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_sync import free_port, generate, start_sandbox  # noqa: E402,F401


def worker(url: str) -> dict[str, Any]:
    from odoo_urgency.jobs.report.compute import build_assessment
    from odoo_urgency.jobs.report.period import Period
    from odoo_urgency.jobs.report.render import render_html
    from odoo_urgency.jobs.runtime.connect import connect_and_detect
    from odoo_urgency.jobs.runtime.settings import Settings

    settings = Settings.model_validate({"odoo": {"url": url, "database": "odoo", "login": "admin",
                                                 "password": "admin"}})
    client, schema = connect_and_detect(settings)
    now = datetime.now(UTC)
    period = Period(now - timedelta(days=21), now, "the last 21 days")  # every generated order
    started = time.perf_counter()
    assessment = build_assessment(client, schema, settings.rules, period, now, trend_months=6)
    judged = time.perf_counter() - started
    started = time.perf_counter()
    page = render_html(assessment)
    rendered = time.perf_counter() - started
    company = assessment.companies[0]
    return {"judge_s": round(judged, 2), "render_s": round(rendered, 2), "rpc_calls": client.stats.calls,
            "orders": company.department("sales").total.items,
            "mos": company.department("production").total.items,
            "deliveries": company.department("logistics").total.items, "html_kb": round(len(page) / 1024),
            "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, 1)}


def bench(n: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "erp.sqlite"
        generate(data, n)
        proc, url = start_sandbox(data)
        try:
            done = subprocess.run([sys.executable, __file__, "--worker", url], capture_output=True, text=True,
                                  check=True, cwd=ROOT)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
        return {"n": n, **json.loads(done.stdout.strip().splitlines()[-1])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, nargs="+", default=[1000])
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker)))
        return
    print(f"{'N':>7} {'judge s':>8} {'render s':>9} {'RPC':>5} {'orders':>7} {'MOs':>5} {'deliv.':>7} "
          f"{'HTML kB':>8} {'peak MB':>8}")
    for n in args.orders:
        r = bench(n)
        print(f"{r['n']:>7} {r['judge_s']:>8} {r['render_s']:>9} {r['rpc_calls']:>5} {r['orders']:>7} {r['mos']:>5} "
              f"{r['deliveries']:>7} {r['html_kb']:>8} {r['peak_mb']:>8}")


if __name__ == "__main__":
    main()
