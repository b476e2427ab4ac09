"""SIGTERM stops the daemon within 10 s whatever the ERP does: the call in flight is abandoned (the ERP may
still finish it; everything the daemon writes is safe to find half done), and nothing is lost or doubled."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from odoo_urgency.sandbox import Sandbox
from tests.daemon.conftest import activities

KEY = re.compile(r"odoo-urgency key: (\S+?)</p>")
from tests.daemon.test_resilience import EXPECTED_ALERTS  # noqa: E402 - one count for the demo stories


def alert_keys(sb: Sandbox) -> Counter[str]:
    return Counter(k for a in activities(sb) for k in KEY.findall(a["note"] or ""))


def test_sigterm_while_the_erp_takes_a_minute_to_answer(tmp_path: Path) -> None:
    with Sandbox(demo=True) as sb:
        (tmp_path / "none.toml").write_text("")
        env = {**{k: v for k, v in os.environ.items() if not k.startswith("ODOO_URGENCY_")},
               "ODOO_URGENCY_URL": sb.url, "ODOO_URGENCY_DATABASE": sb.database, "ODOO_URGENCY_PASSWORD": "admin",
               "ODOO_URGENCY_LOGIN": "admin",
               "ODOO_URGENCY_DAEMON__POLL_INTERVAL": "0.2", "ODOO_URGENCY_DAEMON__ERP_REQUEST_LIMIT_SECONDS": "4",
               "ODOO_URGENCY_DAEMON__CACHE_DIR": str(tmp_path), "ODOO_URGENCY_CONFIG": str(tmp_path / "none.toml")}
        sb.faults.latency = 60.0                     # every call takes a minute: read_timeout (60 s) never fires
        proc = subprocess.Popen([sys.executable, "-m", "odoo_urgency.jobs.cli", "run"], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 30
        while sb.faults.calls < 1 and time.monotonic() < deadline:
            time.sleep(0.05)                         # until it waits for its first answer
        time.sleep(0.5)
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=30)
        took = time.monotonic() - started
        assert took < 10, (took, err)
        assert proc.returncode == 0, err
        assert "Traceback" not in err and "call_abandoned" in err

        sb.faults.latency = 0.0
        time.sleep(4.5)                              # past the ERP's request limit: an abandoned create is over
        done = subprocess.run([sys.executable, "-m", "odoo_urgency.jobs.cli", "once", "--json"], env=env, capture_output=True,
                              text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        keys = alert_keys(sb)
        assert max(keys.values()) == 1 and sum(keys.values()) == EXPECTED_ALERTS


def test_sigterm_in_the_middle_of_a_slow_cycle(tmp_path: Path) -> None:
    with Sandbox(demo=True) as sb:
        (tmp_path / "none.toml").write_text("")
        env = {**{k: v for k, v in os.environ.items() if not k.startswith("ODOO_URGENCY_")},
               "ODOO_URGENCY_URL": sb.url, "ODOO_URGENCY_DATABASE": sb.database, "ODOO_URGENCY_PASSWORD": "admin",
               "ODOO_URGENCY_LOGIN": "admin",
               "ODOO_URGENCY_DAEMON__POLL_INTERVAL": "0.2", "ODOO_URGENCY_DAEMON__ERP_REQUEST_LIMIT_SECONDS": "4",
               "ODOO_URGENCY_DAEMON__BATCH_SIZE": "2",
               "ODOO_URGENCY_DAEMON__CACHE_DIR": str(tmp_path), "ODOO_URGENCY_CONFIG": str(tmp_path / "none.toml")}
        sb.faults.latency = 0.8                      # slow, every call: a cycle of batches takes about a minute
        proc = subprocess.Popen([sys.executable, "-m", "odoo_urgency.jobs.cli", "run"], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while sb.faults.calls < 12 and time.monotonic() < deadline:
            time.sleep(0.05)                         # well inside its first cycle
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=60)
        assert time.monotonic() - started < 10, err
        assert proc.returncode == 0, err
        sb.faults.latency = 0.0
        time.sleep(4.5)
        done = subprocess.run([sys.executable, "-m", "odoo_urgency.jobs.cli", "once", "--json"], env=env, capture_output=True,
                              text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        keys = alert_keys(sb)
        assert max(keys.values()) == 1 and sum(keys.values()) == EXPECTED_ALERTS
