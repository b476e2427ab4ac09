"""Benchmark: how long ``odoo-urgency run`` takes to exit after SIGTERM, whatever the ERP does.

    python bench/bench_stop.py --latency 0 0.8 5 60

For each latency (seconds the embedded sandbox ERP waits before answering every call), it starts the daemon
against the sandbox, waits until the daemon is inside a cycle (a number of calls received), sends SIGTERM, and
prints the seconds until the process exited and its exit code. The daemon stops at the next batch boundary, and
past a 4 s grace abandons the call in flight (``jobs/daemon/stopping.py``): every row should stay under 10 s.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from odoo_urgency.sandbox import Sandbox  # noqa: E402


def stop_time(latency: float, calls_before_stop: int) -> tuple[float, int]:
    with Sandbox(demo=True) as sb, tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "none.toml").write_text("")
        env = {**{k: v for k, v in os.environ.items() if not k.startswith("ODOO_URGENCY_")},
               "ODOO_URGENCY_URL": sb.url, "ODOO_URGENCY_DATABASE": sb.database, "ODOO_URGENCY_LOGIN": "admin",
               "ODOO_URGENCY_PASSWORD": "admin", "ODOO_URGENCY_DAEMON__POLL_INTERVAL": "0.2",
               "ODOO_URGENCY_DAEMON__BATCH_SIZE": "2", "ODOO_URGENCY_DAEMON__CACHE_DIR": tmp,
               "ODOO_URGENCY_CONFIG": str(Path(tmp) / "none.toml"), "PYTHONPATH": str(ROOT)}
        sb.faults.latency = latency
        proc = subprocess.Popen([sys.executable, "-m", "odoo_urgency.jobs.cli", "run"], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while sb.faults.calls < calls_before_stop and time.monotonic() < deadline:
            time.sleep(0.02)
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=120)
        return time.monotonic() - started, code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, nargs="+", default=[0.0, 0.8, 5.0, 60.0])
    parser.add_argument("--calls", type=int, default=6, help="calls the ERP received before SIGTERM is sent")
    args = parser.parse_args()
    print(f"{'latency per call':>18}  {'SIGTERM → exit':>15}  exit code")
    for latency in args.latency:
        seconds, code = stop_time(latency, args.calls if latency < 30 else 1)
        print(f"{latency:>16.1f} s  {seconds:>13.2f} s  {code}")


if __name__ == "__main__":
    main()
